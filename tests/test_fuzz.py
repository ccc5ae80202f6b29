"""Bounded fuzzing of the loaders (txt, md, jsonl) and the chunker: they return documents or reasons, never raise,
and the chunker loses no text and keeps its size promise."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.types import Communique
from ingest.chunking import chunk_communique
from ingest.loaders import load_path
from textkit.normalize import normalize_text
from textkit.sentences import sentences_of, split_sentences

pytestmark = [pytest.mark.unit, pytest.mark.hostile]

BUDGET = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text with what breaks parsers: control codes, bidi marks, combining accents, Arabic, line breaks, markup.
nasty_text = st.lists(st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(list("\x00\x0b\x0c\x1b\r\n\t\u00a0\u202e\u200b\u0301\ufeff-.!?:#*>[]()`\"'«»ـ٢ ")),
    st.sampled_from(["---\n", "title:", "date: 2025-01-01", "\n\n", "**", "# ", "le 1er mars 2025", "الرباط", "Il. Le"]),
), max_size=120).map("".join)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), nasty_text)
json_values = st.recursive(json_scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=20)
export_line = st.one_of(
    json_values.map(lambda v: json.dumps(v)),
    st.fixed_dictionaries({"id": json_scalars, "title": json_values, "date": json_values, "text": json_values},
                          optional={"lang": json_values, "issuer": json_values, "extra": json_values}).map(json.dumps),
    nasty_text.map(lambda t: t.replace("\n", " ")),
)


def check_results(results, path) -> None:
    assert results, "a file gave neither a document nor a reason"
    for r in results:
        assert (r.doc is None) != (r.error == ""), r
        if r.doc is None:
            assert str(path) in r.error  # the reason names the file
        else:
            assert r.doc.doc_id and r.doc.text.strip()


@BUDGET
@given(raw=st.one_of(st.binary(max_size=3000), nasty_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".md"]))
@example(raw=b"\x0c\xa0", suffix=".txt")  # a form feed alone: page breaks but no text (found by this test)
def test_text_and_markdown_loaders_never_raise(tmp_path, raw, suffix):
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(raw)
    check_results(list(load_path(path, tmp_path, 10**7)), path)


@BUDGET
@given(lines=st.lists(export_line, min_size=1, max_size=6))
@example(lines=["\xa0"])  # blank lines only: a reason, not silence (found by this test)
def test_jsonl_loader_never_raises(tmp_path, lines):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    check_results(list(load_path(path, tmp_path, 10**7)), path)


@BUDGET
@given(text=nasty_text, target=st.integers(50, 700), extra=st.integers(0, 400), overlap=st.integers(0, 2),
       lang=st.sampled_from(["fr", "en", "ar", ""]))
@example(text="000000000000000000000000000000000000:.!!", target=50, extra=0, overlap=0, lang="fr")  # pysbd lost "!!"
@example(text=":.:00000000000!:.:00000000000!0000000000000000", target=50, extra=0, overlap=1, lang="fr")  # overlap
# A token the splitter cuts in its paragraph ("000000000000!", "0!", "000 …") but not alone, "0!" repeated by the overlap.
@example(text="000000000000!0!000\r00000000000000000000000000000", target=50, extra=0, overlap=1, lang="fr")
def test_chunker_keeps_every_word_and_its_size_promise(text, target, extra, overlap, lang):
    body = normalize_text(text)
    doc = Communique(doc_id="d", title="T", text=body, lang=lang)
    max_chars = target + extra
    chunks = chunk_communique(doc, target_chars=target, max_chars=max_chars, overlap_sentences=overlap)
    assert [c.chunk_id for c in chunks] == [f"d#{i}" for i in range(len(chunks))]
    assert all(c.text.strip() and len(c.text) <= max_chars for c in chunks)
    # Sentence splitting may put a space inside a token ("a?b" -> "a? b"): compare without spaces. A token cut into
    # sentences may also have one of them repeated by the overlap between its pieces: each sentence must be kept.
    joined = "".join("".join(c.text for c in chunks).split())
    texts = ["".join(c.text.split()) for c in chunks]
    # The chunks read once, each without the start it repeats from the one before (the overlap).
    once = texts[0] if texts else ""
    for before, after in zip(texts, texts[1:]):
        repeated = max((n for n in range(1, min(len(before), len(after)) + 1) if before.endswith(after[:n])), default=0)
        once += after[repeated:]

    def kept(word: str) -> bool:
        pieces = ("".join(p.split()) for p in split_sentences(word, lang or "fr"))
        return word in joined or word in once or all(any(p in t for t in texts) for p in pieces)

    lost = [w for w in body.split() if len(w) <= max_chars and not kept(w)]
    assert not lost, lost[:5]
    assert len(joined) >= len("".join(body.split()))


@BUDGET
@given(text=nasty_text, lang=st.sampled_from(["fr", "en", "ar"]))
@example(text="Le plan prévoit la rénovation de 1 250 kilomètres de canalisations et la création de\n \x0c", lang="fr")
def test_the_last_sentence_ends_as_the_text_does(text, lang):
    # Retrieval reads whether a chunk stops mid-sentence from its last character, without splitting it (runs_on).
    sentences = sentences_of(text, lang)
    assert bool(sentences) == bool(text.strip())
    if sentences:
        assert sentences[-1][-1] == text.rstrip()[-1]
