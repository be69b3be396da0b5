"""Signing in with a magic link, and signing out."""
