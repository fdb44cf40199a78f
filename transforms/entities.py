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
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from transforms import dates, gazetteer, ner, roles
from transforms.records import Columns

CONTAINERS = frozenset({"DOCUMENT", "QUOTE", "EVENT"})
PROPAGATED = frozenset({"PERSON", "ORG", "GOV", "LOC"})
_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,3}")
_TITLE_MARKS = frozenset("《》“”")


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
    text: str,
    sentences: list[tuple[int, int, int]],
    tokens: Columns,
    issue_date: dt.date,
    spans: list[tuple[int, int, str]] | None = None,
) -> Entities:
    """Mentions and roles of an article `text` with its sentences (paragraph, start, end) and tokens
    (in text order, as `segment.tokenize` gives them).

    `spans` are the model's (start, end, label) spans of the article when the caller found them
    already (`ner.find_spans_all` tags every article of a file at once); else the model runs here.

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
    boundaries = TokenEdges(words.get("start", []), words.get("end", []))
    if spans is None:
        trained = ner.model()
        spans = ner.find_spans(text, model_tokens(tokens, trained), trained)
    containers = _containers(text, [s for s in spans if s[2] == "DOCUMENT"])
    atomic, taken = _atomic(text, [s for s in spans if s[2] != "DOCUMENT"], boundaries, issue_date)
    if containers:
        atomic, taken = _uncut(atomic, taken, containers)
    atomic = _complete_lists(text, atomic, boundaries, taken)
    atomic = _propagate(text, atomic, boundaries, taken)
    found = sorted(atomic + containers)
    return Entities(_columns(text, sentences, found), roles.find_roles(text, sentences, found, issue_date))


def extract_all(
    texts: list[str], sentences: list[list[tuple[int, int, int]]], tokens: list[Columns], issue_date: dt.date
) -> list[Entities]:
    """`extract` of every article of one file; the model tags them all in one pass (`ner.find_spans_all`).

    >>> import datetime as dt
    >>> from transforms.segment import split_sentences, tokenize
    >>> bodies = ["市委书记李国胜讲话。", "", "市长摆向阳主持。"]
    >>> sentences = [split_sentences(body) for body in bodies]
    >>> tokens = [tokenize(body, found) for body, found in zip(bodies, sentences)]
    >>> found = extract_all(bodies, sentences, tokens, dt.date(2021, 10, 9))
    >>> [article.roles.data.get("person") for article in found]
    [['李国胜'], [], ['摆向阳']]
    """
    trained = ner.model()
    spans = ner.find_spans_all(texts, [model_tokens(words, trained) for words in tokens], trained)
    return [
        extract(text, found, words, issue_date, model_spans)
        for text, found, words, model_spans in zip(texts, sentences, tokens, spans, strict=True)
    ]


def model_tokens(tokens: Columns, trained: ner.Model) -> ner.Tokens:
    """The words of an article as the model takes them."""
    words = tokens.data
    return ner.tokens_of(words.get("start", []), words.get("end", []), words.get("pos", []), trained.pos_ids)


class TokenEdges:
    """Where the tokens of an article start and end, for `in`: bisection in the token columns, which
    are in text order, costs less than a set of every edge built for each article.

    >>> edges = TokenEdges([0, 3, 5], [2, 5, 7])
    >>> [position in edges for position in range(8)]
    [True, False, True, True, False, True, False, True]
    """

    __slots__ = ("ends", "starts")

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts, self.ends = starts, ends

    def __contains__(self, position: object) -> bool:
        for edges in (self.starts, self.ends):
            index = bisect_left(edges, position)
            if index < len(edges) and edges[index] == position:
                return True
        return False


def _uncut(
    atomic: list[Mention], taken: bytearray, containers: list[Mention]
) -> tuple[list[Mention], bytearray]:
    """The atomic mentions no container starts or ends inside, and the characters they cover.

    `taken` marks the characters the atomic mentions cover: an edge between two marked characters
    is the only kind that may cut one, so most articles need no look at each mention.
    """
    edges = sorted({edge for container in containers for edge in (container.start, container.end)})
    if not any(taken[edge - 1] and taken[edge] for edge in edges if edge):
        return atomic, taken
    kept = [m for m in atomic if not _straddles(edges, m)]
    return kept, _occupied(len(taken) - 1, kept)


def _straddles(edges: list[int], mention: Mention) -> bool:
    """Whether one of the sorted `edges` lies strictly inside the mention."""
    index = bisect_right(edges, mention.start)
    return index < len(edges) and edges[index] < mention.end


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
    for start, end, label in untitled:
        if not any(m.start < end and start < m.end for m in found):
            found.append(Mention(start, end, label, text[start:end], "model"))
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
    text: str, spans: list[tuple[int, int, str]], boundaries: Container[int], issue_date: dt.date
) -> tuple[list[Mention], bytearray]:
    """Non-overlapping PERSON/POSITION/GOV/ORG/LOC/DATE/TIME mentions: dates, then model, then lexicons;
    and the characters they cover (1 in the bytearray).

    A post of the lexicon made of adjacent model GOV and POSITION mentions replaces them
    (`市人大常委会` + `主任` → `市人大常委会主任`): in bulletins the body is part of the post.
    """
    dated = [
        Mention(d.start, d.end, d.label, d.normalized, "pattern") for d in dates.find_dates(text, issue_date)
    ]
    modeled = _usable(text, spans)
    lexical = [
        Mention(s, e, label, normalized, "lexicon")
        for s, e, label, normalized in gazetteer.find_posts(text) + gazetteer.find_places(text)
        if s in boundaries and e in boundaries
    ]
    if any(m.label == "GOV" for m in modeled):
        modeled = _posts_over_parts(modeled, [m for m in lexical if m.label == "POSITION"])
    taken = _occupied(len(text), dated)  # dates never overlap one another
    chosen = list(dated)
    for mention in modeled + lexical:
        start, end = mention.start, mention.end
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            chosen.append(mention)
    return chosen, taken


def _usable(text: str, spans: list[tuple[int, int, str]]) -> list[Mention]:
    """The model's spans as mentions, but for those holding a title mark or inside a set phrase
    (no entity starts or ends inside one)."""
    found = gazetteer.find_set_phrases(text)
    phrases = _occupied(len(text), found) if found else None
    usable = []
    for start, end, label in spans:
        surface = text[start:end]
        if not _TITLE_MARKS.isdisjoint(surface) or (phrases is not None and phrases.find(1, start, end) >= 0):
            continue
        normalized = gazetteer.normalize_place(surface) if label == "LOC" else surface
        usable.append(Mention(start, end, label, normalized, "model"))
    return usable


def _posts_over_parts(modeled: list[Mention], posts: list[Mention]) -> list[Mention]:
    """`modeled` with each post made of several model GOV/POSITION mentions in their place."""
    for post in posts:
        parts = [m for m in modeled if m.start < post.end and post.start < m.end]
        if len(parts) > 1 and all(
            m.label in ("GOV", "POSITION") and post.start <= m.start and m.end <= post.end for m in parts
        ):
            modeled = [m for m in modeled if m not in parts] + [post]
    return modeled


def _complete_lists(
    text: str, atomic: list[Mention], boundaries: Container[int], taken: bytearray
) -> list[Mention]:
    """Names missed in a list of names (`张家明、王全周、罗军出席`): a 2–3 character word right after
    or before the `、` next to a PERSON, starting with a surname, on word boundaries.

    `taken` marks the characters mentions cover; the names found are marked in it too.
    """
    if "、" not in text:
        return atomic
    surnames = gazetteer.surnames()
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
                and taken.find(1, start, end) < 0
            ):
                taken[start:end] = b"\x01" * (end - start)
                name = Mention(start, end, "PERSON", word, "list")
                found.append(name)
                pending.append(name)
                break
    return found


def _propagate(
    text: str, atomic: list[Mention], boundaries: Container[int], taken: bytearray
) -> list[Mention]:
    """Tag every other occurrence of a recognized name (PERSON, ORG, GOV, LOC, 2+ characters).

    `taken` marks the characters mentions cover; the occurrences tagged are marked in it too.
    """
    known: dict[str, Mention] = {}
    for m in atomic:
        if m.label in PROPAGATED and m.end - m.start >= 2:
            known.setdefault(text[m.start : m.end], m)
    added = []
    for surface, first in known.items():
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if taken.find(1, start, end) < 0 and start in boundaries and end in boundaries:
                taken[start:end] = b"\x01" * len(surface)
                added.append(Mention(start, end, first.label, first.normalized, "propagation"))
            start = text.find(surface, end)
    return atomic + added


def _occupied(length: int, spans: Iterable[Mention | tuple[int, int]]) -> bytearray:
    """1 at every character one of the spans (mentions, or start and end pairs) covers."""
    taken = bytearray(length + 1)
    for start, end, *_ in spans:
        taken[start:end] = b"\x01" * (end - start)
    return taken


def _columns(text: str, sentences: list[tuple[int, int, int]], found: list[Mention]) -> Columns:
    """The mentions table columns of one article (`found` sorted)."""
    firsts = [start for _, start, _ in sentences]
    starts, ends, labels, normalized, methods = (
        map(list, zip(*found, strict=True)) if found else ([], [], [], [], [])
    )
    return Columns(
        {
            "sentence": [bisect_right(firsts, start, 1) - 1 for start in starts],
            "start": starts,
            "end": ends,
            "text": [text[start:end] for start, end in zip(starts, ends, strict=True)],
            "label": labels,
            "normalized": normalized,
            "method": methods,
        }
    )
