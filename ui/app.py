"""The Gradio app: a thin adapter over ``assistant`` (chain, library, feedback, users) that renders what they give."""

from __future__ import annotations

import json
import logging
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from assistant.errors import ServiceUnavailable
from assistant.questions import InvalidQuestion
from assistant.users import ExpiringSessions
from core.types import Answer, AnswerEvent, SourcesEvent, TokenEvent, answer_json
from ui.render import (CSS, SCRIPT, answer_markdown, answer_plain, answer_sources_html, conversation_markdown,
                       document_html, sources_html)
from ui.texts import TEXTS, pick_language, t

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

    def __init__(self, chain):
        self.chain = chain

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
        yield history, f"<div class='src-empty'>{t(lang, 'searching')}</div>", conv
        streamed = ""
        sources = ""
        try:
            for event in self.chain.stream(message, prior[-6:] or None, filters):
                if isinstance(event, SourcesEvent):
                    sources = sources_html(event.passages, lang)
                    yield history, sources, conv
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


@dataclass
class _Page:
    """What every part of the page needs: the assistant's services, the labels, and the user's language and role."""

    handler: ChatHandler
    library: object
    feedback: object
    users: object  # None: no users file, the app is local and its one user may do everything
    setting: str  # the language setting: "fr", "en" or "auto" (the browser's)
    translations: dict[str, dict[str, str]]
    i18n: gr.I18n | None

    @classmethod
    def of(cls, container) -> "_Page":
        handler = ChatHandler(container.chain)
        library = container.library
        feedback = container.feedback
        users = container.users
        setting = container.settings.ui.language
        types_label = ", ".join(library.suffixes)
        translations = {lang: {k: v.replace("{types}", types_label) for k, v in texts.items()}
                        for lang, texts in TEXTS.items()}
        i18n = gr.I18n(**translations) if setting == "auto" else None
        return cls(handler, library, feedback, users, setting, translations, i18n)

    def label(self, key: str):
        """A component's label: translated in the browser when the setting is "auto", else in the set language."""
        return self.i18n(key) if self.i18n is not None else self.translations[self.setting][key]

    def lang_of(self, request: gr.Request | None) -> str:
        headers = getattr(request, "headers", None) if request is not None else None
        return pick_language(headers.get("accept-language") if headers else None, self.setting)

    def role_of(self, request: gr.Request | None) -> str | None:
        # Without a users file the app is local (127.0.0.1): its one user runs it and may do everything.
        if self.users is None:
            return "admin"
        return self.users.role(getattr(request, "username", None))

    def require_admin(self, request: gr.Request | None) -> None:
        if self.role_of(request) != "admin":
            raise gr.Error(t(self.lang_of(request), "admin_only"))

    def facets(self):
        """The issuers and document types to filter on, and the indexed records they come from."""
        records = self.library.search()
        return (sorted({r.issuer for r in records if r.issuer}), sorted({r.doc_type for r in records if r.doc_type}),
                records)

    def docs_table_update(self, records, lang):
        headers = [t(lang, k) for k in ("col_id", "col_date", "col_lang", "col_issuer", "col_type", "col_title",
                                        "col_chunks")]
        return gr.Dataframe(value=_docs_rows(records) or [["", "", "", "", "", "", ""]], headers=headers)

    def open_doc(self, doc_id: str, lang_: str, status: str = ""):
        """(document id, status, delete button, document view) for showing ``doc_id`` in the Documents tab."""
        found = self.library.document(doc_id) if doc_id else None
        if found is None:
            return "", t(lang_, "not_found", doc=doc_id) if doc_id else status, gr.Button(visible=False), ""
        record, chunks = found
        return doc_id, status, gr.skip(), document_html(record, chunks, lang_)


def _docs_rows(records):
    return [[r.doc_id, r.date, r.lang, r.issuer, r.doc_type, r.title, r.n_chunks] for r in records]


@dataclass
class _Filters:
    since: gr.Textbox
    until: gr.Textbox
    issuer: gr.Dropdown
    lang: gr.Dropdown
    doc_type: gr.Dropdown


@dataclass
class _FeedbackBox:
    group: gr.Group
    message: gr.Markdown
    comment: gr.Textbox
    send: gr.Button


