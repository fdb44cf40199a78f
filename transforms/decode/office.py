""".docx → one document: its paragraphs and tables in reading order, the first line as title if it is one.

Read with python-docx, from memory. Page headers, footers and their page numbers live apart from the
body in a .docx and are not read. A table becomes one line per row, its cells separated by a space.
The first non-empty paragraph is the title when it is styled as one (Title, Heading 1) or reads as a
headline (short, no full stop).
"""

from __future__ import annotations

import io
import re
import zipfile

from transforms.records import Document, Quarantined

TITLE_MAX = 80
"""Characters above which a first paragraph is body text, not a title."""
_SENTENCE_END = re.compile(r"[。！？；;]$")


def _blocks(document) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph and table row of the body, in order."""
    from docx.table import Table

    blocks: list[tuple[str, str]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
                blocks.append(("table", " ".join(cells)))
        else:
            blocks.append((item.style.name if item.style is not None else "", item.text.strip()))
    return [(style, text) for style, text in blocks if text]


def _is_title(style: str, text: str) -> bool:
    return style.startswith(("Title", "Heading 1")) or (
        len(text) <= TITLE_MAX and not _SENTENCE_END.search(text) and "，" not in text
    )


def docx_documents(raw: bytes) -> list[Document]:
    """The document of a .docx file.

    >>> import docx
    >>> made = docx.Document()
    >>> _ = made.add_paragraph("2025年政府工作报告")
    >>> _ = made.add_paragraph("各位代表：现在，我代表省人民政府，向大会报告工作。")
    >>> buffer = io.BytesIO()
    >>> made.save(buffer)
    >>> [(d.title, d.text) for d in docx_documents(buffer.getvalue())]
    [('2025年政府工作报告', '各位代表：现在，我代表省人民政府，向大会报告工作。')]
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        blocks = _blocks(docx.Document(io.BytesIO(raw)))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise Quarantined(f"unreadable .docx: {error.__class__.__name__}: {error}") from None
    if not blocks:
        raise Quarantined("empty .docx: no paragraph holds text")
    title = blocks[0][1] if len(blocks) > 1 and _is_title(*blocks[0]) else None
    body = blocks[1:] if title else blocks
    return [Document("\n\n".join(text for _, text in body), title, loose=False)]
