"""Line-level boilerplate classifier: what a reader does not count as the story leaves the text, logged.

Each line of a document is tried against the rules of resources/boilerplate_lines.json, in order; a
line a rule matches whole is removed and logged as ``boilerplate:<kind>`` (url, copyright, editor,
byline, dateline, caption, share, navigation, related, …). Rules marked ``edges`` only take lines
before the first or after the last prose paragraph of the document (bylines, date lines, captions and
share widgets stand there; the same words inside a story stay). Inside the lines that stay, Markdown
link and image syntax keeps its visible text and loses its URL, and bare URLs and e-mail addresses go.
The byline facts of the removed lines are kept: the source (``来源：``), the author (``作者：``,
``记者``) and the date (``发布时间：2011-09-26``).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from transforms.decode.docdates import written_date
from transforms.kit.edits import repaired
from transforms.kit.lexicons import read_json
from transforms.kit.script import to_simplified
from transforms.records import Repair

_PROSE_END = re.compile(r"[。！？!?]")
_DATED = ("dateline", "byline", "headnote")  # kinds whose line's date is the story's


@dataclass(frozen=True, slots=True)
class InlineRule:
    """Spans removed inside a line: `keep` names the group left in place (0: nothing)."""

    kind: str
    pattern: re.Pattern[str]
    needs: re.Pattern[str]
    keep: int


class Facts(NamedTuple):
    """What the removed byline lines said: where the story comes from, who wrote it, when."""

    source: str | None = None
    author: str | None = None
    date: dt.date | None = None


class Cleaned(NamedTuple):
    text: str
    repairs: tuple[Repair, ...]
    facts: Facts


@cache
def _table() -> dict:
    return read_json("boilerplate_lines.json")


@cache
def inline_rules() -> tuple[InlineRule, ...]:
    """The inline rules compiled from the resource, once (the line rules: `_combined`)."""
    return tuple(
        InlineRule(
            entry["kind"],
            re.compile(entry["pattern"], re.I),
            re.compile("|".join(map(re.escape, entry["needs"]))),
            entry.get("keep", 0),
        )
        for entry in _table()["inline"]
    )


@cache
def _blocks() -> frozenset[str]:
    """Kinds of line that open a block (a related-articles list)."""
    return frozenset(entry["kind"] for entry in _table()["rules"] if entry.get("block"))


def _is_prose(line: str) -> bool:
    return (
        len(line) >= _table()["prose_min"]
        and _PROSE_END.search(line) is not None
        and _not_prose()[0].match(line.lstrip()) is None
        and _not_prose()[1].search(line[-60:]) is None
    )


@cache
def _not_prose() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(how a caption or headnote starts, how a photo credit ends a line)."""
    table = _table()["not_prose"]
    return re.compile(table["start"]), re.compile(table["end"])


def classify_line(line: str, edge: bool = True) -> str | None:
    """The kind of boilerplate a whole line is, or None for story text.

    >>> [classify_line(x) for x in ("责编：王五", "发布时间：2011-09-26 发布人：李四", "PDF链接：https://a.cn/x.pdf")]
    ['editor', 'dateline', 'link']
    >>> classify_line("2018-07-31 08:19"), classify_line("（原标题：会议召开）")
    ('dateline', 'original_title')
    >>> classify_line("分享到：微信 微博")
    'share'
    >>> classify_line("2024年全国两会在北京开幕"), classify_line("记者王五报道，会议召开。", edge=False)
    (None, None)
    >>> classify_line("[查看原文](https://tv.cctv.com/2024/03/20/VIDE.shtml)", edge=False)
    'link_line'
    """
    if not edge and not any(_triggers()[1][m.group()][0] for m in _triggers()[0].finditer(line)):
        return None
    return _kind(to_simplified(line), edge)


def _kind(simple: str, edge: bool) -> str | None:
    """The first rule a line (in Simplified) matches whole, of all rules or only `anywhere` ones."""
    match = _combined(edge).fullmatch(simple)
    return match.lastgroup if match else None


@cache
def _combined(edge: bool) -> re.Pattern[str]:
    """All line rules (at the edges) or the `anywhere` ones as one pattern, a named group per kind
    in rule order: one match per line instead of one per rule."""
    branches = [
        f"(?P<{entry['kind']}>(?=.{{0,{entry.get('max', 10_000)}}}\\Z)(?:{entry['pattern']}))"
        for entry in _table()["rules"]
        if edge or entry.get("where") != "edges"
    ]
    return re.compile("|".join(branches), re.I)


@cache
def _triggers() -> tuple[re.Pattern[str], dict[str, tuple[bool, bool]]]:
    """(a pattern matching every string a rule needs, and for each such string whether an `anywhere`
    line rule or an inline rule needs it, or a part of it): one scan of a document finds the few
    lines worth trying the rules on."""
    table = _table()
    line = {n for rule in table["rules"] if rule.get("where") != "edges" for n in rule.get("needs", ())}
    inline = {n for rule in table["inline"] for n in rule["needs"]}
    needs = sorted(line | inline, key=len, reverse=True)  # no re.I: it makes the scan 15 times slower
    flags = {n: (any(part in n for part in line), any(part in n for part in inline)) for n in needs}
    return re.compile("|".join(map(re.escape, needs))), flags


def _facts(removed: list[tuple[str, str]]) -> Facts:
    table = _table()["facts"]
    source = author = date = None
    for kind, line in removed:
        if kind not in table["kinds"]:
            continue
        simple = to_simplified(line)
        source = source or _group(table["source"], simple)
        author = author or _group(table["author"], simple)
        if kind in _DATED:
            date = date or written_date(simple)
    return Facts(source, author, date)


