"""Answers you can verify, one module per family of rules."""
