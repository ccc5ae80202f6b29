"""Ingesting communiqués: formats, metadata, chunks, idempotence, replacement, bad input."""

from __future__ import annotations

import json

import pytest

from core.types import Communique
from ingest.chunking import chunk_communique
from ingest.loaders import iter_sources, load_path
from textkit.dates import find_dates, parse_date
from textkit.language import detect_language
from textkit.normalize import normalize_text

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


@pytest.mark.parametrize("line, issuer", [
    ("Ministère de l'Intérieur", True),
    ("U.S. Department of State", True),
    ("Service de presse.", True),  # a short name may end with a full stop
    ("M. le président. La parole est à M. le ministre de l'intérieur.", False),
    ("Mesdames et messieurs les députés,", False),  # an address, the opening of a speech
    ("Monsieur le Président,", False),
    ("Paris, le 3 décembre 2024", False),
])
def test_an_opening_line_is_an_issuer_only_when_it_is_no_sentence(line, issuer):
    from ingest.loaders import names_an_issuer

    assert names_an_issuer(line) is issuer


def test_a_speech_opening_with_words_said_gets_no_issuer(tmp_path):
    path = tmp_path / "debat.txt"
    path.write_text("Débat sur la sécurité intérieure\n\nM. le président. La parole est à M. le ministre de "
                    "l'intérieur.\n\nMonsieur le président, mesdames et messieurs les députés, la sécurité est la "
                    "première des libertés.", encoding="utf-8")
    [loaded] = list(load_path(path, tmp_path, 10**7))
    assert loaded.doc.title == "Débat sur la sécurité intérieure" and loaded.doc.issuer == ""


def test_a_speech_opening_with_an_address_is_issued_by_its_speaker_not_the_address(tmp_path):
    path = tmp_path / "discours.jsonl"
    text = "Mesdames, Messieurs,\n\nJe suis heureux d'être parmi vous à Valcourt pour parler du port."
    path.write_text(json.dumps({"id": "d-1", "title": "Discours au port", "date": "2025-03-02", "text": text,
                                "speakers": "Jeanne Morel"}) + "\n"
                    + json.dumps({"id": "d-2", "title": "Discours au port", "date": "2025-03-02", "text": text}) + "\n",
                    encoding="utf-8")
    first, second = (r.doc for r in load_path(path, None, 10**7))
    assert first.issuer == "Jeanne Morel" and second.issuer == ""
    assert first.text.startswith("Mesdames, Messieurs,")  # the address stays the speech's first words


