"""The ledgers (台账): one sub-package per ledger, each with the same parts (see docs/ledgers.md).

This package itself is the Django app ``ledgers``: what every ledger shares (the registry of ledgers, the
deadline board, list-page helpers) lives in ``fazhi.ledgers.common``.
"""
