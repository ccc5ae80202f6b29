"""Communiqués: vectorstore."""
