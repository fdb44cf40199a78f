"""transforms.kit.lexicons: tries match the longest word, and no leading lookahead changes a match."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities.events import event_pattern, events
from transforms.entities.places import _place_scanner, divisions
from transforms.entities.posts import officialdom, post_pattern
from transforms.entities.roles import actions
from transforms.entities.spans import _set_phrases
from transforms.kit.lexicons import alternation


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


@given(
    st.lists(st.text(alphabet="市委省长副", min_size=1, max_size=4), min_size=1, max_size=8),
    st.text("市委省长副"),
)
def test_alternation_matches_the_longest_word(words: list[str], text: str) -> None:
    match = re.match(alternation(words), text)
    longest = max((w for w in words if text.startswith(w)), key=len, default=None)
    assert (match.group() if match else None) == longest


@settings(max_examples=200)
@given(st.lists(st.sampled_from(LEXICON_WORDS) | st.text("市委长会议省", max_size=2), max_size=12))
def test_leading_lookaheads_change_no_match(parts: list[str]) -> None:
    text = "".join(parts)
    for pattern in (post_pattern(), event_pattern(), _place_scanner(), _set_phrases(), actions().pattern):
        assert _spans(pattern, text) == _spans(_without_lead(pattern), text)
