"""The text of a passage: the sentences of its chunks that best match the question, within a length, and the
sentences that a chunk boundary cut made whole again."""

from __future__ import annotations

from collections.abc import Callable

from core.types import Chunk
from textkit.sentences import FULL_STOP, announced_length, sentences_of, split_sentences
from textkit.terms import terms


def sentence_scores(sentences: list[str], query_terms: set[str], idf=None) -> list[float]:
    """IDF-weighted share of the question's terms that each sentence contains (0..1)."""
    idf = idf or (lambda term: 1.0)
    total = sum(idf(t) for t in query_terms) or 1.0
    return [sum(idf(t) for t in query_terms & set(terms(s))) / total for s in sentences]


def trim_passage(text: str, query_terms: set[str], max_chars: int, lang: str = "fr", idf=None,
                 relevance_first: bool = False) -> tuple[str, float]:
    """Keep the sentences of ``text`` that best match the question within ``max_chars``.

    Returns the trimmed text and the score of its best sentence. Sentences stay in document order, or, with
    ``relevance_first``, the best-matching come first (a small model reads the first lines most). With no
    shared term (e.g. a question in another language), the opening sentences are kept.
    """
    sentences = sentences_of(text, lang)
    if not sentences:
        return text[:max_chars], 0.0
    scores = sentence_scores(sentences, query_terms, idf)
    best = max(scores)
    if len(text) <= max_chars and not relevance_first:
        return text, best
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i)) if best > 0 else list(range(len(sentences)))
    keep: list[int] = []
    used = 0
    for i in ranked:
        if used + len(sentences[i]) > max_chars and keep:
            continue
        keep.append(i)
        used += len(sentences[i]) + 1
    order = keep if relevance_first and best > 0 else sorted(keep)
    out = []
    for j, i in enumerate(order):
        if out and (relevance_first or i - 1 != order[j - 1]):
            out.append("…")
        out.append(clip_sentence(sentences[i], query_terms, max_chars, idf))
    return " ".join(out), best


def clip_sentence(sentence: str, query_terms: set[str], max_chars: int, idf=None) -> str:
    """A sentence longer than ``max_chars`` cut to the run of its words within that length that holds most of the
    question's terms (the first such run), "…" marking each cut: "…en particulier la COP26 de Glasgow." for a
    question on the COP, not the sentence's first 360 characters."""
    if len(sentence) <= max_chars:
        return sentence
    words = sentence.split(" ")
    runs = []
    for start in range(len(words)):
        end, size = start, 0
        while end < len(words) and size + len(words[end]) + 1 <= max_chars:
            size += len(words[end]) + 1
            end += 1
        runs.append((start, max(end, start + 1)))
        if end == len(words):
            break
    scores = sentence_scores([" ".join(words[a:b]) for a, b in runs], query_terms, idf)
    if not any(scores):  # (a question in another language: no word to go by)
        return sentence[:max_chars] + "…"
    start, end = runs[max(range(len(runs)), key=lambda i: (scores[i], -i))]
    return ("…" if start else "") + " ".join(words[start:end]) + ("…" if end < len(words) else "")


def runs_on(before: str, after: str, lang: str = "fr", cut_at: int = 450) -> bool:
    """Whether the chunk text ``before`` stops in the middle of a sentence that the next chunk's ``after`` goes on
    with: the chunker cuts a sentence longer than ``cut_at`` characters at a word, into pieces of nearly that length
    ("…qui sont devant nous, en particulier" | "la COP26 de Glasgow."). Not after a full stop or a colon, nor where
    ``after`` repeats the piece (the chunks' overlap)."""
    end = before.rstrip()
    # Splitting keeps every character, so the last sentence ends as the text does: a chunk ending in a full stop, as
    # most do, is not split into sentences at all (a retrieval's coldest cost was splitting its passages' neighbours).
    if not end or not (end[-1].isalnum() or end[-1] == ","):
        return False
    tail, head = sentences_of(before, lang)[-1:], sentences_of(after, lang)[:1]
    if not tail or not head or len(tail[0]) < cut_at - 30 or head[0].startswith(tail[0]):
        return False
    return (tail[0][-1].isalnum() or tail[0][-1] == ",") and len(split_sentences(f"{tail[0]} {head[0]}", lang)) == 1


