"""Pages of the ledger "Normative documents"."""

urlpatterns: list = []
