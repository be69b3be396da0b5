"""The similar pages and JSON endpoints."""
