"""Ledger: Disputes."""
