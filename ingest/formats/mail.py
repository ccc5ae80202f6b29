"""An e-mailed release (.eml): the message body, and its attachments handed back to be read as documents."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from ingest.formats import Extracted, FormatError


def read_eml(raw: bytes, name: str) -> Extracted:
    """Subject as title, sender as issuer, date; the plain-text body (else the HTML one); attachments."""
    from ingest.formats.html import read_html

    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; this is for truly broken input
        raise FormatError(f"{name}: not a readable e-mail ({exc}).") from exc
    meta: dict = {}
    subject = str(message.get("subject") or "").strip()
    for prefix in ("TR:", "Fwd:", "FW:", "Fw:", "RE:", "Re:"):
        subject = subject.removeprefix(prefix).strip()
    if subject:
        meta["title"] = subject
    senders = getaddresses([str(message.get("from") or "")])
    if senders and (senders[0][0] or senders[0][1]):
        display, address = senders[0]
        meta["issuer"] = display.strip() or address.split("@")[-1]
    try:
        sent = parsedate_to_datetime(str(message.get("date"))) if message.get("date") else None
    except (TypeError, ValueError):
        sent = None
    if sent is not None:
        meta["date"] = sent.date().isoformat()
    if message.get("message-id"):
        meta["message_id"] = str(message.get("message-id")).strip()

    text = ""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        content = body.get_content()
        if body.get_content_subtype() == "html":
            try:
                text = read_html(content.encode("utf-8"), name).text
            except FormatError:
                text = ""
        else:
            text = content
    attachments = []
    for part in message.iter_attachments():
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        if filename and payload:
            attachments.append((filename, payload))
    return Extracted(text.strip(), meta, tuple(attachments))