def _group(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1).strip() if match else None


def _inline(line: str, offset: int) -> list[Repair]:
    """The inline removals in one line: every rule's matches, an earlier rule winning an overlap."""
    found: list[tuple[int, int, int, InlineRule, re.Match[str]]] = []
    for order, rule in enumerate(inline_rules()):
        if rule.needs.search(line):
            found += [(m.start(), order, m.end(), rule, m) for m in rule.pattern.finditer(line)]
    edits: list[Repair] = []
    end = 0
    for start, _, stop, rule, match in sorted(found, key=lambda f: f[:2]):
        if start >= end:
            kept = (match.group(rule.keep) or "") if rule.keep else ""
            edits.append(Repair(f"boilerplate:{rule.kind}", offset + start, match.group(), kept))
            end = stop
    return edits


def clean_document(text: str) -> Cleaned:
    r"""Remove boilerplate lines and inline URLs from a document's text, keeping the byline facts.

    >>> story = "会议在北京召开，会议强调要抓好今年各项重点工作的落实。"
    >>> cleaned = clean_document(f"来源：新华社 作者：王五\n\n{story}\n\n责编：赵六")
    >>> cleaned.text, cleaned.facts.source, cleaned.facts.author
    ('会议在北京召开，会议强调要抓好今年各项重点工作的落实。', '新华社', '王五')
    >>> clean_document("详见[通知](https://a.gov.cn/t.html)全文，或访问（https://b.cn）。").text
    '详见通知全文，或访问。'
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    line_hits, inline_hits = _hit_lines(text, starts)
    kinds = _kinds(lines, line_hits)
    edits: list[Repair] = []
    for i in sorted(inline_hits - kinds.keys()):
        edits.extend(_inline(lines[i], starts[i]))
    for i, kind in kinds.items():
        after = _kept(lines, kinds, i, 1)
        before = _kept(lines, kinds, i, -1)
        begin, end = starts[i], starts[after] if after is not None else len(text)
        if after is None:  # nothing kept after it: take the line breaks before it instead
            begin = starts[before] + len(lines[before]) if before is not None else 0
        elif before is None:  # nothing kept before it: the text starts with the next kept line
            begin = 0
        edits.append(Repair(f"boilerplate:{kind}", begin, text[begin:end], ""))
    removed = [(kind, lines[i].strip()) for i, kind in sorted(kinds.items())]
    result = repaired(text, _disjoint(edits))
    return Cleaned(result.text, result.repairs, _facts(removed))


def _kept(lines: list[str], kinds: dict[int, str], i: int, step: int) -> int | None:
    """The nearest line after (step 1) or before (step -1) line `i` that stays, if any."""
    i += step
    while 0 <= i < len(lines):
        if i not in kinds and lines[i].strip():
            return i
        i += step
    return None


def _hit_lines(text: str, starts: list[int]) -> tuple[set[int], set[int]]:
    """Indices of the lines holding a string an `anywhere` line rule needs, and of those holding one
    an inline rule needs (one scan of the whole text)."""
    pattern, flags = _triggers()
    line_hits: set[int] = set()
    inline_hits: set[int] = set()
    for match in pattern.finditer(text):
        index = bisect_right(starts, match.start()) - 1
        for_line, for_inline = flags[match.group()]
        if for_line:
            line_hits.add(index)
        if for_inline:
            inline_hits.add(index)
    return line_hits, inline_hits


def _kinds(lines: list[str], hits: set[int]) -> dict[int, str]:
    """The boilerplate lines (index → kind). Edge rules look at the lines next to the first and the
    last prose paragraph; a line inside the story is only tried when it holds a string an `anywhere`
    rule needs (`hits`)."""
    anywhere = {i: _kind(to_simplified(lines[i].strip()), edge=False) for i in hits if lines[i].strip()}
    anywhere = {i: kind for i, kind in anywhere.items() if kind}

    def prose(i: int) -> bool:
        return i not in anywhere and _is_prose(lines[i])

    first = next((i for i in range(len(lines)) if prose(i)), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if prose(i)), None)
    window = _table()["edge_lines"]
    if first is None or last is None:
        return anywhere
    head = [i for i in range(first - 1, -1, -1) if lines[i].strip()][:window]
    tail = [i for i in range(last + 1, len(lines)) if lines[i].strip()][:window]
    kinds = dict(anywhere)
    blocks = _blocks()
    for run in (sorted(head), tail):
        block: str | None = None
        for i in run:
            kind = block if block and not prose(i) else _kind(to_simplified(lines[i].strip()), edge=True)
            block = kind if kind in blocks or (block and kind == block) else None
            if kind:
                kinds[i] = kind
    return kinds


def _disjoint(edits: list[Repair]) -> list[Repair]:
    """Removals merged where they overlap (a run of removed lines), in offset order."""
    merged: list[Repair] = []
    for edit in sorted(edits, key=lambda r: r.offset):
        if merged and edit.offset < merged[-1].offset + len(merged[-1].before):
            last = merged[-1]
            end = max(last.offset + len(last.before), edit.offset + len(edit.before))
            before = last.before + edit.before[last.offset + len(last.before) - edit.offset :]
            merged[-1] = Repair(last.kind, last.offset, before[: end - last.offset], "")
        else:
            merged.append(edit)
    return merged
