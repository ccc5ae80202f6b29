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


def test_ingest_bench_reports_the_overhead_and_the_unchanged_reingest(corpus):
    from bench import ingest

    result = ingest.run([corpus], 2, None, "hash")
    assert result["docs"] == 2 and result["chunks"] > 0
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
