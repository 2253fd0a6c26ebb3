"""Pages of the ledger "Major administrative decisions"."""

urlpatterns: list = []
