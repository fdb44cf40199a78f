"""transforms.roles: who did what in which post, at which meeting, when (case file entities_roles.json)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.case_files import Case, load
from transforms.entities.components import extract
from transforms.segment import split_sentences, tokenize

COLUMNS = ("person", "positions", "organization", "action", "event", "date")


@pytest.mark.parametrize("case", load("entities", "roles"))
def test_role_cases(case: Case) -> None:
    text = case.input
    sentences = split_sentences(text)
    roles = extract(
        text, sentences, tokenize(text, sentences), dt.date.fromisoformat(case.given["issue_date"])
    ).roles.data
    rows = [list(row) for row in zip(*(roles.get(column, []) for column in COLUMNS), strict=True)]
    for row in rows:
        row[-1] = row[-1].isoformat()
    assert rows == case.wanted
