"""JSON API of the ledger "Administrative enforcement": every path starts with /ledgers/enforcement."""

from ninja import Router

router = Router()
