"""Repair logs: build one from a pass, compose the logs of successive passes, replay a log.

A log belongs to one step (``repair_text``, ``normalize_text``, ``strip_boilerplate``): every `Repair`
offset refers to the step's input, the repairs never overlap, and applying them in offset order
reproduces the step's output. A step made of several passes composes their logs, so a reader never
has to know how a step is built inside.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate

from transforms.records import Repair, Repaired

Pass = Callable[[str], Repaired]


def replay(text: str, repairs: Sequence[Repair]) -> str:
    """Apply the repairs of one step to that step's input, checking each `before` is really there.

    >>> replay("a,b", [Repair("punct", 1, ",", "，")])
    'a，b'
    >>> replay("abc", [Repair("x", 2, "c", ""), Repair("x", 0, "", ">")])
    '>ab'
    """
    out: list[str] = []
    position = 0
    for r in sorted(repairs, key=lambda r: r.offset):
        end = r.offset + len(r.before)
        if r.offset < position or text[r.offset : end] != r.before:
            raise ValueError(f"repair {r} does not apply at offset {r.offset}")
        out.append(text[position : r.offset])
        out.append(r.after)
        position = end
    out.append(text[position:])
    return "".join(out)


def repaired(text: str, repairs: Iterable[Repair]) -> Repaired:
    """The output of one pass over `text` together with its log.

    For passes that build their repairs from `text` itself: the repairs must not overlap; they are
    sorted by offset here, but not checked against the text again (`replay` does that).

    >>> repaired("ab", [Repair("k", 1, "b", "c")]).text
    'ac'
    """
    log = sorted(repairs, key=lambda r: r.offset)
    if not log:
        return Repaired(text)
    pieces = []
    position = 0
    for r in log:
        pieces.append(text[position : r.offset])
        pieces.append(r.after)
        position = r.offset + len(r.before)
    pieces.append(text[position:])
    return Repaired("".join(pieces), tuple(log))


def substitute(
    text: str, pattern: re.Pattern[str], kind: str, replace: Callable[[re.Match[str]], str]
) -> Repaired:
    """Rewrite every match of `pattern` with `replace` (a match it returns unchanged stays), logged.

    >>> substitute("a1b22", re.compile(r"\\d+"), "digits", lambda m: "#").text
    'a#b#'
    """
    log: list[Repair] = []

    def rewrite(match: re.Match[str]) -> str:
        after = replace(match)
        before = match.group()
        if after != before:
            log.append(Repair(kind, match.start(), before, after))
        return after

    result = pattern.sub(rewrite, text)
    return Repaired(result, tuple(log)) if log else Repaired(text)


def run_passes(text: str, passes: Iterable[Pass]) -> Repaired:
    """Run passes one after the other; the result's log refers to `text`, the input of the first.

    >>> upper = lambda t: repaired(t, [Repair("up", 0, t[:1], t[:1].upper())])
    >>> run_passes("ab", [upper, lambda t: repaired(t, [Repair("cut", 1, "b", "")])])
    Repaired(text='A', repairs=(Repair(kind='up', offset=0, before='a', after='A'), \
Repair(kind='cut', offset=1, before='b', after='')))
    """
    current = Repaired(text)
    for step in passes:
        current = then(text, current, step)
    return current


def then(origin: str, current: Repaired, step: Pass) -> Repaired:
    """Run one more pass on ``current.text`` (the result so far of passes over `origin`); the
    returned log refers to `origin`. Returns `current` itself when the pass changes nothing."""
    result = step(current.text)
    if not result.repairs:
        return current
    log = compose(origin, current, result.repairs) if current.repairs else result.repairs
    return Repaired(result.text, log)


def compose(origin: str, first: Repaired, second: Sequence[Repair]) -> tuple[Repair, ...]:
    """One log for two passes: `first` took `origin` to ``first.text``, `second` refers to ``first.text``.

    A second-pass repair that touches the output of a first-pass repair merges with it (kinds joined
    with ``+``), so the composed log never overlaps. First-pass repairs away from the second pass's
    are kept as they are, so composing a long log with a short one stays cheap.

    >>> one = Repaired("保”x", (Repair("gbk", 0, "?!", "保”"),))
    >>> [r.kind for r in compose("?!x", one, [Repair("cut", 2, "x", "")])]
    ['gbk', 'cut']
    >>> compose("?!x", one, [Repair("quote", 1, "”", '"')])
    (Repair(kind='gbk+quote', offset=0, before='?!', after='保"'),)
    """
    firsts = first.repairs
    if not firsts or not second:
        return tuple(firsts) or tuple(second)
    shifts = list(accumulate((len(r.after) - len(r.before) for r in firsts), initial=0))
    starts = [r.offset + shift for r, shift in zip(firsts, shifts, strict=False)]
    ends = [start + len(r.after) for start, r in zip(starts, firsts, strict=True)]
    clusters: list[tuple[list[Repair], range]] = []
    for r in sorted(second, key=lambda r: r.offset):
        lo, hi = r.offset, r.offset + len(r.before)
        touched = _touched(lo, hi, starts, ends)
        if clusters:
            seconds, spans = clusters[-1]
            c_lo, c_hi = _extent(seconds, spans, starts, ends)
            shares = bool(touched) and bool(spans) and touched.start < spans.stop
            if shares or _touches(c_lo, c_hi, lo, hi):
                joined = (
                    range(min(spans.start, touched.start), max(spans.stop, touched.stop))
                    if touched and spans
                    else spans or touched
                )
                clusters[-1] = ([*seconds, r], joined)
                continue
        clusters.append(([r], touched))
    merged = [
        _merge(origin, first.text, seconds, spans, firsts, starts, ends, shifts)
        for seconds, spans in clusters
    ]
    used = {i for _, spans in clusters for i in spans}
    # Order as in the intermediate text: an insertion and a replacement may start at one offset.
    placed = [(starts[i], r) for i, r in enumerate(firsts) if i not in used] + merged
    return tuple(r for _, r in sorted(placed, key=lambda item: (item[1].offset, item[0])))


def _touches(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Two spans overlap, or meet where one of them is empty."""
    if a_start < b_end and b_start < a_end:
        return True
    return (a_start == a_end or b_start == b_end) and a_start <= b_end and b_start <= a_end


