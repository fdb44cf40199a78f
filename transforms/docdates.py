"""The dates documents state about themselves: written dates (``2011-09-26``, ``2019年06月15日``,
``二〇二一年十月八日``) and Unix timestamps, as calendar days in Beijing time.

A written date needs its year: a document's own date is never guessed from a month and a day.
"""

from __future__ import annotations

import datetime as dt
import re

from transforms.dates import resolve_date

BEIJING = dt.timezone(dt.timedelta(hours=8))
EARLIEST = dt.date(1950, 1, 1)
_NUMERIC = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
_EPOCH = re.compile(r"(?<!\d)(1[0-9]{9})(?:\d{3})?(?!\d)")


def _day(year: str, month: str, day: str) -> dt.date | None:
    try:
        found = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if found >= EARLIEST else None


def written_date(value: str | None, compact: bool = False) -> dt.date | None:
    """The first full date written in `value`, year included; with `compact`, ``20120706`` too.

    >>> written_date("发布时间：2011-09-26 发布人：王"), written_date("2019年06月15日08:18")
    (datetime.date(2011, 9, 26), datetime.date(2019, 6, 15))
    >>> written_date("二〇二一年十月八日"), written_date("10月8日"), written_date("/20120706/", compact=True)
    (datetime.date(2021, 10, 8), None, datetime.date(2012, 7, 6))
    """
    if not value:
        return None
    for match in _NUMERIC.finditer(value):
        found = _day(*match.groups())
        if found:
            return found
    if "年" in value:
        found = resolve_date(value, dt.date(2100, 1, 1))
        if found and found >= EARLIEST and re.search(r"[0-9〇零一二三四五六七八九]{4}\s*年", value):
            return found
    if compact:
        for match in _COMPACT.finditer(value):
            found = _day(*match.groups())
            if found:
                return found
    return None


def epoch_date(value: str | int | None) -> dt.date | None:
    """The Beijing calendar day of a Unix timestamp in seconds (or milliseconds).

    >>> epoch_date("1581517074"), epoch_date(1581418070000), epoch_date("12")
    (datetime.date(2020, 2, 12), datetime.date(2020, 2, 11), None)
    """
    match = _EPOCH.fullmatch(str(value).strip()) if value is not None else None
    if not match:
        return None
    return dt.datetime.fromtimestamp(int(match.group(1)), BEIJING).date()
