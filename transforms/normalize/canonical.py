"""Canonical form of repaired text: whitespace and CJK punctuation.

Documented canonicalization (the only changes `normalize_text` makes, each logged):

- line breaks: ``\\r\\n``, ``\\r`` and Unicode line separators become ``\\n``; a run of blank lines becomes
  one blank line; blank lines at the start and end go;
- horizontal space: indentation and trailing space go; inside a line a run of spaces, tabs, NBSP or
  U+3000 becomes one ASCII space; zero-width characters go;
- punctuation: ASCII ``, ; : ! ? ( )`` touching a CJK character become full-width (a run of them as a
  whole, a pair of parentheses together, also when they enclose CJK text); Latin context such as
  ``19:00`` or ``the index (CPI)`` stays; curly quotes stay; nothing is NFKC-folded.

Table: resources/punct_normalize.json.
"""

from __future__ import annotations

import re
from functools import cache

from transforms.kit.edits import repaired, run_passes
from transforms.kit.lexicons import read_json
from transforms.records import Repair, Repaired


@cache
def _table() -> dict:
    return read_json("punct_normalize.json")


@cache
def _spaces() -> tuple[str, re.Pattern[str]]:
    """(every whitespace character, the pattern of a whitespace run that is not canonical).

    A run is canonical when it is one space, one line break or exactly one blank line; the pattern
    starts with a character class so the regex engine can skip ahead quickly.
    """
    table = _table()
    every = "".join(table["horizontal_spaces"] + table["line_breaks"] + table["invisible"])
    unusual = every.replace(" ", "").replace("\n", "")
    inline = every.replace("\n", "")
    w, u, i = re.escape(every), re.escape(unusual), re.escape(inline)
    return every, re.compile(f"[{w}](?:(?<=[{u}])[{w}]*|(?<= )[{w}]+|(?<=\n)(?:[{w}]{{2,}}|[{i}]))")


def _canonical_space(run: str) -> str:
    """What a maximal whitespace run inside the text becomes: a paragraph break, a line break, one
    space or nothing (only invisible characters)."""
    if run.isascii() and "\r" not in run:
        breaks = run.count("\n")
        return "\n\n" if breaks > 1 else "\n" if breaks else " "
    breaks = run.replace("\r\n", "\n").translate(_line_break_table()).count("\n")
    if breaks:
        return "\n\n" if breaks > 1 else "\n"
    return " " if run.translate(_invisible_table()) else ""


@cache
def _line_break_table() -> dict[int, str]:
    return {ord(c): "\n" for c in _table()["line_breaks"]}


@cache
def _invisible_table() -> dict[int, None]:
    return dict.fromkeys(map(ord, _table()["invisible"]))


def normalize_whitespace(text: str) -> Repaired:
    """Canonical line breaks and spaces (see the module docstring), each change logged.

    >>> normalize_whitespace("\\u00a0\\u00a010月8日下午\\r\\n\\r\\n\\r\\n会议召开。 \\n").text
    '10月8日下午\\n\\n会议召开。'
    >>> normalize_whitespace("召开 李国胜讲话\\n\\n第二段").text
    '召开 李国胜讲话\\n\\n第二段'
    """
    every, pattern = _spaces()
    body_end = len(text.rstrip(every))
    body_start = min(len(text) - len(text.lstrip(every)), body_end)
    edits = [Repair("whitespace", 0, text[:body_start], "")] if body_start else []
    for match in pattern.finditer(text, body_start, body_end):
        after = _canonical_space(match.group())
        if after != match.group():
            edits.append(Repair("whitespace", match.start(), match.group(), after))
    if body_end < len(text):
        edits.append(Repair("whitespace", body_end, text[body_end:], ""))
    return repaired(text, edits)


@cache
def _cjk_pattern() -> re.Pattern[str]:
    ranges = "".join(f"{lo}-{hi}" for lo, hi in _table()["cjk_ranges"])
    return re.compile(f"[{ranges}\U00020000-\U0003ffff]")


