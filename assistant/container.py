"""The composition root: builds every object from Settings, once, with no globals."""

from __future__ import annotations

import logging
import os
from functools import cached_property

from assistant.settings import Settings

log = logging.getLogger(__name__)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


class Container:
    """Lazily built, shared parts of the application. Heavy models load on first use only."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()

    @cached_property
    def embeddings(self):
        from vectorstore.embeddings import HashEmbeddings, SentenceTransformerEmbeddings

        m = self.settings.models
        if m.embedder == "hash":
            return HashEmbeddings(m.hash_dim)
        from assistant.models import EMBEDDINGGEMMA, resolve_model

        path = resolve_model(m.embedder_path, EMBEDDINGGEMMA, m.cache_dir, m.embedder_sha256)
        if m.embedder_backend == "torch":
            return SentenceTransformerEmbeddings(path, m.query_prompt, m.document_prompt, m.batch_size)
        from vectorstore.onnx_embeddings import OnnxEmbeddings

        return OnnxEmbeddings(path, m.query_prompt, m.document_prompt, m.batch_size,
                              quantized=m.embedder_backend == "onnx-int8")

    @cached_property
    def embedder_identity(self) -> dict | None:
        """Which model and backend make the vectors (recorded in the manifest); None for the hash fake."""
        m = self.settings.models
        if m.embedder == "hash":
            return None
        from assistant.models import EMBEDDINGGEMMA

        model = m.embedder_path.expanduser().name if m.embedder_path else EMBEDDINGGEMMA.name
        return {"model": model, "backend": m.embedder_backend}

    def check_index_embedder(self) -> None:
        """Fail (IndexMismatch) if the index was built by another embedder; record ours in an empty index."""
        from core.integrity import check_embedder

        current = self.embedder_identity
        if current is None:
            return
        if self.manifest.is_empty():
            if self.manifest.embedder() != current:
                self.manifest.record_embedder(current)
            return
        check_embedder(self.manifest.embedder(), current, self.settings.data_dir)

    @cached_property
    def store(self):
        from ingest.datadir import index_stamp
        from vectorstore.store import ChunkStore

        self.check_index_embedder()
        c = self.settings.chroma
        return ChunkStore(self.embeddings, collection=c.collection, path=self.settings.data_dir / "chroma",
                          host=c.host, port=c.port, hidden_docs=self.manifest.unfinished,
                          timeout_s=c.timeout_s, stamp_path=index_stamp(self.settings.data_dir))

    @cached_property
    def manifest(self):
        from ingest.manifest import Manifest

        return Manifest(self.settings.data_dir / "manifest.sqlite")

    @cached_property
    def ingestor(self):
        from ingest.pipeline import Ingestor

        ch = self.settings.chunking
        return Ingestor(self.store, self.manifest, self.settings.data_dir,
                        chunk_kwargs={"target_chars": ch.target_chars, "max_chars": ch.max_chars,
                                      "overlap_sentences": ch.overlap_sentences},
                        max_bytes=int(self.settings.max_file_mb * 1e6), strip_planted=self.settings.strip_planted,
                        sentences=self.sentence_store, sentence_max_chars=self.settings.answer.max_sentence_chars)

    @cached_property
    def sentence_store(self):
        """The vectors of the releases' sentences, embedded at ingest (None when `answer.sentence_vectors` is
        `question`: each answer embeds its candidates)."""
        if self.settings.answer.sentence_vectors != "ingest":
            return None
        from vectorstore.sentence_store import SentenceStore

        return SentenceStore(self.settings.data_dir)

    @cached_property
    def retriever(self):
        from core.integrity import check_counts
        from vectorstore.retriever import HybridRetriever

        check_counts(self.manifest.indexed_chunks(), self.store.count(), self.settings.data_dir)
        r = self.settings.retrieval
        return HybridRetriever(self.store, fetch_k=r.fetch_k, k=r.k, rrf_k=r.rrf_k, dense_weight=r.dense_weight,
                               keyword_weight=r.keyword_weight, max_per_doc=r.max_per_doc,
                               passage_chars=r.passage_chars, aliases_path=self.settings.data_dir / "aliases.txt",
                               stamp_path=self.ingestor.stamp_path, max_dense_gap=r.max_dense_gap,
                               fusion=r.fusion, keyword_bonus=r.keyword_bonus, date_bonus=r.date_bonus,
                               chunk_chars=self.settings.chunking.max_chars,
                               documents=self.manifest.indexed_documents,
                               keyword_path=self.settings.data_dir / "keyword")

    @cached_property
    def llm(self):
        from assistant.llm import build_chat_model

        return build_chat_model(self.settings)

    @cached_property
    def rewriter(self):
        """The model that rewrites follow-up questions: in process, a second llama.cpp instance (the weights are
        memory-mapped, shared with the first; only its prompt cache is its own); a server or a fake, the same."""
        from assistant.llm import build_chat_model

        return build_chat_model(self.settings) if self.settings.llm.backend == "llamacpp" else self.llm

    @cached_property
    def verifier(self):
        from assistant.verify import Verifier

        embedder = None if self.settings.models.embedder == "hash" else self.embeddings
        return Verifier(embedder)

    @cached_property
    def chain(self):
        from assistant.chain import AnswerChain

        return AnswerChain(self.retriever, self.llm, self.verifier, min_dense=self.settings.retrieval.min_dense,
                           max_question_chars=self.settings.max_question_chars,
                           log_questions=self.settings.log_questions, rewriter=self.rewriter,
                           answer_settings=self.settings.answer, embedder=self.embeddings,
                           sentence_store=self.sentence_store)

    @cached_property
    def model_queue(self):
        """The line of questions in flight for the model, shared by everyone the web app serves."""
        from assistant.model_queue import ModelQueue

        return ModelQueue(self.settings.llm.slots)

    def warm_up(self) -> None:
        """Build the keyword index, load both models and evaluate the fixed prompt prefix, before the first question
        (serving, and an evaluation, whose timings are then those of a running server)."""
        self.retriever.keyword  # noqa: B018 - built on first use
        self.store.embeddings.embed_query("warm-up")
        self.chain.warm_up()

    @cached_property
    def library(self):
        from assistant.library import Library

        return Library(self.manifest, self.store, self.ingestor)

    @cached_property
    def feedback(self):
        from assistant.feedback import FeedbackStore

        def snapshot() -> dict:
            from assistant.snapshot import settings_snapshot

            return settings_snapshot(self.settings)

        return FeedbackStore(self.settings.data_dir / "feedback.sqlite", snapshot)

    @cached_property
    def users(self):
        """The users file, or None when login is off."""
        from assistant.users import Users

        path = self.settings.ui.users_file
        ui = self.settings.ui
        return Users(path, ui.max_failed_logins, ui.lockout_s) if path else None