def test_an_undated_release_takes_its_date_from_its_title_before_the_dates_it_reports(tmp_path):
    # A release whose "date" is empty is dated by its title when the title gives a date: its text's first date is
    # often of what it reports (here a plan announced years before), not of the release.
    path = tmp_path / "conseil.jsonl"
    text = ("Le plan annoncé le 20 mars 2018 par le Président est prolongé.\n\n"
            "Il sera évalué le 4 juin 2024 à Valcourt.")
    rows = [{"id": "cm-1", "title": "Conseil des ministres du 22 mars 2023. Le plan langue.", "date": "", "text": text},
            {"id": "cm-2", "title": "Le plan langue", "date": "", "text": text}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    titled, untitled = (r.doc for r in load_path(path, None, 10**7))
    assert titled.date == "2023-03-22"
    assert untitled.date == "2018-03-20"  # no date in the title: the text's first, as before
    # A dateline opening the text is the release's date, whatever event the title dates; a page's provenance line
    # ("Source https://…, le …") is no dateline.
    rows = [{"id": "c-1", "title": "Commémoration de la victoire du 8 mai 1945", "date": "",
             "text": "Valcourt, le 8 mai 2023\n\nLa ministre a présidé la cérémonie."},
            {"id": "c-2", "title": "Conseil des ministres du 25 octobre 2020", "date": "",
             "text": "Le ministre a présenté un décret.\n\nSource https://www.valcourt.gouv, le 27 octobre 2020"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    dated, sourced = (r.doc for r in load_path(path, None, 10**7))
    assert dated.date == "2023-05-08" and sourced.date == "2020-10-25"


def test_jsonl_lines_keep_their_ids_and_extra_fields(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"id": "x-1", "title": "T", "date": "2025-01-02", "text": "Un texte.", "speakers": ["A"]})
                    + "\n" + "{broken\n" + json.dumps({"id": "x-2", "title": "T2", "text": "Sans date"}) + "\n")
    results = list(load_path(path, None, 10**7))
    assert results[0].doc.doc_id == "x-1" and results[0].doc.extra["speakers"] == ["A"]
    assert results[0].doc.issuer == "A"  # a speech's speakers issued it
    assert results[1].doc is None and f"{path}:2" in results[1].error and "JSON" in results[1].error
    assert results[2].doc is None and "date" in results[2].error and f"{path}:3" in results[2].error


def test_a_release_dated_by_its_month_only_keeps_that_month(make_container, tmp_path):
    # "date": "2021-11" (a readout without its day) is a date all the same: shown as "novembre 2021", in range of
    # a filter on November 2021 (as of its first day), never dropped.
    from assistant.prompts import format_passages
    from vectorstore.filters import Filters

    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "readout.jsonl").write_text(json.dumps({
        "id": "readout", "title": "Entretien avec le ministre marocain", "date": "2021-11",
        "text": "Le secrétaire d'État a salué le plan d'autonomie, qualifié de sérieux, crédible et réaliste."}) + "\n",
        encoding="utf-8")
    c = make_container()
    c.ingestor.ingest_paths([folder])
    [chunk] = c.store.chunks("readout")
    assert chunk.date == "2021-11"
    november = c.retriever.retrieve("plan d'autonomie", Filters(since="2021-11-01", until="2021-11-30"))
    assert [p.chunk.doc_id for p in november.passages] == ["readout"]
    assert not c.retriever.retrieve("plan d'autonomie", Filters(since="2021-12-01")).passages
    assert "(novembre 2021)" in format_passages(november.passages, "fr")
    assert parse_date("novembre 2021") == "2021-11" and parse_date("2021-13") == ""


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
    # An elided word or an interview's answer run into the full stop before it starts a sentence too.
    out = normalize_text("Il le fera chaque année.L'État paiera.R - Oui, la frégate est arrivée.")
    assert "année. L'État" in out and "paiera. R - Oui" in out
    assert normalize_text("M.Dupont a reçu 1.8 milliard.") == "M.Dupont a reçu 1.8 milliard."


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


@pytest.mark.parametrize("text,expected", [
    ("Le ministre a déclaré leLa réforme", "déclaré le La réforme"),
    ("the ministerThe agreement", "minister The agreement"),
    ("iPhone, McDonald, YouTube et MacArthur", "iPhone, McDonald, YouTube et MacArthur"),
    # A sentence run into the figure that starts the next one; decimals and abbreviations stay.
    ("la francophonie.321 millions de locuteurs", "la francophonie. 321 millions"),
    ("délai de quinze jours.1. Le programme", "jours. 1. Le programme"),
    ("il vaut 1.8 milliard, voir art.5 et le site.fr", "il vaut 1.8 milliard, voir art.5 et le site.fr"),
])
def test_glued_words_are_split_but_brand_names_are_not(text, expected):
    assert expected in normalize_text(text)


def test_line_end_hyphenation_keeps_real_compounds():
    text = "Le gouverne-\nment et le porte-parole. Le porte-\nparole et Mme Marchetti-\nBrissac ont signé le 12-\n13 mars."
    out = normalize_text(text)
    assert "gouvernement" in out and "porte-parole et Mme" in out and "Marchetti-Brissac" in out
    assert "porteparole" not in out and "12-13" in out


def test_ligatures_and_arabic_presentation_forms_become_plain_letters():
    assert normalize_text("La ﬁnance du ﬂeuve") == "La finance du fleuve"
    # "لا" written with the presentation form of lam-alef, as PDF extraction gives it
    assert normalize_text("\ufefb\u062a\u0641\u0627\u0642") == "لاتفاق"


def test_repeated_headers_footers_and_page_numbers_are_removed():
    from textkit.normalize import strip_repeated_lines

    pages = [f"Ministère de la Mer\nCommuniqué n° 12\nTexte propre à la page {n}.\nPage {n} sur 4\n- {n} -"
             for n in range(1, 5)]
    out = strip_repeated_lines(pages)
    assert all(f"Texte propre à la page {n}." in out[n - 1] for n in range(1, 5))
    assert not any("Ministère de la Mer" in p or "Page" in p or "- " in p for p in out)
    # A line that repeats on too few pages is content, not a header.
    assert strip_repeated_lines(["A\nB", "A\nC", "D\nE", "F\nG"]) == ["A\nB", "A\nC", "D\nE", "F\nG"]


