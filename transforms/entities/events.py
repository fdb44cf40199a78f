"""Events: named meetings and campaigns (resources/lexicons/events.json), and the component that finds
them.

>>> [m.normalized for m in find_events("出席东亚合作领导人会议和第17届东亚峰会")]
['东亚合作领导人会议', '第17届东亚峰会']
"""

from __future__ import annotations

import re
from functools import cache

from transforms.entities.article import EVENT, Article, Mention
from transforms.kit.lexicons import alternation, classes, read_json

CLAUSE_END = "，。；：、！？“”《》（）()\n"
_NAME_REACH = 40
"""Characters before a meeting or campaign word that its name may take at most."""
_NAME_END = CLAUSE_END + " \u3000"  # a blank parts the phrases of a headline: 以学促干 推动学习教育
_LIST_NUMBER = "[0-9一二三四五六七八九十]{1,3}"
_NAME_UNIT = re.compile(
    f"(?:“[^“”\n]{{1,30}}”|《[^《》\n]{{1,30}}》|[（(](?!{_LIST_NUMBER}[）)])[^（）()\n年月日时]{{1,12}}[）)])\\Z"
)
"""A quotation, title or bracket inside a name (“三北”, 《湿地公约》, （敦煌）, （10+1）); a bracket that
holds a date (今天（6月19日）) or a list number (（3）) is none."""
_LIST_MARK = re.compile(r"[0-9]{1,2}[.．](?![0-9])")
"""The number of an item in a list (3.第七届数字中国建设峰会): no part of a name."""


@cache
def events() -> dict:
    """Meeting and campaign words, generic openers and minimum name length (lexicon_events.json)."""
    return read_json("lexicons/events.json")


@cache
def event_pattern() -> re.Pattern[str]:
    """A meeting or campaign word ending an event name, or a quoted name followed by a campaign word."""
    lexicon = events()
    lead = f"(?=“|{classes(lexicon['meetings'] + lexicon['campaigns'], 2)})"
    return re.compile(
        f"{lead}(?:(?P<quoted>“[^“”\\n]{{2,30}}”){alternation(lexicon['quoted_campaigns'])}"
        f"|(?P<meeting>{alternation(lexicon['meetings'])})(?!{alternation(lexicon['not_after_meeting'])})"
        f"|(?P<campaign>{alternation(lexicon['campaigns'])}))"
    )


@cache
def _name_openers() -> re.Pattern[str]:
    """Everything up to the last word in a clause that opens an event's name (召开, 根据, 在 …)."""
    return re.compile(f".*{alternation(events()['name_openers'])}")


@cache
def _generic_opener() -> re.Pattern[str]:
    """A word that opens a reference to a meeting rather than its name (此次, 系列 …)."""
    return re.compile(alternation(events()["generic_openers"]))


@cache
def _meeting_joiner() -> re.Pattern[str]:
    """A word joining two meetings (和, 及 …)."""
    return re.compile(alternation(events()["meeting_joiners"]))


@cache
def _ordinal_after_joiner() -> re.Pattern[str]:
    """Everything up to the last joiner followed by an ordinal (和第): a new name starts there."""
    return re.compile(f".*{alternation(events()['meeting_joiners'])}(?=第)")


def _name_start(text: str, end: int) -> int:
    """Where the name of the event whose meeting or campaign word starts at `end` starts: after the last
    word opening a name (召开, 在 …) in the clause, which may hold quotations, titles and brackets; after
    a meeting joined to the name by 和 and its ordinal (…张荣恭和第三届…峰会), and after a list number.

    >>> text = "出席第三届“一带一路”国际合作高峰论坛"
    >>> text[_name_start(text, 16):]
    '第三届“一带一路”国际合作高峰论坛'
    >>> text = "今天（6月19日）版权生态合作大会"
    >>> text[_name_start(text, 15):]
    '版权生态合作大会'
    >>> text = "会见张荣恭和第三届海峡两岸中华文化峰会"
    >>> text[_name_start(text, 17):]
    '第三届海峡两岸中华文化峰会'
    """
    start = _clause_name_start(text, end)
    lead = _ordinal_after_joiner().match(text, start, end) or _LIST_MARK.match(text, start, end)
    return lead.end() if lead else start


def _clause_name_start(text: str, end: int) -> int:
    """`_name_start` before ordinals: back through the clause and the quotations, titles and brackets
    (`_NAME_UNIT`) in it, to the last name opener. A quotation followed by a joiner is another item
    (“四下基层”与主题教育)."""
    floor = max(0, end - _NAME_REACH)
    start = end
    while True:
        part = start
        while part > floor and text[part - 1] not in _NAME_END:
            part -= 1
        opened = _name_openers().match(text, part, start)
        if opened:
            return opened.end()
        unit = _NAME_UNIT.search(text, floor, part)
        if unit is None or _meeting_joiner().match(text, part):
            return part
        start = unit.start()


def find_events(text: str) -> list[Mention]:
    """Named meetings and campaigns (EVENT): the clause words before the meeting word (with the
    quotations, titles and brackets among them; `_name_start`), after the last verb that opens a name
    (召开, 出席, 在 …), after a meeting joined to this one (…会议和…) and after the generic words that
    refer to a meeting (此次, 本届 …), unless nothing but a meeting word is left; the longest name where
    several start together.

    >>> text = "10月8日下午，全市深化全国文明城市创建工作推进会召开。会议强调"
    >>> [(m.start, m.end, m.normalized) for m in find_events(text)]
    [(8, 25, '全市深化全国文明城市创建工作推进会')]
    >>> [m.normalized for m in find_events("出席东亚合作领导人会议和第17届东亚峰会")]
    ['东亚合作领导人会议', '第17届东亚峰会']
    >>> [m.normalized for m in find_events("预祝此次中非合作论坛北京峰会取得成功，本次论坛年会")]
    ['中非合作论坛北京峰会']
    """
    lexicon = events()
    meetings = set(lexicon["meetings"])
    found: list[Mention] = []
    previous_end = -1
    for match in event_pattern().finditer(text):
        if match.group("quoted"):
            found.append(Mention(match.start(), match.end(), EVENT, match.group(), "pattern"))
            continue
        start = _name_start(text, match.start())
        joined = _meeting_joiner().match(text, previous_end) if start < previous_end < match.start() else None
        start = joined.end() if joined else start
        previous_end = match.end()
        opened_at = start
        while generic := _generic_opener().match(text, start, match.start()):
            start = generic.end()
        name = text[start : match.start()]
        shortest = lexicon["min_name"] if match.group("meeting") else lexicon["min_campaign_name"]
        if len(name) >= shortest and not (start > opened_at and name in meetings):
            if found and found[-1].start == start:  # a longer name of the same event (论坛 → 论坛北京峰会)
                del found[-1]
            found.append(Mention(start, match.end(), EVENT, text[start : match.end()], "pattern"))
    return found


def is_meeting(name: str) -> bool:
    """Whether an event name is a meeting (it ends with a meeting word) rather than a campaign.

    >>> is_meeting("全市深化全国文明城市创建工作推进会"), is_meeting("党史学习教育")
    (True, False)
    """
    return name.endswith(tuple(events()["meetings"]))


def named_events(article: Article) -> None:
    """Component: the named meetings and campaigns are containers.

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> article = Article.of("全市深化全国文明城市创建工作推进会召开", [], Columns(), dt.date(2021, 10, 9))
    >>> named_events(article)
    >>> [(m.normalized, m.label) for m in article.containers]
    [('全市深化全国文明城市创建工作推进会', 'EVENT')]
    """
    article.containers += find_events(article.text)
