"""Append-only, hash-chained audit log of every change made through a service."""
