"""The benchmark scripts run on the fakes and produce tables of the right shape (no timing is asserted)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.unit


def test_scale_copies_vectors_under_fresh_ids_and_times_retrieval(indexed, tmp_path):
    from bench import scale

    source = scale.read_source(indexed.settings.data_dir, tmp_path)
    n_src = len(source["ids"])
    scale.build(source, 3 * n_src, tmp_path / "n" / "chroma")
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps({"plan eau potable": indexed.embeddings.embed_query("plan eau potable")}))
    run = scale.measure(tmp_path / "n", queries, None, 8000, repeats=1)
    assert run["count"] == 3 * n_src and run["n"] == 1 and run["rss_mb"] > 0
    run.update(size=3 * n_src, backend="embedded")
    text = scale.table({"runs": [run]})
    assert text.count("\n") == 2 and "| embedded |" in text


def test_scale_copies_resume_and_come_with_the_manifest_and_keyword_index_a_data_dir_has(indexed, tmp_path):
    """An interrupted copy is completed to the same rows as one made at once, and the app serving the copies reads
    their saved keyword index whole (every copied chunk searchable, none taken for removed)."""
    from assistant.container import Container
    from assistant.settings import Settings
    from bench import scale
    from ingest.manifest import Manifest
    from vectorstore.keyword import KeywordIndex

    source = scale.read_source(indexed.settings.data_dir, tmp_path)
    n_src = len(source["ids"])
    size = 2 * n_src + 3
    scale.build(source, size, tmp_path / "once" / "chroma", batch=7)
    scale.build(source, n_src + 1, tmp_path / "n" / "chroma", batch=7)  # (as if stopped there)
    scale.build(source, size, tmp_path / "n" / "chroma", batch=7)
    once, resumed = (scale._client(tmp_path / d / "chroma").get_collection(scale.COLLECTION)
                     .get(include=["embeddings", "metadatas"]) for d in ("once", "n"))
    assert sorted(resumed["ids"]) == sorted(once["ids"]) and len(set(once["ids"])) == size
    by_id = dict(zip(once["ids"], once["embeddings"]))
    assert all((by_id[i] == v).all() for i, v in zip(resumed["ids"], resumed["embeddings"]))

    # The copies carry the embedder of the source's vectors: here the one the measure's settings configure.
    made_by = Container(Settings(data_dir=tmp_path / "other")).embedder_identity
    scale.index_copies(source, size, tmp_path / "n", json.dumps(made_by))
    manifest = Manifest(tmp_path / "n" / "manifest.sqlite")
    assert manifest.embedder() == made_by
    assert manifest.indexed_chunks() == size
    saved = KeywordIndex.load(tmp_path / "n" / "keyword")
    assert len(saved) == size and saved.documents() == {d: h for d, (h, _) in manifest.indexed_documents().items()}
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps({"plan eau potable": indexed.embeddings.embed_query("plan eau potable")}))
    for _ in range(2):  # the second start reads the index the first one kept
        run = scale.measure(tmp_path / "n", queries, None, 8000, repeats=1)
        assert run["count"] == size
        assert len(KeywordIndex.load(tmp_path / "n" / "keyword")) == size


def test_ingest_bench_reports_the_overhead_and_the_unchanged_reingest(corpus):
    from bench import ingest

    result = ingest.run([corpus], 2, None, "hash")
    assert result["docs"] == 2 and result["chunks"] > 0
    assert result["sentence_texts"] > 0 and result["texts"] == result["chunk_texts"] + result["sentence_texts"]
    assert "overhead" in ingest.table(result) and "unchanged re-ingest" in ingest.table(result)


def test_query_bench_times_both_pipelines_stage_by_stage(indexed, corpus):
    from assistant.evaluation import EvalQuestion
    from bench import plain_chain, query

    questions = [EvalQuestion(id="q1", question="Combien de postes de techniciens le plan crée-t-il ?",
                              category="factual", gold_doc_ids=("plan-eau",), must_include=("300",))]
    retriever = plain_chain.build_plain(indexed, [corpus], indexed.settings.data_dir)
    product = query.time_product(indexed, questions)
    plain = query.time_plain(indexed, retriever, questions)
    assert set(product[0]) >= {"sources_s", "first_token_s", "total_s"} and set(plain[0]) >= set(query.STAGES)
    result = {"n": 1, "questions": "t", "product": query.summary(product), "plain": query.summary(plain),
              "product_rows": product, "load_average": (0.0, 0.0)}
    assert query.table(result).count("| time to") == 3


def test_levers_table_reads_with_and_without_the_passage_sizes():
    from bench import levers

    config = {"threads": 2, "batch": 512, "first_cold_s": 4.0, "first_prefix_s": 2.0, "first_cold_b_s": 4.2,
              "gen_tok_s": 15.0, "prompt_tokens": [500, 480]}
    result = {"llama": {"configs": [config], "passages": []}, "onnx": "not measured",
              "query_cache": {"cold_s": 0.1, "cached_s": 1e-6, "n": 3}, "load_average": (1.0, 1.0)}
    assert "passage size" not in levers.table(result) and "Reusable prefix" in levers.table(result)
    result["llama"]["passages"] = [{"passage_chars": 420, "prompt_tokens": 500, "first_s": 2.0}]
    assert "| 420 | 500 | 2.00 s | 1.00× |" in levers.table(result)


def test_adding_releases_to_an_index_is_timed_and_undone_before_the_next_run(indexed, tmp_path):
    """The add benchmark ingests new releases into its copy and, at its next run, removes them first: the copy holds
    the index plus one run's releases, never more."""
    import shutil

    from bench import add_releases

    copy = tmp_path / "copy"
    shutil.copytree(indexed.settings.data_dir, copy)
    before = indexed.store.count()
    new = tmp_path / "new"
    new.mkdir()
    (new / "README.md").write_text("Not a release.", encoding="utf-8")
    topics = ["la rénovation de 40 ponts ferroviaires", "un fonds de 12 millions d'euros pour les bibliothèques",
              "l'ouverture de trois centres de santé à Valcourt"]
    for n, topic in enumerate(topics):
        (new / f"nouveau-{n}.md").write_text(f"# Communiqué fictif {n}\n\nLe ministre a annoncé ce jour {topic}. "
                                             f"Cette mesure entre en vigueur le {n + 1} mars 2026.\n", encoding="utf-8")
    first = add_releases.measure(copy, new, 2, None, 8000, indexed.settings)
    assert first["chunks_before"] == before and first["docs"] == 2 and first["chunks"] > 0
    assert first["passages_after"] > 0
    again = add_releases.measure(copy, new, 2, None, 8000, indexed.settings)
    assert again["chunks_before"] == before and again["docs"] == 2 and again["chunks"] == first["chunks"]
    with pytest.raises(SystemExit, match="5 are needed"):
        add_releases.releases(new, 5)
    text = add_releases.table([{**first, "backend": "embedded", "load_average": (0.5, 0.6)}])
    assert text.count("\n") == 2 and "| embedded | 2 (" in text


