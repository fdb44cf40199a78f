"""JSON digests → one document per story: a daily list of one-line news (60s 读懂世界) or a list of items.

The stories are the list named in resources/records.json (``news``, ``items``, …), else the largest
list of texts or of objects with a text field found anywhere in the JSON. A story is a string, or an
object whose fields give its title, text, date and link (the same field names as record dumps). A
top-level date field dates the digest and every story without its own date. Other values (a quote of
the day, a cover image URL) are not stories.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from transforms.decode.dumps import fields, first_field, record_date
from transforms.records import Document, Quarantined

MIN_STORY = 8
"""Characters a string needs to count as a story (shorter ones are labels, ids or dates)."""


def _is_story(value: object) -> bool:
    if isinstance(value, str):
        return len(value.strip()) >= MIN_STORY and not value.strip().startswith(("http://", "https://"))
    if isinstance(value, dict):
        strings = {k: v for k, v in value.items() if isinstance(v, str)}
        return first_field(strings, "text") is not None or first_field(strings, "title") is not None
    return False


def _lists(value: object, name: str = "") -> Iterator[tuple[str, list]]:
    """Every list inside a JSON value, with the key it stands under."""
    if isinstance(value, list):
        yield name, value
        for item in value:
            yield from _lists(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _lists(item, key)


def _story_list(value: object) -> list:
    preferred = {name: rank for rank, name in enumerate(fields()["story_lists"])}
    candidates = [
        (name, stories) for name, items in _lists(value) if (stories := [i for i in items if _is_story(i)])
    ]
    if not candidates:
        raise Quarantined("JSON without a list of stories")
    return min(candidates, key=lambda c: (preferred.get(c[0], len(preferred)), -len(c[1])))[1]


def _story(item: str | dict, date: dt.date | None) -> Document:
    if isinstance(item, str):
        return Document(item.strip(), None, date, stories=False)
    strings = {k: v for k, v in item.items() if isinstance(v, str)}
    title = first_field(strings, "title")
    link = first_field(strings, "link")
    return Document(
        first_field(strings, "text") or title or "",
        title,
        record_date(first_field(strings, "date"), link) or date,
        first_field(strings, "source"),
        None,
        link,
        stories=False,
    )


def read_digest(text: str) -> tuple[dt.date | None, list[Document]]:
    """The digest's date and one document per story.

    >>> digest = '{"date": "2025-11-03", "news": ["国际奥委会宣布取消电竞入奥资格"], "tip": "语录"}'
    >>> date, stories = read_digest(digest)
    >>> date, [(s.text, s.date) for s in stories]
    (datetime.date(2025, 11, 3), [('国际奥委会宣布取消电竞入奥资格', datetime.date(2025, 11, 3))])
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise Quarantined(f"malformed JSON: {error}") from None
    top = {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}
    date = record_date(first_field(top, "date"), None)
    return date, [_story(item, date) for item in _story_list(value)]
