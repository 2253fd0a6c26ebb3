"""Metrics of the ledger ``enforcement``: each registered with ``fazhi.metrics.registry.register``."""
