"""Reading real release formats: HTML pages, PDFs (columns, pages, scans, encryption), DOCX, e-mail.

Every fixture is generated here (fpdf2, python-docx, the email package) with invented content.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from ingest.formats import FormatError, format_for, sniff
from ingest.loaders import load_path

pytestmark = pytest.mark.unit

LEFT = ["Le ministre annonce un quota de 400 tonnes de thon pour la flotte artisanale du littoral sud.",
        "Les armateurs devront déclarer leurs captures chaque semaine auprès de la capitainerie.",
        "Un fonds de modernisation des navires sera ouvert dès le mois de septembre."]
RIGHT = ["La commission mixte se réunira chaque trimestre afin de vérifier les captures déclarées.",
         "Les contrôles en mer seront confiés aux garde-côtes des deux pays.",
         "L'accord entre en vigueur le 1er août 2025 pour une durée de trois ans."]
ARABIC = "أعلنت وزارة البحر عن اتفاق جديد للصيد البحري مع جمهورية قاسمار."


def _font() -> str:
    import matplotlib

    # DejaVu Sans ships inside matplotlib (a dependency) and has Arabic glyphs: no system font needed.
    return str(Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf")


def make_pdf(two_columns: bool = True, arabic_page: bool = False, password: str | None = None) -> bytes:
    """A three-page release: running header and footer, title and date on page 1, two columns per page."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dv", "", _font())
    pdf.set_font("dv", size=11)
    pdf.set_auto_page_break(False)
    for n in range(3):
        pdf.add_page()
        pdf.set_xy(10, 8)
        pdf.cell(0, 6, "République de Valmont — Ministère de la Mer")
        if n == 0:
            pdf.set_xy(10, 25)
            pdf.multi_cell(190, 7, "Accord de pêche avec la Qasimarie")
            pdf.set_xy(10, 35)
            pdf.multi_cell(190, 7, "Port-Aurel, le 3 juillet 2025")
        if two_columns:
            pdf.set_xy(10, 50)
            pdf.multi_cell(85, 5, LEFT[n], align="L")
            pdf.set_xy(110, 50)
            pdf.multi_cell(85, 5, RIGHT[n], align="L")
        else:
            pdf.set_xy(10, 50)
            pdf.multi_cell(190, 5, LEFT[n] + " " + RIGHT[n], align="L")
        pdf.set_xy(10, 280)
        pdf.cell(0, 6, f"Page {n + 1} / 3")
    if arabic_page:
        pdf.add_page()
        pdf.set_xy(10, 50)
        pdf.multi_cell(190, 7, ARABIC)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


def make_scanned_pdf() -> bytes:
    """A PDF whose only page is a picture (what a scanner produces)."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (200, 100), "white")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=100)
    return bytes(pdf.output())


def make_docx(paragraphs: list[str], title: str = "") -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.add_heading(title, level=0)
    for p in paragraphs:
        document.add_paragraph(p)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Budget", "12 millions"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Accord de pêche avec la Qasimarie</title></head>
<body>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/actu">Actualités</a></li>
<li><a href="/contact">Nous contacter</a></li></ul></nav></header>
<main><article>
<h1>Accord de pêche avec la Qasimarie</h1>
<p>Port-Aurel, le 3 juillet 2025</p>
{body}
</article></main>
<footer><p>Mentions légales — Plan du site — Accessibilité : partiellement conforme</p>
<p>© Ministère de la Mer, tous droits réservés</p></footer>
</body></html>"""


def html_page(paragraphs: list[str]) -> bytes:
    return HTML.format(body="\n".join(f"<p>{p}</p>" for p in paragraphs)).encode("utf-8")


def load_one(path: Path, root: Path | None = None):
    results = list(load_path(path, root if root is not None else path.parent, 10**8))
    assert len(results) == 1, results
    return results[0]


