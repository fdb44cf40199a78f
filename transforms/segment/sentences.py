"""Article body → paragraphs and sentences, as offsets into the body.

A paragraph is a non-blank line. A sentence ends at the end of its line and at a run of ``。！？；…``
together with the closing quotes and brackets that follow it, unless a comma, colon or ``的`` comes
next (``“加油！”的口号``). A terminator inside a bracket pair does not end the sentence, unless the pair
is a quotation or parenthesis that closes right after it (``“好。”``); nothing inside ``《》`` or ``【】``
ever does. Unmatched brackets (damaged text) are ignored. Dots, colons and digits never end a sentence,
so numbering (``1.``), times (``19:00``) and decimals (``0.7%``) stay intact.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TERMINATORS = "。！？；…"
_QUOTE_PAIRS = ("“”", "‘’", "「」", "『』", "（）", "()")  # a sentence may end right inside their closer
_TITLE_PAIRS = ("《》", "〈〉", "【】")  # nothing inside them ends a sentence
_CLOSERS = "".join(pair[1] for pair in _QUOTE_PAIRS + _TITLE_PAIRS)
_QUOTE_OPENERS = frozenset(pair[0] for pair in _QUOTE_PAIRS)
_CONTINUERS = "，、：；,;:的"  # after a closing quote they mean the sentence goes on: “加油！”的口号
# Written [T][T]* rather than [T]+: re skips ahead fast only to a pattern that starts with one character
# or class, not with a repeat (bench/README.md).
_END = re.compile(rf"[{_TERMINATORS}][{_TERMINATORS}]*[{re.escape(_CLOSERS)}]*+(?![{_CONTINUERS}])")
_BRACKET = re.compile("[" + re.escape("".join(_QUOTE_PAIRS + _TITLE_PAIRS)) + "]")
# A matched pair: opener, no opener or closer of its own kind or line break, closer (other kinds may nest).
_PAIR = re.compile(
    "|".join(f"{re.escape(o)}[^{re.escape(o + c)}\n]*{re.escape(c)}" for o, c in _QUOTE_PAIRS + _TITLE_PAIRS)
)
NON_BLANK_LINE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)")  # group 1: a non-blank line, edge blanks excluded
_BLANKS = re.compile(r"[^\S\n]*")  # the blanks after a sentence end, before the next sentence on its line


class Sentence(NamedTuple):
    """A sentence of an article body: body[start:end], in the paragraph-th non-blank line."""

    paragraph: int
    start: int
    end: int


def _sentence_ends(body: str) -> list[int]:
    """Offsets in `body` where a terminator run ends a sentence (line ends aside): outside all bracket pairs,
    or closing a quotation or parenthesis.

    >>> body = "他说：“读了《论语。》。”（完"
    >>> [body[:end] for end in _sentence_ends(body)]
    ['他说：“读了《论语。》。”']
    """
    runs = [run.span() for run in _END.finditer(body)]
    if not runs or _BRACKET.search(body) is None:
        return [stop for _, stop in runs]
    # (start, end, whether a sentence may end inside it) of the outermost matched pairs, left to right,
    # unmatched brackets skipped; a pair never spans a line break: the same pairs as line by line.
    pairs = [(*pair.span(), body[pair.start()] in _QUOTE_OPENERS) for pair in _PAIR.finditer(body)]
    ends: list[int] = []
    index = 0
    for start, stop in runs:  # runs and pairs both left to right: one walk over the two
        while index < len(pairs) and pairs[index][1] <= start:
            index += 1
        if index == len(pairs) or start < pairs[index][0] or (pairs[index][2] and pairs[index][1] <= stop):
            ends.append(stop)
    return ends


def split_sentences(body: str) -> list[Sentence]:
    """(paragraph, start, end) of every sentence of `body`, stripped, covering each non-blank character once.

    Sentences are found line by line: a line ends a sentence, and so does each terminator run inside it,
    the next sentence starting right after the run, past the blanks that follow it.

    >>> body = "他说：“要抓落实。”会议19:00开始。\\n  增长0.7%；《加油！中国》播出……"
    >>> [(paragraph, body[start:end]) for paragraph, start, end in split_sentences(body)]
    [(0, '他说：“要抓落实。”'), (0, '会议19:00开始。'), (1, '增长0.7%；'), (1, '《加油！中国》播出……')]
    """
    cuts = _sentence_ends(body)
    cuts.append(len(body) + 1)  # past every line: ends the walk below
    sentences = []
    index = 0  # cuts before it are in earlier lines; every cut lies in a line, after its start
    for paragraph, line in enumerate(NON_BLANK_LINE.finditer(body)):
        start, end = line.span(1)
        while cuts[index] <= end:
            cut = cuts[index]
            if cut < end:
                sentences.append(Sentence(paragraph, start, cut))
                start = _BLANKS.match(body, cut).end() if body[cut].isspace() else cut
            index += 1
        sentences.append(Sentence(paragraph, start, end))
    return sentences
