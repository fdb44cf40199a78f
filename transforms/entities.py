"""Entity mentions and person–post–action roles of one article.

`extract` is what the pipeline calls for every article. Mentions come from three sources, the more
trusted first:

1. patterns: DATE and TIME (`transforms.dates`), DOCUMENT in 《》 and QUOTE in “” and named EVENTs
   (`transforms.gazetteer`);
2. the statistical tagger (`transforms.ner`): PERSON, POSITION, GOV, ORG, LOC, and DOCUMENT titles
   written without 《》, except inside set phrases (崇德向善 holds no person 崇德);
3. lexicons (`transforms.gazetteer`), on word boundaries: posts and administrative divisions the
   model missed, and posts the model split into a body and a post (`市人大常委会` + `主任`).

Then a name in a list after a post (`市领导张家明、王全周、…`) is completed from the surname table,
and every PERSON, ORG, GOV or LOC recognized once is tagged at all its other occurrences. PERSON,
POSITION, GOV, ORG, LOC, DATE and TIME mentions never overlap one another; DOCUMENT, QUOTE and
EVENT mentions may contain them. `method` says which source found a mention: pattern, model,
lexicon, list or propagation.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from transforms import dates, gazetteer, ner, roles
from transforms.records import Columns

CONTAINERS = frozenset({"DOCUMENT", "QUOTE", "EVENT"})
PROPAGATED = frozenset({"PERSON", "ORG", "GOV", "LOC"})
_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,3}")
_TITLE_MARKS = re.compile("[《》“”]")


class Mention(NamedTuple):
    """One mention: text[start:end], its label, canonical form and the source that found it."""

    start: int
    end: int
    label: str
    normalized: str
    method: str


@dataclass(frozen=True, slots=True)
class Entities:
    """What `extract` finds in an article: `mentions` and `roles` columns (schema MENTIONS, ROLES)."""

    mentions: Columns
    roles: Columns


def extract(
    text: str, sentences: list[tuple[int, int, int]], tokens: Columns, issue_date: dt.date
) -> Entities:
    """Mentions and roles of an article `text` with its sentences (paragraph, start, end) and tokens.

    >>> import datetime as dt
    >>> from transforms.segment import split_sentences, tokenize
    >>> body = "10月8日，市委书记李国胜讲话。"
    >>> sentences = split_sentences(body)
    >>> found = extract(body, sentences, tokenize(body, sentences), dt.date(2021, 10, 9))
    >>> mentions = found.mentions.data
    >>> list(zip(mentions["text"], mentions["label"], mentions["normalized"]))
    [('10月8日', 'DATE', '2021-10-08'), ('市委书记', 'POSITION', '市委书记'), ('李国胜', 'PERSON', '李国胜')]
    >>> found.roles.data["person"], found.roles.data["positions"], found.roles.data["action"]
    (['李国胜'], [['市委书记']], ['讲话'])
    """
    words = tokens.data
    boundaries = set(words.get("start", ())) | set(words.get("end", ()))
    trained = ner.model()
    spans = ner.find_spans(
        text,
        ner.tokens_of(words.get("start", []), words.get("end", []), words.get("pos", []), trained.pos_ids),
        trained,
    )
    containers = _containers(text, [s for s in spans if s[2] == "DOCUMENT"])
    edges = bytearray(len(text) + 1)
    for container in containers:
        edges[container.start] = edges[container.end] = 1
    atomic = [
        m
        for m in _atomic(text, [s for s in spans if s[2] != "DOCUMENT"], boundaries, issue_date)
        if not any(edges[m.start + 1 : m.end])
    ]
    atomic = _complete_lists(text, atomic, boundaries)
    atomic = _propagate(text, atomic, boundaries)
    found = sorted(atomic + containers)
    return Entities(_columns(text, sentences, found), roles.find_roles(text, sentences, found, issue_date))


def _crosses(one: Mention, other: Mention) -> bool:
    """Whether two spans overlap without one containing the other."""
    overlap = one.start < other.end and other.start < one.end
    nested = (other.start <= one.start and one.end <= other.end) or (
        one.start <= other.start and other.end <= one.end
    )
    return overlap and not nested


def _containers(text: str, untitled: list[tuple[int, int, str]]) -> list[Mention]:
    """DOCUMENT and QUOTE from 《》 and “”, EVENTs, and the model's titles written without 《》."""
    found = [Mention(*span, "pattern") for span in gazetteer.find_titles(text)]
    found += [Mention(*span, "pattern") for span in gazetteer.find_events(text)]
    found = _without_crossings(found)
    covered = bytearray(len(text) + 1)
    for m in found:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    for start, end, label in untitled:
        if not any(covered[start:end]):
            found.append(Mention(start, end, label, text[start:end], "model"))
            covered[start:end] = b"\x01" * (end - start)
    return found


