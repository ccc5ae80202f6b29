"""An index that grows: releases added, corrected and removed a few at a time give the keyword scores of an index
built at once over the same chunks, and a failed update leaves the previous index answering."""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import numpy as np
import pytest

from core.types import Chunk, Communique
from textkit.terms import terms_of_words, words
from vectorstore import keyword as keyword_module
from vectorstore.keyword import KeywordIndex

pytestmark = pytest.mark.unit

VOCABULARY = ("ministre accord eau canalisations rénovation grève salaires transports santé hôpital cyberattaque "
              "Marchetti-Brissac Lorfelek Qasimar frégate ambassadrice dessalement budget 2026 1 250 kilomètres "
              "la le de des et un une pour avec sur dans conseil président République وزير اتفاق").split()
QUESTIONS = ["accord sur l'eau", "grève des salaires dans les transports", "Marketi-Brisak", "frégate Qasimar",
             "budget 2026 santé hôpital", "cyberattaque", "وزير", "1 250 kilomètres", "rien de connu ici xyzzy"]


def release(doc_id: str, seed: int, n_chunks: int | None = None) -> list[Chunk]:
    """The chunks of a made-up release: deterministic for a seed, with repeated words and, now and then, a chunk
    with no searchable term."""
    rng = random.Random(seed)
    n = n_chunks if n_chunks is not None else rng.randint(1, 6)
    lang = rng.choice(["fr", "fr", "en", "ar"])
    chunks = []
    for i in range(n):
        text = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(3, 40))) if rng.random() > 0.05 else "—"
        chunks.append(Chunk(chunk_id=f"{doc_id}#{i}", doc_id=doc_id, index=i, text=text,
                            title=f"Communiqué {rng.choice(VOCABULARY)}", date=f"2025-0{rng.randint(1, 9)}-1{i % 9}",
                            lang=lang, doc_hash=str(seed)))
    return chunks


def assert_same_index(grown: KeywordIndex, built: KeywordIndex) -> None:
    assert len(grown) == len(built)
    assert dict(grown.df) == dict(built.df)
    assert grown.words == built.words and grown.vocabulary == built.vocabulary
    assert grown.languages == built.languages
    assert [c.chunk_id for c in grown.chunks] == [c.chunk_id for c in built.chunks]
    for question in QUESTIONS:
        a, b = grown.scores(question), built.scores(question)
        assert a.keys() == b.keys(), question
        assert max((abs(a[c] - b[c]) for c in a), default=0.0) <= 1e-9, question
        assert [(c.chunk_id, s) for c, s in grown.search(question, 12)] == \
               [(c.chunk_id, s) for c, s in built.search(question, 12)], question
        assert grown.expand(question) == built.expand(question)
        for chunk in built.chunks[:20]:
            assert grown.coverage(question, chunk) == built.coverage(question, chunk)
            assert grown.idf(chunk.text.split()[0]) == built.idf(chunk.text.split()[0])


def test_an_index_grown_in_batches_with_corrections_and_removals_scores_as_one_built_at_once(monkeypatch):
    monkeypatch.setattr(keyword_module, "MAX_SEGMENTS", 3)  # so that this small index merges too
    rng = random.Random(7)
    live: dict[str, list[Chunk]] = {}
    index = KeywordIndex()
    version = 0
    for batch in range(12):
        added, removed = [], []
        for _ in range(rng.randint(1, 8)):
            doc = f"doc-{rng.randint(0, 40):02d}"
            version += 1
            if doc in live and rng.random() < 0.3:
                removed.append(doc)
                live.pop(doc)
                added = [c for c in added if c.doc_id != doc]
            else:  # new, or a corrected release that replaces its chunks (maybe fewer of them)
                if doc in live:
                    removed.append(doc)
                added = [c for c in added if c.doc_id != doc]
                live[doc] = release(doc, seed=version)
                added.extend(live[doc])
        index = index.updated(add=added, remove_documents=removed)
        final = [c for chunks in live.values() for c in chunks]
        assert_same_index(index, KeywordIndex(final))
    assert index.segments <= 3 + 1


def test_scores_are_those_of_bm25s_over_the_same_chunks():
    """The index used to delegate to bm25s: the same chunks must keep their scores, bit for bit."""
    import bm25s

    chunks = [c for d in range(30) for c in release(f"doc-{d}", seed=d)]
    index = KeywordIndex(chunks[:50]).updated(add=chunks[50:])
    reference = bm25s.BM25()
    reference.index([terms_of_words(words(c.embed_text)) or ["_"] for c in chunks], show_progress=False)
    vocab = set(index.df)
    for question in QUESTIONS:
        query = [t for t in index.expand(question) if t in vocab]
        expected = reference.get_scores(query) if query else np.zeros(len(chunks))
        got = index.scores(question)
        assert [got.get(c.chunk_id, 0.0) for c in chunks] == [float(s) for s in expected], question


