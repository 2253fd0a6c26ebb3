"""Reads of the campaigns app, always scoped to what the acting user may see (one module per area)."""
