"""Administrators' view of the outbox: what waits, what failed, and retrying a dead letter."""
