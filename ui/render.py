"""HTML and Markdown for the page: pure functions of the chain's events, the answers and the index."""

from __future__ import annotations

import html
import re
from urllib.parse import quote as urlquote

from core.types import Answer, Passage
from ui.texts import t

_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _dir(text: str) -> str:
    # Arabic passages read right to left; everything else keeps the page's direction.
    return ' dir="rtl"' if _ARABIC.search(text[:200]) else ""


def doc_link(doc_id: str, lang: str) -> str:
    """A link that opens the whole document in the Documents tab (handled by the page's script)."""
    return f'<a class="open-doc" href="#doc-{urlquote(doc_id, safe="")}">{t(lang, "open_doc")} ↗</a>'


def _card(n, title: str, issuer: str, date: str, doc_id: str, body: str, lang: str, anchor: str = "",
          page: int | None = None, active: bool = False) -> str:
    parts = [issuer, date or t(lang, "undated"), f"{t(lang, 'page')} {page}" if page else "", doc_id]
    meta = " · ".join(html.escape(x) for x in parts if x)
    cls = "src-card active" if active else "src-card"
    return (f'<div class="{cls}" id="{anchor}"><div class="src-head"><span class="src-n">[{n}]</span> '
            f'<b{_dir(title)}>{html.escape(title)}</b></div><div class="src-meta">{meta} · {doc_link(doc_id, lang)}</div>'
            f'<div class="src-body"{_dir(body)}>{body}</div></div>')


def sources_html(passages: tuple[Passage, ...], lang: str = "fr") -> str:
    """The passages found, shown while the answer is being written."""
    if not passages:
        return f"<div class='src-empty'>{t(lang, 'searching')}</div>"
    cards = [_card(i, p.chunk.title, p.chunk.issuer, p.chunk.date, p.chunk.doc_id, html.escape(p.text), lang,
                   page=p.chunk.page) for i, p in enumerate(passages, 1)]
    return f"<div class='src-panel'><h4>{t(lang, 'sources')}</h4>{''.join(cards)}</div>"


def highlight(passage: str, quote: str) -> str:
    """The passage, escaped, with the quoted sentence(s) marked."""
    escaped = html.escape(passage)
    for sentence in sorted({s.strip() for s in re.split(r"(?<=[.!?؟])\s+", quote) if len(s.strip()) > 8}, key=len,
                           reverse=True):
        escaped = escaped.replace(html.escape(sentence), f"<mark>{html.escape(sentence)}</mark>", 1)
    return escaped.replace("\n", "<br>")


def answer_sources_html(answer: Answer, turn: int = 0, lang: str = "fr", focus: int | None = None) -> str:
    """The checked citations of answer number ``turn``, each with its quote highlighted in the passage."""
    if answer.abstained or not answer.citations:
        body = sources_html(answer.passages, lang) if answer.passages else f"<div class='src-empty'>{t(lang, 'nothing')}</div>"
        return f"<div class='src-abstain'>{t(lang, 'abstained')}</div>{body}"
    cards = [_card(c.n, c.title, c.issuer, c.date, c.doc_id, highlight(c.passage, c.quote), lang,
                   anchor=f"src-{turn}-{c.n}", page=c.page, active=c.n == focus) for c in answer.citations]
    flagged = [s for s in answer.sentences if not s.supported]
    extra = ""
    if flagged:
        items = "".join(f"<li><del>{html.escape(s.text)}</del> <i>({html.escape(s.reason)})</i></li>" for s in flagged)
        extra = f"<div class='src-flagged'><h4>{t(lang, 'unverified')}</h4><ul>{items}</ul></div>"
    return f"<div class='src-panel' data-turn='{turn}'><h4>{t(lang, 'cited')}</h4>{''.join(cards)}{extra}</div>"


def _source_line(c, lang: str) -> str:
    """"Title — issuer, date" of a cited release; a release naming no issuer shows none (a "?" read as an error)."""
    origin = ", ".join(p for p in (c.issuer, c.date or t(lang, "undated")) if p)
    return f"{c.title} — {origin}"


def answer_markdown(answer: Answer, turn: int = 0, lang: str = "fr") -> str:
    """The answer for the chat: [n] as chips that open their source, the sources listed, removed sentences marked."""
    if answer.abstained:
        return f'<div class="refusal"{_dir(answer.text)}>⚠️ {html.escape(answer.text)}</div>'
    body = re.sub(r"\[(\d+)\]", lambda m: f"[{m.group(1)}](#cite-{turn}-{m.group(1)})", answer.text)
    lines = [f'<div class="answer"{_dir(answer.text)}>\n\n{body}\n\n</div>']
    if answer.citations:
        refs = "  \n".join(f"[{c.n}] {_source_line(c, lang)}" for c in answer.citations)
        lines.append(f'<div class="refs">\n\n**{t(lang, "sources_list")}**  \n{refs}\n\n</div>')
    flagged = [s for s in answer.sentences if not s.supported]
    if flagged:
        items = "".join(f"<li><del>{html.escape(s.text)}</del> — {html.escape(s.reason)}</li>" for s in flagged)
        lines.append(f'<details class="flagged"><summary>⚠ {t(lang, "removed_n", n=len(flagged))}</summary>'
                     f"<ul>{items}</ul></details>")
    return "\n\n".join(lines)


