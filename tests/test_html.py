"""html: title and main text of pages; the cctv_html cases were checked by hand against the raw pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import shared_path
from transforms.decode.encoding import decode_bytes
from transforms.decode.html import extract_html

CASES = Path(__file__).parent / "cases"
PAGES = ("corpora", "cctv_html", "dump_htmls")


def _cases(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _cases("decode_html_snippets.json"), ids=lambda c: c["note"])
def test_snippet(case: dict) -> None:
    assert extract_html(case["html"]) == (case["title"], case["text"])


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in re.findall(r"[^。！？]+[。！？]?", paragraph) if s.strip()]


@pytest.mark.parametrize("case", _cases("decode_html_pages.json"), ids=lambda c: c["page"])
def test_cctv_page(case: dict) -> None:
    page = shared_path(*PAGES, case["page"])
    title, text = extract_html(decode_bytes(page.read_bytes()).text)
    paragraphs = text.split("\n\n")
    assert title == case["title"]
    assert len(paragraphs) == case["paragraphs"]
    assert _sentences(paragraphs[0])[0] == case["first"]
    assert _sentences(paragraphs[-1])[-1] == case["last"]
    assert not re.search(r"编辑：|分享到|<|>|&[a-z]+;", text)
