"""transforms.normalize.boilerplate: boilerplate lines removed and replayable; cases are data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.case_files import Case, load
from transforms.kit.edits import replay
from transforms.normalize import normalize_text, strip_boilerplate

MESSY = st.text(
    alphabet=st.sampled_from(
        list("全國文明城市创建工作会议召开李国胜讲话（）()，。、“”《》,;:!?-_ Aa1")
        + list("\t\n\r\u00a0\u3000\u200b\ufeff")
    ),
    max_size=60,
)


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
