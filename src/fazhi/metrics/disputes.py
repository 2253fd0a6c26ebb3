"""Metrics of the ledger ``disputes``: each registered with ``fazhi.metrics.registry.register``."""
