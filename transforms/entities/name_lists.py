"""Runs of personal names written one after another without separators (江泽民李鹏朱镕基李瑞环…, a
list of attendees or of members), split into one name each by the surname table.

A run is two or more words in a row that the tokenizer tags as personal names (nr), each a name or,
when the tokenizer wrote several together (杨孝华田北俊), names that `split_run` cuts apart: a surname
(one or two characters, resources/lexicons/surnames.txt) and a given name of one or two, preferring
three-character names and frequent surnames (the best split by dynamic programming). A word that does
not split so ends the run; a run of fewer than `SHORTEST_RUN` names is no list.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from functools import cache

from transforms.entities.article import PERSON, Article, Mention
from transforms.kit.lexicons import read_lines

NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
SHORTEST_RUN = 3  # names in a run, at least
_GIVEN = (1, 2)  # characters of a given name
_HAN = ("\u4e00", "\u9fff")


@cache
def _surname_ranks() -> dict[str, int]:
    """Rank of each surname in resources/lexicons/surnames.txt (most frequent first)."""
    return {name: rank for rank, name in enumerate(read_lines("lexicons/surnames.txt"))}


def _name_score(run: str, start: int, end: int) -> float | None:
    """Score of run[start:end] as one name, None if it is none: three characters, a frequent surname."""
    ranks = _surname_ranks()
    scores = [
        1.0 - ranks[run[start : start + size]] / (2 * len(ranks))
        for size in (1, 2)
        if run[start : start + size] in ranks and end - start - size in _GIVEN
    ]
    return max(scores) + (end - start == 3) * 0.5 if scores else None


def split_run(run: str) -> list[tuple[int, int]] | None:
    """The names a run of Han characters splits into (start, end), or None if it cannot be split into
    names of a surname and a one- or two-character given name.

    >>> run = "江泽民李鹏朱镕基李瑞环胡锦涛尉健行李岚清"
    >>> [run[s:e] for s, e in split_run(run)]
    ['江泽民', '李鹏', '朱镕基', '李瑞环', '胡锦涛', '尉健行', '李岚清']
    >>> split_run("全面推进")  # no surname opens it
    """
    length = len(run)
    if not all(_HAN[0] <= char <= _HAN[1] for char in run):
        return None
    best: list[tuple[float, int] | None] = [None] * (length + 1)
    best[0] = (0.0, -1)
    for end in range(2, length + 1):
        for start in range(max(0, end - 4), end - 1):
            before = best[start]
            score = _name_score(run, start, end) if before else None
            if before and score is not None and (best[end] is None or before[0] + score > best[end][0]):
                best[end] = (before[0] + score, start)
    if best[length] is None:
        return None
    names, end = [], length
    while end:
        start = best[end][1]
        names.append((start, end))
        end = start
    return names[::-1]


def find_name_lists(
    text: str,
    starts: Sequence[int],
    ends: Sequence[int],
    tags: Sequence[str],
    persons: Container[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The names of every run of `SHORTEST_RUN` names or more in `text` (its words: starts, ends, tags):
    two or more words in a row, each tagged as a personal name and each a name or, four characters or
    more, names written together (`split_run`), two of them at least among the tagger's `persons`.

    >>> text = "江泽民李鹏朱镕基李瑞环等在医院看望"
    >>> tags = ["nr"] * 4 + ["u", "p", "n", "v"]
    >>> words = ([0, 3, 5, 8, 11, 12, 13, 15], [3, 5, 8, 11, 12, 13, 15, 17], tags)
    >>> [text[s:e] for s, e in find_name_lists(text, *words, {(0, 3), (3, 5)})]
    ['江泽民', '李鹏', '朱镕基', '李瑞环']
    >>> find_name_lists(text, *words, {(0, 3)})  # the tagger found one person only
    []
    >>> find_name_lists("史增海到邱县", [0, 3, 4], [3, 4, 6], ["nr", "v", "nr"], {(0, 3)})  # not in a row
    []
    """
    named = [index for index, tag in enumerate(tags) if tag in NAME_TAGS]
    found: list[tuple[int, int]] = []
    group: list[int] = []  # name words in a row
    for index in [*named, -1]:
        if group and index == group[-1] + 1 and starts[index] == ends[group[-1]]:
            group.append(index)
            continue
        if len(group) > 1:
            found += _run_names(text, [(starts[i], ends[i]) for i in group], persons)
        group = [index]
    return found


def _run_names(
    text: str, words: list[tuple[int, int]], persons: Container[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The names of the runs in name words written in a row: stretches of two words or more, each a
    name or names (`_names_of`), holding `SHORTEST_RUN` names and two of the tagger's `persons`."""
    found: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    count = 0
    for start, end in [*words, (0, 0)]:
        names = _names_of(text, start, end) if end else None
        if names is not None:
            run += names
            count += 1
            continue
        if len(run) >= SHORTEST_RUN and count > 1 and sum(name in persons for name in run) > 1:
            found += run
        run, count = [], 0
    return found


def _names_of(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The names one word tagged as a name holds: itself (two or three characters opening with a
    surname), or the names it splits into; None if neither."""
    parts = split_run(text[start:end])
    if parts is None or (end - start < 4 and len(parts) > 1):
        return None
    return [(start + first, start + last) for first, last in parts]


def listed_names(article: Article) -> None:
    """Component: names written one after another without separators (江泽民李鹏朱镕基…, anchored on two
    of the tagger's persons at least) as one PERSON each, in place of the persons that cut them otherwise.

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> words = Columns({"start": [0, 3, 5, 8, 11], "end": [3, 5, 8, 11, 12], "token": ["江泽民", "李鹏",
    ...     "朱镕基", "李瑞环", "等"], "pos": ["nr"] * 4 + ["u"]})
    >>> article = Article.of("江泽民李鹏朱镕基李瑞环等", [], words, dt.date(1998, 1, 10))
    >>> for start, end in ((0, 3), (3, 8), (8, 11)):
    ...     _ = article.claim(Mention(start, end, PERSON, article.text[start:end], "model"))
    >>> listed_names(article)
    >>> [m.normalized for m in article.mentions]
    ['江泽民', '李瑞环', '李鹏', '朱镕基']
    """
    words = article.words
    persons = {(m.start, m.end) for m in article.mentions if m.label == PERSON}
    names = find_name_lists(article.text, words.start_list, words.end_list, words.tags, persons)
    if not names:
        return
    listed = set(names)
    article.keep_only(
        [
            m
            for m in article.mentions
            if m.label != PERSON or (m.start, m.end) in listed or not _overlaps(m, names)
        ]
    )
    present = {(m.start, m.end) for m in article.mentions}
    for start, end in names:
        if (start, end) not in present:
            article.claim(Mention(start, end, PERSON, article.text[start:end], "list"))


def _overlaps(mention: Mention, spans: list[tuple[int, int]]) -> bool:
    """Whether a mention overlaps one of the spans."""
    return any(start < mention.end and mention.start < end for start, end in spans)
