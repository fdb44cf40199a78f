"""HTML page → (title, main text): the article body without navigation, scripts, widgets or editor lines.

The page is parsed with the standard library's `html.parser` (no XML parser, so no external entity is
ever resolved) into a light element tree. Scripts, styles and similar elements go with their content;
so do elements whose class or id names navigation, sharing, comments or editor blocks. The body is
the element whose paragraphs hold the most text that is not link text (each paragraph counts for its
parent and half for its grandparent; a class or id naming the article body doubles the score). Its
paragraphs are joined with blank lines; share-widget and editor lines inside it are dropped. The title
is ``og:title``, else ``<title>`` without the site name, else the first ``<h1>``, without a media label such
as ``[视频]``. Tables: resources/html_residue.json.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from transforms.kit.lexicons import read_json
from transforms.kit.publishers import is_boilerplate_line

STORY_HEADINGS = 3
"""Linked headings of one level that make a page a digest of stories."""
MIN_TEXT = 10
"""Characters of text inside a ``<section>`` or ``<div>`` without blocks that make it a paragraph."""
MIN_BODY = 30
"""Characters of paragraph text below which the whole page body is taken instead of one element."""
_SPACE = re.compile(r"[ \t\n\r\f]+")
_TOKEN = re.compile(r"[^a-z0-9]+")
_SITE_PARTS = re.compile(r"\s*(?:_|--|\s[-|｜–—]\s|-(?=[^-]{2,12}$))\s*")


@dataclass(eq=False, slots=True)
class Element:
    """A parsed element: its tag, its class and id (lower case), its children (elements and text)."""

    tag: str
    marks: str = ""
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)


@cache
def tag_names() -> dict[str, frozenset[str]]:
    """Tag names by role (block, breaks, inline, dropped) from resources/html_residue.json; the repair
    stage reads tags left in text files by the same table."""
    table = read_json("html_residue.json")
    return {role: frozenset(names) for role, names in table.items() if not role.startswith("_")}


@cache
def _roles() -> dict[str, frozenset[str]]:
    return tag_names()


class _TreeBuilder(HTMLParser):
    """Build the element tree; keep the title and the ``<meta>`` values; skip dropped elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]
        self.skipping: list[str] = []
        self.title: list[str] = []
        self.meta: dict[str, str] = {}
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("content"):
            name = values.get("property") or values.get("name") or values.get("itemprop") or ""
            self.meta.setdefault(name.lower(), values["content"] or "")
        if self.skipping or tag in _roles()["dropped"]:
            self.skipping += [tag] if tag in _roles()["dropped"] else []
            return
        if tag == "title":
            self.in_title = True
            return
        if tag in _roles()["block"] and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag == "li" and self.stack[-1].tag == "li":
            self.stack.pop()
        marks = f"{values.get('class') or ''} {values.get('id') or ''}".lower()
        element = Element(tag, marks.strip(), self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in _roles()["void"]:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "title":
            self.in_title = False
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.stack[-1].children.append(data)


def _is_boilerplate(element: Element) -> bool:
    """Navigation, sharing, comment or editor containers, and blocks of program code (``<pre>``: not
    story text; inline ``<code>`` stays), by tag or by class and id."""
    if element.tag in (
        "nav",
        "header",
        "footer",
        "aside",
        "pre",
        "code",
    ):  # not form: ASP.NET pages sit in one
        return True
    roles = _roles()
    if element.tag in ("html", "body", "main", "article") or any(
        w in element.marks for w in roles["never_boilerplate"]
    ):
        return False
    tokens = set(_TOKEN.split(element.marks))
    return bool(tokens & roles["boilerplate_tokens"]) or any(
        w in element.marks for w in roles["boilerplate_words"]
    )


def _paragraphs(element: Element, story_tag: str | None = None, chrome: bool = False) -> list[str]:
    """The text of an element, one string per paragraph (block elements and ``<br>`` separate them);
    a heading of `story_tag` (a digest's story headline) comes out as a Markdown ``###`` line. With
    `chrome`, navigation, share and editor containers are read too (they carry dates and sources)."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(current)).strip()
        if text:
            out.append(text)
        current.clear()

    def walk(node: Element) -> None:
        for child in node.children:
            if isinstance(child, str):
                current.append(child)
            elif child.tag == story_tag:
                flush()
                out.append("### " + " ".join(_paragraphs(child)))
            elif chrome or not _is_boilerplate(child):
                breaks = child.tag in _roles()["block"] or child.tag in _roles()["breaks"]
                if breaks:
                    flush()
                walk(child)
                if breaks:
                    flush()

    walk(element)
    flush()
    return out


def _text_length(element: Element, in_link: bool = False) -> tuple[int, int]:
    """(characters of text, characters of link text) inside an element, boilerplate left out."""
    total = links = 0
    for child in element.children:
        if isinstance(child, str):
            size = len(_SPACE.sub("", child))
            total += size
            links += size if in_link else 0
        elif not _is_boilerplate(child):
            inner, inner_links = _text_length(child, in_link or child.tag == "a")
            total += inner
            links += inner_links
    return total, links


def _holds_text(element: Element) -> bool:
    """Whether a ``<section>`` or ``<div>`` is a paragraph: no block inside it, some text."""
    block = _roles()["block"]
    if any(isinstance(child, Element) and child.tag in block for child in element.children):
        return False
    return _text_length(element)[0] >= MIN_TEXT


def _body(root: Element) -> Element:
    """The element whose paragraphs hold the most non-link text."""
    scores: dict[int, float] = {}
    elements: dict[int, Element] = {}

    def visit(element: Element) -> None:
        for child in element.children:
            if isinstance(child, str) or _is_boilerplate(child):
                continue
            if child.tag == "p" or (child.tag in ("section", "div") and _holds_text(child)):
                total, links = _text_length(child)
                weight = 2.0 if any(w in element.marks for w in _roles()["content_words"]) else 1.0
                for ancestor, share in ((element, 1.0), (element.parent, 0.5)):
                    if ancestor is not None:
                        elements[id(ancestor)] = ancestor
                        scores[id(ancestor)] = (
                            scores.get(id(ancestor), 0.0) + (total - links) * share * weight
                        )
            visit(child)

    visit(root)
    if not scores or max(scores.values()) < MIN_BODY:
        return root
    return elements[max(scores, key=lambda key: scores[key])]


def _clean_title(title: str) -> str | None:
    title = _SPACE.sub(" ", title).strip()
    labels = "|".join(map(re.escape, _roles()["title_labels"]))
    title = re.sub(f"^[\\[【](?:{labels})[\\]】]\\s*", "", title)
    return title or None


def _headings(root: Element) -> list[str]:
    """The text of every ``<h1>`` of the page, in order."""
    found: list[str] = []

    def find(element: Element) -> None:
        for child in element.children:
            if isinstance(child, Element):
                if child.tag == "h1":
                    found.append(" ".join(_paragraphs(child)))
                else:
                    find(child)

    find(root)
    return [heading for heading in found if heading.strip()]


def _squeezed(text: str) -> str:
    return _SPACE.sub("", text).replace("\u3000", "")


def _title(builder: _TreeBuilder) -> str | None:
    """The headline: an ``<h1>`` that the ``<title>`` or ``og:title`` begins with (a site name may
    follow), else ``og:title``, else the longest part of ``<title>`` between site-name separators,
    else the first ``<h1>``."""
    page_titles = [t for t in (builder.meta.get("og:title"), "".join(builder.title)) if t and t.strip()]
    headings = _headings(builder.root)
    for heading in headings:
        if any(_squeezed(t).startswith(_squeezed(heading)) for t in page_titles):
            return _clean_title(heading)
    if builder.meta.get("og:title"):
        return _clean_title(builder.meta["og:title"])
    if page_titles:
        return _clean_title(max(_SITE_PARTS.split(page_titles[0].strip()), key=len))
    return _clean_title(headings[0]) if headings else None


@dataclass(frozen=True, slots=True)
class Page:
    """What a page holds: its title, its main text as paragraphs, every paragraph of the page (the
    lines around the main text carry dates and sources), its ``<meta>`` values, and whether it is a
    digest of linked stories (their headlines then stand in the paragraphs as ``### `` lines)."""

    title: str | None
    paragraphs: list[str]
    page_paragraphs: list[str]
    meta: dict[str, str]
    digest: bool = False


def _story_tag(body: Element) -> str | None:
    """The heading tag of a digest's stories: h2, h3 or h4 when at least STORY_HEADINGS headings of it
    in the body are links (a digest links each story; an article's subheads are no links)."""
    linked: Counter[str] = Counter()

    def visit(element: Element, in_link: bool) -> None:
        for child in element.children:
            if isinstance(child, Element) and not _is_boilerplate(child):
                if child.tag in ("h2", "h3", "h4") and (in_link or _holds_link(child)):
                    linked[child.tag] += 1
                visit(child, in_link or child.tag == "a")

    visit(body, False)
    tag, count = max(linked.items(), key=lambda item: item[1], default=(None, 0))
    return tag if count >= STORY_HEADINGS else None


def _holds_link(element: Element) -> bool:
    return any(
        isinstance(child, Element) and (child.tag == "a" or _holds_link(child)) for child in element.children
    )


def read_page(html: str) -> Page:
    """Parse a page into its title, main text, all its paragraphs and its ``<meta>`` values."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    body = _body(builder.root)
    story_tag = _story_tag(body)
    paragraphs = [p for p in _paragraphs(body, story_tag) if not is_boilerplate_line(p)]
    everything = _paragraphs(builder.root, chrome=True)
    return Page(_title(builder), paragraphs, everything, builder.meta, story_tag is not None)


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed item's description), paragraphs separated by blank lines.

    >>> fragment_text("<p>第一段&amp;</p><p>第二段<br>下一行</p>"), fragment_text("纯文本")
    ('第一段&\\n\\n第二段\\n\\n下一行', '纯文本')
    """
    if "<" not in html and "&" not in html:
        return html.strip()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return "\n\n".join(_paragraphs(builder.root))


def extract_html(html: str) -> tuple[str | None, str]:
    """(title, main text with paragraphs separated by blank lines) of an HTML page.

    >>> page = ('<html><head><title>[视频]会议召开_新闻频道_央视网</title>'
    ...         '<script>var a="<p>x</p>";</script></head><body><div class="nav"><a href="/">首页</a></div>'
    ...         '<div id="content_area"><p><strong>央视网消息</strong>：会议召开。</p>'
    ...         '<p>第二段&nbsp;内容。</p></div><div class="zebian">编辑：杨书杰</div>'
    ...         '<div class="share">分享到</div></body></html>')
    >>> extract_html(page)
    ('会议召开', '央视网消息：会议召开。\\n\\n第二段\\xa0内容。')
    """
    page = read_page(html)
    return page.title, "\n\n".join(page.paragraphs)
