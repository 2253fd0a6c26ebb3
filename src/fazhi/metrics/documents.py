"""Metrics of the ledger ``documents``: each registered with ``fazhi.metrics.registry.register``."""
