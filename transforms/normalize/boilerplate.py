"""Canonical form of repaired text: whitespace, CJK punctuation, Simplified script, no boilerplate.

Documented canonicalization (the only changes `normalize_text` makes, each logged):

- line breaks: ``\\r\\n``, ``\\r`` and Unicode line separators become ``\\n``; a run of blank lines becomes
  one blank line; blank lines at the start and end go;
- horizontal space: indentation and trailing space go; inside a line a run of spaces, tabs, NBSP or
  U+3000 becomes one ASCII space; zero-width characters go;
- punctuation: ASCII ``, ; : ! ? ( )`` touching a CJK character become full-width (a run of them as a
  whole, a pair of parentheses together, also when they enclose CJK text); Latin context such as
  ``19:00`` or ``the index (CPI)`` stays; curly quotes stay; nothing is NFKC-folded.

`to_simplified` converts with OpenCC ``t2s`` and keeps the length; `strip_boilerplate` removes share
widgets, editor lines and the source header, and reports the source. Tables: resources/punct_normalize.json
and resources/boilerplate.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import opencc

from transforms.kit.edits import repaired, run_passes
from transforms.records import Repair, Repaired

HEADER_LINES = 3
"""A source header sits among the first lines of a bulletin (right after the title)."""
SHORT_LINE = 40
"""Boilerplate lines are short; longer lines are body text."""


@dataclass(frozen=True, slots=True)
class Stripped:
    """Text without boilerplate, the source named by its header (Simplified) and what was removed."""

    text: str
    source: str | None
    repairs: tuple[Repair, ...] = ()


@cache
def _table(name: str) -> dict:
    return json.loads((files("transforms") / "resources" / name).read_text(encoding="utf-8"))


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified_char(char: str) -> str:
    """The Simplified form of one character (itself when OpenCC has no single-character mapping).

    >>> simplified_char("國"), simplified_char("国"), simplified_char("a")
    ('国', '国', 'a')
    """
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC ``t2s`` (phrase-aware), keeping ``len(text)``.

    Spans are mapped between the original and the Simplified text by position, so when OpenCC
    changes the length of an input the text is converted character by character instead.

    >>> to_simplified("全國文明城市創建工作推進會")
    '全国文明城市创建工作推进会'
    >>> to_simplified("乾隆年間")
    '乾隆年间'
    """
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(map(simplified_char, text))


@cache
def _spaces() -> tuple[str, re.Pattern[str]]:
    """(every whitespace character, the pattern of a whitespace run that is not canonical).

    A run is canonical when it is one space, one line break or exactly one blank line; the pattern
    starts with a character class so the regex engine can skip ahead quickly.
    """
    table = _table("punct_normalize.json")
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
    return {ord(c): "\n" for c in _table("punct_normalize.json")["line_breaks"]}


@cache
def _invisible_table() -> dict[int, None]:
    return dict.fromkeys(map(ord, _table("punct_normalize.json")["invisible"]))


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
    ranges = "".join(f"{lo}-{hi}" for lo, hi in _table("punct_normalize.json")["cjk_ranges"])
    return re.compile(f"[{ranges}\U00020000-\U0003ffff]")


@cache
def _cjk_floor() -> str:
    """The first CJK character of the ranges: a neighbour below it (most are ASCII: ``19:00``) is not
    matched against the pattern at all."""
    return min(lo for lo, _ in _table("punct_normalize.json")["cjk_ranges"])


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
    table = str.maketrans(_table("punct_normalize.json")["fullwidth"])
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


@cache
def _editor_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    labels = "|".join(
        sorted(map(re.escape, _table("boilerplate.json")["editor_labels"]), key=len, reverse=True)
    )
    entry = f"(?:{labels})\\s*[：:]\\s*[^\\s（）()【】\\[\\]]{{1,12}}"
    line = re.compile(f"[（(【\\[]?\\s*{entry}(?:\\s+{entry})*\\s*[）)】\\]]?")
    trailing = re.compile(f"[（(【\\[]\\s*{entry}(?:\\s+{entry})*\\s*[）)】\\]]$")
    return line, trailing


