"""The spaces pages and JSON endpoints."""
