"""Ingesting communiqués: formats, metadata, chunks, idempotence, replacement, bad input."""

from __future__ import annotations

import json

import pytest

from assistant.types import Communique
from ingest.chunking import chunk_communique
from ingest.loaders import iter_sources, load_path
from ingest.text import detect_language, find_dates, normalize_text

pytestmark = pytest.mark.unit


def test_markdown_front_matter_gives_metadata(corpus):
    [loaded] = list(load_path(corpus / "plan-eau.md", corpus, 10**7))
    doc = loaded.doc
    assert doc.doc_id == "plan-eau"
    assert doc.title == "Lancement du plan national pour l'eau potable"
    assert doc.issuer == "Ministère de la Transition hydrique"
    assert doc.date == "2025-03-12" and doc.lang == "fr" and doc.reference == "MTH/2025/041"
    assert "---" not in doc.text and doc.text.startswith("La ministre")


def test_plain_text_title_issuer_and_date_come_from_the_text(corpus):
    [loaded] = list(load_path(corpus / "greve.txt", corpus, 10**7))
    doc = loaded.doc
    assert doc.title == "Accord de sortie de grève dans le rail"
    assert doc.issuer == "Ministère des Transports et de la Mobilité"
    assert doc.date == "2024-12-03"


def test_jsonl_lines_keep_their_ids_and_extra_fields(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"id": "x-1", "title": "T", "date": "2025-01-02", "text": "Un texte.", "speakers": ["A"]})
                    + "\n" + "{broken\n" + json.dumps({"id": "x-2", "title": "T2", "text": "Sans date"}) + "\n")
    results = list(load_path(path, None, 10**7))
    assert results[0].doc.doc_id == "x-1" and results[0].doc.extra["speakers"] == ["A"]
    assert results[1].doc is None and f"{path}:2" in results[1].error and "JSON" in results[1].error
    assert results[2].doc is None and "date" in results[2].error and f"{path}:3" in results[2].error


@pytest.mark.parametrize("text,expected", [
    ("Paris, le 1er mars 2025", ["2025-03-01"]),
    ("signed on 2 October 2020 and October 5, 2020", ["2020-10-02", "2020-10-05"]),
    ("الرباط في ٢ أكتوبر ٢٠٢٠", ["2020-10-02"]),
    ("publié le 12/03/2025", ["2025-03-12"]),
    ("le 31 février 2025", []),
])
def test_dates_in_french_english_and_arabic(text, expected):
    assert find_dates(text) == expected


def test_normalisation_repairs_extraction_damage():
    text = "Le ministre remercie.Il s'agit d’un plan de 1\u00a0250 postes, gouverne-\nment.\n\n\n\nFin."
    out = normalize_text(text)
    assert "remercie. Il" in out and "d'un" in out and "gouvernement" in out
    assert out.count("\n\n") == 1


def test_language_detection():
    assert detect_language("Quel est le budget du plan ?") == "fr"
    assert detect_language("What is the budget of the plan?") == "en"
    assert detect_language("ما هي ميزانية الخطة؟") == "ar"


def test_chunks_keep_paragraphs_carry_context_and_have_stable_ids():
    paragraphs = [f"Paragraphe {i}. " + "Une phrase assez longue pour remplir le passage. " * 6 for i in range(5)]
    doc = Communique(doc_id="d", title="Titre", text="\n\n".join(paragraphs), date="2025-01-01", issuer="Ministère")
    chunks = chunk_communique(doc, target_chars=400, max_chars=700)
    assert [c.chunk_id for c in chunks] == [f"d#{i}" for i in range(len(chunks))]
    assert all(len(c.text) <= 700 for c in chunks)
    assert all(c.text.startswith("Paragraphe") or c.text.startswith("Une phrase") for c in chunks)
    assert all("Titre" in c.embed_text and "2025-01-01" in c.embed_text for c in chunks)
    assert chunk_communique(doc, target_chars=400, max_chars=700) == chunks


def test_reingesting_adds_nothing(indexed, corpus):
    before = sorted(indexed.store.chunk_ids())
    report = indexed.ingestor.ingest_paths([corpus])
    assert report.added == [] and report.updated == [] and len(report.unchanged) == 3
    assert report.chunks_written == 0
    assert sorted(indexed.store.chunk_ids()) == before


def test_a_corrected_release_replaces_the_old_one(indexed, corpus):
    path = corpus / "plan-eau.md"
    path.write_text(path.read_text().split("Le plan prévoit")[0].replace("2,4 milliards", "2,6 milliards"))
    report = indexed.ingestor.ingest_paths([corpus])
    assert report.updated == ["plan-eau"]
    chunks = indexed.store.chunks("plan-eau")
    text = " ".join(c.text for c in chunks)
    assert "2,6 milliards" in text and "2,4 milliards" not in text and "1 250" not in text
    assert indexed.manifest.get("plan-eau").n_chunks == len(chunks)


def test_bad_files_are_reported_and_the_batch_goes_on(make_container, corpus):
    (corpus / "empty.txt").write_text("")
    (corpus / "junk.md").write_bytes(b"\x00\x01\x02binary")
    container = make_container()
    report = container.ingestor.ingest_paths([corpus, corpus / "missing.txt", corpus / "scan.pdf"])
    reasons = " ".join(r for _, r in report.failed)
    assert len(report.added) == 3
    assert "empty.txt" in reasons and "empty" in reasons
    assert "junk.md" in reasons and "binary" in reasons
    assert "missing.txt" in reasons and "no such file" in reasons
    assert "scan.pdf" in reasons
    assert not report.ok


def test_symlink_leaving_the_folder_is_refused(tmp_path, corpus):
    outside = tmp_path / "secret.txt"
    outside.write_text("Titre\n\nSecret.")
    (corpus / "link.txt").symlink_to(outside)
    results = [r for p, root in iter_sources([corpus]) for r in load_path(p, root, 10**7)]
    bad = [r for r in results if r.source.endswith("link.txt")]
    assert bad and bad[0].doc is None and "leaves the input folder" in bad[0].error


def test_delete_removes_chunks_and_manifest_row(indexed):
    assert indexed.ingestor.delete("greve")
    assert indexed.store.chunk_ids("greve") == [] and indexed.manifest.get("greve") is None
    assert not indexed.ingestor.delete("greve")
