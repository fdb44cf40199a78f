"""htmlpage: an HTML page's article with its own title, date and source, or no story for a list page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from transforms.htmlpage import page_documents

CASES = json.loads((Path(__file__).parent / "cases" / "html_page_documents.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["note"])
def test_page_documents(case: dict) -> None:
    documents = page_documents(case["html"])
    if "stories" in case:
        assert len(documents) == case["stories"]
        return
    [document] = documents
    date = dt.date.fromisoformat(case["date"]) if case["date"] else None
    assert (document.title, document.date, document.source) == (case["title"], date, case["source"])
    assert not document.stories and document.text
