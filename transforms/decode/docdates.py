"""The dates documents state about themselves: written dates (``2011-09-26``, ``2019年06月15日``,
``二〇二一年十月八日``) and Unix timestamps, as calendar days in Beijing time.

A written date needs its year: a document's own date is never guessed from a month and a day.
"""

from __future__ import annotations

import datetime as dt
import re

BEIJING = dt.timezone(dt.timedelta(hours=8))
EARLIEST = dt.date(1950, 1, 1)
_NUMERIC = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
_DIGITS = "〇一二三四五六七八九"
_WRITTEN = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,4})[日号]"
)
_EPOCH = re.compile(r"(?<!\d)(1[0-9]{9})(?:\d{3})?(?!\d)")


def _day(year: str, month: str, day: str) -> dt.date | None:
    try:
        found = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if found >= EARLIEST else None


def _numeral(text: str) -> int | None:
    """A number written in Chinese numerals: digit by digit (二〇二一), or with 十 (十月, 二十三).

    >>> _numeral("二〇二一"), _numeral("十"), _numeral("二十三"), _numeral("三十一")
    (2021, 10, 23, 31)
    """
    text = text.replace("零", "〇")
    if "十" not in text:
        return int("".join(str(_DIGITS.index(c)) for c in text)) if text else None
    tens, _, ones = text.partition("十")
    return (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)


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
    for match in _WRITTEN.finditer(value):
        year, month, day = (_numeral(part) for part in match.groups())
        found = _day(str(year), str(month), str(day)) if year and month and day else None
        if found:
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
