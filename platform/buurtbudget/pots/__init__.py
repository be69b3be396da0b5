"""Neighbourhood pots and their double-entry ledger in euro cents."""
