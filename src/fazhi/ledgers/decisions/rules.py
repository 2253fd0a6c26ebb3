"""The pure rules of the ledger "Major administrative decisions": plain data in, ``Problem``s out. No Django."""
