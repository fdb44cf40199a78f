"""normalize: canonical whitespace and punctuation, boilerplate, Traditional→Simplified; cases are data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.kit.edits import replay
from transforms.normalize import normalize_text, strip_boilerplate, to_simplified

CASES = Path(__file__).parent / "cases"


def _cases(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _cases("normalize_fixes.json"), ids=lambda c: c["note"])
def test_normalize_fixes(case: dict) -> None:
    result = normalize_text(case["input"])
    assert result.text == case["expected"]
    assert replay(case["input"], result.repairs) == result.text


@pytest.mark.parametrize("case", _cases("normalize_unchanged.json"), ids=lambda c: c["note"])
def test_normalize_leaves_canonical_text_alone(case: dict) -> None:
    assert normalize_text(case["input"]).repairs == ()


@pytest.mark.parametrize("case", _cases("normalize_boilerplate.json"), ids=lambda c: c["note"])
def test_strip_boilerplate(case: dict) -> None:
    stripped = strip_boilerplate(case["input"])
    assert (stripped.text, stripped.source) == (case["expected"], case["source"])
    assert replay(case["input"], stripped.repairs) == stripped.text


@pytest.mark.parametrize("case", _cases("normalize_simplified.json"), ids=lambda c: c["note"])
def test_to_simplified(case: dict) -> None:
    assert to_simplified(case["input"]) == case["expected"]


MESSY = st.text(
    alphabet=st.sampled_from(
        list("全國文明城市创建工作会议召开李国胜讲话（）()，。、“”《》,;:!?-_ Aa1")
        + list("\t\n\r\u00a0\u3000\u200b\ufeff")
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(MESSY)
def test_normalize_never_raises_is_idempotent_and_replays(text: str) -> None:
    once = normalize_text(text)
    assert replay(text, once.repairs) == once.text
    assert normalize_text(once.text).repairs == ()


@settings(max_examples=200, deadline=None)
@given(MESSY)
def test_strip_boilerplate_replays_and_is_idempotent(text: str) -> None:
    once = strip_boilerplate(normalize_text(text).text)
    assert replay(normalize_text(text).text, once.repairs) == once.text
    assert strip_boilerplate(once.text).text == once.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=40))
def test_to_simplified_keeps_the_length(text: str) -> None:
    assert len(to_simplified(text)) == len(text)
