"""Embedders with LangChain's interface (``embed_documents`` / ``embed_query``): the real
sentence-transformers model and a deterministic hash embedder for tests."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
from abc import abstractmethod
from collections import OrderedDict
from pathlib import Path

from langchain_core.embeddings import Embeddings

from textkit.terms import terms

log = logging.getLogger(__name__)


class PromptedEmbeddings(Embeddings):
    """What the real embedders share: the model's query and document prompts, L2-normalised vectors, and a
    cache of the latest question vectors. Subclasses only encode a batch of texts with a prompt name."""

    def __init__(self, path: Path, query_prompt: str | None = "query", document_prompt: str | None = "document",
                 batch_size: int = 8, cache_size: int = 512):
        self.path = Path(path)
        self.query_prompt = query_prompt
        self.document_prompt = document_prompt
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_lock = threading.Lock()  # the web app asks from several threads at once
        self._cache_size = cache_size

    @abstractmethod
    def _encode(self, texts: list[str], prompt_name: str | None) -> list[list[float]]:
        """L2-normalised vectors of ``texts``, each prefixed with the model's prompt ``prompt_name`` (if it has it)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), self.document_prompt) if texts else []

    def embed_query(self, text: str) -> list[float]:
        with self._cache_lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        vector = self._encode([text], self.query_prompt)[0]
        with self._cache_lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed several short texts (e.g. answer sentences) with the query prompt, in one batch."""
        return self._encode(list(texts), self.query_prompt) if texts else []


class SentenceTransformerEmbeddings(PromptedEmbeddings):
    """A sentence-transformers model from a local folder, loaded once, offline, on first use, run by PyTorch.

    Uses the model's own prompts (EmbeddingGemma: ``query`` and ``document``); vectors are
    L2-normalised so that the dot product is the cosine similarity.
    """

    _model = None  # the SentenceTransformer, once loaded

    @property
    def model(self):
        """The loaded SentenceTransformer (loaded on first access)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_sentence_transformer(self.path)
        return self._model

    def _encode(self, texts: list[str], prompt_name: str | None) -> list[list[float]]:
        prompt = {"prompt_name": prompt_name} if prompt_name and prompt_name in getattr(self.model, "prompts", {}) else {}
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    show_progress_bar=False, **prompt)
        return [v.tolist() for v in vectors]


def load_sentence_transformer(path: Path):
    """The sentence-transformers model in the folder ``path``, on the CPU, never looked up on a hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("sentence-transformers is not installed: run `make install`.") from exc
    log.info("loading embedder path=%s", path)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


class HashEmbeddings(Embeddings):
    """Deterministic fake: search terms and their character trigrams hashed into a fixed-size vector.

    Texts that share words get similar vectors, so retrieval tests behave sensibly without a model.
    """

    def __init__(self, dim: int = 256):
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for term in terms(text):
            for feature, weight in [(term, 1.0)] + [(term[i:i + 3], 0.3) for i in range(max(0, len(term) - 2))]:
                h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
                vec[h % self.dim] += weight if (h >> 40) & 1 else -weight
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]
