"""The pure rules of the ledger "Normative documents": plain data in, ``Problem``s out. No Django."""
