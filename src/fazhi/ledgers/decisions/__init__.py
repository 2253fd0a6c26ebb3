"""Ledger: Major administrative decisions."""