def _touched(lo: int, hi: int, starts: list[int], ends: list[int]) -> range:
    """Indices of the first-pass spans touching [lo, hi) of the intermediate text."""
    first = bisect_left(ends, lo)
    last = bisect_right(starts, hi)
    while first < last and not _touches(starts[first], ends[first], lo, hi):
        first += 1
    while last > first and not _touches(starts[last - 1], ends[last - 1], lo, hi):
        last -= 1
    return range(first, last)


def _extent(seconds: list[Repair], spans: range, starts: list[int], ends: list[int]) -> tuple[int, int]:
    """The span of the intermediate text a cluster covers: its second-pass repairs and first-pass spans."""
    lo, hi = seconds[0].offset, max(r.offset + len(r.before) for r in seconds)
    if spans:
        lo, hi = min(lo, starts[spans.start]), max(hi, ends[spans.stop - 1])
    return lo, hi


def _merge(
    origin: str,
    middle: str,
    seconds: list[Repair],
    spans: range,
    firsts: Sequence[Repair],
    starts: list[int],
    ends: list[int],
    shifts: list[int],
) -> tuple[int, Repair]:
    """The repair (origin coordinates) for second-pass repairs and the first-pass spans they touch,
    with where it starts in the intermediate text."""
    lo, hi = _extent(seconds, spans, starts, ends)
    before_count = spans.start if spans else bisect_right(ends, lo)
    start = lo - shifts[before_count]
    end = hi - shifts[spans.stop if spans else before_count]
    after = replay(middle[lo:hi], [Repair(r.kind, r.offset - lo, r.before, r.after) for r in seconds])
    kinds = "+".join(dict.fromkeys([firsts[i].kind for i in spans] + [r.kind for r in seconds]))
    return lo, Repair(kinds, start, origin[start:end], after)