@cache
def _cjk_floor() -> str:
    """The first CJK character of the ranges: a neighbour below it (most are ASCII: ``19:00``) is not
    matched against the pattern at all."""
    return min(lo for lo, _ in _table()["cjk_ranges"])


_PUNCT = ",;:!?()"


_PUNCT_RUN = re.compile(f"[{re.escape(_PUNCT)}]+")


def _touching_runs(text: str) -> dict[int, int]:
    """Maximal runs of ASCII punctuation (start → end) with a CJK character right before or right
    after them; each run is scanned once, so the time is linear in the text (`_cjk_floor` spares
    the pattern most neighbours).

    >>> _touching_runs("会议(((a ,,b,会")
    {2: 5, 10: 11}
    """
    cjk, floor = _cjk_pattern(), _cjk_floor()
    return {
        m.start(): m.end()
        for m in _PUNCT_RUN.finditer(text)
        if (m.start() and text[m.start() - 1] >= floor and cjk.match(text, m.start() - 1))
        or (text[m.end() : m.end() + 1] >= floor and cjk.match(text, m.end()))
    }


def _run_around(text: str, position: int) -> tuple[int, int]:
    """The maximal run of ASCII punctuation holding text[position]."""
    start, end = position, position + 1
    while start > 0 and text[start - 1] in _PUNCT:
        start -= 1
    while end < len(text) and text[end] in _PUNCT:
        end += 1
    return start, end


def fullwidth_punctuation(text: str) -> Repaired:
    """ASCII punctuation touching CJK text becomes full-width; Latin context stays.

    A run of ASCII punctuation converts as a whole; an ASCII pair of parentheses converts together
    when either half does or when it encloses CJK text.

    >>> fullwidth_punctuation("10月8日下午,全市召开会议;指数(CPI).").text
    '10月8日下午，全市召开会议；指数（CPI）.'
    >>> fullwidth_punctuation("19:00 the index (CPI) rose 0.7%, A320").text
    '19:00 the index (CPI) rose 0.7%, A320'
    >>> fullwidth_punctuation("(a 记者 b)").text
    '（a 记者 b）'
    """
    runs = _touching_runs(text)
    if "(" in text and ")" in text:
        _spread_through_parentheses(text, runs)
    if not runs:
        return Repaired(text)
    table = str.maketrans(_table()["fullwidth"])
    edits = [Repair("punctuation", s, text[s:e], text[s:e].translate(table)) for s, e in sorted(runs.items())]
    return repaired(text, edits)


def _spread_through_parentheses(text: str, runs: dict[int, int]) -> None:
    """Add to `runs` (start → end of runs to convert) both halves of an ASCII pair of parentheses
    (innermost, within a line) when either half converts or the pair encloses CJK text; repeat until
    nothing changes, since a converted half can share its run with another pair's."""
    cjk = _cjk_pattern()
    pairs = [(m.start(), m.end() - 1) for m in _PAIR.finditer(text)]
    changed = True
    while changed:
        changed = False
        covered = {p for start, end in runs.items() for p in range(start, end)}
        for opener, closer in pairs:
            if opener in covered and closer in covered:
                continue
            if opener in covered or closer in covered or cjk.search(text, opener + 1, closer):
                runs.update((_run_around(text, opener), _run_around(text, closer)))
                changed = True


_PAIR = re.compile(r"\([^()\n]*\)")


def normalize_text(text: str) -> Repaired:
    """Whitespace and punctuation in canonical form (module docstring), every change logged.

    >>> normalize_text("\\u00a0\\u00a010月8日下午,全市召开会议。\\n\\n\\n分享").text
    '10月8日下午，全市召开会议。\\n\\n分享'
    """
    return run_passes(text, (normalize_whitespace, fullwidth_punctuation))
