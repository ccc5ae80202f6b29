"""Errors for people: what failed and what to do, in one paragraph, for the CLI and the web app."""

from __future__ import annotations

import errno
import sqlite3

from assistant.settings import Settings


class ServiceUnavailable(RuntimeError):
    """A server the answer needs is down or too slow; the message names it and the setting to change."""


def _walk(exc: BaseException):
    """The exception and its causes, outermost first."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def explain(exc: BaseException, settings: Settings | None = None) -> str:
    """A message for the user about ``exc``: never a stack trace, always the next step."""
    from core.integrity import IndexDamaged, IndexMismatch, StorageFull, damaged, is_damage, storage_problem
    from ingest.pipeline import IngestBusy
    from vectorstore.store import StoreUnavailable

    settings = settings or Settings()
    data_dir = settings.data_dir
    for e in _walk(exc):
        if isinstance(e, (IndexDamaged, IndexMismatch, IngestBusy, StoreUnavailable, ServiceUnavailable,
                          StorageFull)):
            return str(e)
        if isinstance(e, sqlite3.DatabaseError) and is_damage(e):
            return str(damaged("a database file cannot be read", data_dir, e))
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return (f"No space left to write {e.filename or data_dir} ({e.strerror}). Free some space and run the "
                    "command again: what was indexed before is intact, the document being written is hidden until then.")
        if isinstance(e, OSError) and e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return (f"Cannot write to {e.filename or data_dir} ({e.strerror}). Make the data dir writable, or "
                    "point COMMUNIQUES_DATA_DIR to a writable folder.")
        text = str(e).lower()
        if "readonly database" in text or "read-only file system" in text:
            return (f"Cannot write to the index in {data_dir} (read-only). Make it writable, or point "
                    "COMMUNIQUES_DATA_DIR to a writable folder.")
        if "database or disk is full" in text or "no space left" in text:
            return (f"No space left to write the index in {data_dir}. Free some space and run the command again: "
                    "what was indexed before is intact.")
        name = type(e).__name__
        if name in ("APITimeoutError", "ReadTimeout", "ConnectTimeout", "WriteTimeout", "PoolTimeout", "TimeoutException"):
            return _server_message(settings, e, "did not answer within")
        if name in ("APIConnectionError", "ConnectError", "RemoteProtocolError"):
            return _server_message(settings, e, "cannot be reached")
    problem = storage_problem(data_dir)  # SQLite and Chroma often report a full disk as an I/O error
    if problem:
        return f"Cannot write the index ({type(exc).__name__}: {str(exc)[:200]}): {problem}."
    return (f"Unexpected error ({type(exc).__name__}: {str(exc)[:300]}). Run the command again with --verbose to see "
            "where it failed.")


def _server_message(settings: Settings, exc: BaseException, what: str) -> str:
    """Name the server (LLM or Chroma) from the URL the failed request went to."""
    try:
        url = str(exc.request.url)  # httpx raises RuntimeError when the request is not set
    except (AttributeError, RuntimeError):
        url = ""
    chroma = settings.chroma
    if chroma.host and (f"{chroma.host}:{chroma.port}" in url or not url and not settings.llm.base_url):
        wait = f" {chroma.timeout_s:g} s" if "within" in what else ""
        return (f"The Chroma server at {chroma.host}:{chroma.port} {what}{wait}. Try again in a moment; if it lasts, "
                "restart it (`chroma run`) or raise COMMUNIQUES_CHROMA__TIMEOUT_S.")
    base = settings.llm.base_url or url or "the LLM server"
    wait = f" {settings.llm.timeout_s:g} s" if "within" in what else ""
    return (f"The language model server at {base} {what}{wait}. Try again in a moment; if it lasts, restart it or "
            "raise COMMUNIQUES_LLM__TIMEOUT_S.")
