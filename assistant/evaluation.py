"""Answer-quality evaluation: test-set loading, per-question scores, summaries and run comparison.

Every metric is defined in docs/evaluation.md; all are computed from the same answers the app gives.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from assistant.metrics import bootstrap_interval, words_shown

CATEGORIES = ("factual", "multi_doc", "cross_lingual", "name_variant", "date_filter", "unanswerable", "follow_up")
_REQUIRED = ("id", "question", "category", "gold_doc_ids", "must_include")


class InvalidTestset(ValueError):
    """A malformed test set; the message names the file, line and field."""


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    category: str
    gold_doc_ids: tuple[str, ...]
    must_include: tuple[str, ...]
    lang: str = ""
    answer: str = ""
    history: tuple[dict, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.category != "unanswerable"


def load_testset(path: Path) -> list[EvalQuestion]:
    """Read and validate a JSONL test set."""
    out, seen = [], set()
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidTestset(f"{where}: not valid JSON ({exc.msg}).") from exc
        missing = [f for f in _REQUIRED if f not in item]
        if missing:
            raise InvalidTestset(f"{where}: missing field(s) {', '.join(missing)}.")
        if item["category"] not in CATEGORIES:
            raise InvalidTestset(f"{where}: category {item['category']!r} is not one of {', '.join(CATEGORIES)}.")
        if not isinstance(item["gold_doc_ids"], list) or not isinstance(item["must_include"], list):
            raise InvalidTestset(f"{where}: gold_doc_ids and must_include must be lists.")
        if item["category"] != "unanswerable" and not item["gold_doc_ids"]:
            raise InvalidTestset(f"{where}: an answerable question needs gold_doc_ids.")
        if item["id"] in seen:
            raise InvalidTestset(f"{where}: duplicate id {item['id']!r}.")
        seen.add(item["id"])
        out.append(EvalQuestion(id=str(item["id"]), question=item["question"], category=item["category"],
                                gold_doc_ids=tuple(item["gold_doc_ids"]), must_include=tuple(item["must_include"]),
                                lang=item.get("lang", ""), answer=item.get("answer", ""),
                                history=tuple(item.get("history") or ())))
    return out


def normalize_for_match(text: str) -> str:
    """Case, accents, thousands separators and decimal commas normalised, for key-fact matching."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    text = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", text)
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    text = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", text)  # 1.250 (thousands) == 1250
    return re.sub(r"\s+", " ", text)


def fact_found(fact: str, answer: str) -> bool:
    """Whether one key fact (alternatives separated by |) is in the answer; numbers match on boundaries."""
    norm = normalize_for_match(answer)
    for alt in fact.split("|"):
        a = normalize_for_match(alt.strip())
        if not a:
            continue
        pattern = re.escape(a)
        if a[0].isdigit():
            pattern = r"(?<![\d.])" + pattern
        if a[-1].isdigit():
            pattern += r"(?![\d]|\.\d)"
        if re.search(pattern, norm):
            return True
    return False


@dataclass
class QuestionScore:
    """The scores of one answered question."""

    id: str
    category: str
    answerable: bool
    abstained: bool
    retrieved_docs: list[str]
    cited_docs: list[str]
    gold: list[str]
    facts_found: int = 0
    facts_total: int = 0
    supported_sentences: int = 0
    total_sentences: int = 0
    timings: dict = field(default_factory=dict)
    similarity: float | None = None  # cosine of the answer and the reference answer (answered questions)
    words: int | None = None  # words of the answer as the user sees it (None when refused)
    # every key fact in the passages the answer step read: the ceiling of any answer built from them (None when the
    # passages are not known, or for an unanswerable question)
    facts_in_passages: bool | None = None

    @property
    def recall_at(self) -> dict[int, float]:
        return {k: float(any(d in self.gold for d in self.retrieved_docs[:k])) for k in (1, 3, 5)}

    @property
    def rr(self) -> float:
        for i, d in enumerate(self.retrieved_docs, 1):
            if d in self.gold:
                return 1.0 / i
        return 0.0

    @property
    def key_facts_ok(self) -> bool:
        return self.answerable and not self.abstained and self.facts_found == self.facts_total

    @property
    def cited_right(self) -> bool:
        """Answered, with at least one citation, and every cited document is a gold document."""
        return bool(self.cited_docs) and all(d in self.gold for d in self.cited_docs)

    @property
    def cites_gold(self) -> bool:
        """Answered, and one of the cited documents at least is a gold document (a looser figure than
        ``cited_right``: an answer citing the right release and another one counts)."""
        return any(d in self.gold for d in self.cited_docs)


