"""Tables of spaces and their bookings."""
