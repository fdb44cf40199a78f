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
from bisect import bisect_right
from itertools import repeat

_TERMINATORS = "。！？；…"
_QUOTE_PAIRS = ("“”", "‘’", "「」", "『』", "（）", "()")  # a sentence may end right inside their closer
_TITLE_PAIRS = ("《》", "〈〉", "【】")  # nothing inside them ends a sentence
_CLOSERS = "".join(pair[1] for pair in _QUOTE_PAIRS + _TITLE_PAIRS)
_QUOTE_OPENERS = frozenset(pair[0] for pair in _QUOTE_PAIRS)
_CONTINUERS = "，、：；,;:的"  # after a closing quote they mean the sentence goes on: “加油！”的口号
_END = re.compile(rf"[{_TERMINATORS}]+[{re.escape(_CLOSERS)}]*+(?![{_CONTINUERS}])")
_BRACKET = re.compile("[" + re.escape("".join(_QUOTE_PAIRS + _TITLE_PAIRS)) + "]")
# A matched pair: opener, no opener or closer of its own kind or line break, closer (other kinds may nest).
_PAIR = re.compile(
    "|".join(f"{re.escape(o)}[^{re.escape(o + c)}\n]*{re.escape(c)}" for o, c in _QUOTE_PAIRS + _TITLE_PAIRS)
)
NON_BLANK_LINE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)")  # group 1: a non-blank line, edge blanks excluded
_SPACE = re.compile(r"\s")


def _pairs(line: str) -> list[re.Match[str]]:
    """The outermost matched bracket pairs of `line`, left to right; unmatched brackets are skipped.

    >>> [pair.group() for pair in _pairs("他说：“读了《论语》。”（完")]
    ['“读了《论语》。”']
    """
    return list(_PAIR.finditer(line))


def _may_end(pairs: list[re.Match[str]], pair_starts: list[int], end: re.Match[str]) -> bool:
    """Whether the terminator run `end` ends a sentence: outside all pairs, or closing a quote or bracket."""
    index = bisect_right(pair_starts, end.start()) - 1
    if index < 0 or pairs[index].end() <= end.start():
        return True
    pair = pairs[index]
    return pair.group()[0] in _QUOTE_OPENERS and pair.end() <= end.end()


def _sentence_ends(line: str) -> list[int]:
    """Offsets in `line` where a sentence ends (the line's own end included)."""
    ends = list(_END.finditer(line))
    if ends and _BRACKET.search(line) is not None:
        pairs = _pairs(line)
        pair_starts = [pair.start() for pair in pairs]
        ends = [end for end in ends if _may_end(pairs, pair_starts, end)]
    offsets = [end.end() for end in ends]
    if not offsets or offsets[-1] != len(line):
        offsets.append(len(line))
    return offsets


def split_sentences(body: str) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of every sentence of `body`, stripped, covering each non-blank character once.

    >>> body = "他说：“要抓落实。”会议19:00开始。\\n  增长0.7%；《加油！中国》播出……"
    >>> [(paragraph, body[start:end]) for paragraph, start, end in split_sentences(body)]
    [(0, '他说：“要抓落实。”'), (0, '会议19:00开始。'), (1, '增长0.7%；'), (1, '《加油！中国》播出……')]
    """
    sentences: list[tuple[int, int, int]] = []
    for paragraph, match in enumerate(NON_BLANK_LINE.finditer(body)):
        line = match.group(1)
        offset = match.start(1)
        ends = _sentence_ends(line)
        starts = [0, *ends[:-1]]
        if _SPACE.search(line) is None:
            sentences.extend(zip(repeat(paragraph), map(offset.__add__, starts), map(offset.__add__, ends)))
            continue
        for start, end in zip(starts, ends, strict=True):
            piece = line[start:end]
            stripped = piece.strip()
            if stripped:
                first = offset + start + len(piece) - len(piece.lstrip())
                sentences.append((paragraph, first, first + len(stripped)))
    return sentences
