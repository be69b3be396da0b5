"""The transactional outbox: work written with the change that caused it, delivered by a worker."""