@dataclass
class _ChatTab:
    chatbot: gr.Chatbot
    box: gr.Textbox
    send: gr.Button
    feedback: _FeedbackBox
    filters: _Filters
    clear: gr.Button
    copy: gr.Button
    export: gr.DownloadButton
    copy_text: gr.Textbox
    panel: gr.HTML


@dataclass
class _DocumentsTab:
    query: gr.Textbox
    count: gr.Markdown
    table: gr.Dataframe
    current: gr.Textbox
    status: gr.Markdown
    delete: gr.Button
    view: gr.HTML


@dataclass
class _UploadTab:
    tab: gr.Tab
    files: gr.File
    go: gr.Button
    status: gr.Markdown
    table: gr.Dataframe


def build_app(container):
    """The Gradio Blocks app for ``container``: Chat, Documents and Upload tabs, login and roles when configured."""
    page = _Page.of(container)
    issuers, types, records = page.facets()
    with gr.Blocks(title="Communiqués") as demo:
        conv = gr.State(Conversation())
        header = gr.Markdown(elem_id="header")
        command = gr.Textbox(visible="hidden", elem_id="ui-command")
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab(page.label("tab_chat"), id="chat", elem_id="tab-chat"):
                chat_tab = _chat_tab(page, records, issuers, types)
            with gr.Tab(page.label("tab_documents"), id="documents", elem_id="tab-documents"):
                docs = _documents_tab(page)
            upload = _upload_tab(page)
        # The events are wired in this order so that each keeps its place (and its id) in the page's config.
        _wire_page_load(demo, page, header, upload.tab, docs, chat_tab.panel)
        _wire_questions(page, chat_tab, conv)
        _wire_conversation_buttons(page, chat_tab, conv)
        _wire_feedback(page, chat_tab, conv)
        _wire_documents(page, docs)
        _wire_commands(page, command, conv, chat_tab.panel, tabs, docs)
        _wire_delete(page, docs)
        _wire_upload(page, upload, docs, chat_tab.filters)
    return demo, page.i18n


def _chat_tab(page: _Page, records, issuers: list[str], types: list[str]) -> _ChatTab:
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
            feedback = _feedback_box(page)
            filters = _filters(page, issuers, types)
            with gr.Row():
                clear = gr.Button(page.label("new"), size="sm", elem_id="new-conversation")
                copy = gr.Button(page.label("copy"), size="sm", elem_id="copy", interactive=False)
                export = gr.DownloadButton(page.label("export"), size="sm", elem_id="export", interactive=False)
            copy_text = gr.Textbox(visible="hidden", elem_id="copy-text")
        with gr.Column(scale=2):
            panel = gr.HTML(sources_html(()), elem_id="sources")
    return _ChatTab(chatbot, box, send, feedback, filters, clear, copy, export, copy_text, panel)


def _feedback_box(page: _Page) -> _FeedbackBox:
    """The box shown after a rating: its thanks, and a comment to attach to it."""
    with gr.Group(visible=False, elem_id="feedback-box") as group:
        message = gr.Markdown(elem_id="feedback-msg")
        comment = gr.Textbox(label=page.label("comment"), lines=2, elem_id="feedback-comment")
        send = gr.Button(page.label("send_comment"), size="sm", elem_id="feedback-send")
    return _FeedbackBox(group, message, comment, send)


def _filters(page: _Page, issuers: list[str], types: list[str]) -> _Filters:
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
    return _Filters(since, until, issuer, lang, doc_type)


def _documents_tab(page: _Page) -> _DocumentsTab:
    """The Documents tab: search, the table of indexed communiqués, one document's view, and delete (admins)."""
    query = gr.Textbox(label=page.label("docs_search"), elem_id="docs-query")
    count = gr.Markdown(elem_id="docs-count")
    table = gr.Dataframe(interactive=False, wrap=True, elem_id="docs-table", max_height=360)
    current = gr.Textbox(visible="hidden", elem_id="current-doc")
    status = gr.Markdown(elem_id="docs-status")
    delete = gr.Button(page.label("delete"), variant="stop", size="sm", visible=False, elem_id="delete-doc")
    view = gr.HTML(elem_id="doc-view")
    return _DocumentsTab(query, count, table, current, status, delete, view)


