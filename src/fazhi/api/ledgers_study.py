"""JSON API of the ledger "Law study and publicity": every path starts with /ledgers/study."""

from ninja import Router

router = Router()
