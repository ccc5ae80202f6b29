"""Text and language knowledge for French, English and Arabic: the foundation every step reads text with.

It imports nothing else of the project, so ``ingest``, ``vectorstore`` and ``assistant`` all depend on it and it on
none of them (enforced by the import contracts in pyproject.toml).
"""
