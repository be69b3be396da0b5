"""Volunteers: residents offering skills and time, and their matches with initiatives."""
