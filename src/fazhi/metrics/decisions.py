"""Metrics of the ledger ``decisions``: each registered with ``fazhi.metrics.registry.register``."""
