"""Pages of the ledger "Administrative enforcement"."""

urlpatterns: list = []