def _upload_tab(page: _Page) -> _UploadTab:
    """The Upload tab (shown to admins only, at page load): files in, one result row per file out."""
    with gr.Tab(page.label("tab_upload"), id="upload", elem_id="tab-upload", visible=False) as tab:
        files = gr.File(file_count="multiple", file_types=list(page.library.suffixes), label=page.label("upload_files"),
                        elem_id="upload-files")
        go = gr.Button(page.label("upload_go"), variant="primary", elem_id="upload-go")
        status = gr.Markdown(elem_id="upload-status")
        table = gr.Dataframe(interactive=False, wrap=True, elem_id="upload-results", visible=False)
    return _UploadTab(tab, files, go, status, table)


def _wire_page_load(demo: gr.Blocks, page: _Page, header, upload_tab, docs: _DocumentsTab, panel) -> None:
    """Page load: who is there, in which language, what they may do."""

    def on_load(request: gr.Request):
        lang_ = page.lang_of(request)
        role = page.role_of(request)
        name = getattr(request, "username", None)
        who = ""
        if page.users is not None and name:
            who = f"  \n{t(lang_, 'logged_in', user=name, role=role)} · [{t(lang_, 'logout')}](logout)"
        _, _, recs = page.facets()
        text = f"## Communiqués\n{t(lang_, 'intro', n=len(recs))}{who}"
        return (text, gr.Tab(visible=role == "admin"), page.docs_table_update(recs, lang_),
                t(lang_, "docs_count", n=len(recs)), sources_html((), lang_))

    demo.load(on_load, None, [header, upload_tab, docs.table, docs.count, panel])


def _wire_questions(page: _Page, tab: _ChatTab, conv: gr.State) -> None:
    """A question streams its answer into the chat and its sources into the panel; then copy and export open."""
    from assistant.filters import parse_filters

    def chat(message, history, conversation, since_, until_, issuer_, lang_filter, type_, request: gr.Request):
        filters = parse_filters(since_, until_, issuer_, lang_filter, type_)
        yield from page.handler.respond(message, history, conversation, filters, page.lang_of(request))

    def after_answer(conversation: Conversation, request: gr.Request):
        lang_ = page.lang_of(request)
        last = conversation.turns[-1] if conversation.turns else None
        if last is None:
            return "", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        md = conversation_markdown([(x.question, x.answer, x.shown) for x in conversation.turns], lang_)
        # One file per conversation, rewritten after each answer (Gradio serves a copy of it).
        folder = Path(tempfile.gettempdir()) / "communiques-exports"
        folder.mkdir(exist_ok=True)
        out = folder / f"conversation-{conversation.id[:12]}.md"
        out.write_text(md, encoding="utf-8")
        plain = answer_plain(last.answer, lang_) if last.answer else last.shown
        # The checked answer's sources once more, in an event of their own: the browser showed, once in about 20
        # test runs, the final answer with the panel of an earlier streamed update.
        cited = answer_sources_html(last.answer, len(conversation.turns) - 1, lang_) if last.answer else gr.skip()
        return "", gr.DownloadButton(value=str(out), interactive=True), plain, gr.Button(interactive=True), cited

    f = tab.filters
    inputs = [tab.box, tab.chatbot, conv, f.since, f.until, f.issuer, f.lang, f.doc_type]
    # "/respond" is the documented API route (gradio_client; bench/concurrency.py, tests/test_scale_out.py).
    for trigger, api_name in ((tab.box.submit, "respond"), (tab.send.click, "respond_button")):
        trigger(chat, inputs, [tab.chatbot, tab.panel, conv], concurrency_limit=1, concurrency_id="model",
                api_name=api_name).then(after_answer, [conv], [tab.box, tab.export, tab.copy_text, tab.copy, tab.panel])


