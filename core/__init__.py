"""Shared types and markers that every step uses; they import nothing else of the project."""
