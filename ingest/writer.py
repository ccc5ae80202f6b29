"""What ingestion needs from a store: the small protocol the vector store satisfies.

Ingestion writes passages through this protocol and never imports the store, so the data flows one way
(ingest → vectorstore); the composition root (``assistant.container``) hands the store in.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from core.types import Chunk


@runtime_checkable
class DocumentEmbedder(Protocol):
    """Turns passages into vectors; LangChain's ``Embeddings`` and the project's fakes fit."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


@runtime_checkable
class ChunkWriter(Protocol):
    """A store of passages that ingestion can replace a document's passages in."""

    embeddings: DocumentEmbedder

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        """The ids of the stored passages of ``doc_id``, or of every passage when None."""
        ...

    def upsert(self, chunks: list[Chunk], vectors: list[list[float]] | None = None) -> None:
        """Write passages (replacing those with the same id), with their vectors when already computed."""
        ...

    def delete(self, chunk_ids: list[str]) -> None:
        """Remove passages by id; unknown ids are ignored."""
        ...


@runtime_checkable
class SentenceCache(Protocol):
    """Where ingestion keeps the vectors of a release's sentences for the answers' ranking (a cache: what it lacks is
    embedded at question time)."""

    def missing(self, texts) -> list[str]:
        """Those of ``texts`` not stored, each once, in order."""
        ...

    def put(self, doc_id: str, texts: list[str], vectors: list[list[float]]) -> None:
        """Store the vectors of ``texts``, sentences of ``doc_id``."""
        ...

    def remove(self, doc_id: str) -> None:
        """Forget the sentences stored for ``doc_id``."""
        ...