def without_overlap(before: str, after: str, lang: str = "fr", most: int = 4) -> str:
    """The text of chunk ``after`` without the sentences at its start that end the chunk ``before``: the chunker
    repeats the last sentence of a chunk at the start of the next one within a paragraph, so a passage of two adjacent
    chunks joined as they are reads that sentence twice, and so does the source a citation opens (measured on the
    development sets' passages: 355 of 2,821 read a sentence twice). ``after`` itself when it repeats nothing. At
    most ``most`` sentences are looked for (the chunker repeats ``overlap_sentences``, 1 by default)."""
    start = after.lstrip()
    if not start or start.split("\n", 1)[0][:40] not in before:  # (most joins: no sentence splitting at all)
        return after
    tail = sentences_of(before, lang)[-most:]
    for k in range(len(tail), 0, -1):
        rest = start
        for sentence in tail[-k:]:  # (whatever the spaces or line breaks between them)
            rest = rest.lstrip()
            if not rest.startswith(sentence) or not (len(rest) == len(sentence) or rest[len(sentence)].isspace()):
                break
            rest = rest[len(sentence):]
        else:
            return rest.lstrip(" ")
    return after


def whole_sentences(ordered: list[Chunk], neighbour: Callable[[Chunk, int], Chunk | None], chunk_chars: int) -> str:
    """The text of adjacent chunks of one release (in order), a paragraph per chunk, with the sentences cut at
    their ends made whole: a sentence longer than a chunk (``chunk_chars``) was cut at a word, and its passage would
    end "…en particulier" without the "la COP26 de Glasgow." that answers. The start of a sentence the first chunk
    begins in the middle of comes from the chunk before (``neighbour(chunk, -1)``); the end of one the last chunk
    stops in the middle of, from the chunk after; two chunks of the passage that cut one sentence are joined within
    it. (Measured on the development corpus: 160 of its 6,266 chunks end in the middle of a sentence; the sample:
    none.) A last chunk ending with a colon reads on with what it announces (``announced_in``)."""
    lang = ordered[0].lang or "fr"
    before, after = neighbour(ordered[0], -1), neighbour(ordered[-1], 1)
    text = ordered[0].text
    if before is not None and runs_on(before.text, text, lang, chunk_chars):
        text = f"{sentences_of(before.text, lang)[-1]} {text}"
    for previous, chunk in zip(ordered, ordered[1:]):
        if runs_on(previous.text, chunk.text, lang, chunk_chars):
            text += " " + chunk.text
            continue
        rest = without_overlap(previous.text, chunk.text, lang)
        if rest == chunk.text:
            text += "\n" + chunk.text
        elif rest:  # (it goes on with the paragraph the repeated sentence ended, unless it starts one)
            text += ("" if rest.startswith("\n") else " ") + rest
    if after is not None and runs_on(ordered[-1].text, after.text, lang, chunk_chars):
        text += " " + sentences_of(after.text, lang)[0]
    elif after is not None and ordered[-1].text.rstrip().endswith(":"):
        rest = without_overlap(ordered[-1].text, after.text, lang).lstrip("\n")
        text += "\n" + announced_in(rest, lang) if rest else ""
    return text


def announced_in(text: str, lang: str) -> str:
    """The start of ``text`` up to its first sentence ending with a full stop, as written: what a passage ending
    with a colon announces ("…autour de quatre piliers :"), a list to its last item's full stop (a numbered list to
    its last numbered item), or a declaration's first sentence, is the next chunk's start; all of ``text`` when no
    sentence of it ends so."""
    sentences = sentences_of(text, lang)
    taken = sentences[:announced_length(sentences, len(sentences))]
    end = 0
    for sentence in taken:
        at = text.find(sentence, end)
        if at < 0:
            return text
        end = at + len(sentence)
    return text[:end] if taken and taken[-1].rstrip().endswith(FULL_STOP) else text