def test_pdf_pages_reach_the_store_metadata(make_container, tmp_path):
    from tests.test_formats import make_pdf

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "accord.pdf").write_bytes(make_pdf())
    container = make_container()
    assert container.ingestor.ingest_paths([folder]).added == ["accord"]
    chunks = container.store.chunks("accord")
    assert chunks and all(c.page in {1, 2, 3} for c in chunks) and chunks[0].page == 1
    assert container.manifest.get("accord").origin == str((folder / "accord.pdf").absolute())


def test_prune_removes_what_disappeared_and_keeps_what_failed(indexed, corpus):
    (corpus / "greve.txt").unlink()
    (corpus / "plan-eau.md").write_bytes(b"\x00\x01 damaged")
    report = indexed.ingestor.ingest_paths([corpus], prune=True)
    assert report.removed == ["greve"]
    assert indexed.store.chunk_ids("greve") == [] and indexed.manifest.get("greve") is None
    assert indexed.manifest.get("plan-eau") is not None and indexed.store.chunk_ids("plan-eau")  # failed, kept
    assert not report.ok
    # Without --prune nothing is removed; another folder's documents are never pruned.
    other = corpus.parent / "other"
    other.mkdir()
    (other / "note.txt").write_text("Note\nMinistère\nle 2 mai 2025\n\nUne note.")
    assert indexed.ingestor.ingest_paths([other], prune=True).removed == []
    assert indexed.manifest.get("en-health-2026-02-17") is not None


def test_the_same_release_as_pdf_and_html_is_indexed_once(make_container, tmp_path):
    from tests.test_formats import LEFT, RIGHT, html_page, make_pdf

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "accord.pdf").write_bytes(make_pdf(two_columns=False))
    (folder / "accord.html").write_bytes(html_page([f"{a} {b}" for a, b in zip(LEFT, RIGHT)]))
    (folder / "web-accord.html").write_bytes(html_page([f"{a} {b}" for a, b in zip(LEFT, RIGHT)]))
    container = make_container()
    report = container.ingestor.ingest_paths([folder])
    assert report.ok, report.failed
    assert len(report.added) == 1 and len(report.duplicates) == 2
    assert {d for _, d, _ in report.duplicates} == {"accord", "web-accord"}
    assert {c.doc_id for c in container.store.chunks()} == {"accord"}
    # Asked again, still one copy and the same duplicates reported.
    again = container.ingestor.ingest_paths([folder])
    assert again.added == [] and len(again.duplicates) == 2 and again.unchanged == ["accord"]


def test_one_text_under_two_dates_is_two_releases(make_container, tmp_path):
    path = tmp_path / "cm.jsonl"
    line = '{{"id": "cm-{d}", "title": "Conseil des ministres du {d}", "date": "2020-09-{d}", "text": "{t}"}}\n'
    text = "Le conseil des ministres a adopté les mesures individuelles suivantes :"
    path.write_text(line.format(d=16, t=text) + line.format(d=23, t=text) + line.format(d=16, t=text).replace("cm-16", "copie"))
    report = make_container().ingestor.ingest_paths([path])
    assert sorted(report.added) == ["cm-16", "cm-23"]
    assert [(d, o) for _, d, o in report.duplicates] == [("copie", "cm-16")]


def test_an_old_manifest_gains_the_new_columns(tmp_path):
    import sqlite3

    from ingest.manifest import Manifest

    path = tmp_path / "manifest.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, hash TEXT NOT NULL, state TEXT NOT NULL, title TEXT,"
                   " date TEXT, issuer TEXT, lang TEXT, doc_type TEXT, source TEXT, reference TEXT, extra TEXT,"
                   " n_chunks INTEGER NOT NULL DEFAULT 0, updated_at REAL NOT NULL)")
        db.execute("INSERT INTO documents VALUES ('d','h','indexed','T','','','fr','','s','','{}',2,0)")
    manifest = Manifest(path)
    assert manifest.get("d").origin is None and manifest.fingerprints() == {}
    manifest.set_origin("d", "/x/d.txt", "f00d", 2**63 + 5)  # a SimHash above SQLite's signed range
    assert manifest.get("d").origin == "/x/d.txt" and manifest.fingerprints() == {"d": ("f00d", 2**63 + 5, "")}


