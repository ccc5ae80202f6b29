"""Communiqués: ingest."""
