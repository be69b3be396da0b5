"""Pots with their derived balances."""
