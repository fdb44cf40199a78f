"""The entity lexicons: place names, the longest-word patterns, posts, events and bodies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities.events import event_pattern, events, find_events, is_meeting
from transforms.entities.model import _set_phrases
from transforms.entities.places import _place_scanner, divisions, normalize_place
from transforms.entities.posts import body_of_post, find_posts, officialdom, post_pattern
from transforms.entities.roles import actions
from transforms.kit.lexicons import alternation

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize(
    "case", json.loads((CASES / "entities_places.json").read_text("utf-8")), ids=lambda case: case["note"]
)
def test_place_cases(case: dict) -> None:
    assert normalize_place(case["input"]) == case["expected"]


@given(
    st.lists(st.text(alphabet="市委省长副", min_size=1, max_size=4), min_size=1, max_size=8),
    st.text("市委省长副"),
)
def test_alternation_matches_the_longest_word(words: list[str], text: str) -> None:
    match = re.match(alternation(words), text)
    longest = max((w for w in words if text.startswith(w)), key=len, default=None)
    assert (match.group() if match else None) == longest


def test_posts_with_and_without_their_body() -> None:
    found = [
        found.normalized for found in find_posts("市委副书记、市长摆向阳主持，市人大常委会主任周树群出席")
    ]
    assert found == ["市委副书记", "市长", "市人大常委会主任"]


def test_a_committee_is_not_a_member() -> None:
    assert find_posts("成立专家委员会") == []


def test_events_start_after_the_verb_that_opens_them() -> None:
    found = [
        found.normalized
        for found in find_events("楼阳生主持召开省委常委会会议，会议强调。在北京人民大会堂举行")
    ]
    assert found == ["省委常委会会议"]


def test_meetings_and_campaigns() -> None:
    assert is_meeting("全省经济工作会议") and not is_meeting("党史学习教育")


def test_the_body_named_by_a_post() -> None:
    assert [body_of_post(p) for p in ("市委书记", "商丘市委书记", "市长", "总经理")] == [
        "市委",
        "商丘市委",
        None,
        None,
    ]


def test_a_central_body_and_a_member_name_their_body_but_a_bare_unit_does_not() -> None:
    posts = (
        "全国人大常委会副委员长",
        "外交部发言人",
        "全国人大代表",
        "新华社记者",
        "纪委书记",
        "党委宣传部部长",
    )
    assert [body_of_post(p) for p in posts] == ["全国人大常委会", "外交部", "全国人大", "新华社", None, None]


def _without_lead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern without its leading lookahead (which only skips places where no match starts)."""
    return re.compile(pattern.pattern[pattern.pattern.index("(?:") :], pattern.flags)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


LEXICON = officialdom()
LEXICON_WORDS = [word for key in ("levels", "bodies", "posts", "standalone_posts") for word in LEXICON[key]]
LEXICON_WORDS += list(divisions())[:300] + events()["meetings"] + events()["campaigns"]
LEXICON_WORDS += [
    "“",
    "”",
    "党组",
    "常务",
    "副",
    "代",
    "会",
    "员会",
    "室",
    "崇德向善",
    "文明和谐",
    "，",
    "在",
    "召开",
]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(LEXICON_WORDS) | st.text("市委长会议省", max_size=2), max_size=12))
def test_leading_lookaheads_change_no_match(parts: list[str]) -> None:
    text = "".join(parts)
    for pattern in (post_pattern(), event_pattern(), _place_scanner(), _set_phrases(), actions().pattern):
        assert _spans(pattern, text) == _spans(_without_lead(pattern), text)
