"""JSON API of the ledger "Major administrative decisions": every path starts with /ledgers/decisions."""

from ninja import Router

router = Router()
