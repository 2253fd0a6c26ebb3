"""Pages of the ledger "Law study and publicity"."""

urlpatterns: list = []
