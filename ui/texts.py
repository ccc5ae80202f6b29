"""Every label of the page in French and English; the language follows the browser or a setting."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "intro": "Posez une question sur les communiqués officiels indexés ({n} documents). "
                 "Chaque affirmation est vérifiée et citée.",
        "tab_chat": "Conversation", "tab_documents": "Documents", "tab_upload": "Ajouter des communiqués",
        "chat": "Conversation", "question": "Votre question (français, English, العربية)…", "send": "Envoyer",
        "filters": "Filtres", "since": "Depuis (AAAA-MM-JJ)", "until": "Jusqu'au (AAAA-MM-JJ)",
        "issuer": "Émetteur", "language": "Langue", "type": "Type",
        "new": "Nouvelle conversation", "copy": "Copier la réponse avec ses sources",
        "export": "Exporter la conversation (Markdown)", "copied": "Réponse copiée avec ses sources.",
        "examples": "Exemples de questions",
        "searching": "Recherche dans les communiqués…",
        "waiting_model": "En attente du modèle : {n} question(s) avant la vôtre…",
        "sources": "Passages consultés", "cited": "Sources citées",
        "unverified": "Phrases retirées (non confirmées par les sources)",
        "removed_n": "{n} phrase(s) retirée(s) : non confirmée(s) par les sources",
        "abstained": "Pas de réponse dans les communiqués",
        "nothing": "Aucun communiqué ne correspond à la recherche (vérifiez les filtres).",
        "undated": "non daté", "page": "page", "open_doc": "Voir le document entier",
        "sources_list": "Sources", "error": "Erreur : la réponse n'a pas pu être produite ({kind}). Réessayez ; "
                                             "si cela persiste, prévenez l'administrateur.",
        "feedback_title": "Votre avis sur cette réponse", "comment": "Commentaire (facultatif)",
        "send_comment": "Envoyer le commentaire", "thanks_up": "Merci ! Réponse notée 👍.",
        "thanks_down": "Merci ! Réponse notée 👎. Dites-nous ce qui n'allait pas ci-dessous.",
        "comment_saved": "Commentaire enregistré. Merci !", "no_rating": "Notez d'abord une réponse (👍 ou 👎).",
        "docs_search": "Chercher (titre, émetteur, identifiant, référence)", "docs_count": "{n} document(s)",
        "doc_pick": "Cliquez sur une ligne pour ouvrir le communiqué.", "delete": "Supprimer ce communiqué",
        "confirm_delete": "Supprimer définitivement ce communiqué et ses passages de l'index ?",
        "deleted": "« {doc} » supprimé de l'index.", "not_found": "Le communiqué « {doc} » n'est plus indexé.",
        "passages": "passages", "col_id": "identifiant", "col_date": "date", "col_lang": "langue",
        "col_issuer": "émetteur", "col_type": "type", "col_title": "titre", "col_chunks": "passages",
        "upload_files": "Déposez des fichiers ({types})", "upload_go": "Indexer ces fichiers",
        "upload_none": "Choisissez d'abord des fichiers.", "upload_done": "Terminé : posez vos questions dans l'onglet Conversation.",
        "upload_progress": "Indexation de {name}", "col_file": "fichier", "col_result": "résultat",
        "col_docs": "documents", "col_reason": "raison",
        "added": "ajouté", "updated": "mis à jour", "unchanged": "inchangé", "failed": "échec",
        "admin_only": "Réservé aux administrateurs : connectez-vous avec un compte admin.",
        "logged_in": "Connecté : {user} ({role})", "logout": "Se déconnecter",
        "login_message": "Communiqués : connectez-vous avec le compte que l'administrateur vous a donné.",
        "example_tpl": "Que retient le communiqué « {title} » ?",
    },
    "en": {
        "intro": "Ask a question about the indexed official communiqués ({n} documents). "
                 "Every statement is checked and cited.",
        "tab_chat": "Chat", "tab_documents": "Documents", "tab_upload": "Add communiqués",
        "chat": "Conversation", "question": "Your question (English, français, العربية)…", "send": "Send",
        "filters": "Filters", "since": "From (YYYY-MM-DD)", "until": "Until (YYYY-MM-DD)",
        "issuer": "Issuer", "language": "Language", "type": "Type",
        "new": "New conversation", "copy": "Copy the answer with its sources",
        "export": "Export the conversation (Markdown)", "copied": "Answer copied with its sources.",
        "examples": "Example questions",
        "searching": "Searching the communiqués…",
        "waiting_model": "Waiting for the model: {n} question(s) ahead…",
        "sources": "Passages consulted", "cited": "Cited sources",
        "unverified": "Sentences removed (not confirmed by the sources)",
        "removed_n": "{n} sentence(s) removed: not confirmed by the sources",
        "abstained": "No answer in the communiqués",
        "nothing": "No communiqué matches the search (check the filters).",
        "undated": "undated", "page": "page", "open_doc": "View the whole document",
        "sources_list": "Sources", "error": "Error: the answer could not be produced ({kind}). Try again; "
                                            "if it persists, tell the administrator.",
        "feedback_title": "Your opinion of this answer", "comment": "Comment (optional)",
        "send_comment": "Send the comment", "thanks_up": "Thank you! Answer rated 👍.",
        "thanks_down": "Thank you! Answer rated 👎. Tell us what was wrong below.",
        "comment_saved": "Comment saved. Thank you!", "no_rating": "Rate an answer first (👍 or 👎).",
        "docs_search": "Search (title, issuer, id, reference)", "docs_count": "{n} document(s)",
        "doc_pick": "Click a row to open the communiqué.", "delete": "Delete this communiqué",
        "confirm_delete": "Delete this communiqué and its passages from the index for good?",
        "deleted": "'{doc}' deleted from the index.", "not_found": "The communiqué '{doc}' is no longer indexed.",
        "passages": "passages", "col_id": "id", "col_date": "date", "col_lang": "language",
        "col_issuer": "issuer", "col_type": "type", "col_title": "title", "col_chunks": "passages",
        "upload_files": "Drop files ({types})", "upload_go": "Index these files",
        "upload_none": "Choose files first.", "upload_done": "Done: ask your questions in the Chat tab.",
        "upload_progress": "Indexing {name}", "col_file": "file", "col_result": "result",
        "col_docs": "documents", "col_reason": "reason",
        "added": "added", "updated": "updated", "unchanged": "unchanged", "failed": "failed",
        "admin_only": "Administrators only: log in with an admin account.",
        "logged_in": "Logged in: {user} ({role})", "logout": "Log out",
        "login_message": "Communiqués: log in with the account your administrator gave you.",
        "example_tpl": "What are the key points of \"{title}\"?",
    },
}

LANGUAGES = tuple(TEXTS)


def pick_language(accept_language: str | None, setting: str = "auto") -> str:
    """The page's language: the setting when fixed, else the browser's first of French or English (French by default)."""
    if setting in TEXTS:
        return setting
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in TEXTS:
            return code
    return "fr"


def t(lang: str, key: str, **kwargs) -> str:
    """The label ``key`` in ``lang`` (French when the language is unknown)."""
    text = TEXTS.get(lang, TEXTS["fr"])[key]
    return text.format(**kwargs) if kwargs else text
