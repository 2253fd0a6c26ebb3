"""JSON API of the ledger "Disputes": every path starts with /ledgers/disputes."""

from ninja import Router

router = Router()