def test_the_ceiling_counts_key_facts_in_the_passages_and_in_the_closest_sentences():
    from assistant.evaluation import EvalQuestion
    from assistant.evidence.rank import SentenceVectors
    from bench.evidence import ceiling
    from core.types import Chunk, Passage
    from vectorstore.embeddings import HashEmbeddings

    text = ("La ministre s'est rendue à Valcourt ce matin. Le budget du plan national pour l'eau potable est de "
            "2,4 milliards d'euros. Il sera piloté par l'Agence de l'eau, dirigée par Mme Corinne Albaret.")
    chunk = Chunk(chunk_id="p#0", doc_id="p", index=0, text=text, title="Plan eau", lang="fr")
    passage = Passage(chunk=chunk, text=text, full_text=text, score=1.0)
    budget = "Quel est le budget du plan national pour l'eau potable ?"
    asked = [EvalQuestion("a", budget, "factual", ("p",), ("2,4",)),
             EvalQuestion("b", budget, "factual", ("p",), ("Albaret",)),
             EvalQuestion("c", "Qui a signé ?", "factual", ("p",), ("Dupont",)),
             EvalQuestion("d", "Quel âge a le ministre ?", "unanswerable", (), ())]
    retrieved = [{"standalone": q.question, "lang": "fr", "passages": (passage,)} for q in asked]
    releases = {"p": text + " Le texte a été signé par M. Dupont."}  # the release holds more than the passage
    got = ceiling(asked, retrieved, SentenceVectors(HashEmbeddings()), lambda t: 1.0, closest=(1, 3),
                  release_text=releases.__getitem__)
    assert got["passages"]["all"] == round(2 / 3, 2)  # the unanswerable question is not counted
    assert got["releases"]["all"] == 1.0  # "Dupont" is in the retrieved release, not in its passage
    assert got["closest 1"]["all"] == round(1 / 3, 2) and got["closest 3"]["all"] == round(2 / 3, 2)


