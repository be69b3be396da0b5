"""The audit log in the api: its command-line checks and its published anchors."""
