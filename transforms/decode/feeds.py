"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds → one document per item, with the item's title, link and date.

Parsed with the standard library's ElementTree (expat: no external entity or DTD is ever fetched). A
feed with a bare ``&`` is read again with it escaped; one that still does not parse is refused. An
item's text is its content (``content:encoded``, Atom ``content``), else its description or summary,
as text (HTML removed); an item with neither is its title alone. The feed's title (without a `` | …``
tail) is each item's source.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from email.utils import parsedate_to_datetime

from transforms.decode.html import fragment_text
from transforms.records import Document, Quarantined

_BARE_AMPERSAND = re.compile(r"&(?!#?\w{1,32};)")
_TAIL = re.compile(r"\s+[|｜_–—-]\s+.*$")
_ITEM = ("item", "entry")
_CONTENT = ("encoded", "content", "description", "summary")
_DATES = ("pubDate", "published", "date", "updated", "issued", "modified")
_FEED_DATES = ("pubDate", "lastBuildDate", "updated", "date")
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _local(tag: str) -> str:
    """A tag without its namespace: ``{http://www.w3.org/2005/Atom}entry`` → ``entry``."""
    return tag.rsplit("}", 1)[-1]


def _parse(text: str) -> ElementTree.Element:
    for attempt in (text, _BARE_AMPERSAND.sub("&amp;", text)):
        try:
            return ElementTree.fromstring(attempt.lstrip("\ufeff").encode("utf-8"))
        except ElementTree.ParseError as error:
            reason = error
    raise Quarantined(f"malformed feed: {reason}")


def feed_date(value: str | None) -> dt.date | None:
    """The calendar day of an RFC 822 or ISO 8601 timestamp, in Beijing time when it has a zone.

    >>> feed_date("Wed, 16 Jun 2021 20:04:54 +0800"), feed_date("2021-06-16T23:30:00Z")
    (datetime.date(2021, 6, 16), datetime.date(2021, 6, 17))
    >>> feed_date("soon") is None
    True
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        stamp = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return (stamp.astimezone(BEIJING) if stamp.tzinfo else stamp).date()


def _child(element: ElementTree.Element, names: tuple[str, ...]) -> ElementTree.Element | None:
    children = {_local(child.tag): child for child in reversed(list(element))}
    return next((children[n] for n in names if n in children), None)


def _text(element: ElementTree.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _link(item: ElementTree.Element) -> str | None:
    for child in item:
        if _local(child.tag) == "link":
            if child.get("href") and child.get("rel", "alternate") == "alternate":
                return child.get("href")
            if _text(child):
                return _text(child)
    return None


def _item(item: ElementTree.Element, source: str | None) -> Document:
    title = fragment_text(_text(_child(item, ("title",)))) or None
    content = _child(item, _CONTENT)
    body = fragment_text(_text(content)) if content is not None else ""
    return Document(
        body or title or "",
        title,
        feed_date(_text(_child(item, _DATES))),
        source,
        _text(_child(item, ("author", "creator"))) or None,
        _link(item),
        stories=False,
    )


def read_feed(text: str) -> tuple[dt.date | None, list[Document]]:
    """The feed's own date (pubDate, lastBuildDate or updated, else its latest item's) and one document
    per item.

    >>> feed = ('<rss version="2.0"><channel><title>央视新闻 | wechat-feeds</title>'
    ...         '<item><title>出征！</title><link>https://mp.weixin.qq.com/s/x</link><description><![CDATA[<p>出征！</p>]]></description>'
    ...         '<pubDate>Thu, 17 Jun 2021 07:08:01 +0800</pubDate></item></channel></rss>')
    >>> date, items = read_feed(feed)
    >>> date, [(d.title, d.text, d.date, d.source, d.link) for d in items]
    (datetime.date(2021, 6, 17), [('出征！', '出征！', datetime.date(2021, 6, 17), '央视新闻', 'https://mp.weixin.qq.com/s/x')])
    """
    root = _parse(text)
    channel = next((e for e in root.iter() if _local(e.tag) == "channel"), root)
    source = _TAIL.sub("", _text(_child(channel, ("title",)))) or None
    items = [_item(e, source) for e in root.iter() if _local(e.tag) in _ITEM]
    if not items:
        raise Quarantined("feed without items")
    own = feed_date(_text(_child(channel, _FEED_DATES)))
    return own or max((d.date for d in items if d.date), default=None), items