def test_documents_indexed_before_fingerprints_get_them_on_the_next_run(indexed, corpus):
    import sqlite3

    with sqlite3.connect(indexed.manifest.path) as db:
        db.execute("UPDATE documents SET fingerprint=NULL, simhash=NULL, origin=NULL")
    # Read after its original (sorted paths): the original has its fingerprints again by then.
    (corpus / "x-copie.txt").write_text((corpus / "greve.txt").read_text())
    report = indexed.ingestor.ingest_paths([corpus])
    assert len(report.unchanged) == 3 and [(d, o) for _, d, o in report.duplicates] == [("x-copie", "greve")]
    assert indexed.manifest.get("greve").origin == str((corpus / "greve.txt").absolute())


def test_a_reader_crashing_on_one_file_does_not_stop_the_batch(indexed, corpus, monkeypatch):
    import ingest.formats.html as html

    def broken(raw, name):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(html, "read_html", broken)
    (corpus / "page.html").write_text("<html><body><p>Texte.</p></body></html>")
    (corpus / "new.txt").write_text("Nouveau\nMinistère\nle 2 mai 2025\n\nUn texte nouveau.")
    report = indexed.ingestor.ingest_paths([corpus])
    assert report.added == ["new"] and len(report.unchanged) == 3
    [(source, reason)] = report.failed
    assert source.endswith("page.html") and "parser bug" in reason


def test_new_chunking_settings_recut_every_document_once(make_container, corpus):
    from assistant.settings import ChunkSettings

    first = make_container()
    assert first.ingestor.ingest_paths([corpus]).ok
    before = first.store.count()
    smaller = make_container(chunking=ChunkSettings(target_chars=60, max_chars=120, overlap_sentences=0))
    report = smaller.ingestor.ingest_paths([corpus])
    assert len(report.updated) == 3 and not report.unchanged
    rows = smaller.manifest.all()
    assert smaller.store.count() == sum(r.n_chunks for r in rows) > before  # no passage of the old cut is left
    assert len(smaller.ingestor.ingest_paths([corpus]).unchanged) == 3


class CountingEmbeddings:
    """The hash embedder, counting its ``embed_documents`` calls; refuses texts holding ``refuse`` if set."""

    def __init__(self, refuse: str | None = None):
        from vectorstore.embeddings import HashEmbeddings

        self.inner, self.calls, self.refuse = HashEmbeddings(), [], refuse

    def embed_documents(self, texts):
        self.calls.append(len(texts))
        if self.refuse and any(self.refuse in t for t in texts):
            raise ValueError("text refused by the embedder")
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def counted_container(data_dir, embedder, sentence_vectors: str = "question"):
    """A test container whose store embeds with ``embedder`` (the releases' sentences embedded at ingest only when
    ``sentence_vectors`` says so: the tests counting calls count the chunks')."""
    from assistant.container import Container
    from assistant.settings import Settings

    settings = Settings.for_tests(data_dir)
    settings = settings.model_copy(update={"answer": settings.answer.model_copy(
        update={"sentence_vectors": sentence_vectors})})
    container = Container(settings)
    container.store.embeddings = embedder
    return container


def test_chunks_of_several_documents_are_embedded_in_one_call(tmp_path, corpus):
    """Fewer encode calls than documents, and the very vectors that embedding document by document stores."""
    for i in range(6):
        (corpus / f"extra-{i}.txt").write_text(f"Mesure {i}\nMinistère\nle 2 mai 2025\n\nLe plan {i} crée {i} postes.")
    batched, alone = CountingEmbeddings(), CountingEmbeddings()
    one = counted_container(tmp_path / "batched", batched)
    other = counted_container(tmp_path / "alone", alone)
    other.ingestor.embed_batch = 1  # a call per document, as before
    report = one.ingestor.ingest_paths([corpus])
    assert report.ok and len(report.added) == 9 and report.embed_seconds > 0
    assert len(batched.calls) < 9 and sum(batched.calls) == report.chunks_written == one.store.count()
    assert other.ingestor.ingest_paths([corpus]).ok and len(alone.calls) == 9
    ids = sorted(one.store.chunk_ids())
    assert ids == sorted(other.store.chunk_ids())
    assert one.store.vectors(ids) == other.store.vectors(ids)
    assert {r.state for r in one.manifest.all()} == {"indexed"}
    calls = len(batched.calls)
    again = one.ingestor.ingest_paths([corpus])  # unchanged documents are never embedded
    assert len(again.unchanged) == 9 and len(batched.calls) == calls