def _wire_conversation_buttons(page: _Page, tab: _ChatTab, conv: gr.State) -> None:
    """New conversation (or the chat's own clear) empties the page; copy puts the last answer on the clipboard."""

    def new_conversation(request: gr.Request):
        return ([], sources_html((), page.lang_of(request)), Conversation(),
                gr.DownloadButton(value=None, interactive=False), "", gr.Button(interactive=False),
                gr.Group(visible=False), "")

    for trigger in (tab.clear.click, tab.chatbot.clear):
        trigger(new_conversation, None, [tab.chatbot, tab.panel, conv, tab.export, tab.copy_text, tab.copy,
                                         tab.feedback.group, tab.feedback.comment])
    tab.copy.click(None, [tab.copy_text], None, js="""(text) => {
        const done = () => { const b = document.querySelector('#copy'); if (b) { b.dataset.copied = '1'; } };
        if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done); }
        else { const a = document.createElement('textarea'); a.value = text; document.body.appendChild(a);
               a.select(); document.execCommand('copy'); a.remove(); done(); }
        return [];
    }""")


def _wire_feedback(page: _Page, tab: _ChatTab, conv: gr.State) -> None:
    """A thumbs up or down on an answer is stored with the answer; a comment is attached to the last rating."""
    box = tab.feedback

    def on_like(history, conversation: Conversation, data: gr.LikeData, request: gr.Request):
        lang_ = page.lang_of(request)
        turn = turn_of(history, data.index)
        if data.liked not in (True, False) or turn >= len(conversation.turns):
            return gr.skip(), gr.skip(), conversation
        answer = conversation.turns[turn].answer
        payload = answer_json(answer) if answer else {"question": conversation.turns[turn].question,
                                                      "answer": conversation.turns[turn].shown, "error": True}
        conversation.feedback_id = page.feedback.rate(payload, 1 if data.liked else -1,
                                                      user=getattr(request, "username", "") or "",
                                                      session=conversation.id, turn=turn)
        return gr.Group(visible=True), t(lang_, "thanks_up" if data.liked else "thanks_down"), conversation

    tab.chatbot.like(on_like, [tab.chatbot, conv], [box.group, box.message, conv])

    def on_comment(text, conversation: Conversation, request: gr.Request):
        lang_ = page.lang_of(request)
        if conversation.feedback_id is None:
            return t(lang_, "no_rating"), text
        if (text or "").strip():
            page.feedback.comment(conversation.feedback_id, text)
        return t(lang_, "comment_saved"), ""

    box.send.click(on_comment, [box.comment, conv], [box.message, box.comment])


def _wire_documents(page: _Page, docs: _DocumentsTab) -> None:
    """Searching the documents refreshes the table; selecting a row opens that document."""

    def on_docs_search(query, request: gr.Request):
        lang_ = page.lang_of(request)
        found = page.library.search(query)
        return page.docs_table_update(found, lang_), t(lang_, "docs_count", n=len(found))

    docs.query.change(on_docs_search, [docs.query], [docs.table, docs.count])

    def on_select(data: gr.SelectData, request: gr.Request):
        doc_id = (data.row_value or [""])[0]
        doc, status, _, view = page.open_doc(doc_id, page.lang_of(request))
        return doc, status, gr.Button(visible=bool(doc) and page.role_of(request) == "admin"), view

    docs.table.select(on_select, None, [docs.current, docs.status, docs.delete, docs.view])


def _wire_commands(page: _Page, command: gr.Textbox, conv: gr.State, panel: gr.HTML, tabs: gr.Tabs,
                   docs: _DocumentsTab) -> None:
    """Clicks in the rendered answer and sources: "cite:TURN:N" focuses a source, "doc:ID" opens a document."""

    def on_command(value: str, conversation: Conversation, request: gr.Request):
        lang_ = page.lang_of(request)
        action = (value or "").rsplit("|", 1)[0]
        if action.startswith("cite:"):
            try:
                _, turn_s, n_s = action.split(":")
                turn, n = int(turn_s), int(n_s)
                answer = conversation.turns[turn].answer
            except (ValueError, IndexError):
                return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            if answer is None:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return answer_sources_html(answer, turn, lang_, focus=n), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if action.startswith("doc:"):
            doc, status, _, view = page.open_doc(action[4:], lang_)
            return (gr.skip(), gr.Tabs(selected="documents"), doc, status,
                    gr.Button(visible=bool(doc) and page.role_of(request) == "admin"), view)
        return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()

    command.change(on_command, [command, conv], [panel, tabs, docs.current, docs.status, docs.delete, docs.view]).then(
        None, None, None, js="() => { const c = document.querySelector('.src-card.active'); "
                             "if (c) c.scrollIntoView({block: 'nearest'}); }")


