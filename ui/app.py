"""The Gradio chat: a thin adapter that renders what the chain yields."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from assistant.types import AnswerEvent, SourcesEvent, TokenEvent
from ui.render import CSS, LABELS, answer_markdown, answer_sources_html, sources_html

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


class ChatHandler:
    """Turns one chat turn into a stream of (chat history, sources HTML) updates."""

    def __init__(self, chain):
        self.chain = chain

    def respond(self, message: str, history: list[dict], since: str = "", until: str = "", issuer: str = "",
                lang: str = "", doc_type: str = "") -> Iterator[tuple[list[dict], str]]:
        from vectorstore.retriever import Filters

        message = (message or "").strip()
        history = list(history or [])
        if not message:
            yield history, sources_html(())
            return
        prior = [{"role": t["role"], "content": _plain(t["content"])} for t in history if t.get("role") in ("user", "assistant")]
        history = history + [{"role": "user", "content": message}, {"role": "assistant", "content": "…"}]
        yield history, f"<div class='src-empty'>{LABELS['searching']}</div>"
        filters = Filters(since=since or "", until=until or "", issuer=issuer or "", lang=lang or "",
                          doc_type=doc_type or "")
        streamed = ""
        sources = ""
        try:
            for event in self.chain.stream(message, prior[-6:] or None, filters):
                if isinstance(event, SourcesEvent):
                    sources = sources_html(event.passages)
                    yield history, sources
                elif isinstance(event, TokenEvent):
                    streamed += event.text
                    history = history[:-1] + [{"role": "assistant", "content": streamed + " ▌"}]
                    yield history, sources
                elif isinstance(event, AnswerEvent):
                    history = history[:-1] + [{"role": "assistant", "content": answer_markdown(event.answer)}]
                    yield history, answer_sources_html(event.answer)
        except Exception as exc:  # the user gets a clear message, never a stack trace
            log.exception("answer failed")
            history = history[:-1] + [{"role": "assistant",
                                       "content": f"⚠️ Erreur : la réponse n'a pas pu être produite ({type(exc).__name__})."}]
            yield history, sources


def _plain(content) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(c.get("text", "")) if isinstance(c, dict) else str(c) for c in content)
    return str(content)


def build_app(container):
    """The Gradio Blocks app for ``container``."""
    import gradio as gr

    handler = ChatHandler(container.chain)
    records = container.manifest.all()
    issuers = sorted({r.issuer for r in records if r.issuer})
    types = sorted({r.doc_type for r in records if r.doc_type})
    with gr.Blocks(title="Communiqués") as demo:
        gr.Markdown("## Communiqués\nPosez une question sur les communiqués officiels indexés "
                    f"({len(records)} documents). Chaque affirmation est vérifiée et citée.")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Conversation", height=520, elem_id="chat")
                with gr.Row():
                    box = gr.Textbox(placeholder="Votre question (français, English, العربية)…", show_label=False,
                                     scale=5, elem_id="question")
                    send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
                examples = example_questions(records)
                if examples:
                    gr.Examples(examples, inputs=box)
                with gr.Accordion("Filtres", open=False):
                    with gr.Row():
                        since = gr.Textbox(label="Depuis (AAAA-MM-JJ)", elem_id="since")
                        until = gr.Textbox(label="Jusqu'au (AAAA-MM-JJ)", elem_id="until")
                    with gr.Row():
                        issuer = gr.Dropdown([""] + issuers, value="", label="Émetteur", allow_custom_value=True)
                        lang = gr.Dropdown(["", "fr", "en", "ar"], value="", label="Langue")
                        doc_type = gr.Dropdown([""] + types, value="", label="Type")
                clear = gr.Button("Nouvelle conversation")
            with gr.Column(scale=2):
                panel = gr.HTML(sources_html(()), elem_id="sources")
        inputs = [box, chatbot, since, until, issuer, lang, doc_type]
        for trigger in (box.submit, send.click):
            trigger(handler.respond, inputs, [chatbot, panel]).then(lambda: "", None, box)
        clear.click(lambda: ([], sources_html(())), None, [chatbot, panel])
    return demo


def launch(container, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Warm the models, then serve the app (blocking)."""
    container.retriever.keyword  # build the keyword index before the first question
    container.store.embeddings.embed_query("warm-up")
    container.chain.warm_up()
    demo = build_app(container)
    demo.queue(default_concurrency_limit=1).launch(server_name=host, server_port=port, css=CSS, show_error=False)