def test_a_large_jsonl_export_is_written_as_it_is_embedded(tmp_path):
    """One file of many releases is embedded and written batch by batch, not all at the end of the file."""
    import json

    folder = tmp_path / "export"
    folder.mkdir()
    rows = [{"id": f"r{i}", "title": f"Mesure {i}", "date": "2025-05-02", "issuer": "Ministère",
             "text": f"Le plan numéro {i} crée {i} postes dans la province."} for i in range(6)]
    (folder / "export.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    embedder = CountingEmbeddings()
    container = counted_container(tmp_path / "data", embedder)
    container.ingestor.embed_batch = 2
    written = []
    write = container.ingestor._write
    container.ingestor._write = lambda q, vectors, report: (written.append(len(embedder.calls)), write(q, vectors, report))
    report = container.ingestor.ingest_paths([folder])
    assert report.ok and len(report.added) == 6 and len(embedder.calls) == 3
    assert written[0] == 1  # the first release is stored after the first batch, before the others are embedded


def test_a_text_the_embedder_refuses_fails_its_own_document_only(tmp_path, corpus):
    embedder = CountingEmbeddings(refuse="grève")
    container = counted_container(tmp_path / "data", embedder)
    report = container.ingestor.ingest_paths([corpus])
    assert sorted(report.added) == ["en-health-2026-02-17", "plan-eau"]
    [(source, reason)] = report.failed
    assert source.endswith("greve.txt") and "refused by the embedder" in reason
    assert container.manifest.get("greve") is None  # embedded before its row is written: nothing half-written
    assert not container.store.chunk_ids("greve")


class MemoryWriter:
    """A ``ChunkWriter`` that keeps passages in a dict: ingestion writes through the protocol, not to Chroma."""

    def __init__(self):
        from vectorstore.embeddings import HashEmbeddings

        self.embeddings = HashEmbeddings()
        self.chunks = {}

    def chunk_ids(self, doc_id=None):
        return [i for i, c in self.chunks.items() if doc_id is None or c.doc_id == doc_id]

    def upsert(self, chunks, vectors=None):
        self.chunks.update({c.chunk_id: c for c in chunks})

    def delete(self, chunk_ids):
        for i in chunk_ids:
            self.chunks.pop(i, None)


def test_ingestion_writes_through_the_writer_protocol(corpus, tmp_path, make_container):
    from ingest.manifest import Manifest
    from ingest.pipeline import Ingestor
    from ingest.writer import ChunkWriter

    writer = MemoryWriter()
    ingestor = Ingestor(writer, Manifest(tmp_path / "manifest.sqlite"), tmp_path / "data")
    first = ingestor.ingest_paths([corpus])
    assert first.ok and first.added and writer.chunks
    assert sorted(writer.chunks) == sorted(ingestor.store.chunk_ids())
    again = ingestor.ingest_paths([corpus])
    assert not again.added and not again.updated and again.chunks_written == 0
    assert isinstance(writer, ChunkWriter) and isinstance(make_container().store, ChunkWriter)


def test_sentences_embedded_at_ingest_are_read_by_the_answers_not_embedded_again(tmp_path, corpus):
    """The ingest embeds each release's sentences once; an answer then embeds none of the sentences stored, and
    answers as one that embeds them itself; a removed release takes its sentences with it."""
    stored = counted_container(tmp_path / "stored", CountingEmbeddings(), sentence_vectors="ingest")
    plain = counted_container(tmp_path / "plain", CountingEmbeddings())
    assert stored.ingestor.ingest_paths([corpus]).ok and plain.ingestor.ingest_paths([corpus]).ok
    assert stored.sentence_store.count() >= 5 and plain.sentence_store is None
    seen: list[str] = []
    inner = stored.chain.sentence_vectors.embedder

    class Watching:
        def embed_documents(self, texts):
            seen.extend(texts)
            return inner.embed_documents(texts)

        def embed_query(self, text):
            return inner.embed_query(text)

    stored.chain.sentence_vectors.embedder = Watching()
    question = "Quel est le budget du plan national pour l'eau potable ?"
    a, b = stored.chain.answer(question), plain.chain.answer(question)
    assert not a.abstained and (a.text, [c.doc_id for c in a.citations]) == (b.text, [c.doc_id for c in b.citations])
    assert not stored.sentence_store.get(seen)  # nothing stored was embedded again
    assert len(stored.chain.sentence_vectors._docs) > len(seen)  # the stored ones were read
    before = stored.sentence_store.count()
    doc_id = a.citations[0].doc_id
    assert stored.ingestor.delete(doc_id)
    assert stored.sentence_store.count() < before
    again = stored.ingestor.ingest_paths([corpus])
    assert again.ok and stored.sentence_store.count() == before


def test_a_page_s_provenance_line_is_not_embedded_as_a_sentence(tmp_path):
    """The sentences embedded at ingest are those an answer may quote: a page's "Source https://…, le 2 octobre
    2020" is none of them."""
    from core.types import Communique

    ingestor = counted_container(tmp_path, CountingEmbeddings(), sentence_vectors="ingest").ingestor
    doc = Communique("page", "Visite", "Le ministre a reçu son homologue de Valcourt le 1er octobre 2020.\n"
                                       "Source https://www.valmont.gouv.fr, le 2 octobre 2020", lang="fr")
    assert ingestor.sentence_texts(doc) == ["Le ministre a reçu son homologue de Valcourt le 1er octobre 2020."]


def test_the_sentence_store_gives_back_the_vectors_it_was_given_and_forgets_a_release(tmp_path):
    import numpy as np

    from vectorstore.sentence_store import SentenceStore

    store = SentenceStore(tmp_path / "data")
    assert store.get(["rien"]) == {} and store.count() == 0  # no file yet: nothing, and no error
    vectors = [np.float32([0.1, -0.2, 0.3]).tolist(), np.float32([1.0, 0.0, 0.5]).tolist()]
    store.put("a", ["Une phrase.", "Une autre phrase."], vectors)
    store.put("b", ["Une phrase de b."], [[0.0, 1.0, 0.0]])
    assert store.get(["Une autre phrase.", "Une phrase.", "absente"]) == {"Une phrase.": vectors[0],
                                                                        "Une autre phrase.": vectors[1]}
    assert store.missing(["absente", "Une phrase.", "absente"]) == ["absente"]
    store.remove("a")
    assert store.count() == 1 and store.missing(["Une phrase.", "Une phrase de b."]) == ["Une phrase."]
    with pytest.raises(ValueError, match="1 vectors for 2 sentences"):
        store.put("c", ["x y z w", "y z w x"], [[0.0]])


def test_an_arabic_sentence_is_cut_at_its_end_not_at_its_commas_and_a_rules_change_cuts_again(tmp_path, monkeypatch):
    """pysbd's Arabic rules end a sentence at "،" and ":": a release's clause ("للمشاركة في إخماد الحريق…") was
    quoted alone as an answer. A sentence ends where it ends; when a language's sentence rules change, the next
    ingest cuts that language's documents again and leaves the others as they are."""
    from textkit.sentences import SENTENCE_RULES, split_sentences

    sentence = ("بتوجيهات من وزير الداخلية، وصلت صباح اليوم السبت 9 أغسطس 2025 إلى قاعدة بريفو الجوية طائرتان "
                "متخصصتان في إطفاء الحرائق، يرافقهما فريق من الدفاع المدني يضم 75 عنصراً، للمشاركة في إخماد حريق "
                "غابات جبل أوريل.")
    assert split_sentences(f"{sentence} وقال الوزير: إن المهمة تستمر أسبوعين.", "ar") == [
        sentence, "وقال الوزير: إن المهمة تستمر أسبوعين."]
    ingestor = counted_container(tmp_path, CountingEmbeddings()).ingestor
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "aide.md").write_text(f"---\ntitle: مساعدة\ndate: 2025-08-09\nlang: ar\n---\n{sentence}\n", "utf-8")
    (corpus / "plan.md").write_text("---\ntitle: Plan\ndate: 2025-08-09\nlang: fr\n---\nLe plan crée 75 postes.\n",
                                    "utf-8")
    assert len(ingestor.ingest_paths([corpus]).added) == 2
    assert len(ingestor.ingest_paths([corpus]).unchanged) == 2
    monkeypatch.setitem(SENTENCE_RULES, "ar", "next")
    again = ingestor.ingest_paths([corpus])
    assert len(again.updated) == 1 and len(again.unchanged) == 1 and again.ok
    assert ingestor.store.count() == 2  # nothing duplicated


