"""Roles: one row per person acting in a post — who, which posts, which body, did what, at which event, when.

Read from the mentions of one article, sentence by sentence:
- a person's posts are the POSITION mentions written right before the name, chained by `、`
  (`市委副书记、市长摆向阳`); a GOV or ORG written right before the posts is the organization, else
  the body the first post names (`市人大常委会主任` → 市人大常委会);
- names joined by `、`, 和, 及 or 与 form a list; a name without posts of its own takes those of the
  name before it (`市领导张家明、王全周、…`), and a person named without posts keeps those stated
  earlier in the article;
- the action is every action word (resources/lexicons/actions.tsv) between the list and the end of
  the clause, before any other name (`…周树群出席。`, `王全周对…进行了安排部署`), chained to the one
  before it (resources/lexicons/action_links.json: `出席会议并讲话`, but `参加会见` is one action, 参加);
- the event is the first meeting (an EVENT named by a meeting word) of the sentence, else the last
  one before it; the date is the first day a DATE or TIME of the sentence names before the action
  (`…将于9月22日出席`), else the last day named before the sentence that is not after the issue date
  (a later one is a plan or a deadline: `自2024年5月1日起施行`), else the issue date.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from transforms.entities.article import (
    CONTAINERS,
    DATE,
    EVENT,
    GOV,
    ORG,
    PERSON,
    POSITION,
    TIME,
    Article,
    Label,
    Mention,
)
from transforms.entities.events import is_meeting
from transforms.entities.posts import body_of_post
from transforms.kit.lexicons import read_json, read_pairs, scanner
from transforms.records import Columns
from transforms.segment.sentences import Sentence

ATOMIC = frozenset(Label) - CONTAINERS
_CLAUSE_END = re.compile(r"[，。；！？：\n]")
_JOINERS = frozenset({"、", "和", "及", "与", "以及"})


class Actions(NamedTuple):
    """The action words (resources/lexicons/actions.tsv) and the action each one records."""

    pattern: re.Pattern[str]
    recorded: dict[str, str]


@cache
def actions() -> Actions:
    """The action words and the action each one records (发表重要讲话 → 讲话).

    >>> actions().recorded["发表重要讲话"]
    '讲话'
    """
    recorded = read_pairs("lexicons/actions.tsv")
    return Actions(scanner(list(recorded)), recorded)


@cache
def action_links() -> dict[str, tuple[str, ...]]:
    """Joiners and takers of action words, and nouns that start with one (lexicons/action_links.json)."""
    lexicon = read_json("lexicons/action_links.json")
    return {key: tuple(value) for key, value in lexicon.items() if not key.startswith("_")}


@dataclass(slots=True)
class Member:
    """A person in a list, with the posts and organization stated for them, and where that starts."""

    person: Mention
    positions: list[str]
    organization: str | None
    first: int


def assign_roles(article: Article) -> None:
    """Component: the roles of the article, from its sentences and every mention (module docstring).

    >>> import datetime as dt
    >>> article = Article.parse("市委书记李国胜讲话。", dt.date(2021, 10, 9))
    >>> article.mentions = [Mention(0, 4, POSITION, "市委书记", "model")]
    >>> article.mentions.append(Mention(4, 7, PERSON, "李国胜", "model"))
    >>> assign_roles(article)
    >>> article.roles.data["person"], article.roles.data["positions"], article.roles.data["action"]
    (['李国胜'], [['市委书记']], ['讲话'])
    """
    article.roles = find_roles(article.text, article.sentences, article.found(), article.issue_date)


def find_roles(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], issue_date: dt.date
) -> Columns:
    """The roles table columns of one article from its sentences and (sorted) mentions."""
    sentence_starts = [first for _, first, _ in sentences]
    numbers = sorted({bisect_right(sentence_starts, m.start, 1) - 1 for m in mentions if m.label == PERSON})
    rows: list[tuple] = []
    if not numbers:
        return _columns(text, rows)
    atomic = [m for m in mentions if m.label in ATOMIC]
    starts = [m.start for m in atomic]
    meetings = [m for m in mentions if m.label == EVENT and is_meeting(m.normalized)]
    dated = [(m.start, day) for m in atomic if m.label in (DATE, TIME) and (day := _day(m.normalized))]
    known: dict[str, tuple[list[str], str | None]] = {}
    for number in numbers:
        _, first, last = sentences[number]
        inside = atomic[bisect_left(starts, first) : bisect_left(starts, last)]
        event = _nearest(meetings, first, last, lambda m: m.start)
        for run in _runs(text, inside):
            _remember_posts(text, run, known)
            actions = _actions(text, run[-1].person.end, last, inside)
            day = _role_day(dated, first, actions[0][0], issue_date) if actions else issue_date
            for _, action in actions:
                rows += [(number, member, action, event.normalized if event else None, day) for member in run]
    return _columns(text, rows)


def _remember_posts(text: str, run: list[Member], known: dict[str, tuple[list[str], str | None]]) -> None:
    """Posts and organization of each person of a list: as stated, kept in `known` by name; a person
    named without them keeps those stated earlier in the article."""
    for member in run:
        surface = text[member.person.start : member.person.end]
        if member.positions:
            known.setdefault(surface, (member.positions, member.organization))
        else:
            member.positions, member.organization = known.get(surface, ([], None))


def _day(normalized: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(normalized[:10])
    except ValueError:
        return None


def _nearest(items: list, first: int, last: int, start_of: Callable) -> Any:
    """The first item starting in [first, last), else the last one starting before `first`, else None."""
    before = None
    for item in items:
        start = start_of(item)
        if start >= last:
            break
        if start >= first:
            return item
        before = item
    return before


def _role_day(dated: list[tuple[int, dt.date]], first: int, acted: int, issue_date: dt.date) -> dt.date:
    """The day of a role whose sentence starts at `first` and whose action is written at `acted`, from the
    (offset, day) of the dates of the article: the first of the sentence before the action, else the last
    before the sentence that is not after `issue_date`, else `issue_date`.

    >>> days = [(0, dt.date(2024, 4, 2)), (20, dt.date(2024, 5, 1)), (45, dt.date(2024, 4, 5))]
    >>> issue = dt.date(2024, 4, 3)
    >>> _role_day(days, 40, 50, issue), _role_day(days, 40, 44, issue), _role_day(days[1:], 40, 44, issue)
    (datetime.date(2024, 4, 5), datetime.date(2024, 4, 2), datetime.date(2024, 4, 3))
    """
    carried = issue_date
    for start, day in dated:
        if start >= acted:
            break
        if start >= first:
            return day
        if day <= issue_date:
            carried = day
    return carried


def _runs(text: str, inside: list[Mention]) -> list[list[Member]]:
    """The persons of a sentence with their posts, grouped into lists joined by 、/和/及/与."""
    runs: list[list[Member]] = []
    for index, mention in enumerate(inside):
        if mention.label != PERSON:
            continue
        member = _member(text, inside, index)
        previous = runs[-1][-1] if runs else None
        if previous and text[previous.person.end : member.first] in _JOINERS:
            if not member.positions:
                member.positions, member.organization = previous.positions, previous.organization
            runs[-1].append(member)
        else:
            runs.append([member])
    return runs


def _member(text: str, inside: list[Mention], index: int) -> Member:
    """A person with the posts written right before the name, and their organization."""
    person = inside[index]
    positions: list[str] = []
    first = person.start
    index -= 1
    while index >= 0:
        before = inside[index]
        gap = text[before.end : first]
        if before.label != POSITION or not (gap == "" or (gap == "、" and positions)):
            break
        positions.insert(0, before.normalized)
        first = before.start
        index -= 1
    organization = None
    if positions and index >= 0 and inside[index].label in (GOV, ORG) and inside[index].end == first:
        organization, first = inside[index].normalized, inside[index].start
    elif positions:
        organization = body_of_post(positions[0])
    return Member(person, positions, organization, first)


def _actions(text: str, start: int, last: int, inside: list[Mention]) -> list[tuple[int, str]]:
    """(offset, action) of the action words from `start` to the end of the clause, stopping at the next
    name, each chained to the one before (`_chained`); an action recorded once, where it is first written.

    >>> [action for _, action in _actions("张三参加会见并讲话，指出", 2, 12, [])]
    ['参加', '讲话']
    >>> [action for _, action in _actions("张三听取工作介绍，主持召开座谈会", 2, 16, [])]
    ['听取']
    """
    clause_end = _CLAUSE_END.search(text, start, last)
    end = clause_end.start() if clause_end else last
    end = next((m.start for m in inside if m.label == PERSON and start <= m.start < end), end)
    pattern, recorded = actions()
    nouns = action_links()["nouns"]
    first: dict[str, int] = {}
    previous: tuple[int, str] | None = None  # (end, action) of the last action word counted
    for match in pattern.finditer(text, start, end):
        action = recorded[match.group()]
        if text.startswith(nouns, match.start()) or (
            previous and not _chained(text[previous[0] : match.start()], previous[1])
        ):
            continue
        first.setdefault(action, match.start())
        previous = (match.end(), action)
    return [(offset, action) for action, offset in first.items()]


def _chained(gap: str, previous: str) -> bool:
    """Whether an action word after `gap` (the text since the `previous` action counted) is an action
    of its own: joined to it (并, 时 …), or right after one that does not take an activity as object.

    >>> _chained("并", "出席"), _chained("", "讲话"), _chained("", "参加"), _chained("场馆", "听取")
    (True, True, False, False)
    """
    links = action_links()
    if not gap:
        return previous not in links["takers"]
    return any(joiner in gap for joiner in links["joiners"])


def _columns(text: str, rows: list[tuple]) -> Columns:
    """The roles table columns of the (sentence, member, action, event, date) rows."""
    numbers, members, actions, events, days = zip(*rows, strict=True) if rows else ((),) * 5
    return Columns(
        {
            "sentence": list(numbers),
            "start": [member.person.start for member in members],
            "end": [member.person.end for member in members],
            "person": [text[member.person.start : member.person.end] for member in members],
            "positions": [list(member.positions) for member in members],
            "organization": [member.organization for member in members],
            "action": list(actions),
            "event": list(events),
            "date": list(days),
        }
    )
