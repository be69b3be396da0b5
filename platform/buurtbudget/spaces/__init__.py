"""Spaces: rooms and places that can be booked, and their bookings."""