def test_a_heading_goes_with_the_section_it_heads_and_a_rules_change_cuts_only_documents_with_headings(
        tmp_path, monkeypatch):
    """A chunk ended with "Vacances d'automne" and the next began "Du samedi 18 octobre…": neither said which holidays
    were dated. The heading starts its section's chunk, nothing is lost; when that rule changes, the next ingest cuts
    again the documents with headings only."""
    from core.types import Communique
    from ingest import chunking
    from ingest.chunking import chunk_communique

    sections = {"Rentrée scolaire": "La rentrée des enseignants aura lieu le lundi 1er septembre 2025. Les élèves "
                                    "feront leur rentrée le mardi 2 septembre 2025.",
                "Vacances d'automne": "Du samedi 18 octobre 2025 au lundi 3 novembre 2025 au matin.",
                "Vacances de fin d'année": "Du samedi 20 décembre 2025 au lundi 5 janvier 2026 au matin.",
                "Vacances d'hiver": "Les vacances d'hiver sont organisées en deux zones afin d'étaler la "
                                    "fréquentation des stations de montagne de la République de Valmont."}
    text = "\n\n".join(f"{head}\n\n{body}" for head, body in sections.items())
    chunks = chunk_communique(Communique("calendrier", "Calendrier", text, lang="fr"), target_chars=300,
                              max_chars=450)
    for head, body in sections.items():
        assert any(f"{head}\n{body[:20]}" in c.text for c in chunks), head
    assert not any(c.text.rstrip().endswith(tuple(sections)) for c in chunks)
    # A heading carried to the next chunk carries its page: the section's chunk opens where the section is.
    from textkit.normalize import PAGE_BREAK

    first, *rest = sections.items()
    paged = "\n\n".join([f"{first[0]}\n\n{first[1]}", PAGE_BREAK] + [f"{h}\n\n{b}" for h, b in rest])
    cut = chunk_communique(Communique("paged", "Calendrier", paged, lang="fr", extra={"pages": 2}),
                           target_chars=300, max_chars=450)
    assert [(c.text.split("\n")[0], c.page) for c in cut][:2] == [("Rentrée scolaire", 1), ("Vacances d'automne", 2)]
    ingestor = counted_container(tmp_path, CountingEmbeddings()).ingestor
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "calendrier.md").write_text(f"---\ntitle: Calendrier\ndate: 2025-05-22\nlang: fr\n---\n{text}\n",
                                          "utf-8")
    (corpus / "plan.md").write_text("---\ntitle: Plan\ndate: 2025-08-09\nlang: fr\n---\nLe plan crée 75 postes.\n",
                                    "utf-8")
    assert len(ingestor.ingest_paths([corpus]).added) == 2
    monkeypatch.setattr(chunking, "HEADINGS_KEPT", "next")
    again = ingestor.ingest_paths([corpus])
    assert again.updated == ["calendrier"] and again.unchanged == ["plan"]


