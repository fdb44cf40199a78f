"""transforms.normalize.canonical: canonical whitespace and punctuation; cases are data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.case_files import Case, load
from transforms.kit.edits import replay
from transforms.normalize import normalize_text

MESSY = st.text(
    alphabet=st.sampled_from(
        list("全國文明城市创建工作会议召开李国胜讲话（）()，。、“”《》,;:!?-_ Aa1")
        + list("\t\n\r\u00a0\u3000\u200b\ufeff")
    ),
    max_size=60,
)


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
