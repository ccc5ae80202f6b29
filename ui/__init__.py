"""Communiqués: ui."""