def test_pdf_two_columns_are_read_in_order_with_pages_and_no_running_header(tmp_path):
    path = tmp_path / "accord.pdf"
    path.write_bytes(make_pdf())
    loaded = load_one(path)
    doc = loaded.doc
    assert doc is not None, loaded.error
    assert doc.title == "Accord de pêche avec la Qasimarie" and doc.date == "2025-07-03"
    assert doc.extra["pages"] == 3
    flat = " ".join(doc.text.split())
    # Left column before right column, page after page.
    order = [flat.index(s.split(" (")[0][:40]) for pair in zip(LEFT, RIGHT) for s in pair]
    assert order == sorted(order)
    assert "République de Valmont" not in doc.text and "Page 2 / 3" not in doc.text

    from ingest.chunking import chunk_communique

    chunks = chunk_communique(doc, target_chars=120, max_chars=200)
    pages = {c.page for c in chunks}
    assert pages == {1, 2, 3}
    assert next(c for c in chunks if "garde-côtes" in c.text).page == 2
    assert all("\f" not in c.text for c in chunks)


def test_arabic_survives_every_format(tmp_path):
    (tmp_path / "ar.pdf").write_bytes(make_pdf(arabic_page=True))
    (tmp_path / "ar.docx").write_bytes(make_docx(["وزارة البحر", ARABIC], title="بيان صحفي"))
    (tmp_path / "ar.html").write_bytes(
        HTML.replace('lang="fr"', 'lang="ar" dir="rtl"').format(body=f"<p>{ARABIC}</p>" * 3).encode())
    for name in ("ar.pdf", "ar.docx", "ar.html"):
        loaded = load_one(tmp_path / name)
        assert loaded.doc is not None, loaded.error
        assert ARABIC in loaded.doc.text, (name, loaded.doc.text)
    assert load_one(tmp_path / "ar.docx").doc.lang == "ar"


def test_scanned_pdf_is_a_clear_no_text_layer_error(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_scanned_pdf())
    loaded = load_one(path)
    assert loaded.doc is None and "scan.pdf" in loaded.error and "no text layer" in loaded.error
    assert "OCR" in loaded.error


def test_encrypted_and_damaged_pdfs_are_named_with_the_reason(tmp_path):
    (tmp_path / "locked.pdf").write_bytes(make_pdf(password="secret"))
    (tmp_path / "junk.pdf").write_bytes(b"this is not a pdf at all, just text with a pdf name")
    (tmp_path / "cut.pdf").write_bytes(make_pdf()[:600])
    locked, junk, cut = (load_one(tmp_path / n) for n in ("locked.pdf", "junk.pdf", "cut.pdf"))
    assert locked.doc is None and "encrypted" in locked.error and "locked.pdf" in locked.error
    assert junk.doc is None and "not a PDF" in junk.error and "junk.pdf" in junk.error
    assert cut.doc is None and "cut.pdf" in cut.error and ("damaged" in cut.error or "no text layer" in cut.error)


def test_html_keeps_the_main_text_not_menus_or_footer(tmp_path):
    paragraphs = [LEFT[0], RIGHT[0], "Le texte complet de l'accord sera publié au Journal officiel de la République."]
    path = tmp_path / "accord.html"
    path.write_bytes(html_page(paragraphs))
    doc = load_one(path).doc
    assert doc.title == "Accord de pêche avec la Qasimarie" and doc.date == "2025-07-03"
    for p in paragraphs:
        assert p in doc.text
    for boilerplate in ("Accueil", "Nous contacter", "Mentions légales", "tous droits réservés"):
        assert boilerplate not in doc.text


def test_docx_paragraphs_tables_and_title(tmp_path):
    path = tmp_path / "note.docx"
    path.write_bytes(make_docx(["Ministère de la Mer", "Port-Aurel, le 3 juillet 2025", LEFT[0]],
                               title="Accord de pêche avec la Qasimarie"))
    doc = load_one(path).doc
    assert doc.title == "Accord de pêche avec la Qasimarie" and doc.issuer == "Ministère de la Mer"
    assert doc.date == "2025-07-03" and LEFT[0] in doc.text and "Budget | 12 millions" in doc.text


def test_corrupt_docx_and_zip_bomb_are_refused(tmp_path):
    good = make_docx([LEFT[0]])
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    bomb = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(good))
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("word/media/padding.bin", b"\0" * 20_000_000)  # compresses ~1000x, as bombs do
    (tmp_path / "bomb.docx").write_bytes(bomb.getvalue())
    cut, boom = load_one(tmp_path / "cut.docx"), load_one(tmp_path / "bomb.docx")
    assert cut.doc is None and "cut.docx" in cut.error and "docx" in cut.error
    assert boom.doc is None and "zip bomb" in boom.error and "bomb.docx" in boom.error


