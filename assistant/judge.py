"""The model asked one closed question ("does this sentence answer this question?"), read as a probability.

The answer is never the model's wording: one token is scored, and the share of "yes" against "no" in the model's
next-token distribution is returned. llama.cpp gives it in process or in the model's child process; an
OpenAI-compatible server gives it through ``top_logprobs`` when it returns them (otherwise no probability: the rule
that reads it lets the answer through).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

log = logging.getLogger(__name__)

YES, NO = "yes", "no"

SYSTEM = ("You check answers taken from official press releases. Given a question and one sentence of a release, say "
          "whether the sentence gives the answer to exactly what the question asks (the same thing, the same event, "
          "the same kind of figure or date). Reply with one word: yes or no.")


def messages_for(question: str, sentence: str) -> list[dict]:
    """The chat messages of one check: a fixed system prompt first (llama.cpp reuses its evaluation between checks)."""
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Question: {question}\nSentence: {sentence}\n"
                                        "Does the sentence answer the question? yes or no"}]


def _variants(word: str) -> tuple[str, ...]:
    return (word, word.capitalize(), " " + word, " " + word.capitalize(), word.upper())


def choice_probabilities(llama, messages: Sequence[dict], choices: Sequence[str] = (YES, NO)) -> dict[str, float]:
    """The probability of each one-word choice as the model's next token after ``messages``, renormalised over the
    choices (``llama`` is a ``llama_cpp.Llama``). Each choice counts its spellings ("yes", "Yes", " yes"…)."""
    import numpy as np
    from llama_cpp import LogitsProcessorList

    seen: dict[str, np.ndarray] = {}

    def grab(_input_ids, scores):
        seen["scores"] = np.array(scores, dtype=np.float64, copy=True)
        return scores

    llama.create_chat_completion(messages=list(messages), max_tokens=1, temperature=0.0,
                                 logits_processor=LogitsProcessorList([grab]))
    logits = seen["scores"]
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    mass = {}
    for choice in choices:
        ids = {llama.tokenize(v.encode("utf-8"), add_bos=False, special=False)[0] for v in _variants(choice)}
        mass[choice] = float(sum(probs[i] for i in ids))
    total = sum(mass.values())
    return {c: (m / total if total else 1.0 / len(choices)) for c, m in mass.items()}


def _from_top_logprobs(top: Sequence[dict], choices: Sequence[str]) -> dict[str, float] | None:
    """The choices' shares among an OpenAI-style ``top_logprobs`` list (None when neither is among them)."""
    mass = {c: 0.0 for c in choices}
    for entry in top:
        token = str(entry.get("token", "")).strip().lower()
        if token in mass:
            mass[token] += math.exp(float(entry.get("logprob", -math.inf)))
    total = sum(mass.values())
    return {c: m / total for c, m in mass.items()} if total else None


class Judge:
    """Scores "does this sentence answer this question?" with a chat model; ``None`` when the model cannot say (a
    server that returns no log-probabilities, a fake model)."""

    def __init__(self, llm):
        self.llm = llm

    def yes(self, question: str, sentence: str) -> float | None:
        """P(yes) for this sentence answering this question, or None."""
        messages = messages_for(question, sentence)
        try:
            if hasattr(self.llm, "choice_probabilities"):  # the model's child process
                return self.llm.choice_probabilities(messages, (YES, NO))[YES]
            client = getattr(self.llm, "client", None)
            if client is not None and hasattr(client, "create_chat_completion"):  # llama.cpp in this process
                return choice_probabilities(client, messages)[YES]
            if getattr(self.llm, "_llm_type", "") == "openai-chat" or hasattr(self.llm, "openai_api_base"):
                reply = self.llm.bind(logprobs=True, top_logprobs=10, max_tokens=1).invoke(
                    [(m["role"], m["content"]) for m in messages])
                content = (reply.response_metadata.get("logprobs") or {}).get("content") or []
                shares = _from_top_logprobs(content[0].get("top_logprobs", []), (YES, NO)) if content else None
                return None if shares is None else shares[YES]
        except Exception as exc:  # noqa: BLE001 - a check that cannot run must not fail the answer
            log.warning("judge failed: %s", exc)
        return None
