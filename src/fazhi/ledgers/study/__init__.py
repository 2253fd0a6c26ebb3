"""Ledger: Law study and publicity."""