def test_the_ceiling_ranks_a_follow_up_as_the_answer_does():
    """A rewritten follow-up's sentences are ordered by the words the user typed too (typed-words): the ceiling's
    closest sentences are the answer's, not the rewrite's alone."""
    from assistant.evaluation import EvalQuestion
    from bench.evidence import ceiling
    from core.types import Chunk, Passage

    class Fixed:
        def query(self, text):
            return [1.0, 0.0] if "Valcourt" in text else [0.0, 1.0]

        def documents(self, texts):
            return [[0.70, 0.20] if "spoke" in t else [0.50, 0.80] for t in texts]

    text = ("The minister of Valcourt and the mayor of Port-Sérac spoke today. They noted that this year marks the "
            "hundredth anniversary of the Port-Sérac lighthouse.")
    chunk = Chunk(chunk_id="p#0", doc_id="p", index=0, text=text, title="", lang="en")
    passage = Passage(chunk=chunk, text=text, full_text=text, score=1.0)
    history = ({"role": "user", "content": "Who spoke today?"},
               {"role": "assistant", "content": "The minister of Valcourt and the mayor of Port-Sérac [1]."})
    typed = "Which anniversary did the two of them point to?"
    rewrite = "Which anniversary did the minister of Valcourt and the mayor of Port-Sérac point to?"
    follow_up = EvalQuestion("f", typed, "follow_up", ("p",), ("hundredth anniversary",), "en", history=history)
    alone = EvalQuestion("g", rewrite, "factual", ("p",), ("hundredth anniversary",), "en")
    retrieved = [{"standalone": rewrite, "lang": "en", "passages": (passage,)}] * 2
    got = ceiling([follow_up, alone], retrieved, Fixed(), lambda t: 1.0, closest=(1,))
    assert got["closest 1"] == {"all": 0.5, "factual": 0.0, "follow_up": 1.0}


@pytest.mark.integration
def test_the_crowd_benchmark_asks_through_the_queue_as_a_loaded_page_does(tmp_path):
    """Users of the concurrency benchmark speak Gradio's queue protocol: each gets its own answer, its time to
    sources before its full answer, and a failing question is counted as an error, never fatal."""
    from bench import concurrency
    from tests.conftest import SAMPLE

    server, port = concurrency.serve(tmp_path / "data", True, [SAMPLE], tmp_path / "app.log")
    with server:
        url = f"http://127.0.0.1:{port}/"
        rows = concurrency.crowd(url, ["Combien de postes le plan crée-t-il ?", "Quand la grève a-t-elle lieu ?"],
                                 users=2, per_user=1, timeout=60)
        page = concurrency.connect(url)
        panels = list(page.panels("Combien de postes le plan crée-t-il ?"))
    stopped = concurrency.ask(page, "Combien de postes le plan crée-t-il ?", timeout=10)  # the server has stopped
    assert len(rows) == 2 and all("error" not in r for r in rows), rows
    assert all(0 < r["sources_s"] <= r["total_s"] for r in rows)
    assert concurrency.SEARCHING in panels[0] and "src-card" in panels[-1]
    assert "error" in stopped and "sources_s" not in stopped
    summary = concurrency.summary(rows)
    assert summary["completed"] == 2 and summary["errors"] == 0