def test_a_removed_release_is_gone_from_scores_counts_and_fuzzy_words():
    a, b = release("a", seed=1, n_chunks=3), [Chunk("b#0", "b", 0, "Zanzibarique unique mot", lang="fr")]
    index = KeywordIndex(a + b)
    assert index.search("Zanzibarique", 5)[0][0].chunk_id == "b#0"
    assert "zanzibarique" in index.words
    after = index.updated(remove_documents=["b"])
    assert after.search("Zanzibarique", 5) == []
    assert "zanzibarique" not in after.words and "zanzibar" not in after.df
    assert len(after) == 3 and after.neighbour(a[0], 1).chunk_id == "a#1"
    # The index it came from is unchanged: a search running on it meanwhile sees one whole version.
    assert index.search("Zanzibarique", 5)[0][0].chunk_id == "b#0" and len(index) == 4


def test_a_corrected_release_replaces_its_chunks_without_duplicates():
    old = [Chunk(f"r#{i}", "r", i, f"ancienne version frégate {i}") for i in range(4)]
    new = [Chunk(f"r#{i}", "r", i, f"version corrigée dessalement {i}") for i in range(2)]
    index = KeywordIndex(old).updated(add=new, remove_documents=["r"])
    assert len(index) == 2
    assert index.search("frégate", 5) == []
    hits = index.search("dessalement version", 10)
    assert sorted(c.chunk_id for c, _ in hits) == ["r#0", "r#1"]
    assert index.neighbour(new[1], 1) is None  # r#2 went with the old version
    # A chunk given again under the same id replaces it too, even without naming its document.
    again = index.updated(add=[Chunk("r#0", "r", 0, "troisième texte")])
    assert len(again) == 2 and [c.chunk_id for c, _ in again.search("troisième", 5)] == ["r#0"]
    assert again.search("dessalement", 5)[0][0].chunk_id == "r#1"


def test_a_failed_update_leaves_the_index_as_it_was():
    chunks = [c for d in range(5) for c in release(f"doc-{d}", seed=d)]
    index = KeywordIndex(chunks)
    before = {q: index.scores(q) for q in QUESTIONS}
    broken = Chunk("bad#0", "bad", 0, None)  # type: ignore[arg-type] - a text that cannot be analysed
    with pytest.raises(TypeError):
        index.updated(add=[*release("new", seed=99), broken], remove_documents=["doc-0"])
    assert {q: index.scores(q) for q in QUESTIONS} == before
    assert len(index) == len(chunks)


def test_a_mostly_dead_segment_is_rewritten_without_its_dead_chunks():
    chunks = [c for d in range(20) for c in release(f"doc-{d}", seed=d, n_chunks=3)]
    index = KeywordIndex(chunks).updated(remove_documents=[f"doc-{d}" for d in range(15)])
    assert index.segments == 1 and sum(len(s) for s in index._segments) == len(index) == 15


def test_the_retriever_takes_in_only_the_releases_that_changed(indexed, monkeypatch):
    retriever = indexed.retriever
    first = retriever.keyword
    assert len(first) == indexed.store.count()

    def whole_read(*args, **kwargs):
        raise AssertionError("the whole store was read again")

    monkeypatch.setattr(indexed.store, "chunks", whole_read)
    doc = Communique(doc_id="nouveau", title="Zanzibarique", text="Le ministre annonce le plan Zanzibarique. " * 3,
                     date="2026-01-05", lang="fr")
    assert indexed.ingestor.ingest_documents([doc]).ok
    assert retriever.keyword.search("Zanzibarique", 3)[0][0].doc_id == "nouveau"
    assert indexed.ingestor.delete("plan-eau")
    after = retriever.keyword
    assert all(c.doc_id != "plan-eau" for c, _ in after.search("canalisations eau", 10))
    monkeypatch.undo()
    assert_same_index(after, KeywordIndex(indexed.store.chunks()))


