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
# Written [T][T]* rather than [T]+: re skips ahead fast only to a pattern that starts with one character
# or class, not with a repeat (about 2× faster on article bodies).
_END = re.compile(rf"[{_TERMINATORS}][{_TERMINATORS}]*[{re.escape(_CLOSERS)}]*+(?![{_CONTINUERS}])")
_BRACKET = re.compile("[" + re.escape("".join(_QUOTE_PAIRS + _TITLE_PAIRS)) + "]")
# A matched pair: opener, no opener or closer of its own kind or line break, closer (other kinds may nest).
_PAIR = re.compile(
    "|".join(f"{re.escape(o)}[^{re.escape(o + c)}\n]*{re.escape(c)}" for o, c in _QUOTE_PAIRS + _TITLE_PAIRS)
)
NON_BLANK_LINE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)")  # group 1: a non-blank line, edge blanks excluded
_BLANKS = re.compile(r"[^\S\n]*")  # the blanks after a sentence end, before the next sentence on its line


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


def split_sentences(body: str) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of every sentence of `body`, stripped, covering each non-blank character once.

    Sentences are found on the whole body at once: a sentence ends at a line end or at a terminator run,
    and the next one starts at the next line or right after the run, past the blanks that follow it.

    >>> body = "他说：“要抓落实。”会议19:00开始。\\n  增长0.7%；《加油！中国》播出……"
    >>> [(paragraph, body[start:end]) for paragraph, start, end in split_sentences(body)]
    [(0, '他说：“要抓落实。”'), (0, '会议19:00开始。'), (1, '增长0.7%；'), (1, '《加油！中国》播出……')]
    """
    lines = [line.span(1) for line in NON_BLANK_LINE.finditer(body)]
    line_starts = [start for start, _ in lines]
    line_ends = {end for _, end in lines}
    cuts = _sentence_ends(body)
    inside = [cut for cut in cuts if cut not in line_ends]  # a cut at a line end starts no sentence there
    starts = sorted(
        line_starts + [_BLANKS.match(body, cut).end() if body[cut].isspace() else cut for cut in inside]
    )
    ends = sorted(line_ends.union(cuts))
    paragraphs = map(bisect_right, repeat(line_starts[1:]), starts)
    return list(zip(paragraphs, starts, ends, strict=True))
