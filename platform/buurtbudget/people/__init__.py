"""People, their roles per neighbourhood, and signing in."""
