"""Outgoing messages: e-mail through SMTP, or an outbox folder when no SMTP server is configured."""
