"""transforms.normalize.canonical: canonical whitespace and punctuation; cases are data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.case_files import Case, load
from tests.normalize.conftest import MESSY
from transforms.kit.edits import replay
from transforms.normalize import normalize_text


@pytest.mark.parametrize("case", load("normalize", "fixes"))
def test_normalize_fixes(case: Case) -> None:
    result = normalize_text(case.input)
    assert result.text == case.wanted
    assert replay(case.input, result.repairs) == result.text


@pytest.mark.parametrize("case", load("normalize", "unchanged"))
def test_normalize_leaves_canonical_text_alone(case: Case) -> None:
    result = normalize_text(case.input)
    assert (result.text, result.repairs) == (case.wanted, ())


@settings(max_examples=300, deadline=None)
@given(MESSY)
def test_normalize_never_raises_is_idempotent_and_replays(text: str) -> None:
    once = normalize_text(text)
    assert replay(text, once.repairs) == once.text
    assert normalize_text(once.text).repairs == ()
