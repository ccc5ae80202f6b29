"""Citations as an answer shows them: the markers before a sentence's final punctuation, and the sentences of the
passage that best support a claim, quoted."""

from __future__ import annotations

from textkit.sentences import sentences_of
from textkit.terms import numbers, terms


def best_quote(claim: str, passage_text: str, lang: str, max_sentences: int = 2, question: str = "") -> str:
    """The sentence(s) of the passage that best support the claim.

    What the claim adds to the question (its new words and numbers) weighs most: for "14 avions" asked
    "combien d'avions… en 2025 ?", the sentence with 14 wins over one that only repeats the question.
    """
    sentences = sentences_of(passage_text, lang)
    if not sentences:
        return passage_text[:300]
    claim_terms, claim_nums = set(terms(claim)), numbers(claim)
    novel_terms, novel_nums = claim_terms - set(terms(question)), claim_nums - numbers(question)

    def score(s: str) -> float:
        sentence_terms, sentence_nums = set(terms(s)), numbers(s)
        return (0.5 * len(sentence_terms & claim_terms) + 2 * len(sentence_terms & novel_terms)
                + len(sentence_nums & claim_nums) + 3 * len(sentence_nums & novel_nums))

    ranked = sorted(range(len(sentences)), key=lambda i: (-score(sentences[i]), i))
    top = score(sentences[ranked[0]])
    if top == 0:
        return sentences[0]
    # A second sentence only when it supports the claim nearly as well (a claim drawn from two sentences).
    keep = [i for i in ranked[:max_sentences] if score(sentences[i]) >= 0.75 * top]
    return " ".join(sentences[i] for i in sorted(keep))


def with_citations(sentence: str, numbers_: list[int]) -> str:
    """Place the citation markers before the sentence's final punctuation: "... 2025 [1]."."""
    body = sentence.rstrip()
    end = ""
    while body and body[-1] in ".!?؟。":
        end = body[-1] + end
        body = body[:-1].rstrip()
    marks = "".join(f" [{n}]" for n in numbers_)
    return f"{body}{marks}{end or '.'}"
