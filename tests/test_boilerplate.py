"""boilerplate: the line classifier on real boilerplate lines (from the multisource pages) and on lines
that must stay, and documents cleaned with their byline facts kept and every removal logged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from transforms.boilerplate import classify_line, clean_document
from transforms.repair import replay

CASES = json.loads((Path(__file__).parent / "cases" / "boilerplate_lines.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["lines"], ids=lambda c: c["line"][:24])
def test_boilerplate_line_kind(case: dict) -> None:
    assert classify_line(case["line"], edge=case.get("edge", False)) == case["kind"]


@pytest.mark.parametrize("case", CASES["unchanged"], ids=lambda c: c["note"])
def test_story_line_stays(case: dict) -> None:
    assert classify_line(case["line"], edge=case["edge"]) is None


@pytest.mark.parametrize("case", CASES["documents"], ids=lambda c: c["note"])
def test_clean_document(case: dict) -> None:
    cleaned = clean_document(case["text"])
    assert cleaned.text == case["cleaned"]
    assert replay(case["text"], cleaned.repairs) == cleaned.text
    assert [r.kind for r in cleaned.repairs] == case["kinds"]
    date = dt.date.fromisoformat(case["date"]) if case["date"] else None
    assert cleaned.facts == (case["source"], case["author"], date)
