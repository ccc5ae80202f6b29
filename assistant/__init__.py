"""Communiqués: assistant."""
