"""JSON API of the ledger "Normative documents": every path starts with /ledgers/documents."""

from ninja import Router

router = Router()
