"""The pure rules of the ledger "Disputes": plain data in, ``Problem``s out. No Django."""