def make_eml(body: str, attachments: list[tuple[str, bytes, str]] = ()) -> bytes:
    message = EmailMessage()
    message["From"] = "Ministère de la Mer <presse@mer.valmont.example>"
    message["To"] = "redaction@example.org"
    message["Subject"] = "TR: Accord de pêche avec la Qasimarie"
    message["Date"] = "Thu, 03 Jul 2025 10:15:00 +0200"
    message["Message-ID"] = "<abc@mer.valmont.example>"
    message.set_content(body)
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def test_email_body_is_a_release_and_attachments_are_their_own_documents(tmp_path):
    body = " ".join(LEFT + RIGHT)
    logo = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    path = tmp_path / "mail.eml"
    path.write_bytes(make_eml(body, [("accord.pdf", make_pdf(), "application/pdf"), ("logo.png", logo, "image/png")]))
    results = list(load_path(path, tmp_path, 10**8))
    assert [r.error for r in results] == ["", ""]
    mail, attached = (r.doc for r in results)
    assert mail.doc_id == "mail" and mail.title == "Accord de pêche avec la Qasimarie"
    assert mail.issuer == "Ministère de la Mer" and mail.date == "2025-07-03" and LEFT[0] in mail.text
    assert attached.doc_id == "mail/accord" and attached.extra["pages"] == 3
    assert attached.issuer == "Ministère de la Mer"  # the PDF names no issuer: the sender's is used
    assert all(r.origin == str(path.absolute()) for r in results)


def test_email_cover_note_is_not_indexed_when_the_release_is_attached(tmp_path):
    path = tmp_path / "note.eml"
    path.write_bytes(make_eml("Veuillez trouver ci-joint notre communiqué.",
                              [("communique.docx", make_docx([LEFT[0], RIGHT[0]]),
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]))
    [only] = list(load_path(path, tmp_path, 10**8))
    assert only.doc.doc_id == "note/communique" and LEFT[0] in only.doc.text


@pytest.mark.parametrize("suffix,content,expected", [
    (".txt", None, "pdf"),  # a PDF named .txt is read as a PDF
    ("", b"<!doctype html><html><body><p>x</p></body></html>", "html"),
    ("", b"From: a@example.org\nTo: b@example.org\nSubject: x\nDate: Thu, 03 Jul 2025 10:15:00 +0200\n\nhi", "eml"),
    (".md", b"# Titre\n\nTexte.", "markdown"),
])
def test_format_is_told_by_content_and_suffix(suffix, content, expected):
    raw = make_pdf(two_columns=False) if content is None else content
    assert format_for(suffix, raw, "f" + suffix) == expected


def test_misnamed_or_unknown_binary_content_is_refused():
    with pytest.raises(FormatError, match="not a Word .docx"):
        format_for(".docx", b"plain words", "x.docx")
    with pytest.raises(FormatError, match="image"):
        format_for(".pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "x.pdf")
    with pytest.raises(FormatError, match="save it as .docx"):
        format_for(".doc", b"\xd0\xcf\x11\xe0", "x.doc")
    assert sniff(make_docx(["x"])) == "docx"


def test_email_with_only_an_html_body_keeps_its_main_text(tmp_path):
    message = EmailMessage()
    message["From"] = "presse@mer.valmont.example"
    message["To"] = "redaction@example.org"
    message["Subject"] = "Accord de pêche"
    message["Date"] = "Thu, 03 Jul 2025 10:15:00 +0200"
    message.set_content(html_page(LEFT + RIGHT).decode("utf-8"), subtype="html")
    path = tmp_path / "html.eml"
    path.write_bytes(message.as_bytes())
    doc = load_one(path).doc
    assert LEFT[1] in doc.text and "Mentions légales" not in doc.text
    assert doc.issuer == "mer.valmont.example"  # no display name: the sender's domain
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"From: a@example.org\nTo: b@example.org\nSubject: vide\nDate: Thu, 03 Jul 2025 10:15:00 +0200\n\n")
    assert "no text and no attachment" in load_one(empty).error
