"""Residents' initiatives: drafts, cost lines, needs, lifecycle and timeline."""