def answer_plain(answer: Answer, lang: str = "fr") -> str:
    """The answer as plain text with its sources and quotes, for the clipboard."""
    lines = [answer.text]
    if answer.citations:
        lines += ["", t(lang, "sources_list") + (" :" if lang == "fr" else ":")]
        for c in answer.citations:
            lines.append(f"[{c.n}] {_source_line(c, lang)} ({c.doc_id})")
            lines.append(f"    « {c.quote} »")
    return "\n".join(lines)


def conversation_markdown(turns: list[tuple[str, Answer | None, str]], lang: str = "fr") -> str:
    """The whole conversation as Markdown: each question, its answer, its sources with their quotes."""
    out = [f"# {t(lang, 'chat')} — Communiqués", ""]
    for question, answer, shown in turns:
        out += [f"## {question}", ""]
        if answer is None:
            out += [shown, ""]
            continue
        out += [("> " if answer.abstained else "") + answer.text, ""]
        for c in answer.citations:
            out.append(f"- **[{c.n}]** {_source_line(c, lang)} (`{c.doc_id}`)  ")
            out.append(f"  « {c.quote} »")
        out.append("")
    return "\n".join(out)


def document_html(record, chunks, lang: str = "fr") -> str:
    """One indexed communiqué: its metadata and its passages in order."""
    meta = [(t(lang, "col_id"), record.doc_id), (t(lang, "col_date"), record.date or t(lang, "undated")),
            (t(lang, "col_issuer"), record.issuer), (t(lang, "col_lang"), record.lang),
            (t(lang, "col_type"), record.doc_type), ("référence" if lang == "fr" else "reference", record.reference),
            ("source", record.source)]
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in meta if v)
    page = t(lang, "page")
    passages = "".join(
        f'<div class="doc-chunk" id="chunk-{html.escape(c.chunk_id)}"><span class="src-n">#{c.index}</span>'
        + (f" <i>({page} {c.page})</i>" if c.page else "")
        + f'<div{_dir(c.text)}>{html.escape(c.text).replace(chr(10), "<br>")}</div></div>'
        for c in chunks)
    return (f'<div class="doc-view"><h3{_dir(record.title)}>{html.escape(record.title)}</h3>'
            f'<table class="doc-meta">{rows}</table><h4>{len(chunks)} {t(lang, "passages")}</h4>{passages}</div>')


CSS = """
.src-card {border: 1px solid #ddd; border-radius: 8px; padding: 8px 10px; margin: 8px 0; background: #fafafa;
           transition: box-shadow .2s, border-color .2s;}
.src-card.active {border-color: #1a5fb4; box-shadow: 0 0 0 3px rgba(26,95,180,.25); background: #fff;}
.src-head {font-size: 0.95em;} .src-n {color: #1a5fb4; font-weight: bold;}
.src-meta {color: #666; font-size: 0.8em; margin: 2px 0 6px;}
.src-body {font-size: 0.88em; line-height: 1.4;} .src-body mark {background: #fff3a3; padding: 0 2px;}
.src-abstain {color: #a51d2d; font-weight: bold; margin: 6px 0;}
.src-flagged {color: #8a4b00; font-size: 0.85em;}
a[href^="#cite-"] {display: inline-block; min-width: 1.4em; padding: 0 5px; margin: 0 1px; border-radius: 9px;
                   background: #e3edf9; color: #1a5fb4 !important; font-size: .8em; font-weight: 600;
                   text-decoration: none !important; text-align: center; line-height: 1.5; cursor: pointer;}
a[href^="#cite-"]:hover {background: #1a5fb4; color: #fff !important;}
.refusal {border-left: 4px solid #c64600; background: #fff4e5; padding: 6px 10px; border-radius: 4px; color: #6b2e00;}
.refs {font-size: .82em; color: #555; border-top: 1px solid #e5e5e5; margin-top: 6px; padding-top: 4px;}
details.flagged {font-size: .82em; color: #8a4b00; margin-top: 4px;} details.flagged del {color: #8a4b00;}
.open-doc {font-size: .95em; white-space: nowrap;}
.doc-view .doc-meta th, .doc-view .doc-meta td {border: none !important; padding: 2px 12px 2px 0 !important;}
.doc-view .doc-meta th {text-align: start; color: #666; font-weight: normal;}
.doc-chunk {border-top: 1px solid #eee; padding: 6px 0; font-size: .9em;}
#chat .message, #chat .message p, .src-body, .doc-chunk div {unicode-bidi: plaintext; text-align: start;}
.hidden-command {display: none !important;}
"""

# Citation chips and document links are plain anchors in rendered Markdown; this script turns their clicks
# into actions: focus the card when it is on screen, else ask the server (through a hidden box) to show it.
SCRIPT = """
<script>
(() => {
  const send = (value) => {
    const box = document.querySelector('#ui-command textarea, #ui-command input');
    if (!box) return;
    box.value = value + '|' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  };
  const focusCard = (turn, n) => {
    const card = document.getElementById(`src-${turn}-${n}`);
    if (!card) return false;
    document.querySelectorAll('.src-card.active').forEach(c => c.classList.remove('active'));
    card.classList.add('active');
    card.scrollIntoView({block: 'nearest', behavior: 'smooth'});
    return true;
  };
  window.communiquesFocus = focusCard;
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#cite-"], a[href^="#doc-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const href = link.getAttribute('href');
    if (href.startsWith('#cite-')) {
      const [turn, n] = href.slice(6).split('-');
      if (!focusCard(turn, n)) send(`cite:${turn}:${n}`);
    } else {
      send(`doc:${decodeURIComponent(href.slice(5))}`);
    }
  }, true);
})();
</script>
"""
