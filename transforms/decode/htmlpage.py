"""HTML page → documents: the article with its title, date and source, a digest's stories, or nothing
for a list page.

`transforms.decode.html` finds the main text and the title. Here: the main text starts after its own copy of
the title (what comes before it is site chrome); the date is the first the page states about itself
(a ``<meta>`` publication date, a WeChat post's ``var ct`` timestamp, else the first full date written
near the title); the source is the ``来源：`` line near the title. A digest (linked ``<h2>``-``<h4>``
headlines, each with its lead) is one document split at those headlines only, never at a subhead
inside a story. A page with no paragraph of prose (a list of headlines, a homepage) holds no story.
Tables: resources/html_page.json.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import cache

from transforms.decode.docdates import epoch_date, written_date
from transforms.decode.html import Page, read_page
from transforms.kit.lexicons import read_json
from transforms.records import Document

TITLE_MIN = 8
"""Characters a paragraph needs to be taken for the headline the page title begins with."""
TITLE_SHARE = 0.6
"""Share of the page title such a headline covers (the rest is the site name)."""
_WECHAT_TIME = re.compile(r"""var\s+ct\s*=\s*["']?(\d{10})["']?""")
_OWN_URL = re.compile(
    r"<!--\s*(?:saved from url=\(\d+\))?\s*(https?://[^\s>]+)\s*-->"
    r"|<link[^>]+rel=[\"']canonical[\"'][^>]+href=[\"']([^\"']+)"
    r"|property=[\"']og:url[\"'][^>]+content=[\"']([^\"']+)",
    re.I,
)
"""The page's own address (a saved page's comment, the canonical link, og:url): it often holds the
publication date (``/2019-12/10/c_1125327450.htm``)."""
_SENTENCE_END = re.compile(r"[。！？!?]")
_SPACE = re.compile(r"\s+")
_DATE_LABEL = re.compile(r"(?:发布|发表|出版|更新|稿件)(?:时间|日期)|時間|日期\s*[:：]|时间\s*[:：]")
_HEADLINE = "### "  # how transforms.decode.html marks a digest's story headline
_CLAUSE_END = re.compile(r"[。，！？；：…”」』,!?;:]\s*$")


@cache
def _table() -> dict:
    return read_json("html_page.json")


def _squeezed(text: str) -> str:
    return _SPACE.sub("", text)


def _title_index(paragraphs: list[str], title: str | None, window: int) -> int | None:
    """Where the page's own copy of its title ends among the first `window` paragraphs (a long title
    may be broken over up to four).

    >>> _title_index(["首页", "关于批准", "国债的决议", "正文"], "关于批准国债的决议", 10)
    2
    """
    if not title:
        return None
    wanted = _squeezed(title)
    for start in range(min(window, len(paragraphs))):
        if _is_headline_of(paragraphs[start], wanted):
            return start
        joined = ""
        for end in range(start, min(start + 4, len(paragraphs))):
            joined += _squeezed(paragraphs[end])
            if joined == wanted:
                return end
            if not wanted.startswith(joined):
                break
    return None


def _is_headline_of(paragraph: str, wanted: str) -> bool:
    """Whether a paragraph is the headline a page title (squeezed) begins with, a site name after it.

    >>> _is_headline_of("一行到众创金融街开展调研工作", _squeezed("一行到众创金融街开展调研工作 东区办事处"))
    True
    """
    head = _squeezed(paragraph)
    return len(head) >= TITLE_MIN and len(head) >= TITLE_SHARE * len(wanted) and wanted.startswith(head)


def page_date(page: Page, html: str) -> dt.date | None:
    """The date a page states about itself: ``<meta>``, WeChat's ``var ct``, its own address, else the
    first full date written near its title.

    >>> page = Page("标题", [], ["首页", "标题", "发布时间：2011-09-26 来源：省政府"], {})
    >>> page_date(page, "")
    datetime.date(2011, 9, 26)
    """
    for name in _table()["date_meta"]:
        found = written_date(page.meta.get(name))
        if found:
            return found
    stamp = _WECHAT_TIME.search(html)
    if stamp:
        return epoch_date(stamp.group(1))
    own = _OWN_URL.search(html)
    address = next((g for g in own.groups() if g), None) if own else None
    found = written_date(address) or written_date(address, compact=True)
    if found:
        return found
    window = _table()["title_window"]
    at = _title_index(page.page_paragraphs, page.title, len(page.page_paragraphs)) or 0
    near = [*page.page_paragraphs[max(0, at - window // 3) : at + window], *page.paragraphs[:3]]
    labelled = [line for line in near if _DATE_LABEL.search(line)]
    for line in [*labelled, *near]:
        found = written_date(line)
        if found:
            return found
    return None


def page_source(page: Page) -> str | None:
    """The publisher the ``来源：`` line near the title names.

    >>> page_source(Page("标题", [], ["标题", "2019-09-18 06:23 来源： 山西日报 打印"], {}))
    '山西日报'
    """
    labels = "|".join(map(re.escape, _table()["source_labels"]))
    pattern = re.compile(rf"(?:{labels})\s*[：:]\s*([^\s|｜:：]{{2,20}})")
    start = _title_index(page.page_paragraphs, page.title, len(page.page_paragraphs)) or 0
    for line in page.page_paragraphs[start : start + _table()["title_window"]]:
        match = pattern.search(line)
        if match:
            return match.group(1)
    return None


def is_list_page(paragraphs: list[str]) -> bool:
    """A page whose main text has no paragraph of prose: headlines and links only.

    >>> is_list_page(["热点精选", "三大战区海军演练", "央视军事8小时前"])
    True
    >>> is_list_page(["台中市凌晨發生一起墜樓案，一名賴姓女子酒後與男友發生口角，經送醫後仍宣告不治。"])
    False
    """
    least = _table()["min_prose"]
    if not any(len(p) >= least and _SENTENCE_END.search(p) for p in paragraphs):
        return True
    clauses = sum(len(p) for p in paragraphs if _CLAUSE_END.search(p) or _SENTENCE_END.search(p))
    return clauses < _table()["prose_share"] * sum(map(len, paragraphs))


def _leads_stories(paragraphs: list[str]) -> bool:
    """Whether most linked headlines of a digest lead a paragraph of prose (a story), not just a date
    or a count (a list page).

    >>> _leads_stories(["### 甲", "2小时前", "### 乙", "128评论", "### 丙", "1小时前"])
    False
    """
    least = _table()["min_prose"]
    stories: list[bool] = []
    for paragraph in paragraphs:
        if paragraph.startswith(_HEADLINE):
            stories.append(False)
        elif stories and len(paragraph) >= least and _SENTENCE_END.search(paragraph):
            stories[-1] = True
    return sum(stories) >= max(3, _table()["digest_share"] * len(stories))


def page_documents(html: str) -> list[Document]:
    """The article of a page (none for a list page): main text after the title's copy, title, date,
    source.

    >>> page = ('<html><head><title>会议召开_新闻_某某网</title></head><body><div class="nav">首页</div>'
    ...         '<div class="article"><h1>会议召开</h1><p>2024-01-05 10:00 来源：某某日报</p>'
    ...         '<p>1月5日，全市召开经济工作会议，总结去年工作，部署今年的重点任务。</p>'
    ...         '<p>会议强调，要抓好落实。</p></div></body></html>')
    >>> [(d.title, d.date, d.source, d.text[-11:]) for d in page_documents(page)]
    [('会议召开', datetime.date(2024, 1, 5), '某某日报', '会议强调，要抓好落实。')]
    """
    page = read_page(html)
    whole = _title_index(page.page_paragraphs, page.title, len(page.page_paragraphs))
    if whole is not None and _is_headline_of(page.page_paragraphs[whole], _squeezed(page.title or "")):
        page = replace(page, title=page.page_paragraphs[whole])
    paragraphs = page.paragraphs
    at = _title_index(paragraphs, page.title, _table()["title_window"])
    if at is not None:
        paragraphs = paragraphs[at + 1 :]
    if page.digest and _leads_stories(paragraphs):
        text = "\n\n".join(paragraphs)
        return [Document(text, None, page_date(page, html), page_source(page), stories=True, loose=False)]
    paragraphs = [p.removeprefix(_HEADLINE) for p in paragraphs]
    if is_list_page(paragraphs):
        return []
    return [
        Document("\n\n".join(paragraphs), page.title, page_date(page, html), page_source(page), stories=False)
    ]
