"""Ledger: Normative documents."""
