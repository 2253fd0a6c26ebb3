"""Metrics of the ledger ``study``: each registered with ``fazhi.metrics.registry.register``."""
