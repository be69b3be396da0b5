"""Pages that belong to no single feature: home, outbox."""
