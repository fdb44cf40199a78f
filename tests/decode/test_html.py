"""html: title and main text of pages; the cctv_html cases were checked by hand against the raw pages."""

from __future__ import annotations

import re

import pytest

from tests.case_files import Case, load
from tests.conftest import shared_path
from transforms.decode.encoding import decode_bytes
from transforms.decode.html import extract_html

PAGES = ("corpora", "cctv_html", "dump_htmls")


@pytest.mark.parametrize("case", load("decode", "html_snippets"))
def test_snippet(case: Case) -> None:
    assert extract_html(case.input) == (case.wanted["title"], case.wanted["text"])


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in re.findall(r"[^。！？]+[。！？]?", paragraph) if s.strip()]


@pytest.mark.parametrize("case", load("decode", "html_pages"))
def test_cctv_page(case: Case) -> None:
    page, expected = shared_path(*PAGES, case.input), case.wanted
    title, text = extract_html(decode_bytes(page.read_bytes()).text)
    paragraphs = text.split("\n\n")
    assert title == expected["title"]
    assert len(paragraphs) == expected["paragraphs"]
    assert _sentences(paragraphs[0])[0] == expected["first"]
    assert _sentences(paragraphs[-1])[-1] == expected["last"]
    assert not re.search(r"编辑：|分享到|<|>|&[a-z]+;", text)