def _source_of(line: str, *, bare: bool = True) -> str | None:
    """The publisher a header line names (``河南手机报 我要分享`` → 河南手机报), or None; with
    `bare` False only a line where a share widget follows the name counts (the first line, a title).

    >>> _source_of("河南手机报", bare=False), _source_of("河南手机报 我要分享", bare=False)
    (None, '河南手机报')
    """
    table = _table("boilerplate.json")
    name = line
    for widget in sorted(table["share_widgets"], key=len, reverse=True):
        if name.endswith(widget) and name != widget:
            name = name[: -len(widget)].rstrip()
            break
    if not bare and name == line:
        return None
    name = re.sub(r"^(?:来源|稿源)\s*[：:]\s*", "", name)
    return name if is_publisher(name) else None


def is_publisher(name: str) -> bool:
    """Whether a name is a news publisher by resources/boilerplate.json: one of its `sources`, or a
    short name ending with one of its `source_suffixes`.

    >>> is_publisher("央视网"), is_publisher("商丘日报"), is_publisher("中央电视台"), is_publisher("商丘")
    (True, True, True, False)
    """
    sources, suffixes = _publishers()
    if name in sources:
        return True
    return 2 < len(name) <= 12 and " " not in name and name.endswith(suffixes)


@cache
def _publishers() -> tuple[frozenset[str], tuple[str, ...]]:
    """The `sources` and `source_suffixes` of resources/boilerplate.json, ready for lookups."""
    table = _table("boilerplate.json")
    return frozenset(table["sources"]), tuple(table["source_suffixes"])


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span removing line text[start:end] with the line breaks after it (before it, at the end)."""
    following = len(text) - len(text[end:].lstrip("\n"))
    if following < len(text) or start == 0:
        return start, following
    return len(text[:start].rstrip("\n")), end


def _merged(text: str, spans: list[tuple[int, int]]) -> list[Repair]:
    """One removal per run of overlapping spans; a removal at either end of the text takes the
    line breaks that would otherwise be left there."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for span in merged:
        if span[1] == len(text):
            span[0] = len(text[: span[0]].rstrip("\n"))
        if span[0] == 0:
            span[1] = len(text) - len(text[span[1] :].lstrip("\n"))
    return [Repair("boilerplate", start, text[start:end], "") for start, end in merged]


def is_boilerplate_line(line: str) -> bool:
    """A whole line that is a share widget, a page label, an editor line (compared in Simplified) or a
    scraper's placeholder for a missing value (``undefined``, also as a Markdown heading).

    >>> is_boilerplate_line("责任编辑：刘亮"), is_boilerplate_line("分享"), is_boilerplate_line("分享经验")
    (True, True, False)
    >>> is_boilerplate_line("### undefined"), is_boilerplate_line("undefined behaviour")
    (True, False)
    """
    simple = to_simplified(line.strip())
    table = _table("boilerplate.json")
    listed = simple in table["share_widgets"] or simple in table["page_labels"]
    placeholder = simple.lstrip("#").strip() in table["placeholders"]
    return listed or placeholder or _editor_patterns()[0].fullmatch(simple) is not None


def strip_boilerplate(text: str) -> Stripped:
    """Remove share widgets, editor lines and the source header; report the source (Simplified).

    >>> s = strip_boilerplate("李國勝講話\\n\\n河南手機報 我要分享\\n\\n正文。（編輯：王五）\\n\\n分享")
    >>> s.text, s.source
    ('李國勝講話\\n\\n正文。', '河南手机报')
    """
    trailing_pattern = _editor_patterns()[1]
    spans: list[tuple[int, int]] = []
    source = None
    position = 0
    nonblank = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        body = line.strip()
        if not body:
            continue
        nonblank += 1
        if len(body) <= SHORT_LINE:
            header = None
            if nonblank <= HEADER_LINES and source is None:
                header = _source_of(to_simplified(body), bare=nonblank > 1)
            if header or is_boilerplate_line(body):
                source = header or source
                spans.append(_line_span(text, start, end))
                continue
        if body.endswith((")", "）", "]", "】")):
            trailing = trailing_pattern.search(to_simplified(body[-SHORT_LINE:]))
            if trailing:
                stop = start + len(line.rstrip())
                spans.append((stop - (len(body[-SHORT_LINE:]) - trailing.start()), stop))
    result = repaired(text, _merged(text, spans))
    return Stripped(result.text, source, result.repairs)
