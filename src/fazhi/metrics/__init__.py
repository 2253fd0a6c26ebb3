"""Metrics: named measures computed from the ledgers for an org subtree and a period (see docs/metrics.md)."""
