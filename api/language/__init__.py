"""Choosing the language of the interface."""
