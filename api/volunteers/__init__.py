"""The volunteers pages and JSON endpoints."""
