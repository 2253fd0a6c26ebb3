"""The pure rules of the ledger "Administrative enforcement": plain data in, ``Problem``s out. No Django."""
