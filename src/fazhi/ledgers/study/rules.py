"""The pure rules of the ledger "Law study and publicity": plain data in, ``Problem``s out. No Django."""