def test_the_retriever_keeps_answering_when_an_update_fails(indexed, monkeypatch):
    retriever = indexed.retriever
    before = retriever.keyword
    doc = Communique(doc_id="nouveau", title="Zanzibarique", text="Le plan Zanzibarique est annoncé.", lang="fr")

    def unreachable(ids, batch=2000):
        raise ConnectionError("the store did not answer")

    monkeypatch.setattr(indexed.store, "chunks_by_id", unreachable)
    assert indexed.ingestor.ingest_documents([doc]).ok
    assert retriever.keyword is before  # the previous index, whole
    assert retriever.retrieve("plan eau").passages
    monkeypatch.undo()
    assert retriever.keyword.search("Zanzibarique", 3)[0][0].doc_id == "nouveau"  # caught up at the next question


def grown_index() -> tuple[KeywordIndex, list[Chunk]]:
    """An index of several segments, one with dead chunks, and its live chunks."""
    first = [c for d in range(12) for c in release(f"doc-{d}", seed=d, n_chunks=4)]
    index = KeywordIndex(first).updated(add=release("doc-20", seed=20, n_chunks=3), remove_documents=["doc-3"])
    index = index.updated(add=release("doc-1", seed=31, n_chunks=2), remove_documents=["doc-1"])
    live = [c for c in first if c.doc_id not in ("doc-1", "doc-3")] + release("doc-20", seed=20, n_chunks=3) \
        + release("doc-1", seed=31, n_chunks=2)
    return index, live


def test_a_saved_index_reads_back_with_the_same_scores_and_grows_on(tmp_path):
    index, live = grown_index()
    assert index.segments > 1 and not all(m.all() for m in index._live)
    index.save(tmp_path / "keyword")
    loaded = KeywordIndex.load(tmp_path / "keyword")
    assert_same_index(loaded, KeywordIndex(live))
    assert loaded.documents() == {c.doc_id: c.doc_hash for c in live}
    more = loaded.updated(add=release("doc-30", seed=30), remove_documents=["doc-0"])
    more.save(tmp_path / "keyword")
    final = [c for c in live if c.doc_id != "doc-0"] + release("doc-30", seed=30)
    assert_same_index(KeywordIndex.load(tmp_path / "keyword"), KeywordIndex(final))


def test_a_segment_file_holds_what_numpy_savez_wrote_from_the_whole_json(tmp_path, monkeypatch):
    """The writer encodes the chunks in blocks and streams them into the file: every array in it is byte for byte
    what np.savez wrote from one json.dumps of all chunks and np.unique's numbering."""
    import functools
    import io
    import zipfile

    from vectorstore import segment_files

    monkeypatch.setattr(segment_files, "_chunks_json", functools.partial(segment_files._chunks_json, block=7))
    index, _ = grown_index()
    folder = tmp_path / "keyword"
    index.save(folder)
    strings = index._terms.strings, index._words.strings
    assert len(index._segments) > 1 and any(len(seg) > 7 for seg in index._segments)
    for seg in index._segments:
        terms_used, local_terms = np.unique(seg.terms.indices, return_inverse=True)
        words_used, local_words = np.unique(seg.word_ids, return_inverse=True)
        chunks = json.dumps([[c.chunk_id, c.metadata()] for c in seg.chunks], ensure_ascii=False)
        assert not chunks.isascii()  # (Arabic and accents: the pieces are cut in UTF-8, not in ASCII)
        before = io.BytesIO()
        np.savez(before, terms=segment_files._strings([strings[0][i] for i in terms_used]),
                 words=segment_files._strings([strings[1][i] for i in words_used]), tf=seg.terms.data,
                 tf_terms=local_terms.astype(np.int32), tf_ptr=seg.terms.indptr, word_ptr=seg.word_ptr,
                 word_ids=local_words.astype(np.int32), chunks=np.frombuffer(chunks.encode("utf-8"), dtype=np.uint8))
        with zipfile.ZipFile(before) as old, zipfile.ZipFile(folder / seg.name) as new:
            assert new.namelist() == old.namelist()
            for member in old.namelist():
                assert new.read(member) == old.read(member), member


def test_saving_an_update_writes_what_changed_not_the_index(tmp_path):
    folder = tmp_path / "keyword"
    base = KeywordIndex([c for d in range(30) for c in release(f"doc-{d}", seed=d)])
    base.save(folder)
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("seg-*.npz")}
    base.updated(add=release("new", seed=99, n_chunks=2), remove_documents=["doc-4"]).save(folder)
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("seg-*.npz")}
    assert {n: t for n, t in after.items() if n in before} == before  # the big segment is not written again
    assert len(after) == 2 and len(list(folder.glob("*.live-*.npy"))) == 1  # the new one, and the dead flags


