"""What the page does: its events, one function per group, each wired to the components of ui.layout."""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import gradio as gr

from core.types import answer_json
from ui.chat import Conversation, turn_of
from ui.layout import ChatTab, DocumentsTab, FilterFields, UploadTab
from ui.page import Page
from ui.render import answer_plain, answer_sources_html, conversation_markdown, sources_html
from ui.texts import TEXTS, t

log = logging.getLogger(__name__)


def wire_page_load(demo: gr.Blocks, page: Page, header, upload_tab, docs: DocumentsTab, panel) -> None:
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


def wire_questions(page: Page, tab: ChatTab, conv: gr.State) -> None:
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
        # Questions run side by side up to Gradio's default limit: each shows its sources at once, then waits for
        # its turn of the model in page.handler.model_queue, saying how many questions are ahead.
        trigger(chat, inputs, [tab.chatbot, tab.panel, conv], concurrency_limit="default", concurrency_id="chat",
                api_name=api_name).then(after_answer, [conv], [tab.box, tab.export, tab.copy_text, tab.copy, tab.panel])


def wire_conversation_buttons(page: Page, tab: ChatTab, conv: gr.State) -> None:
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


def wire_feedback(page: Page, tab: ChatTab, conv: gr.State) -> None:
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


def wire_documents(page: Page, docs: DocumentsTab) -> None:
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


def wire_commands(page: Page, command: gr.Textbox, conv: gr.State, panel: gr.HTML, tabs: gr.Tabs,
                   docs: DocumentsTab) -> None:
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


def wire_delete(page: Page, docs: DocumentsTab) -> None:
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


def wire_upload(page: Page, upload: UploadTab, docs: DocumentsTab, filters: FilterFields) -> None:
    """Upload (admins): each file's result in a table; the documents table and the filters' choices follow."""
    from assistant.library import FileResult

    def on_upload(paths, request: gr.Request, progress=gr.Progress()):
        page.require_admin(request)
        lang_ = page.lang_of(request)
        if not paths:
            return gr.skip(), t(lang_, "upload_none"), gr.skip(), gr.skip(), gr.skip(), gr.skip()

        def report(i: int, total: int, name: str) -> None:
            progress((i, total), desc=t(lang_, "upload_progress", name=name) if name else None)

        # Embedding the files takes the models as an answer does: the upload waits for its turn in the same line.
        with page.handler.model_queue.join() as place:
            place.wait()
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
