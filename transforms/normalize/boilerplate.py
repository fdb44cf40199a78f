"""Boilerplate lines removed from a bulletin (and logged), and the source its header names.

`strip_boilerplate` removes share widgets, editor lines and the source header, and reports the source;
the lexicon is the kit's (`transforms.kit.publishers`, resources/boilerplate.json).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.kit.edits import repaired
from transforms.kit.publishers import editor_patterns, is_boilerplate_line, is_publisher, lexicon
from transforms.kit.script import to_simplified
from transforms.records import Repair

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


def _source_of(line: str, *, bare: bool = True) -> str | None:
    """The publisher a header line names (``河南手机报 我要分享`` → 河南手机报), or None; with
    `bare` False only a line where a share widget follows the name counts (the first line, a title).

    >>> _source_of("河南手机报", bare=False), _source_of("河南手机报 我要分享", bare=False)
    (None, '河南手机报')
    """
    table = lexicon()
    name = line
    for widget in sorted(table["share_widgets"], key=len, reverse=True):
        if name.endswith(widget) and name != widget:
            name = name[: -len(widget)].rstrip()
            break
    if not bare and name == line:
        return None
    name = re.sub(r"^(?:来源|稿源)\s*[：:]\s*", "", name)
    return name if is_publisher(name) else None


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


def strip_boilerplate(text: str) -> Stripped:
    """Remove share widgets, editor lines and the source header; report the source (Simplified).

    >>> s = strip_boilerplate("李國勝講話\\n\\n河南手機報 我要分享\\n\\n正文。（編輯：王五）\\n\\n分享")
    >>> s.text, s.source
    ('李國勝講話\\n\\n正文。', '河南手机报')
    """
    trailing_pattern = editor_patterns()[1]
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
