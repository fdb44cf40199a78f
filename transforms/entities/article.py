"""The document the entity components work on: an `Article` and the named types of what they find.

An article holds its text, sentences, words (NumPy offsets), issue date and the model's spans, and
collects what the components find: containers (DOCUMENT, QUOTE, EVENT, which may hold other mentions),
candidates waiting for their claim, and the atomic mentions (PERSON, POSITION, GOV, ORG, LOC, DATE,
TIME), which never overlap: an atomic mention is kept only if it can claim its characters
(`Article.claim`), and the components run in order of trust, so the more trusted source wins.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

import numpy as np

from transforms.records import Columns
from transforms.segment.sentences import Sentence, split_sentences
from transforms.segment.tokens import tagger, tokenize


class Label(StrEnum):
    """What a mention names."""

    PERSON = "PERSON"
    POSITION = "POSITION"
    GOV = "GOV"
    ORG = "ORG"
    LOC = "LOC"
    DATE = "DATE"
    TIME = "TIME"
    DOCUMENT = "DOCUMENT"
    QUOTE = "QUOTE"
    EVENT = "EVENT"

    def __repr__(self) -> str:
        return repr(self.value)


PERSON, POSITION, GOV, ORG, LOC, DATE, TIME, DOCUMENT, QUOTE, EVENT = Label
"""The labels as names: faster to read than Label.PERSON, an enum's attribute in Python 3.11
(bench/README.md)."""
LABEL_OF = {label.value: label for label in Label}
"""Label by name."""
CONTAINERS = frozenset({DOCUMENT, QUOTE, EVENT})
"""Labels of the mentions that may contain others."""
PROPAGATED = frozenset({PERSON, ORG, GOV, LOC})
"""Labels of the names one article writes several times."""
COMMON_TAGS = frozenset({"n", "v", "vn", "a", "an", "ad", "d", "j"})
"""The tokenizer's tags of common words (文化 n)."""


class Span(NamedTuple):
    """A span the statistical tagger found: text[start:end] and its label."""

    start: int
    end: int
    label: Label


class Mention(NamedTuple):
    """One mention: text[start:end], its label, canonical form and the source that found it (pattern,
    model, lexicon, list or propagation)."""

    start: int
    end: int
    label: Label
    normalized: str
    method: str


@dataclass(frozen=True, slots=True)
class Words:
    """The words of an article in text order: NumPy offsets, the words and their tags, and a map of the
    positions where a word starts or ends (`at_edge`).

    >>> words = Words.of(Columns({"start": [0, 3, 5], "end": [2, 5, 7], "token": ["ab", "de", "fg"],
    ...                           "pos": ["n", "v", "n"]}), 7)
    >>> [position for position in range(-1, 9) if words.at_edge(position)]
    [0, 2, 3, 5, 7]
    """

    starts: np.ndarray
    ends: np.ndarray
    start_list: list[int]
    end_list: list[int]
    tokens: list[str]
    tags: list[str]
    edges: bytes

    @classmethod
    def of(cls, columns: Columns, length: int) -> Words:
        """The words of the token columns of a text of `length` characters."""
        data = columns.data
        start_list, end_list = data.get("start", []), data.get("end", [])
        starts, ends = np.array(start_list, dtype=np.int64), np.array(end_list, dtype=np.int64)
        edges = np.zeros(length + 1, dtype=np.uint8)
        edges[starts] = 1
        edges[ends] = 1
        tokens, tags = data.get("token", []), data.get("pos", [])
        return cls(starts, ends, start_list, end_list, tokens, tags, edges.tobytes())

    def at_edge(self, position: int) -> bool:
        """Whether a word starts or ends at `position`."""
        return 0 <= position < len(self.edges) and self.edges[position] == 1

    def common(self, start: int, end: int, count: int) -> bool:
        """Whether `start`–`end` is made of whole words, each a word of the tokenizer's dictionary tagged
        as a common word (`COMMON_TAGS`) and counted there at least `count` times. The tags alone do not
        tell: the dictionary holds rare names as nouns (关向应 n, 12), and an unknown name gets any tag
        (何报翔 v).

        >>> columns = {"start": [0, 2, 4], "end": [2, 4, 7], "pos": ["nr", "n", "n"]}
        >>> words = Words.of(Columns(columns | {"token": ["晋商", "文化", "关向应"]}), 7)
        >>> [words.common(start, end, 1000) for start, end in ((2, 4), (0, 2), (0, 4), (4, 7), (3, 4))]
        [True, False, False, False, False]
        """
        starts, ends = self.start_list, self.end_list
        first = bisect_left(starts, start)
        last = bisect_left(ends, end, first)
        if first == len(starts) or starts[first] != start or last == len(ends) or ends[last] != end:
            return False
        tags, tokens, counted = self.tags, self.tokens, tagger().frequency
        return all(tags[i] in COMMON_TAGS and counted(tokens[i]) >= count for i in range(first, last + 1))


