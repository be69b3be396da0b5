"""Neighbourhoods, their adjacency and their page."""
