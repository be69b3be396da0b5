"""Initiatives: JSON endpoints and pages."""