@dataclass(slots=True)
class Article:
    """One article and what the components found in it so far.

    >>> article = Article.of("李国胜讲话", [Sentence(0, 0, 5)], Columns(), dt.date(2021, 10, 9))
    >>> article.claim(Mention(0, 3, PERSON, "李国胜", "model")), article.is_free(2, 4)
    (True, False)
    """

    text: str
    sentences: list[Sentence]
    words: Words
    issue_date: dt.date
    spans: list[Span] | None = None
    """The tagger's spans; None until a component runs the tagger."""
    containers: list[Mention] = field(default_factory=list)
    modeled: list[Mention] = field(default_factory=list)
    """The tagger's mentions waiting for their claim."""
    lexical: list[Mention] = field(default_factory=list)
    """The lexicons' mentions waiting for their claim, after the tagger's."""
    mentions: list[Mention] = field(default_factory=list)
    """Atomic mentions: they never overlap."""
    roles: Columns = field(default_factory=Columns)
    _taken: bytearray = field(default_factory=bytearray, repr=False)

    @classmethod
    def of(
        cls,
        text: str,
        sentences: list[Sentence],
        tokens: Columns,
        issue_date: dt.date,
        spans: list[Span] | None = None,
    ) -> Article:
        """An article before any component ran."""
        return cls.of_words(text, sentences, Words.of(tokens, len(text)), issue_date, spans)

    @classmethod
    def of_words(
        cls,
        text: str,
        sentences: list[Sentence],
        words: Words,
        issue_date: dt.date,
        spans: list[tuple[int, int, str]] | list[Span] | None = None,
    ) -> Article:
        """An article of `words` found already (`Words.of`)."""
        return cls(text, sentences, words, issue_date, spans, _taken=bytearray(len(text) + 1))  # type: ignore[arg-type]

    @classmethod
    def parse(cls, text: str, issue_date: dt.date) -> Article:
        """The article of a body, its sentences and words found by the segment stage.

        >>> article = Article.parse("会议召开。", dt.date(2024, 1, 1))
        >>> article.sentences, article.words.tokens
        ([Sentence(paragraph=0, start=0, end=5)], ['会议', '召开', '。'])
        """
        sentences = split_sentences(text)
        return cls.of(text, sentences, tokenize(text, sentences), issue_date)

    def is_free(self, start: int, end: int) -> bool:
        """Whether no atomic mention covers a character of `start`–`end`."""
        return self._taken.find(1, start, end) < 0

    def claim(self, mention: Mention) -> bool:
        """Keep an atomic mention if none of its characters is taken yet; whether it was kept.

        >>> article = Article.of("abcd", [], Columns(), dt.date(2024, 1, 1))
        >>> [article.claim(Mention(s, e, LOC, "", "model")) for s, e in ((0, 2), (1, 3), (2, 4))]
        [True, False, True]
        """
        start, end = mention.start, mention.end
        if self._taken.find(1, start, end) >= 0:
            return False
        self._taken[start:end] = b"\x01" * (end - start)
        self.mentions.append(mention)
        return True

    def keep_only(self, kept: list[Mention]) -> None:
        """Replace the atomic mentions by `kept` (some of them) and free the characters of the others."""
        self.mentions = kept
        self._taken = bytearray(len(self.text) + 1)
        for start, end, *_ in kept:
            self._taken[start:end] = b"\x01" * (end - start)

    def crossed(self, edge: int) -> bool:
        """Whether `edge` lies between two taken characters (it may cut an atomic mention)."""
        return edge > 0 and self._taken[edge - 1] == 1 and self._taken[edge] == 1

    def found(self) -> list[Mention]:
        """Every mention, atomic or container, in text order."""
        return sorted(self.mentions + self.containers)

    def mention_columns(self) -> Columns:
        """The mentions table columns of the article."""
        found = self.found()
        firsts = [start for _, start, _ in self.sentences]
        starts, ends, labels, normalized, methods = (
            map(list, zip(*found, strict=True)) if found else ([], [], [], [], [])
        )
        return Columns(
            {
                "sentence": [bisect_right(firsts, start, 1) - 1 for start in starts],
                "start": starts,
                "end": ends,
                "text": [self.text[start:end] for start, end in zip(starts, ends, strict=True)],
                "label": labels,
                "normalized": normalized,
                "method": methods,
            }
        )


def claim_candidates(article: Article) -> None:
    """Claim the waiting candidates, the tagger's before the lexicons': where they overlap, the one
    claimed first stays (the dates, claimed before, win over both).

    >>> article = Article.of("商丘市委", [], Columns(), dt.date(2024, 1, 1))
    >>> article.modeled = [Mention(0, 4, GOV, "商丘市委", "model")]
    >>> article.lexical = [Mention(0, 2, LOC, "河南省商丘市", "lexicon")]
    >>> claim_candidates(article)
    >>> [(m.normalized, m.method) for m in article.mentions]
    [('商丘市委', 'model')]
    """
    for mention in article.modeled + article.lexical:
        article.claim(mention)
    article.modeled, article.lexical = [], []
