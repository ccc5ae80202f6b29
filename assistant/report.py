"""The evaluation report: a self-contained HTML page with tables and matplotlib charts."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

HEADLINE = [("key_facts", "Key facts"), ("key_facts_in_passages", "Key facts in the passages (ceiling)"),
            ("cited_right_all", "Cited right (of answerable)"),
            ("cites_gold_all", "Cites a right release (of answerable)"), ("cited_right", "Cited right (answered)"),
            ("refusals", "Refusals (unanswerable)"), ("false_refusals", "False refusals"),
            ("words_p50", "Answer words p50"), ("words_p95", "Answer words p95"), ("recall@5", "Recall@5"),
            ("citation_precision", "Citation precision"), ("faithfulness", "Faithfulness"),
            ("answer_similarity", "Similarity to reference"), ("first_token_s_p50", "First token p50 (s)"),
            ("total_s_p50", "Full answer p50 (s)")]


def _cell(value) -> str:
    """A figure of the report's tables; a metric that does not apply to a category (refusals of answerable questions)
    is a dash, not "None"."""
    return "—" if value is None else str(value)


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def charts(summary: dict, rows: list[dict]) -> list[str]:
    """Per-category bars and a latency histogram, as data URIs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    cats = list(summary["by_category"])
    metrics = [("key_facts", "key facts"), ("cited_right", "cited right"), ("recall@5", "recall@5")]
    fig, ax = plt.subplots(figsize=(9, 3.6))
    width = 0.8 / len(metrics)
    for j, (key, label) in enumerate(metrics):
        values = [summary["by_category"][c].get(key) or 0 for c in cats]
        ax.bar([i + j * width for i in range(len(cats))], values, width, label=label)
    refusal = [summary["by_category"][c].get("refusals") for c in cats]
    for i, v in enumerate(refusal):
        if v is not None:
            ax.bar(i, v, width, color="grey", label="refusals")
    ax.set_xticks([i + width for i in range(len(cats))], cats, rotation=15)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.legend(fontsize=8, ncol=4)
    ax.set_title("Per category")
    out.append(_png(fig))
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(9, 3))
    for key, label in (("sources_s", "sources"), ("first_token_s", "first token"), ("total_s", "full answer")):
        values = [r["timings"][key] for r in rows if key in r.get("timings", {})]
        if values:
            ax.hist(values, bins=20, alpha=0.6, label=label)
    ax.set_xlabel("seconds")
    ax.legend()
    ax.set_title("Latency")
    out.append(_png(fig))
    plt.close(fig)
    return out


def write_report(out_dir: Path, summary: dict, rows: list[dict], blind: bool = False) -> Path:
    """Write out_dir/report.html (``blind``: figures only, no question's answer: for a frozen test split)."""
    o = summary["overall"]
    base = summary.get("baseline") or {}

    def with_ci(source: dict, key: str) -> str:
        ci = source.get(f"{key}_ci")
        return _cell(source.get(key)) + (f" [{ci[0]}–{ci[1]}]" if ci and ci[0] is not None else "")

    head = "<tr><th>figure</th><th>this run [95 % CI]</th><th>baseline: two closest sentences, no model</th></tr>"
    head += "".join(f"<tr><th>{label}</th><td>{with_ci(o, key)}</td><td>{with_ci(base, key) if base else '—'}</td></tr>"
                    for key, label in HEADLINE)
    cats = summary["by_category"]
    keys = ["questions", "recall@5", "answered", "cited_right", "key_facts", "refusals"]
    cat_rows = "".join("<tr><td>" + c + "</td>" + "".join(f"<td>{_cell(cats[c].get(k))}</td>" for k in keys) + "</tr>"
                       for c in cats)
    worst = [r for r in rows if not r["scores"]["key_facts_ok"] and r["category"] != "unanswerable"]
    worst += [r for r in rows if r["category"] == "unanswerable" and not r["abstained"]]
    worst = [] if blind else worst
    worst_html = "".join(
        f"<tr><td>{html.escape(r['id'])}<br>{r['category']}</td><td>{html.escape(r['question'])}</td>"
        f"<td>{html.escape(r['answer'])}<br><small>raw: {html.escape(r.get('raw_answer', ''))}</small></td>"
        f"<td>{html.escape(r.get('reference', ''))}<br><small>{html.escape(' ; '.join(r['must_include']))}</small></td>"
        f"<td>{'<br>'.join(html.escape(c['doc_id']) for c in r['citations'])}<br><small>gold: "
        f"{html.escape(', '.join(r['gold_doc_ids']))}</small></td></tr>" for r in worst[:40])
    images = "".join(f'<img src="{src}" style="max-width:100%">' for src in charts(summary, rows))
    settings = html.escape(str(summary.get("settings", {})))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Communiqués evaluation</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:auto}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:0.9em}}</style></head><body>
<h1>Communiqués evaluation</h1><p>{o['questions']} questions, wall time {summary.get('wall_time_s')} s.</p>
<h2>Headline</h2><table>{head}</table>
<h2>By category</h2><table><tr><th>category</th>{''.join(f'<th>{k}</th>' for k in keys)}</tr>{cat_rows}</table>
{images}
<h2>Questions that failed</h2><table><tr><th>id</th><th>question</th><th>answer</th><th>reference / key facts</th>
<th>cited</th></tr>{worst_html}</table><h2>Settings</h2><pre>{settings}</pre></body></html>"""
    path = Path(out_dir) / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
