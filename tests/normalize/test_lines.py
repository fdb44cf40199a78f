"""lines: the line classifier on real boilerplate lines (from the multisource pages) and on lines
that must stay, and documents cleaned with their byline facts kept and every removal logged."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.case_files import Case, load
from transforms.kit.edits import replay
from transforms.normalize.lines import classify_line, clean_document


@pytest.mark.parametrize("case", [*load("normalize", "lines_kinds"), *load("normalize", "lines_story")])
def test_line_kind(case: Case) -> None:
    assert classify_line(case.input, edge=case.given["edge"]) == case.wanted


@pytest.mark.parametrize("case", load("normalize", "lines_documents"))
def test_clean_document(case: Case) -> None:
    cleaned, expected = clean_document(case.input), case.wanted
    assert cleaned.text == expected["cleaned"]
    assert replay(case.input, cleaned.repairs) == cleaned.text
    assert [r.kind for r in cleaned.repairs] == expected["kinds"]
    date = dt.date.fromisoformat(expected["date"]) if expected["date"] else None
    assert cleaned.facts == (expected["source"], expected["author"], date)
