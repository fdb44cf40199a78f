"""Bulletin → articles: where each story starts, its title, source lead and dateline, and the ToC summary.

A bulletin is read line by line. Every non-blank line gets a few cheap features (title-like, source
lead, trailer, numbered item, Markdown heading level) and a line becomes an article head on evidence:

- a Markdown heading at the article level (the heading level that most often carries a body);
- a title-like line followed by a source lead (``央视网消息（新闻联播）：``, ``本报讯``,
  ``新华社北京12月10日电``);
- a title-like line that repeats an item of the table of contents;
- the first line after a trailer (``[查看原文](…)``, ``（编辑：…）``, ``（完）``), if title-like or a lead;
- in a bulletin without any of that evidence, any title-like line followed by a body paragraph.

The table of contents (a header such as ``本期节目主要内容：`` or a run of numbered items before the first
story) becomes the bulletin's summary, not an article. Word lists live in resources/segment_lexicon.json.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from transforms.kit.lexicons import read_json
from transforms.segment.heads import ACTIONS, Action, Evidence, State, after_head, after_line
from transforms.segment.sentences import NON_BLANK_LINE


@dataclass(frozen=True, slots=True)
class ArticleSpan:
    """One article: ``text[start:end]`` is its body (title line excluded), ``text[head:end]`` all of it.

    `source` is the publisher its lead names, as written (``央视网消息``, ``新华社``, ``本报讯``), and
    `dateline` the raw date expression of the lead (``12月10日``); both are None when there is no lead.
    """

    title: str | None
    source: str | None
    dateline: str | None
    start: int
    end: int
    head: int


@dataclass(frozen=True, slots=True)
class Bulletin:
    """The articles of one bulletin, and its table of contents (kept as a summary, not as an article)."""

    summary: str | None
    articles: list[ArticleSpan]


@dataclass(slots=True)
class _Line:
    """A non-blank line and its features. Those only the table of contents needs are properties: they are
    computed for the few lines near it rather than for every line of the bulletin. (Not frozen, unlike
    `ArticleSpan`: there is one per line, and a NamedTuple takes twice as long to build, a frozen
    dataclass four times.)"""

    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    plain: str  # content without Markdown or HTML markup
    level: int  # Markdown heading level, 0 for other lines
    title_like: bool
    lead: re.Match[str] | None
    trailer: bool

    @property
    def numbered(self) -> bool:
        """Whether the line starts with an item number (``1.``, ``（2）``)."""
        return _NUMBERED.match(self.plain) is not None

    @property
    def toc_header(self) -> bool:
        """Whether the line is a ToC header (``本期节目主要内容：``)."""
        return _patterns().toc_header.fullmatch(self.plain) is not None


class _Patterns(NamedTuple):
    lead: re.Pattern[str]
    trailer: re.Pattern[str]
    toc_header: re.Pattern[str]


_HAN = r"[\u4e00-\u9fff]"
_MARKUP = re.compile(r"<[^<>]*>|\*\*|__")  # [^<>]: a run of '<' without '>' stays linear
_HEADING = re.compile(r"(#{1,6})\s+")
_NUMBERED = re.compile(r"(?:\d{1,3}[.．、](?!\d)|[（(]\d{1,3}[）)])\s*")
_TOP_ITEM = re.compile(r"\d{1,3}[.．、](?!\d)")
_LABEL = re.compile(r"^[^：:\s]{1,6}[：:]\s*(?=\S)")  # a page label before a ToC header: 视频简介：
_TOP_ITEMS = re.compile(r"(?<!\d)\d{1,3}[.．、](?!\d)")
_ENUMERATED_SUBHEAD = re.compile(
    r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[，、是]"
)
_DATE = r"(?:[0-9０-９]{4}年)?[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
_LEADING_DATE = re.compile(_DATE)
_LEAD_TAIL = re.compile(r"(?:[（(][^）)]{0,30}[）)])?[：:，,\s]*")
_NOT_WORD = re.compile(r"[\W_]+")
_TITLE_MAX = 128  # characters; the longest xwlb headlines run past 110
_TRAILER_MAX = 80  # characters; editor lines and link lines are short
_MIN_PREFIX_TITLE = 8  # a shorter headline could begin the wrong ToC item
_NON_TITLE_ENDINGS = frozenset("。，、；：,;:…")


@cache
def _patterns() -> _Patterns:
    """Compile the lead, trailer and ToC-header patterns from the lexicon (once)."""
    lexicon: dict[str, list[str]] = read_json("segment_lexicon.json")

    def alternation(name: str) -> str:
        return "|".join(map(re.escape, sorted(lexicon[name], key=len, reverse=True)))

    lead = re.compile(
        rf"(?P<source>{alternation('sources')}|{_HAN}{{2,10}}?(?:{alternation('source_suffixes')}))"
        rf"(?:{_HAN}{{0,8}}?(?P<wire>{_DATE})电|(?=[（(：:，,\s]))"
    )
    trailer = re.compile(
        r"\[[^\]]*\]\([^)]*\)|[-*_=—─]{3,}"
        rf"|.{{0,20}}(?:{alternation('trailers')}).*"
        rf"|[（(【\[]?\s*(?:{alternation('end_labels')})\s*[:：].*"
    )
    toc_header = re.compile(rf"(?:{alternation('toc_headers')})(?:[：:].*)?")
    return _Patterns(lead, trailer, toc_header)


def _is_title_like(plain: str) -> bool:
    """A headline: short, no full stop, not ending like a clause, not a bracketed aside.

    >>> _is_title_like("全市深化全国文明城市创建工作推进会召开 李国胜讲话")
    True
    >>> _is_title_like("会上，王全周对创建工作进行了安排部署。")
    False
    >>> _is_title_like("（《新闻联播》 20220924 19:00）")
    False
    """
    return (
        0 < len(plain) <= _TITLE_MAX
        and plain[-1] not in _NON_TITLE_ENDINGS
        and "。" not in plain
        and not (plain[0] in "（(" and plain[-1] in "）)")
    )


def _lines(text: str) -> list[_Line]:
    """Non-blank lines of `text` with their offsets and features."""
    patterns = _patterns()
    lines = []
    for match in NON_BLANK_LINE.finditer(text):
        plain = match.group(1)
        level = 0
        if plain[0] == "#" and (heading := _HEADING.match(plain)):
            level = len(heading.group(1))
            plain = plain[heading.end() :]
        if "<" in plain or "*" in plain or "_" in plain:
            plain = _MARKUP.sub("", plain).strip()
            if not plain:
                continue
        lead = None if level else patterns.lead.match(plain)
        trailer = len(plain) <= _TRAILER_MAX and patterns.trailer.fullmatch(plain) is not None
        title_like = not (trailer or lead) and _is_title_like(plain)
        lines.append(_Line(match.start(1), match.end(1), plain, level, title_like, lead, trailer))
    return lines


def _article_level(lines: list[_Line]) -> int:
    """The Markdown heading level of articles: the level that most often has a body under it, else 0."""
    counts = Counter(
        line.level
        for line, following in pairwise(lines)
        if line.level and not line.toc_header and not following.level
    )
    return max(counts, key=lambda level: (counts[level], level), default=0)


def _toc_range(lines: list[_Line], level: int) -> range:
    """Lines of the table of contents: a ToC header or three numbered items, before the first story."""
    for i, line in enumerate(lines):
        if line.lead or line.trailer or (level and line.level == level):
            break
        opens = line.toc_header or (
            not line.level and len(lines) > i + 2 and all(other.numbered for other in lines[i : i + 3])
        )
        if not opens:
            continue
        end = i + 1
        while end < len(lines) and _continues_toc(lines[end], lines[end - 1]):
            end += 1
        return range(i, end)
    return range(0)


def _continues_toc(line: _Line, previous: _Line) -> bool:
    """Whether a line still belongs to the ToC: an item, the rest of an item ending in a colon, or no
    headline."""
    if line.level or line.lead or line.trailer:
        return False
    return line.numbered or not line.title_like or previous.plain[-1] in "：:"


def _toc_titles(lines: list[_Line]) -> set[str]:
    """Normalized titles of the top-level ToC items (``1.…``), continuation lines joined to their item."""
    items: list[str] = []
    for line in lines:
        if _TOP_ITEM.match(line.plain):
            items.append(line.plain)
        elif items and not line.numbered and items[-1][-1] not in "。；;":
            items[-1] += line.plain
    return {_normalized_title(_NUMBERED.sub("", item, count=1)) for item in items}


def _normalized_title(title: str) -> str:
    """Title reduced to its letters, digits and ideographs, for matching ToC items to headlines.

    >>> _normalized_title("【大美中国】贵州。")
    '大美中国贵州'
    """
    return _NOT_WORD.sub("", title)


def _listed(title: str, toc_titles: set[str]) -> str | None:
    """The ToC title that `title` is, or begins (a ToC item may add a second clause), if any.

    >>> _listed("中央经济工作会议在北京举行", {"中央经济工作会议在北京举行习近平发表重要讲话"})
    '中央经济工作会议在北京举行习近平发表重要讲话'
    """
    title = _normalized_title(title)
    if title in toc_titles:
        return title
    if len(title) < _MIN_PREFIX_TITLE:
        return None
    return next((item for item in toc_titles if item.startswith(title)), None)


def _evidence(lines: list[_Line], i: int, level: int, loose: bool) -> Evidence | None:
    """What makes line `i` an article head, if anything."""
    line = lines[i]
    if line.level:
        return Evidence.HEADING if line.level == level else None
    if i and lines[i - 1].trailer and (line.title_like or line.lead):
        return Evidence.TRAILER
    following = lines[i + 1] if i + 1 < len(lines) else None
    if not line.title_like or following is None or following.level:
        return None
    if following.trailer:
        return Evidence.CLOSING
    if following.lead:
        return Evidence.LEAD
    if loose and not _ENUMERATED_SUBHEAD.match(line.plain) and not (i and lines[i - 1].title_like):
        run_end = next((j for j in range(i + 1, len(lines)) if not lines[j].title_like), len(lines))
        if run_end < len(lines) and not lines[run_end].level:
            return Evidence.LOOSE
    return Evidence.TITLE


def _heads(lines: list[_Line], toc: range, level: int, loose_allowed: bool = True) -> list[int]:
    """Indices of the lines that start an article, in order: a walk over the lines outside the ToC, each
    line's evidence and the walk's state deciding by `heads.ACTIONS`; then the text before the first head.
    With `loose_allowed` False a title-like line alone never starts one (an office document's subheads)."""
    unused_titles = _toc_titles([lines[i] for i in toc])
    loose = loose_allowed and not (level or toc or any(line.lead or line.trailer for line in lines))
    heads: list[int] = []
    state = State.BEFORE
    for i, line in enumerate(lines):
        if i in toc:
            continue
        evidence = _evidence(lines, i, level, loose)
        if evidence is None:
            state = after_line(state, bool(line.lead), line.title_like)
            continue
        listed = _listed(line.plain, unused_titles)
        action = ACTIONS[evidence][state]
        if action is Action.START or (action is Action.IF_LISTED and listed):
            heads.append(i)
            unused_titles.discard(listed)
            state = after_head(evidence, listed)
        else:
            state = after_line(state, bool(line.lead), line.title_like)
    return _with_preamble(lines, toc, heads)


def _with_preamble(lines: list[_Line], toc: range, heads: list[int]) -> list[int]:
    """`heads` with the text before the first head as an article of its own, titled if a headline
    precedes it; a bulletin of headlines only is one article."""
    preamble = [i for i in range(heads[0] if heads else len(lines)) if i not in toc]
    body = next((i for i in preamble if not lines[i].title_like and not lines[i].trailer), None)
    if body is not None:
        heads.insert(0, body - 1 if body - 1 in preamble and lines[body - 1].title_like else body)
    elif preamble and not heads:
        heads.append(preamble[0])
    return heads


def _article(lines: list[_Line], head: int, stop: int, level: int) -> ArticleSpan:
    """The article whose head is line `head` and whose last candidate line is `stop - 1`."""
    line = lines[head]
    titled = bool(line.level) or (line.title_like and not line.lead)
    first = head + titled
    last = next((i for i in range(first, stop) if lines[i].level and lines[i].level < level), stop)
    while last > first and lines[last - 1].trailer:
        last -= 1
    title = _NUMBERED.sub("", line.plain, count=1).strip() if titled else None
    if last == first:
        return ArticleSpan(title or None, None, None, line.end, line.end, line.start)
    opening = next(
        (lines[i] for i in range(first, last) if lines[i].lead or not lines[i].title_like), lines[first]
    )
    source = opening.lead.group("source") if opening.lead else None
    return ArticleSpan(
        title or None, source, _dateline(opening), lines[first].start, lines[last - 1].end, line.start
    )


def _dateline(line: _Line) -> str | None:
    r"""The raw date that opens a body line, after its source lead if it has one.

    >>> text = "新华社北京12月10日电 10日，会议召开。\n10月8日下午，会议召开。\n央视网消息：会议召开。"
    >>> wire, local, broadcast = _lines(text)
    >>> _dateline(wire), _dateline(local), _dateline(broadcast)
    ('12月10日', '10月8日', None)
    """
    if line.lead and line.lead.group("wire"):
        return line.lead.group("wire")
    date = _LEADING_DATE.match(
        line.plain, _LEAD_TAIL.match(line.plain, line.lead.end()).end() if line.lead else 0
    )
    return date.group() if date else None


def is_contents(text: str) -> bool:
    """Whether a text is a table of contents alone: a ToC header, then numbered items.

    >>> is_contents("本期节目主要内容： 1.甲地召开会议； 2.乙地开工； 3.丙地丰收。")
    True
    >>> is_contents("视频简介：本期节目主要内容：1.甲；2.乙；3.丙。"), is_contents("本期节目主要内容不变。")
    (True, False)
    """
    first = _LABEL.sub("", text.lstrip().split("\n", 1)[0], count=1)
    return _patterns().toc_header.fullmatch(first) is not None and len(_TOP_ITEMS.findall(text)) >= 3


def split_articles(text: str, loose: bool = True) -> Bulletin:
    r"""Split a bulletin into articles (title, source, dateline, body span) and its ToC summary. With
    `loose` False, a title-like line alone never starts an article (office documents: their subheads).

    >>> bulletin = split_articles("推进会召开 李国胜讲话\n\n  10月8日下午，推进会召开。\n\n  会上，部署了。")
    >>> [(a.title, a.dateline) for a in bulletin.articles]
    [('推进会召开 李国胜讲话', '10月8日')]
    >>> text = "本期节目主要内容：\n1.甲地召开会议；\n2.乙地开工。\n"
    >>> text += "甲地召开会议\n本报讯 会议召开。\n乙地开工\n本报讯 工程开工。"
    >>> bulletin = split_articles(text)
    >>> bulletin.summary
    '1.甲地召开会议；\n2.乙地开工。'
    >>> [(a.title, a.source, text[a.start : a.end]) for a in bulletin.articles]
    [('甲地召开会议', '本报讯', '本报讯 会议召开。'), ('乙地开工', '本报讯', '本报讯 工程开工。')]
    """
    lines = _lines(text)
    level = _article_level(lines)
    toc = _toc_range(lines, level)
    heads = _heads(lines, toc, level, loose)
    summary_lines = [lines[i] for i in toc if not lines[i].toc_header]
    summary = text[summary_lines[0].start : summary_lines[-1].end] if summary_lines else None
    return Bulletin(
        summary, [_article(lines, head, stop, level) for head, stop in pairwise([*heads, len(lines)])]
    )
