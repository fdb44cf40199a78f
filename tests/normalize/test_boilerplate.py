"""transforms.normalize.boilerplate: boilerplate lines removed and replayable; cases are data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.case_files import Case, load
from tests.normalize.conftest import MESSY
from transforms.kit.edits import replay
from transforms.normalize import normalize_text, strip_boilerplate


@pytest.mark.parametrize("case", load("normalize", "boilerplate"))
def test_strip_boilerplate(case: Case) -> None:
    stripped = strip_boilerplate(case.input)
    assert {"text": stripped.text, "source": stripped.source} == case.wanted
    assert replay(case.input, stripped.repairs) == stripped.text


@settings(max_examples=200, deadline=None)
@given(MESSY)
def test_strip_boilerplate_replays_and_is_idempotent(text: str) -> None:
    once = strip_boilerplate(normalize_text(text).text)
    assert replay(normalize_text(text).text, once.repairs) == once.text
    assert strip_boilerplate(once.text).text == once.text
