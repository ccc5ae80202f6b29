"""The Gradio app: a thin adapter over ``assistant`` (chain, library, feedback, users) that renders what they give."""

from __future__ import annotations

import gradio as gr

from assistant.users import ExpiringSessions
from ui.chat import ChatHandler, Conversation, Turn, example_questions, turn_of
from ui.events import (wire_commands, wire_conversation_buttons, wire_delete, wire_documents, wire_feedback,
                       wire_page_load, wire_questions, wire_upload)
from ui.layout import chat_tab, documents_tab, upload_tab
from ui.page import Page
from ui.render import CSS, SCRIPT
from ui.texts import TEXTS

# The chat's parts were defined here first; code and tests import them from ui.app.
__all__ = ["ChatHandler", "Conversation", "Turn", "build_app", "example_questions", "launch", "turn_of"]


def build_app(container):
    """The Gradio Blocks app for ``container``: Chat, Documents and Upload tabs, login and roles when configured."""
    page = Page.of(container)
    issuers, types, records = page.facets()
    with gr.Blocks(title="Communiqués") as demo:
        conv = gr.State(Conversation())
        header = gr.Markdown(elem_id="header")
        command = gr.Textbox(visible="hidden", elem_id="ui-command")
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab(page.label("tab_chat"), id="chat", elem_id="tab-chat"):
                chat = chat_tab(page, records, issuers, types)
            with gr.Tab(page.label("tab_documents"), id="documents", elem_id="tab-documents"):
                docs = documents_tab(page)
            upload = upload_tab(page)
        # The events are wired in this order so that each keeps its place (and its id) in the page's config.
        wire_page_load(demo, page, header, upload.tab, docs, chat.panel)
        wire_questions(page, chat, conv)
        wire_conversation_buttons(page, chat, conv)
        wire_feedback(page, chat, conv)
        wire_documents(page, docs)
        wire_commands(page, command, conv, chat.panel, tabs, docs)
        wire_delete(page, docs)
        wire_upload(page, upload, docs, chat.filters)
    return demo, page.i18n


def queued(demo, settings):
    """``demo`` with Gradio's queue: ``ui.questions_at_once`` questions searched side by side; their answers take the
    shared model in turn (container.model_queue, ``llm.slots`` at once), saying how many are ahead. With 4 at once,
    30 users' searches waited in Gradio's queue behind each other's whole answers (sources p95 3.5-3.7 s on 2 cores);
    with 32, 1.9-2.3 s (docs/benchmarks.md, Concurrency)."""
    return demo.queue(default_concurrency_limit=settings.ui.questions_at_once)


def launch(container, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Warm the models, then serve the app (blocking). Login is on when a users file is configured."""
    container.warm_up()
    demo, i18n = build_app(container)
    users = container.users
    lang = container.settings.ui.language
    message = " / ".join(TEXTS[x]["login_message"] for x in (("fr", "en") if lang == "auto" else (lang,)))
    queued(demo, container.settings).launch(
        server_name=host, server_port=port, css=CSS, head=SCRIPT, show_error=False, i18n=i18n,
        auth=users.check if users is not None else None, auth_message=message if users is not None else None,
        prevent_thread_lock=True)
    if users is not None:  # sessions that end by themselves
        demo.server_app.tokens = ExpiringSessions(container.settings.ui.session_s)
    demo.block_thread()
