"""Pages of the ledger "Disputes"."""

urlpatterns: list = []
