"""The components of the page, one function per part: chat column, feedback box, filters, Documents, Upload."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ui.chat import example_questions
from ui.page import Page
from ui.render import sources_html


@dataclass
class FilterFields:
    """The filters on what is searched: dates, issuer, language, type."""

    since: gr.Textbox
    until: gr.Textbox
    issuer: gr.Dropdown
    lang: gr.Dropdown
    doc_type: gr.Dropdown


@dataclass
class FeedbackBox:
    """Shown after a rating: its thanks and a comment field."""

    group: gr.Group
    message: gr.Markdown
    comment: gr.Textbox
    send: gr.Button


@dataclass
class ChatTab:
    """The Chat tab: the conversation, its question box and buttons, and the sources panel beside it."""

    chatbot: gr.Chatbot
    box: gr.Textbox
    send: gr.Button
    feedback: FeedbackBox
    filters: FilterFields
    clear: gr.Button
    copy: gr.Button
    export: gr.DownloadButton
    copy_text: gr.Textbox
    panel: gr.HTML


@dataclass
class DocumentsTab:
    """The Documents tab: search, table, one document's view and its delete button."""

    query: gr.Textbox
    count: gr.Markdown
    table: gr.Dataframe
    current: gr.Textbox
    status: gr.Markdown
    delete: gr.Button
    view: gr.HTML


@dataclass
class UploadTab:
    """The Upload tab (admins): files in, one result row per file out."""

    tab: gr.Tab
    files: gr.File
    go: gr.Button
    status: gr.Markdown
    table: gr.Dataframe


def chat_tab(page: Page, records, issuers: list[str], types: list[str]) -> ChatTab:
    """The chat column (question, examples, feedback, filters, conversation buttons) beside the sources panel."""
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label=page.label("chat"), height=520, elem_id="chat", buttons=[])
            with gr.Row():
                box = gr.Textbox(placeholder=page.label("question"), show_label=False, scale=5, elem_id="question")
                send = gr.Button(page.label("send"), variant="primary", scale=1, elem_id="send")
            examples = example_questions(records)
            if examples:
                gr.Examples(examples, inputs=box, label=page.label("examples"))
            feedback = feedback_box(page)
            filters = filter_fields(page, issuers, types)
            with gr.Row():
                clear = gr.Button(page.label("new"), size="sm", elem_id="new-conversation")
                copy = gr.Button(page.label("copy"), size="sm", elem_id="copy", interactive=False)
                export = gr.DownloadButton(page.label("export"), size="sm", elem_id="export", interactive=False)
            copy_text = gr.Textbox(visible="hidden", elem_id="copy-text")
        with gr.Column(scale=2):
            panel = gr.HTML(sources_html(()), elem_id="sources")
    return ChatTab(chatbot, box, send, feedback, filters, clear, copy, export, copy_text, panel)


def feedback_box(page: Page) -> FeedbackBox:
    """The box shown after a rating: its thanks, and a comment to attach to it."""
    with gr.Group(visible=False, elem_id="feedback-box") as group:
        message = gr.Markdown(elem_id="feedback-msg")
        comment = gr.Textbox(label=page.label("comment"), lines=2, elem_id="feedback-comment")
        send = gr.Button(page.label("send_comment"), size="sm", elem_id="feedback-send")
    return FeedbackBox(group, message, comment, send)


def filter_fields(page: Page, issuers: list[str], types: list[str]) -> FilterFields:
    """The folded filters: dates, issuer, language and type of the communiqués searched."""
    with gr.Accordion(page.label("filters"), open=False, elem_id="filters"):
        with gr.Row():
            since = gr.Textbox(label=page.label("since"), elem_id="since")
            until = gr.Textbox(label=page.label("until"), elem_id="until")
        with gr.Row():
            issuer = gr.Dropdown([""] + issuers, value="", label=page.label("issuer"),
                                 allow_custom_value=True, elem_id="issuer")
            lang = gr.Dropdown(["", "fr", "en", "ar"], value="", label=page.label("language"), elem_id="lang")
            doc_type = gr.Dropdown([""] + types, value="", label=page.label("type"), elem_id="doc-type")
    return FilterFields(since, until, issuer, lang, doc_type)


def documents_tab(page: Page) -> DocumentsTab:
    """The Documents tab: search, the table of indexed communiqués, one document's view, and delete (admins)."""
    query = gr.Textbox(label=page.label("docs_search"), elem_id="docs-query")
    count = gr.Markdown(elem_id="docs-count")
    table = gr.Dataframe(interactive=False, wrap=True, elem_id="docs-table", max_height=360)
    current = gr.Textbox(visible="hidden", elem_id="current-doc")
    status = gr.Markdown(elem_id="docs-status")
    delete = gr.Button(page.label("delete"), variant="stop", size="sm", visible=False, elem_id="delete-doc")
    view = gr.HTML(elem_id="doc-view")
    return DocumentsTab(query, count, table, current, status, delete, view)


def upload_tab(page: Page) -> UploadTab:
    """The Upload tab (shown to admins only, at page load): files in, one result row per file out."""
    with gr.Tab(page.label("tab_upload"), id="upload", elem_id="tab-upload", visible=False) as tab:
        files = gr.File(file_count="multiple", file_types=list(page.library.suffixes), label=page.label("upload_files"),
                        elem_id="upload-files")
        go = gr.Button(page.label("upload_go"), variant="primary", elem_id="upload-go")
        status = gr.Markdown(elem_id="upload-status")
        table = gr.Dataframe(interactive=False, wrap=True, elem_id="upload-results", visible=False)
    return UploadTab(tab, files, go, status, table)
