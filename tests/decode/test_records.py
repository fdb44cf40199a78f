"""feeds, dumps, digests: one document per item, record or story, with its own title, date and link."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.case_files import Case, load
from transforms.decode.digests import read_digest
from transforms.decode.dumps import record_documents
from transforms.decode.feeds import read_feed
from transforms.records import Document, Quarantined


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _fields(document: Document, names: list[str]) -> dict:
    return {name: getattr(document, name) for name in names}


@pytest.mark.parametrize("case", load("decode", "feeds"))
def test_feed_items(case: Case) -> None:
    date, items = read_feed(case.input)
    assert date == _day(case.wanted["date"])
    expected = [{**item, "date": _day(item["date"])} for item in case.wanted["items"]]
    assert [_fields(d, list(expected[0])) for d in items] == expected
    assert not any(d.stories for d in items)


@pytest.mark.parametrize("case", load("decode", "records"))
def test_dump_records(case: Case) -> None:
    expected = [{**r, "date": _day(r["date"])} for r in case.wanted]
    assert [_fields(d, list(expected[0])) for d in record_documents(case.input)] == expected


@pytest.mark.parametrize("case", load("decode", "digests"))
def test_digest_stories(case: Case) -> None:
    date, stories = read_digest(json.dumps(case.input, ensure_ascii=False))
    assert date == _day(case.wanted["date"])
    expected = [{**s, "date": _day(s["date"])} for s in case.wanted["stories"]]
    assert [_fields(d, list(expected[0])) for d in stories] == expected


@pytest.mark.parametrize(
    ("reader", "text", "reason"),
    [
        (read_feed, "<rss><channel><title>x</title></channel></rss>", "feed without items"),
        (read_feed, "<rss><channel><item></rss>", "malformed feed"),
        (record_documents, "no records here", "record dump without <doc> records"),
        (read_digest, '{"date": "2025-11-03"}', "JSON without a list of stories"),
        (read_digest, "{not json", "malformed JSON"),
    ],
)
def test_broken_input_is_refused_with_a_reason(reader, text: str, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        reader(text)
