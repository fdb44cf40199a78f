"""Small PDFs made at test time with reportlab's built-in CJK font (STSong-Light, not embedded)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
WIDTH, HEIGHT = A4
MARGIN = 72
SIZE = 12


def _canvas(buffer: io.BytesIO, **options) -> canvas.Canvas:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    made = canvas.Canvas(buffer, pagesize=A4, **options)
    made.setFont(FONT, SIZE)
    return made


def _wrapped(text: str, width: float, indent: float = 0) -> list[str]:
    """Lines of `text` as the layout breaks them at `width` points, the first `indent` narrower (CJK
    breaks at any character)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, SIZE) > width - (0 if lines else indent):
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def pages(pages_of_paragraphs: list[list[str]], header: str | None = None, numbers: bool = True) -> bytes:
    """One column per page: a header line, paragraphs broken into lines (first line indented), a page
    number ``- N -`` at the bottom."""
    buffer = io.BytesIO()
    made = _canvas(buffer)
    for number, paragraphs in enumerate(pages_of_paragraphs, 1):
        made.setFont(FONT, SIZE)
        if header:
            made.drawString(MARGIN, HEIGHT - 40, header)
        y = HEIGHT - MARGIN - 20
        for paragraph in paragraphs:
            indent = 0 if len(paragraph) < 30 else 2 * SIZE
            for i, line in enumerate(_wrapped(paragraph, WIDTH - 2 * MARGIN, indent)):
                made.drawString(MARGIN + (indent if not i else 0), y, line)
                y -= SIZE * 1.6
            y -= SIZE
        if numbers:
            made.drawCentredString(WIDTH / 2, 30, f"- {number} -")
        made.showPage()
    made.save()
    return buffer.getvalue()


def two_columns(left: list[str], right: list[str]) -> bytes:
    """One page, two columns of paragraphs."""
    buffer = io.BytesIO()
    made = _canvas(buffer)
    column = (WIDTH - 2 * MARGIN - 24) / 2
    for x, paragraphs in ((MARGIN, left), (MARGIN + column + 24, right)):
        y = HEIGHT - MARGIN
        for paragraph in paragraphs:
            for line in _wrapped(paragraph, column):
                made.drawString(x, y, line)
                y -= SIZE * 1.6
            y -= SIZE
    made.showPage()
    made.save()
    return buffer.getvalue()


def scanned() -> bytes:
    """A page with a drawing and no text at all: what a scan without OCR looks like."""
    buffer = io.BytesIO()
    made = _canvas(buffer)
    made.rect(100, 100, 300, 400, fill=1)
    made.showPage()
    made.save()
    return buffer.getvalue()


def encrypted(text: str) -> bytes:
    buffer = io.BytesIO()
    made = _canvas(buffer, encrypt="secret")
    made.drawString(MARGIN, HEIGHT - MARGIN, text)
    made.showPage()
    made.save()
    return buffer.getvalue()
