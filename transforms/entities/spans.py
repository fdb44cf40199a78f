"""The statistical tagger's spans of an article (`transforms.entities.ner`), cleaned: the `tagged`
component runs the tagger unless the caller did (for every article of a file at once), and keeps no
span that starts or ends in a blank, leaves a bracket open, holds no letter or character, or overlaps
a set phrase (resources/lexicons/set_phrases.txt).
"""

from __future__ import annotations

import re
from functools import cache

from transforms.entities import ner
from transforms.entities.article import (
    LABEL_OF,
    Article,
    Span,
)
from transforms.kit.lexicons import read_lines, scanner
from transforms.records import Columns

_CLOSING = {"）": "（", ")": "("}  # closing bracket → opening
_WORD = re.compile(r"[^\W_]")


@cache
def _set_phrases() -> re.Pattern[str]:
    return scanner(read_lines("lexicons/set_phrases.txt"))


def find_set_phrases(text: str) -> list[tuple[int, int]]:
    """Where set phrases lie (chengyu, bulletin slogans): no entity is found inside one.

    >>> find_set_phrases("汇聚起崇德向善、文明和谐的磅礴力量")
    [(3, 7), (8, 12)]
    """
    return [match.span() for match in _set_phrases().finditer(text)]


def model_tokens(tokens: Columns, trained: ner.Model) -> ner.Tokens:
    """The words of an article as the tagger takes them."""
    words = tokens.data
    return ner.tokens_of(words.get("start", []), words.get("end", []), words.get("pos", []), trained.pos_ids)


def tagged(article: Article) -> None:
    """Component: the tagger's spans of the article (the tagger runs here unless the caller ran it),
    cleaned (`clean_spans`).

    >>> import datetime as dt
    >>> text = "市委书记李国胜讲话。"
    >>> article = Article.parse(text, dt.date(2021, 10, 9))
    >>> tagged(article)
    >>> [(text[s.start : s.end], s.label) for s in article.spans]
    [('市委书记', 'POSITION'), ('李国胜', 'PERSON')]
    """
    if article.spans is None:
        trained = ner.model()
        words = article.words
        located = ner.tokens_of(words.start_list, words.end_list, words.tags, trained.pos_ids)
        article.spans = ner.find_spans(article.text, located, trained)
    article.spans = clean_spans(article.text, article.spans)


def clean_spans(text: str, spans: list[tuple[int, int, str]]) -> list[Span]:
    """The model's spans without the blanks at their edges (the model may tag one) and with the brackets
    they open closed (`_closed`), and none left without a letter, digit or character (a lone 》) or
    overlapping a set phrase (no entity starts or ends inside one: 崇德向善 holds no person 崇德,
    党和国家事业 is no document).

    >>> clean_spans(" 南  》", [(0, 2, "PERSON"), (2, 5, "DOCUMENT"), (3, 4, "LOC")])
    [Span(start=1, end=2, label='PERSON')]
    """
    phrases = None
    for first, last in find_set_phrases(text):
        phrases = phrases or bytearray(len(text) + 1)
        phrases[first:last] = b"\x01" * (last - first)
    kept: list[Span] = []
    for start, end, label in spans:
        if text[start].isspace() or text[end - 1].isspace():
            start, end = _trimmed(text, start, end)
        end = _closed(text, start, end)
        if _WORD.search(text, start, end) and (phrases is None or phrases.find(1, start, end) < 0):
            kept.append(Span(start, end, LABEL_OF[label]))
    return kept


def _closed(text: str, start: int, end: int) -> int:
    """The end of a span that opens a bracket it does not close, moved past the closing bracket right
    after it (`党校（行政学院` + `）`).

    >>> _closed("党校（行政学院）工作", 0, 7), _closed("党校（行政学院）工作", 0, 2)
    (8, 2)
    """
    closing = text[end : end + 1]
    if closing not in _CLOSING:
        return end
    surface = text[start:end]
    return end + 1 if surface.count(_CLOSING[closing]) > surface.count(closing) else end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the blanks at its edges (empty if it holds nothing else).

    >>> _trimmed(" 南 ", 0, 3), _trimmed("  ", 0, 2)
    ((1, 2), (2, 2))
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
