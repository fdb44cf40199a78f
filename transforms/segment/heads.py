"""The state machine that decides where articles start: (evidence, state) → action.

A bulletin's lines are walked in order (`transforms.segment.articles`); each line brings its evidence of
being an article head (or none), the walk is in one of five states, and `ACTIONS` says what the
evidence does in that state: start an article, start one only if the line is an unused title of the
table of contents, or nothing. `after_head` and `after_line` are the transitions.
"""

from __future__ import annotations

from enum import Enum


class Evidence(Enum):
    """What makes a line an article head."""

    HEADING = "a Markdown heading at the article level"
    TRAILER = "the first title-like or lead line after a trailer"
    LEAD = "a title-like line followed by a source lead"
    CLOSING = "a title-like line followed by a trailer"
    TITLE = "a title-like line followed by a body line"
    LOOSE = "a title-like line followed by a body paragraph, in a bulletin without other evidence"


class State(Enum):
    """Where the walk over a bulletin's lines stands (`transforms.segment.articles`)."""

    BEFORE = "before any article"
    FRESH = "an article has started, no body line seen since"
    AWAITING = "an article has started, no body line seen since, its lead not seen yet"
    BODY = "a body line of the article has been seen"
    BODY_AWAITING = "a body line of the article has been seen, its lead not yet"


class Action(Enum):
    START = "start an article"
    IF_LISTED = "start an article if the line is an unused ToC title"
    SKIP = "not a head"


_S, _L, _N = Action.START, Action.IF_LISTED, Action.SKIP
ACTIONS: dict[Evidence, dict[State, Action]] = {
    evidence: dict(zip(State, actions, strict=True))
    for evidence, actions in (
        # states: BEFORE, FRESH, AWAITING, BODY, BODY_AWAITING
        (Evidence.HEADING, (_S, _S, _S, _S, _S)),
        (Evidence.TRAILER, (_S, _S, _S, _S, _S)),
        (Evidence.LOOSE, (_S, _S, _S, _S, _S)),
        (Evidence.LEAD, (_S, _L, _L, _S, _L)),
        (Evidence.TITLE, (_L, _L, _L, _L, _L)),
        (Evidence.CLOSING, (_S, _L, _L, _N, _N)),
    )
}
"""(evidence, state) → action. A lead is its article's lead: after a head found on a heading, a trailer or
a ToC title, the next lead belongs to that article, whatever headline deck lines come between, and a
lead right after a head belongs to it. A title-like line followed by a trailer closes the body of the
article it is in: it starts an (empty) article only before any other or as an unused ToC title with no
body line since the last head. A ToC title starts an article wherever it stands, once."""


def after_head(evidence: Evidence, listed: str | None) -> State:
    """The state after a head: its lead is awaited unless the head is one, or a loose headline."""
    awaiting = evidence is not Evidence.LEAD and (evidence is not Evidence.LOOSE or listed is not None)
    return State.AWAITING if awaiting else State.FRESH


def after_line(state: State, lead: bool, title_like: bool) -> State:
    """The state after a line that starts no article: a line with a lead ends the wait for one, a line
    that is no headline is a body line.

    >>> after_line(State.AWAITING, True, False), after_line(State.BEFORE, True, False)
    (<State.BODY: 'a body line of the article has been seen'>, <State.BEFORE: 'before any article'>)
    """
    if state is State.BEFORE:
        return state
    awaiting = state in (State.AWAITING, State.BODY_AWAITING) and not lead
    body = state in (State.BODY, State.BODY_AWAITING) or not title_like
    return {
        (False, False): State.FRESH,
        (True, False): State.AWAITING,
        (False, True): State.BODY,
        (True, True): State.BODY_AWAITING,
    }[awaiting, body]
