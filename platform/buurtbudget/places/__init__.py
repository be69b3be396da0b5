"""Municipalities and their neighbourhoods, with adjacency."""
