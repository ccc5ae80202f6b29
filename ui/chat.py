"""One chat turn as a stream of page updates, and the conversation it adds to (what the page showed, per turn)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.errors import ServiceUnavailable
from assistant.model_queue import ModelQueue, Place
from assistant.questions import InvalidQuestion
from core.types import Answer, AnswerEvent, SourcesEvent, TokenEvent
from ui.render import answer_markdown, answer_sources_html, sources_html
from ui.texts import t

log = logging.getLogger(__name__)


def example_questions(records, n: int = 3) -> list[str]:
    """Questions about the most recent indexed communiqués, in their language, for an empty chat."""
    templates = {"fr": "Que retient le communiqué « {} » ?", "en": "What are the key points of \"{}\"?",
                 "ar": "ما أهم ما جاء في بلاغ «{}»؟"}
    out = []
    for r in records:
        if r.title and len(r.title) < 110:
            out.append(templates.get(r.lang, templates["fr"]).format(r.title))
        if len(out) == n:
            break
    return out


@dataclass
class Turn:
    """One question of a conversation and what the page showed for it (``answer`` is None after an error)."""

    question: str
    answer: Answer | None
    shown: str


@dataclass
class Conversation:
    """What one browser session said and was answered; the id tells feedback rows of different conversations apart."""

    id: str = ""
    turns: list[Turn] = field(default_factory=list)
    feedback_id: int | None = None  # the last rating given, so that a comment can be attached to it


class ChatHandler:
    """Turns one chat turn into a stream of (chat history, sources HTML, conversation) updates."""

    def __init__(self, chain, model_queue: ModelQueue | None = None, poll_s: float = 0.5):
        self.chain = chain
        # Alone (a script, a test) a handler has a line of its own; the web app shares the container's.
        self.model_queue = model_queue if model_queue is not None else ModelQueue(1)
        self.poll_s = poll_s  # how often a waiting question looks again at how many are ahead

    def respond(self, message: str, history: list[dict], conversation: Conversation | None = None,
                filters=None, lang: str = "fr") -> Iterator[tuple[list[dict], str, Conversation]]:
        conv = conversation if conversation is not None else Conversation()
        message = (message or "").strip()
        history = list(history or [])
        if not message:
            yield history, sources_html((), lang), conv
            return
        conv.id = conv.id or uuid.uuid4().hex
        turn = len(conv.turns)
        prior = _prior(conv)
        history = history + [{"role": "user", "content": message}, {"role": "assistant", "content": "…"}]
        searching = f"<div class='src-empty'>{t(lang, 'searching')}</div>"
        yield history, searching, conv
        streamed = ""
        sources = ""
        with self.model_queue.join() as place:
            try:
                if prior:  # a follow-up is rewritten by the model before it is searched: its turn comes first
                    yield from self._wait_for_model(place, history, searching, conv, lang)
                for event in self.chain.stream(message, prior[-6:] or None, filters):
                    if isinstance(event, SourcesEvent):
                        sources = sources_html(event.passages, lang)
                        yield history, sources, conv
                        # The sources are on the page; what comes next may ask the model, in this question's turn.
                        yield from self._wait_for_model(place, history, sources, conv, lang)
                    elif isinstance(event, TokenEvent):
                        streamed += event.text
                        history = history[:-1] + [{"role": "assistant", "content": streamed + " ▌"}]
                        yield history, sources, conv
                    elif isinstance(event, AnswerEvent):
                        shown = answer_markdown(event.answer, turn, lang)
                        conv.turns.append(Turn(message, event.answer, shown))
                        history = history[:-1] + [{"role": "assistant", "content": shown}]
                        yield history, answer_sources_html(event.answer, turn, lang), conv
            except Exception as exc:  # the user gets a clear message, never a stack trace
                log.exception("answer failed")
                # A question the user can fix, or a service that failed (the model's process crashed): the message
                # says what happened and what to do; anything else, a generic message.
                plain = isinstance(exc, (InvalidQuestion, ServiceUnavailable))
                shown = "⚠️ " + (str(exc) if plain else t(lang, "error", kind=type(exc).__name__))
                conv.turns.append(Turn(message, None, shown))
                history = history[:-1] + [{"role": "assistant", "content": shown}]
                yield history, sources, conv

    def _wait_for_model(self, place: Place, history: list[dict], panel: str, conv: Conversation,
                        lang: str) -> Iterator[tuple[list[dict], str, Conversation]]:
        """While questions ahead hold the model, say how many (updated as they leave); nothing if it is free."""
        shown = None
        while not place.wait(0 if shown is None else self.poll_s):
            ahead = place.ahead()
            if ahead != shown:
                shown = ahead
                waiting = {"role": "assistant", "content": t(lang, "waiting_model", n=ahead)}
                yield history[:-1] + [waiting], panel, conv
        if shown is not None:
            yield history, panel, conv  # its turn: back to "…" until the first words


def _prior(conv: Conversation) -> list[dict]:
    # The chain rewrites follow-ups from the plain answers, not from the page's Markdown.
    out = []
    for turn in conv.turns:
        out.append({"role": "user", "content": turn.question})
        if turn.answer is not None:
            out.append({"role": "assistant", "content": turn.answer.text})
    return out


def turn_of(history: list[dict], index) -> int:
    """Which answer of the conversation the chat message at ``index`` is."""
    i = index[0] if isinstance(index, (list, tuple)) else int(index)
    return sum(1 for m in history[:i] if m.get("role") == "assistant")
