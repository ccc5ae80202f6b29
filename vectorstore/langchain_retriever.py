"""The hybrid retriever behind LangChain's ``BaseRetriever`` interface, so LangChain's chains, tools and standard
tests can use it."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from core.types import Passage
from vectorstore.filters import Filters
from vectorstore.retriever import HybridRetriever


def passage_document(passage: Passage) -> Document:
    """A passage as a LangChain ``Document``: the text the model reads, its best chunk's metadata and id, scores."""
    meta = {k: v for k, v in passage.chunk.metadata().items() if k != "text"}
    meta.update(chunk_id=passage.chunk.chunk_id, chunk_ids=list(passage.chunk_ids or (passage.chunk.chunk_id,)),
                score=passage.score, dense=passage.dense, keyword=passage.keyword)
    return Document(page_content=passage.text, metadata=meta, id=passage.chunk.chunk_id)


class PassageRetriever(BaseRetriever):
    """Dense and keyword retrieval fused, filtered, diversified, neighbours merged: the project's retriever.

    ``k`` and ``filters`` can be set at construction or given per call::

        PassageRetriever(retriever=container.retriever, k=3).invoke("Quand le plan pour l'eau a-t-il été lancé ?")
        retriever.invoke("grève", k=1, filters=Filters(since="2024-12-01"))
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: HybridRetriever
    k: int = 4
    filters: Filters | None = None
    max_per_doc: int | None = None  # None: the hybrid retriever's own limit

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None, filters: Filters | None = None, **kwargs: Any) -> list[Document]:
        retrieval = self.retriever.retrieve(query, filters or self.filters, k=k or self.k,
                                            max_per_doc=self.max_per_doc)
        return [passage_document(p) for p in retrieval.passages]
