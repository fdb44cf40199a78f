""".pdf text layer → one document: paragraphs in reading order, page furniture removed.

Read with pdfminer.six (MIT), from memory. Its layout analysis groups characters into lines and lines
into text boxes and orders the boxes (columns come one after the other). Then:

- a page set in two columns is read column by column;
- page headers, footers and page numbers go: a line in the top or bottom margin that is a page number
  (``- 3 -``, ``第3页``, ``3/13``) or that recurs in the margins of other pages (digits ignored);
- lines broken by the layout are joined back: inside a box, a line continues the one before unless
  that one ends a sentence and falls short of the full line width; a box continues the paragraph
  before it (across a page or a column) when that paragraph's last line runs the full width without
  ending a sentence.

A PDF without a text layer (a scan) is refused with that reason, and so is an encrypted one.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from statistics import median
from typing import NamedTuple

from transforms.records import Document, Quarantined

CHAR_MARGIN = 1.0
"""Gap between characters, in character widths, that still joins them into one line (pdfminer's
default 2.0 runs two columns with a narrow gutter into one line)."""
LINE_MARGIN = 1.0
"""Gap between lines, in line heights, that still keeps them in one text box (Chinese official
documents set 16-point text 28 points apart; pdfminer's default 0.5 leaves each line a box of its own,
and boxes of two columns then interleave)."""
COLUMN_SHARE = 0.25
"""Share of a page's text each half must hold for the page to be read as two columns (a short heading
or a signature on one side does not make columns)."""
MARGIN = 0.08
"""Share of the page height at the top and at the bottom where headers and footers stand."""
FULL_WIDTH = 0.85
"""A line at least this share of the usual line width runs the full width (its paragraph goes on)."""
_PAGE_NUMBER = re.compile(r"[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4}|of\s*\d{1,4})?[-—–－\s]*", re.I)
_SENTENCE_END = re.compile(r"[。！？!?：:；;…”」』）)]$")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9,.]$")


class _Line(NamedTuple):
    page: int
    box: int
    x0: float
    x1: float
    top: float  # share of the page height from the top
    text: str


def _lines(raw: bytes) -> list[_Line]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    lines: list[_Line] = []
    parameters = LAParams(char_margin=CHAR_MARGIN, line_margin=LINE_MARGIN)
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(raw), laparams=parameters)):
            boxes = [box for box in page if isinstance(box, LTTextBox)]
            for box in _reading_order(boxes, page.width):
                for line in box:
                    text = line.get_text().strip() if isinstance(line, LTTextLine) else ""
                    if text:
                        top = 1.0 - line.y1 / (page.height or 1.0)
                        lines.append(_Line(number, id(box), line.x0, line.x1, top, text))
    except (PDFEncryptionError, PDFPasswordIncorrect) as error:
        raise Quarantined(f"encrypted PDF: {error.__class__.__name__}") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise Quarantined(f"unreadable PDF: {error.__class__.__name__}: {error}") from None
    return lines


def _reading_order(boxes: list, width: float) -> list:
    """Text boxes of a page in reading order: top to bottom; on a page set in two columns, the boxes
    across the page first (a heading), then the left column, then the right one."""
    middle = width / 2
    left = [b for b in boxes if b.x1 <= middle]
    right = [b for b in boxes if b.x0 >= middle]
    total = sum(len(b.get_text()) for b in boxes) or 1
    if min(sum(len(b.get_text()) for b in side) for side in (left, right)) < COLUMN_SHARE * total:
        return sorted(boxes, key=lambda b: -b.y1)
    across = [b for b in boxes if b.x0 < middle < b.x1]
    return [
        *sorted(across, key=lambda b: -b.y1),
        *sorted(left, key=lambda b: -b.y1),
        *sorted(right, key=lambda b: -b.y1),
    ]


def _furniture(lines: list[_Line]) -> set[int]:
    """Indices of header, footer and page-number lines."""
    in_margin = [i for i, line in enumerate(lines) if line.top < MARGIN or line.top > 1 - MARGIN]
    shapes = Counter(re.sub(r"\d+", "#", lines[i].text) for i in {*in_margin})
    pages_of: dict[str, set[int]] = {}
    for i in in_margin:
        pages_of.setdefault(re.sub(r"\d+", "#", lines[i].text), set()).add(lines[i].page)
    return {
        i
        for i in in_margin
        if _PAGE_NUMBER.fullmatch(lines[i].text)
        or (
            shapes[re.sub(r"\d+", "#", lines[i].text)] > 1
            and len(pages_of[re.sub(r"\d+", "#", lines[i].text)]) > 1
        )
    }


def _join(before: str, after: str) -> str:
    """Two pieces of one paragraph: a space between Latin words, nothing between CJK characters."""
    space = " " if _LATIN_EDGE.search(before) and _LATIN_EDGE.match(after[:1] or " ") else ""
    return before + space + after


def _paragraphs(lines: list[_Line]) -> list[str]:
    width = median(line.x1 - line.x0 for line in lines)
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        full = previous is not None and previous.x1 - previous.x0 >= FULL_WIDTH * width
        continues = (
            previous is not None
            and not (_SENTENCE_END.search(previous.text) and not full)
            and (line.box == previous.box or (full and not _SENTENCE_END.search(previous.text)))
        )
        if continues:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs


def pdf_documents(raw: bytes) -> list[Document]:
    """The document of a PDF file's text layer (see the module docstring)."""
    lines = _lines(raw)
    if not lines:
        raise Quarantined("scanned PDF without a text layer: run OCR on it first (e.g. ocrmypdf)")
    furniture = _furniture(lines)
    kept = [line for i, line in enumerate(lines) if i not in furniture]
    if not kept:
        raise Quarantined("PDF text layer holds only page headers and numbers")
    return [Document("\n\n".join(_paragraphs(kept)), loose=False)]