def test_a_save_that_dies_before_its_commit_leaves_the_previous_index_readable(tmp_path, monkeypatch):
    from vectorstore import segment_files

    folder = tmp_path / "keyword"
    index, live = grown_index()
    index.save(folder)
    real_replace = segment_files.os.replace

    def killed_at_commit(src, dst):
        if Path(dst).name == segment_files.COMMIT:
            raise KeyboardInterrupt("killed")  # (as a kill would: after the segment files, before the commit)
        real_replace(src, dst)

    monkeypatch.setattr(segment_files.os, "replace", killed_at_commit)
    with pytest.raises(KeyboardInterrupt):
        index.updated(add=release("new", seed=99), remove_documents=["doc-0"]).save(folder)
    monkeypatch.undo()
    assert any(p.name.endswith(".tmp") for p in folder.iterdir())  # the commit half-written beside
    assert_same_index(KeywordIndex.load(folder), KeywordIndex(live))
    # The next save removes what the dead one left.
    KeywordIndex.load(folder).save(folder)
    names = {p.name for p in folder.iterdir()}
    assert not any(n.endswith(".tmp") for n in names)
    commit = json.loads((folder / segment_files.COMMIT).read_text())
    assert names == {segment_files.COMMIT, "write.lock"} | {e["name"] for e in commit["segments"]} \
        | {e["live"] for e in commit["segments"] if e["live"]}


def test_a_damaged_index_on_disk_is_reported_not_half_read(tmp_path):
    from vectorstore.segment_files import UnreadableIndex

    folder = tmp_path / "keyword"
    grown_index()[0].save(folder)
    segment = sorted(folder.glob("seg-*.npz"))[0]
    segment.write_bytes(segment.read_bytes()[:100])
    with pytest.raises(UnreadableIndex, match="cannot be read"):
        KeywordIndex.load(folder)
    assert KeywordIndex.load(tmp_path / "never-saved") is None


def test_a_restarted_server_reads_the_saved_index_and_catches_up(indexed, make_container, monkeypatch, caplog):
    indexed.retriever.keyword  # noqa: B018 - built once from the store, and saved
    assert (indexed.settings.data_dir / "keyword" / "segments.json").exists()
    doc = Communique(doc_id="nouveau", title="Zanzibarique", text="Le plan Zanzibarique est annoncé.", lang="fr")
    assert indexed.ingestor.ingest_documents([doc]).ok  # while no server runs
    restarted = make_container()

    def whole_read(*args, **kwargs):
        raise AssertionError("the whole store was read again")

    asked = []
    by_id = restarted.store.chunks_by_id
    monkeypatch.setattr(restarted.store, "chunks", whole_read)
    monkeypatch.setattr(restarted.store, "chunks_by_id", lambda ids: asked.extend(ids) or by_id(ids))
    index = restarted.retriever.keyword
    assert index.search("Zanzibarique", 3)[0][0].doc_id == "nouveau"
    assert asked and {i.split("#")[0] for i in asked} == {"nouveau"}  # the saved documents were not read again
    monkeypatch.undo()
    assert_same_index(index, KeywordIndex(restarted.store.chunks()))


def test_an_index_saved_by_no_one_or_damaged_is_built_again_with_a_message(indexed, make_container, caplog):
    folder = indexed.settings.data_dir / "keyword"
    assert not folder.exists()  # an index made before the keyword index was saved
    with caplog.at_level(logging.INFO, logger="vectorstore.retriever"):
        first = indexed.retriever.keyword
    assert "building it once from the store" in caplog.text and (folder / "segments.json").exists()
    (folder / "segments.json").write_text("{not json")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="vectorstore.retriever"):
        again = make_container().retriever.keyword
    assert "cannot be read" in caplog.text and "building it again from the store" in caplog.text
    assert_same_index(again, first)
    assert json.loads((folder / "segments.json").read_text())["format"] == 1  # saved whole again


def test_term_coverage_is_the_same_number_whatever_the_hash_seed():
    """A set's order follows the process's hash seed and a float sum depends on its order: summed unsorted, the same
    question scored differently in the last digit from one run to the next (and could swap tied passages)."""
    import subprocess
    import sys

    code = ("from assistant.completion import coverage\n"
            "words = [f'w{i}' for i in range(40)]\n"
            "idf = lambda t: 1 / (3 + int(t[1:])) + 1e-3 * int(t[1:]) ** 0.5\n"
            "print(repr(coverage(set(words), set(words[::3]), idf)))\n")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(8)}
    assert len(seen) == 1
