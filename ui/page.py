"""What every part of the web page needs: the assistant's services, the labels, the user's language and role."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ui.chat import ChatHandler
from ui.render import document_html
from ui.texts import TEXTS, pick_language, t


@dataclass
class Page:
    """What every part of the page needs: the assistant's services, the labels, and the user's language and role."""

    handler: ChatHandler
    library: object
    feedback: object
    users: object  # None: no users file, the app is local and its one user may do everything
    setting: str  # the language setting: "fr", "en" or "auto" (the browser's)
    translations: dict[str, dict[str, str]]
    i18n: gr.I18n | None

    @classmethod
    def of(cls, container) -> "Page":
        handler = ChatHandler(container.chain, container.model_queue)
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
        return gr.Dataframe(value=docs_rows(records) or [["", "", "", "", "", "", ""]], headers=headers)

    def open_doc(self, doc_id: str, lang_: str, status: str = ""):
        """(document id, status, delete button, document view) for showing ``doc_id`` in the Documents tab."""
        found = self.library.document(doc_id) if doc_id else None
        if found is None:
            return "", t(lang_, "not_found", doc=doc_id) if doc_id else status, gr.Button(visible=False), ""
        record, chunks = found
        return doc_id, status, gr.skip(), document_html(record, chunks, lang_)


def docs_rows(records):
    return [[r.doc_id, r.date, r.lang, r.issuer, r.doc_type, r.title, r.n_chunks] for r in records]
