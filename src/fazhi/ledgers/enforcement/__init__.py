"""Ledger: Administrative enforcement."""
