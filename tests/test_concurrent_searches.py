"""Asking a question: the dense, other-language and keyword searches of one question run at the same time, and what
they find is what they found one after the other."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from assistant.evaluation import load_testset
from vectorstore.filters import Filters

from tests.conftest import SAMPLE, TESTSET

pytestmark = pytest.mark.unit


class OneAfterAnother:
    """An executor that runs each job when it is submitted: the sequential reference."""

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


@pytest.fixture
def sample(make_container):
    container = make_container()
    report = container.ingestor.ingest_paths([SAMPLE])
    assert report.ok, report.failed
    return container


def _slow_first_search(store, monkeypatch):
    """Make the question-language search finish after the other-language one, so that a result gathered in the
    order the searches finish (not the order they were asked) would show."""
    search = store.dense_search

    def dense_search(vector, k, where=None, exact=True):
        if not (where and "$ne" in str(where)):
            time.sleep(0.02)
        return search(vector, k, where, exact)

    monkeypatch.setattr(store, "dense_search", dense_search)


def test_concurrent_searches_find_what_sequential_ones_find(sample, monkeypatch):
    retriever = sample.retriever
    questions = [q.question for q in load_testset(TESTSET)][:30]
    filters = [Filters(), Filters(lang="fr"), Filters(issuer="Ministère de la Santé")]
    pool = retriever._searches
    retriever._searches = OneAfterAnother()
    expected = {(q, i): retriever.retrieve(q, f) for q in questions for i, f in enumerate(filters)}
    retriever._searches = pool
    _slow_first_search(sample.store, monkeypatch)
    with ThreadPoolExecutor(max_workers=4) as askers:  # several people asking at once, as in the web app
        got = dict(zip(expected, askers.map(lambda key: retriever.retrieve(key[0], filters[key[1]]), expected)))
    assert any(r.passages for r in expected.values())
    for key, retrieval in expected.items():
        assert got[key] == retrieval, key


def test_the_three_searches_run_at_the_same_time_the_keyword_one_while_the_question_is_encoded(indexed, monkeypatch):
    retriever = indexed.retriever
    index = retriever.keyword
    assert len(index.languages) > 1  # (else there is no other-language search)
    together = threading.Barrier(3, timeout=5)  # broken, and raised, unless all three searches wait at once
    search, keyword_search = indexed.store.dense_search, index.search

    def dense_search(*args, **kwargs):
        together.wait()
        return search(*args, **kwargs)

    def keyword(*args, **kwargs):
        indexed.store.embeddings.keyword_started.set()
        together.wait()
        return keyword_search(*args, **kwargs)

    monkeypatch.setattr(indexed.store, "dense_search", dense_search)
    monkeypatch.setattr(index, "search", keyword)
    monkeypatch.setattr(indexed.store, "embeddings", EncodingWithKeywordSearch(indexed.store.embeddings))
    assert retriever.retrieve("Qu'a annoncé la ministre Hélène Marchetti-Brissac ?").passages


class EncodingWithKeywordSearch:
    """An embedder whose query encoding waits for the keyword search to start: it passes only if the keyword
    search runs while the question is encoded."""

    def __init__(self, inner):
        self.inner, self.keyword_started = inner, threading.Event()

    def embed_documents(self, texts):
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        assert self.keyword_started.wait(5), "the keyword search did not start while the question was encoded"
        return self.inner.embed_query(text)


@pytest.mark.parametrize("failing", ["dense", "other", "keyword"])
def test_a_failing_search_fails_the_retrieval_with_its_own_error(indexed, monkeypatch, failing):
    retriever = indexed.retriever
    index = retriever.keyword
    search, keyword_search = indexed.store.dense_search, index.search

    def dense_search(vector, k, where=None, exact=True):
        if ("other" if where and "$ne" in str(where) else "dense") == failing:
            raise ConnectionError(f"{failing} search: the Chroma server went away")
        return search(vector, k, where, exact)

    def keyword(*args, **kwargs):
        if failing == "keyword":
            raise MemoryError("keyword search: out of memory")
        return keyword_search(*args, **kwargs)

    monkeypatch.setattr(indexed.store, "dense_search", dense_search)
    monkeypatch.setattr(index, "search", keyword)
    with pytest.raises((ConnectionError, MemoryError), match=f"^{failing} search"):
        retriever.retrieve("Qu'a annoncé la ministre Hélène Marchetti-Brissac ?")
    monkeypatch.undo()
    assert retriever.retrieve("Qu'a annoncé la ministre Hélène Marchetti-Brissac ?").passages  # the pool still works
