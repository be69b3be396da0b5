"""The signed-in person's own data."""