def answer_similarity(embedder, answer: str, reference: str) -> float:
    """Cosine similarity of an answer (citation marks removed) and the reference answer, with ``embedder``."""
    a, b = embedder.embed_query(re.sub(r"\s*\[\d+\]", "", answer)), embedder.embed_query(reference)
    dot = sum(x * y for x, y in zip(a, b))
    norm = (sum(x * x for x in a) ** 0.5) * (sum(y * y for y in b) ** 0.5)
    return dot / norm if norm else 0.0


def score_answer(q: EvalQuestion, payload: dict, similarity: float | None = None,
                 passages: str | None = None) -> QuestionScore:
    """Score one answer (the JSON shape of `communiques ask --json`); ``passages``: the text of the passages the
    answer step read, for the ceiling (whether every key fact was there to be given)."""
    retrieved = list(dict.fromkeys(r["doc_id"] for r in payload.get("retrieved", [])))
    cited = list(dict.fromkeys(c["doc_id"] for c in payload.get("citations", [])))
    abstained = bool(payload.get("abstained"))
    found = 0 if abstained else sum(fact_found(f, payload.get("answer", "")) for f in q.must_include)
    sentences = payload.get("sentences", [])
    return QuestionScore(
        id=q.id, category=q.category, answerable=q.answerable, abstained=abstained, retrieved_docs=retrieved,
        cited_docs=cited, gold=list(q.gold_doc_ids), facts_found=found, facts_total=len(q.must_include),
        supported_sentences=sum(1 for s in sentences if s.get("supported")), total_sentences=len(sentences),
        timings=payload.get("timings", {}), similarity=similarity,
        words=None if abstained else words_shown(payload.get("answer", "")),
        facts_in_passages=None if passages is None or not q.answerable
        else all(fact_found(f, passages) for f in q.must_include),
    )


def _pct(values: list[float]) -> float | None:
    return round(100.0 * sum(values) / len(values), 1) if values else None


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2)


def summarize(scores: list[QuestionScore]) -> dict:
    """Headline figures (percentages) over a list of scored questions."""
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    answered = [s for s in answerable if not s.abstained]
    all_cited = [d for s in answered for d in s.cited_docs]
    out = {
        "questions": len(scores),
        "recall@1": _pct([s.recall_at[1] for s in answerable]),
        "recall@5": _pct([s.recall_at[5] for s in answerable]),
        "mrr": round(statistics.mean(s.rr for s in answerable), 3) if answerable else None,
        "answered": _pct([not s.abstained for s in answerable]),
        "cited_right": _pct([s.cited_right for s in answered]),
        "cited_right_all": _pct([s.cited_right for s in answerable]),
        "cites_gold_all": _pct([s.cites_gold for s in answerable]),
        "citation_precision": _pct([any(d == g for g in s.gold) for s in answered for d in s.cited_docs])
        if all_cited else None,
        "citation_recall": _pct([float(g in s.cited_docs) for s in answered for g in s.gold]),
        "key_facts": _pct([s.key_facts_ok for s in answerable]),
        "key_facts_partial": _pct([s.facts_found / s.facts_total if s.facts_total else float(not s.abstained)
                                   for s in answerable]),
        "key_facts_in_passages": _pct([s.facts_in_passages for s in answerable if s.facts_in_passages is not None]),
        "answer_similarity": _pct([s.similarity for s in answered if s.similarity is not None]),
        "faithfulness": _pct([s.supported_sentences / s.total_sentences for s in answered if s.total_sentences]),
        "refusals": _pct([s.abstained for s in unanswerable]),
        "false_refusals": _pct([s.abstained for s in answerable]),
    }
    # 95 % bootstrap intervals of the headline shares: with 70 questions one answer is 1.4 points.
    for key, values in (("key_facts", [s.key_facts_ok for s in answerable]),
                        ("cited_right_all", [s.cited_right for s in answerable]),
                        ("cites_gold_all", [s.cites_gold for s in answerable]),
                        ("refusals", [s.abstained for s in unanswerable]),
                        ("false_refusals", [s.abstained for s in answerable])):
        lo, hi = bootstrap_interval([float(v) for v in values])
        out[f"{key}_ci"] = [None if lo is None else round(100 * lo, 1), None if hi is None else round(100 * hi, 1)]
    shown = [s.words for s in scores if s.words is not None]
    out["words_p50"] = _quantile(shown, 0.5)
    out["words_p95"] = _quantile(shown, 0.95)
    for key in ("sources_s", "first_token_s", "total_s", "prompt_tokens", "answer_tokens"):
        values = [s.timings[key] for s in scores if key in s.timings]
        out[f"{key}_p50"] = _quantile(values, 0.5)
        out[f"{key}_p95"] = _quantile(values, 0.95)
    return out


