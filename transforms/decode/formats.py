"""Which format a file is, told from its bytes before its name, and the documents each format yields.

`detect_format` recognises, besides what `decode.sniff_format` tells apart (text, Markdown, HTML,
gzip, zip): PDF (``%PDF``), .docx (a zip holding ``word/document.xml``), RSS/Atom feeds, ``<doc>``
record dumps, JSON, e-mail and MHTML (MIME headers). Old Office and WPS files (OLE2), .ofd and other
office formats are recognised to be refused with a reason the user can act on (``unsupported format:
.doc (save as .docx)``). `read_documents` hands each format to its reader. Tables:
resources/formats.json.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace
from functools import cache
from pathlib import PurePosixPath
from typing import NamedTuple

from transforms.decode import digests, dumps, encoding, feeds, htmlpage, mime, office, pdftext
from transforms.kit.lexicons import read_json
from transforms.records import Document, Quarantined

SNIFF = 4096
"""Bytes looked at to tell markup formats and MIME messages apart."""
_XML_PROLOG = re.compile(rb"\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*|<!doctype[^>]*>\s*)*", re.I | re.S)
_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]{1,40}:[ \t][^\r\n]*\r?\n")


class Read(NamedTuple):
    """A file read into documents: how its bytes were decoded, the documents, and the date the file
    states about itself (a feed's or a digest's date, a page's or a report's), if any."""

    encoding: str
    evidence: str
    documents: list[Document]
    date: dt.date | None = None


@cache
def _table() -> dict:
    return read_json("formats.json")


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _zip_format(raw: bytes) -> str | None:
    """The office format a zip archive is (docx, or an unsupported suffix), None for a plain archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    for member, kind in _table()["zip_members"].items():
        if member in names or any(n.endswith("/" + member) for n in names if member == "OFD.xml"):
            return kind
    return None


def _markup_format(raw: bytes) -> str | None:
    """feed or dump by the first element, after an XML declaration, comments and a doctype."""
    head = raw[:SNIFF].lstrip(b"\xef\xbb\xbf")
    start = head[_XML_PROLOG.match(head).end() :].lower()
    for kind, openings in _table()["markup_heads"].items():
        if start.startswith(tuple(o.encode() for o in openings)):
            return kind
    return None


def _mime_format(raw: bytes) -> str | None:
    """eml or mhtml: a file that opens with MIME headers, one of them MIME-Version or Content-Type."""
    head = raw[:SNIFF]
    position, names = 0, set()
    while match := _HEADER.match(head, position):
        names.add(match.group().split(b":")[0].lower())
        position = match.end()
        while head[position : position + 1] in (b" ", b"\t"):  # a folded header line
            position = head.find(b"\n", position) + 1 or len(head)
    if len(names) < 2 or not names & {b"mime-version", b"content-type"}:
        return None
    return "mhtml" if b"multipart/related" in head.lower() else "eml"


def detect_format(name: str, raw: bytes) -> str:
    """The format of a file: pdf, docx, feed, dump, lines (one ``label<TAB>text`` record per line), json,
    eml, mhtml, unsupported, or what `decode.sniff_format` says (text, markdown, html, gzip, zip).

    >>> detect_format("a.bin", b"%PDF-1.7"), detect_format("x", b'<?xml version="1.0"?><rss>')
    ('pdf', 'feed')
    >>> detect_format("x.dat", b"<doc>\\n<url>u</url>"), detect_format("60s.json", b'{"news": []}')
    ('dump', 'json')
    >>> detect_format("a.doc", bytes.fromhex("d0cf11e0a1b11ae1")), detect_format("a.md", b"# x")
    ('unsupported', 'markdown')
    """
    if raw.startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(bytes.fromhex("d0cf11e0a1b11ae1")):
        return "unsupported"
    if raw.startswith(b"PK\x03\x04"):
        office_kind = _zip_format(raw)
        if office_kind:
            return "docx" if office_kind == "docx" else "unsupported"
    markup = _markup_format(raw)
    if markup:
        return markup
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") and _suffix(name) in (".json", ""):
        return "json"
    found = _mime_format(raw)
    if found:
        return found
    kind = encoding.sniff_format(name, raw)
    if (
        kind == "text"
        and b"\t" in raw[:SNIFF]
        and dumps.is_line_records(raw[:65536].decode("utf-8", "ignore"))
    ):
        return "lines"
    if kind == "unsupported" and _suffix(name) in (".json", ".xml"):
        return "text" if _suffix(name) == ".xml" else "json"
    return kind


def unsupported_reason(name: str, raw: bytes) -> str:
    """A one-line reason a user can act on.

    >>> unsupported_reason("简报.wps", bytes.fromhex("d0cf11e0a1b11ae1"))
    'unsupported format: .wps (save as .docx)'
    >>> unsupported_reason("x.bin", bytes.fromhex("d0cf11e0a1b11ae1"))
    'unsupported format: .doc (save as .docx)'
    >>> unsupported_reason("photo.jpg", b"\\xff\\xd8\\xff")
    'unsupported file type: .jpg: not a bulletin'
    """
    table = _table()
    suffix = _suffix(name)
    if raw.startswith(bytes.fromhex("d0cf11e0a1b11ae1")) and suffix not in table["ole_extensions"]:
        suffix = ".doc"
    elif raw.startswith(b"PK\x03\x04"):
        suffix = _zip_format(raw) or suffix
    if suffix in table["unsupported"]:
        return f"unsupported format: {suffix} ({table['unsupported'][suffix]})"
    return f"unsupported file type: {suffix or 'no extension'}: not a bulletin"


def read_documents(raw: bytes, name: str, kind: str) -> Read:
    """The documents of one file of format `kind`; raises `Quarantined` with the reason it cannot."""
    if kind == "unsupported":
        raise Quarantined(unsupported_reason(name, raw))
    if kind == "docx":
        return _dated(Read("ooxml", "docx: word/document.xml", office.docx_documents(raw)))
    if kind == "pdf":
        return _dated(Read("pdf", "pdf text layer", pdftext.pdf_documents(raw)))
    if kind in ("eml", "mhtml"):
        return _dated(_mime(raw, kind))
    decoded = encoding.decode_bytes(raw)
    if kind in ("feed", "json"):
        date, documents = (feeds.read_feed if kind == "feed" else digests.read_digest)(decoded.text)
        return Read(decoded.encoding, decoded.evidence, documents, date)
    if kind in ("dump", "lines"):
        reader = dumps.record_documents if kind == "dump" else dumps.line_documents
        return Read(decoded.encoding, decoded.evidence, reader(decoded.text))
    documents = htmlpage.page_documents(decoded.text) if kind == "html" else [Document(decoded.text)]
    return _dated(Read(decoded.encoding, decoded.evidence, documents))


def _dated(read: Read) -> Read:
    """A file of one document is dated by that document."""
    if read.date is None and len(read.documents) == 1:
        return read._replace(date=read.documents[0].date)
    return read


def _mime(raw: bytes, kind: str) -> Read:
    """The documents of an e-mail or MHTML page: its HTML part read as a page, else its text part."""
    message = mime.read_message(raw)
    documents: list[Document] = []
    for content_type, text in message.parts:
        if content_type == "text/html":
            documents = htmlpage.page_documents(text)
            break
        documents = documents or [Document(text)]
    if not documents:
        raise Quarantined(f"{kind}: no text or HTML part")
    if kind == "eml":
        documents = [
            replace(d, title=d.title or message.subject, date=d.date or message.date) for d in documents
        ]
    return Read(message.charset, f"{kind}: MIME part charset", documents)
