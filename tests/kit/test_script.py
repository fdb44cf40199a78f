"""transforms.kit.script: Traditional → Simplified keeps the length; cases are data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.case_files import Case, load
from transforms.normalize import to_simplified


@pytest.mark.parametrize("case", load("normalize", "simplified"))
def test_to_simplified(case: Case) -> None:
    assert to_simplified(case.input) == case.wanted


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=40))
def test_to_simplified_keeps_the_length(text: str) -> None:
    assert len(to_simplified(text)) == len(text)