def test_a_title_abbreviated_before_names_ends_no_sentence_and_marks_its_document_for_cutting_again():
    """pysbd ended a French sentence at "MM." and "Pr.": the names after them were quoted apart from their roles."""
    from ingest.chunking import rules_applied
    from textkit.sentences import split_sentences

    text = ("Les ministres de l'économie de Valmont et de Valcourt, MM. Jean Lefort et Paul Marchetti, ont "
            "participé. Le Pr. Anne Ferrand a présenté l'étude, selon l'art. 3 du traité. Ensuite ils ont parlé.")
    assert split_sentences(text, "fr") == [
        "Les ministres de l'économie de Valmont et de Valcourt, MM. Jean Lefort et Paul Marchetti, ont participé.",
        "Le Pr. Anne Ferrand a présenté l'étude, selon l'art. 3 du traité.", "Ensuite ils ont parlé."]
    assert split_sentences("He gave it to me. Then he left the room quickly.", "en") == [
        "He gave it to me.", "Then he left the room quickly."]
    assert split_sentences("Elle soutient les métiers d'art. La ministre de Valcourt a salué les artisans.", "fr") == [
        "Elle soutient les métiers d'art.", "La ministre de Valcourt a salué les artisans."]  # (a sentence's end)
    assert "abbreviations1" in rules_applied(Communique("d", "T", text, lang="fr"))
    assert "abbreviations" not in rules_applied(Communique("e", "T", "M. Lefort a parlé. Mme Ferrand aussi.",
                                                           lang="fr"))
