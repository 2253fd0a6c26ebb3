"""What every ledger shares: the registry (name, title, deadlines), list-page helpers, the deadline board."""
