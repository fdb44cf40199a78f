"""Record dumps → one document per record: ``<doc>`` records (SogouCA/SogouCS layout, WikiExtractor),
and corpora of one ``label<TAB>text`` record per line (THUCNews).

A record is ``<doc>`` holding field elements (``<url>``, ``<docno>``, ``<contenttitle>``, ``<content>``)
or ``<doc url=… title=…>`` holding its text. The fields named in resources/records.json give the
title, text, link and date; a record without a date field takes the date its URL names
(``/20120706/``). Entities are decoded and tags removed, so no markup is left in the text. A regular
expression reads the records, so a damaged record does not hide the others.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import cache

from transforms.decode.docdates import epoch_date, written_date
from transforms.decode.html import fragment_text
from transforms.kit.lexicons import read_json
from transforms.records import Document, Quarantined

_RECORD = re.compile(r"<doc(\s[^>]*)?>(.*?)(?:</doc>|(?=<doc[\s>])|\Z)", re.S | re.I)
_FIELD = re.compile(r"<([A-Za-z][\w:-]{0,40})(?:\s[^>]*)?>(.*?)</\1\s*>", re.S)
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_TAG = re.compile(r"<[^<>]{1,200}>")


@cache
def fields() -> dict[str, list[str]]:
    """Field names by meaning (title, text, date, link, source) from resources/records.json."""
    table = read_json("records.json")
    return {name: names for name, names in table.items() if not name.startswith("_")}


def first_field(record: dict[str, str], meaning: str) -> str | None:
    """The value of the first non-empty field of a record that means `meaning`.

    >>> first_field({"docno": "x", "contenttitle": " 标题 "}, "title")
    '标题'
    """
    lowered = {name.lower(): value for name, value in record.items()}
    for name in fields()[meaning]:
        value = lowered.get(name.lower())
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def record_date(value: str | None, link: str | None) -> dt.date | None:
    """A record's date from its date field (a written date or a Unix timestamp), else from the date
    its link names.

    >>> record_date(None, "http://gongyi.sohu.com/20120706/n347457739.shtml")
    datetime.date(2012, 7, 6)
    >>> record_date("2012-06-05 10:00", None), record_date("1581517074", None)
    (datetime.date(2012, 6, 5), datetime.date(2020, 2, 12))
    """
    found = written_date(value) or epoch_date(value)
    if found is None and link:
        found = written_date(link) or written_date(link, compact=True)
    return found


def _plain(value: str) -> str:
    """A field's text: tags removed, entities decoded (twice escaped ones too)."""
    return html.unescape(html.unescape(_TAG.sub("", value))).strip()


def _record(attributes: str, body: str) -> Document:
    record = {name: _plain(value) for name, value in _FIELD.findall(body)}
    record.update({name: html.unescape(value) for name, value in _ATTRIBUTE.findall(attributes or "")})
    text = first_field(record, "text")
    if text is None and not _FIELD.search(body):
        text = _plain(body)
    link = first_field(record, "link")
    return Document(
        fragment_text(text) if text and "<" in text else (text or ""),
        first_field(record, "title"),
        record_date(first_field(record, "date"), link),
        first_field(record, "source"),
        None,
        link,
        stories=False,
    )


_LINE_RECORD = re.compile(r"([^\t\n]{1,24})\t([^\t\n]+)")
LINE_RECORD_MIN = 40
"""Characters of text a ``label<TAB>text`` line needs to be a record (a corpus line, not a table row)."""


def is_line_records(text: str) -> bool:
    r"""Whether a text is a corpus of one record per line, ``label<TAB>text`` (THUCNews layout): at
    least five lines, nine in ten of them such records.

    >>> record = "体育\t" + "湖人消息，" * 10
    >>> is_line_records(record), is_line_records("\n".join([record] * 5))
    (False, True)
    """
    lines = [line for line in text.split("\n")[:50] if line.strip()]
    records = [m for line in lines if (m := _LINE_RECORD.fullmatch(line.rstrip("\r")))]
    good = [m for m in records if len(m.group(2)) >= LINE_RECORD_MIN]
    return len(lines) >= 5 and len(good) >= 0.9 * len(lines)


def line_documents(text: str) -> list[Document]:
    r"""One document per ``label<TAB>text`` line; the label (a category) is not part of the story.

    >>> [d.text for d in line_documents("体育\t湖人获胜。\n\n财经\t股市上涨。\n")]
    ['湖人获胜。', '股市上涨。']
    """
    return [
        Document(match.group(2).strip(), stories=False)
        for line in text.split("\n")
        if (match := _LINE_RECORD.fullmatch(line.rstrip("\r")))
    ]


def record_documents(text: str) -> list[Document]:
    """One document per ``<doc>`` record.

    >>> dump = ("<docs>\\n<doc>\\n<url>http://news.sohu.com/20120612/n345.shtml</url>\\n<docno>9a</docno>\\n"
    ...         "<contenttitle>标题一</contenttitle>\\n<content>正文&amp;内容</content>\\n</doc>\\n"
    ...         '<doc id="2" url="u" title="标题二">\\n第二条\\n</doc></docs>')
    >>> [(d.title, d.text, d.date) for d in record_documents(dump)]
    [('标题一', '正文&内容', datetime.date(2012, 6, 12)), ('标题二', '第二条', None)]
    """
    records = [_record(attributes, body) for attributes, body in _RECORD.findall(text)]
    if not records:
        raise Quarantined("record dump without <doc> records")
    return records