def summarize_by_category(scores: list[QuestionScore]) -> dict[str, dict]:
    return {c: summarize([s for s in scores if s.category == c]) for c in CATEGORIES
            if any(s.category == c for s in scores)}


def run_eval(chain, questions: list[EvalQuestion], out_dir: Path, settings_snapshot: dict | None = None,
             progress: bool = True, blind: bool = False) -> dict:
    """Answer every question through ``chain`` (the app's code path), score, and write the run to ``out_dir``.

    Writes results.jsonl (one line per question), summary.json and report.html; returns the summary.
    """
    import time

    from core.types import answer_json

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    iterator = questions
    if progress:
        from tqdm import tqdm

        iterator = tqdm(questions, desc="eval", unit="q")
    scores, rows, baseline_scores = [], [], []
    # The app's own embedder scores how close each answer is to the reference (no judge model runs offline here).
    embedder = getattr(getattr(chain, "verifier", None), "embedder", None)
    start = time.perf_counter()
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as fh:
        for q in iterator:
            t0 = time.perf_counter()
            answer = chain.answer(q.question, list(q.history) or None)
            payload = answer_json(answer, q.id, time.perf_counter() - t0)
            similarity = None
            if embedder is not None and q.answerable and q.answer and not answer.abstained:
                similarity = answer_similarity(embedder, answer.text, q.answer)
            score = score_answer(q, payload, similarity, " ".join(p.full_text for p in answer.passages))
            scores.append(score)
            base = baseline_payload(chain, answer)
            # (Scored on the same questions: no passage gives an empty answer; the run's own sentences and timings
            # are not the baseline's.)
            base = base or {"answer": "", "abstained": False, "citations": []}
            baseline_scores.append(score_answer(q, {**payload, **base, "sentences": [], "timings": {}}))
            row = {**payload, "category": q.category, "gold_doc_ids": list(q.gold_doc_ids),
                   "must_include": list(q.must_include), "reference": q.answer,
                   "scores": {"key_facts_ok": score.key_facts_ok, "facts_found": score.facts_found,
                              "facts_total": score.facts_total, "cited_right": score.cited_right,
                              "facts_in_passages": score.facts_in_passages,
                              "recall@5": score.recall_at[5], "rr": score.rr,
                              "answer_similarity": similarity}}
            rows.append(row)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
    summary = {"overall": summarize(scores), "by_category": summarize_by_category(scores),
               "baseline": summarize(baseline_scores) if baseline_scores else None,
               "wall_time_s": round(time.perf_counter() - start, 1), "settings": settings_snapshot or {}}
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    from assistant.report import write_report

    write_report(out_dir, summary, rows, blind=blind)
    return summary


def baseline_payload(chain, answer) -> dict | None:
    """The no-model baseline for the same question: the two sentences of the retrieved passages closest in meaning to
    the (standalone) question, quoted and cited, never refused (None without an embedder or passages)."""
    embedder = getattr(chain, "embedder", None)
    retrieved = tuple(p for p in answer.passages)
    if embedder is None or not retrieved:
        return None
    from assistant.evidence.compose import baseline_answer
    from assistant.evidence.rank import SentenceVectors

    vectors = getattr(chain, "sentence_vectors", None) or SentenceVectors(embedder)
    text, citations = baseline_answer(answer.standalone_question or answer.question, retrieved, answer.lang or "fr",
                                      vectors)
    return {"answer": text, "abstained": False, "citations": [{"doc_id": c.doc_id} for c in citations]}


def load_run(path: Path) -> dict:
    """The summary.json of a stored run (a folder or the file itself)."""
    path = Path(path)
    path = path / "summary.json" if path.is_dir() else path
    if not path.exists():
        raise FileNotFoundError(f"{path}: no summary.json; run `communiques eval TESTSET --out DIR` first.")
    return json.loads(path.read_text(encoding="utf-8"))


LOWER_IS_BETTER = {"false_refusals", "sources_s_p50", "sources_s_p95", "first_token_s_p50", "first_token_s_p95",
                   "total_s_p50", "total_s_p95"}


def compare_runs(a: dict, b: dict) -> dict[str, dict[str, tuple]]:
    """Per metric and per category: (value in A, value in B, delta B - A)."""
    def table(sa: dict, sb: dict) -> dict[str, tuple]:
        out = {}
        for key in sa:
            va, vb = sa.get(key), sb.get(key)
            if isinstance(va, (int, float)) and isinstance(vb, (int, float)):
                out[key] = (va, vb, round(vb - va, 3))
        return out

    result = {"overall": table(a["overall"], b["overall"])}
    for cat in sorted(set(a.get("by_category", {})) & set(b.get("by_category", {}))):
        result[cat] = table(a["by_category"][cat], b["by_category"][cat])
    return result