def _wire_delete(page: _Page, docs: _DocumentsTab) -> None:
    """Delete (admins), after the browser's confirmation in the user's language; the table follows."""

    def on_delete(doc_id, query, request: gr.Request):
        page.require_admin(request)
        lang_ = page.lang_of(request)
        if not doc_id:  # cancelled in the confirmation dialog
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        done = page.library.delete(doc_id)
        log.info("delete doc_id=%s user=%s ok=%s", doc_id, getattr(request, "username", ""), done)
        found = page.library.search(query)
        status = t(lang_, "deleted" if done else "not_found", doc=doc_id)
        return ("", status, gr.Button(visible=False), "", page.docs_table_update(found, lang_),
                t(lang_, "docs_count", n=len(found)))

    confirm = {k: v["confirm_delete"] for k, v in TEXTS.items()}
    pick = (f"'{page.setting}'" if page.setting != "auto"
            else "((navigator.language || 'fr').toLowerCase().startsWith('fr') ? 'fr' : 'en')")
    docs.delete.click(on_delete, [docs.current, docs.query],
                      [docs.current, docs.status, docs.delete, docs.view, docs.table, docs.count],
                      js=f"(doc, q) => confirm({json.dumps(confirm, ensure_ascii=False)}[{pick}]) ? [doc, q] : ['', q]")


def _wire_upload(page: _Page, upload: _UploadTab, docs: _DocumentsTab, filters: _Filters) -> None:
    """Upload (admins): each file's result in a table; the documents table and the filters' choices follow."""
    from assistant.library import FileResult

    def on_upload(paths, request: gr.Request, progress=gr.Progress()):
        page.require_admin(request)
        lang_ = page.lang_of(request)
        if not paths:
            return gr.skip(), t(lang_, "upload_none"), gr.skip(), gr.skip(), gr.skip(), gr.skip()

        def report(i: int, total: int, name: str) -> None:
            progress((i, total), desc=t(lang_, "upload_progress", name=name) if name else None)

        results: list[FileResult] = page.library.add_files([Path(p) for p in paths], report)
        log.info("upload user=%s files=%d", getattr(request, "username", ""), len(results))
        rows = [[r.name, t(lang_, r.status), ", ".join(r.doc_ids), r.reason] for r in results]
        headers = [t(lang_, k) for k in ("col_file", "col_result", "col_docs", "col_reason")]
        issuers_, types_, recs = page.facets()
        return (gr.Dataframe(value=rows, headers=headers, visible=True), t(lang_, "upload_done"),
                page.docs_table_update(recs, lang_), gr.Dropdown(choices=[""] + issuers_),
                gr.Dropdown(choices=[""] + types_), t(lang_, "docs_count", n=len(recs)))

    upload.go.click(on_upload, [upload.files],
                    [upload.table, upload.status, docs.table, filters.issuer, filters.doc_type, docs.count],
                    concurrency_limit=1, concurrency_id="model")


def launch(container, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Warm the models, then serve the app (blocking). Login is on when a users file is configured."""
    container.warm_up()
    demo, i18n = build_app(container)
    users = container.users
    lang = container.settings.ui.language
    message = " / ".join(TEXTS[x]["login_message"] for x in (("fr", "en") if lang == "auto" else (lang,)))
    # Generation runs one at a time on the one shared model (the "model" concurrency group); the rest of the
    # page (documents, feedback, sources) stays responsive meanwhile.
    demo.queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, css=CSS, head=SCRIPT, show_error=False, i18n=i18n,
        auth=users.check if users is not None else None, auth_message=message if users is not None else None,
        prevent_thread_lock=True)
    if users is not None:  # sessions that end by themselves
        demo.server_app.tokens = ExpiringSessions(container.settings.ui.session_s)
    demo.block_thread()