def _without_crossings(found: list[Mention]) -> list[Mention]:
    """Drop every span that crosses another; a sweep in start order, so linear in practice."""
    ordered = sorted(found, key=lambda m: (m.start, -m.end))
    crossing: set[int] = set()
    for i, one in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            if ordered[j].start >= one.end:
                break
            if _crosses(one, ordered[j]):
                crossing.update((i, j))
    return [m for i, m in enumerate(ordered) if i not in crossing]


def _atomic(
    text: str, spans: list[tuple[int, int, str]], boundaries: set[int], issue_date: dt.date
) -> list[Mention]:
    """Non-overlapping PERSON/POSITION/GOV/ORG/LOC/DATE/TIME mentions: dates, then model, then lexicons.

    A post of the lexicon made of adjacent model GOV and POSITION mentions replaces them
    (`市人大常委会` + `主任` → `市人大常委会主任`): in bulletins the body is part of the post.
    """
    dated = [
        Mention(d.start, d.end, d.label, d.normalized, "pattern") for d in dates.find_dates(text, issue_date)
    ]
    unusable = bytearray(len(text) + 1)  # title marks, and set phrases (no entity starts or ends inside)
    for match in _TITLE_MARKS.finditer(text):
        unusable[match.start()] = 1
    for start, end in gazetteer.find_set_phrases(text):
        unusable[start:end] = b"\x01" * (end - start)
    modeled = [
        Mention(s, e, label, gazetteer.normalize_place(text[s:e]) if label == "LOC" else text[s:e], "model")
        for s, e, label in spans
        if not any(unusable[s:e])
    ]
    lexical = [
        Mention(s, e, label, normalized, "lexicon")
        for s, e, label, normalized in gazetteer.find_posts(text) + gazetteer.find_places(text)
        if s in boundaries and e in boundaries
    ]
    posts = [m for m in lexical if m.label == "POSITION"]
    if any(m.label == "GOV" for m in modeled):
        for post in posts:
            parts = [m for m in modeled if m.start < post.end and post.start < m.end]
            if len(parts) > 1 and all(
                m.label in ("GOV", "POSITION") and post.start <= m.start and m.end <= post.end for m in parts
            ):
                modeled = [m for m in modeled if m not in parts] + [post]
    taken = bytearray(len(text) + 1)
    chosen = []
    for mention in dated + modeled + lexical:
        if not any(taken[mention.start : mention.end]):
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
            chosen.append(mention)
    return chosen


def _complete_lists(text: str, atomic: list[Mention], boundaries: set[int]) -> list[Mention]:
    """Names missed in a list of names (`张家明、王全周、罗军出席`): a 2–3 character word right after
    or before the `、` next to a PERSON, starting with a surname, on word boundaries."""
    surnames = gazetteer.surnames()
    taken = _occupied(len(text), atomic)
    found = list(atomic)
    pending = [m for m in atomic if m.label == "PERSON"]
    while pending:
        person = pending.pop()
        candidates = []
        if text[person.end : person.end + 1] == "、":
            candidates += [(person.end + 1, person.end + 1 + size) for size in (3, 2)]
        if person.start and text[person.start - 1] == "、":
            candidates += [(person.start - 1 - size, person.start - 1) for size in (3, 2)]
        for start, end in candidates:
            word = text[max(start, 0) : end]
            if (
                start >= 0
                and start in boundaries
                and end in boundaries
                and _LIST_ITEM.fullmatch(word)
                and (word[:1] in surnames or word[:2] in surnames)
                and not any(taken[start:end])
            ):
                taken[start:end] = b"\x01" * (end - start)
                name = Mention(start, end, "PERSON", word, "list")
                found.append(name)
                pending.append(name)
                break
    return found


def _propagate(text: str, atomic: list[Mention], boundaries: set[int]) -> list[Mention]:
    """Tag every other occurrence of a recognized name (PERSON, ORG, GOV, LOC, 2+ characters)."""
    taken = _occupied(len(text), atomic)
    known: dict[str, Mention] = {}
    for m in atomic:
        if m.label in PROPAGATED and m.end - m.start >= 2:
            known.setdefault(text[m.start : m.end], m)
    added = []
    for surface, first in known.items():
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if start in boundaries and end in boundaries and not any(taken[start:end]):
                taken[start:end] = b"\x01" * len(surface)
                added.append(Mention(start, end, first.label, first.normalized, "propagation"))
            start = text.find(surface, end)
    return atomic + added


def _occupied(length: int, mentions: list[Mention]) -> bytearray:
    """1 at every character some mention covers."""
    taken = bytearray(length + 1)
    for m in mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    return taken


def _columns(text: str, sentences: list[tuple[int, int, int]], found: list[Mention]) -> Columns:
    """The mentions table columns of one article."""
    firsts = [start for _, start, _ in sentences]
    columns = Columns()
    columns.extend(
        sentence=[max(bisect_right(firsts, m.start) - 1, 0) for m in found],
        start=[m.start for m in found],
        end=[m.end for m in found],
        text=[text[m.start : m.end] for m in found],
        label=[m.label for m in found],
        normalized=[m.normalized for m in found],
        method=[m.method for m in found],
    )
    return columns
