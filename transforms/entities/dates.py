"""Date and time expressions → ISO, the year inferred from the bulletin's issue date.

A date without a year (`10月8日`) is the latest such date not after the issue date, unless the text
says otherwise: an explicit year, `今年`/`明年`/`明天`/`本月`, a future cue next to it (`将于10月20日`),
a weekday after it (`7月7日周二`: the year where 7 July is a Tuesday, nearest the issue date), or the
start of a range it ends (`12月30日至1月2日`: the end is the next such day on or after the start).
Chinese numerals are read too (`二〇二一年十月八日`).

>>> import datetime as dt
>>> resolve_date("10月8日下午", dt.date(2021, 10, 9))
datetime.date(2021, 10, 8)
>>> resolve_date("10月8日", dt.date(2021, 10, 7))
datetime.date(2020, 10, 8)
>>> [(m.text, m.label, m.normalized) for m in find_dates("将于12月1日上午9时30分开幕", dt.date(2021, 10, 9))]
[('12月1日上午9时30分', 'TIME', '2021-12-01T09:30')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from transforms.entities.article import LABEL_OF, Article, Mention
from transforms.kit.lexicons import read_json

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_NUM = r"(?:\d{1,2}|[〇零一二三四五六七八九十两]{1,3})"
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_RANGE = re.compile(r"\s*[至到~～—–－-]\s*")  # between the start and the end of a range
_CLAUSE_MARK = re.compile(r"[，。；！？：、,;!?:\n]")  # a future cue in the clause before a date counts
_CUE_REACH = 6  # characters before a date searched for a future cue in its clause


@cache
def words() -> dict:
    """Relative days and years, parts of the day and future cues (resources/lexicons/dates_words.json)."""
    return read_json("lexicons/dates_words.json")


def _either(choices: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted(choices, key=len, reverse=True)) + ")"


@cache
def _expression() -> re.Pattern[str]:
    """Every date or time expression; the lookahead on its first two characters lets the engine skip
    most positions at once."""
    keys = ("parts_of_day", "relative_days", "relative_years", "relative_months")
    kinds = [words()[key] for key in keys]
    part, relative_day, relative_year, relative_month = (_either(kind) for kind in kinds)
    weekday = rf"[（(]?(?:星期|礼拜|周)[{''.join(words()['weekdays'])}][）)]?"
    starts = "".join(sorted({word[0] for kind in kinds for word in kind}))
    # Every expression has 2+ characters; the second is a digit, a unit or a word's second character
    # (a one-character part of the day is followed by a clock).
    seconds = "".join(sorted({word[1] for kind in kinds for word in kind if len(word) > 1}))
    clock = rf"(?:\d{{1,2}}[:：]\d{{2}}|{_NUM}[时点](?:{_NUM}分|半|整)?)"
    # A bare day in digits before a word of what happened on it (普京23日表示), not a count of days
    # (第3日, 近7日, 连续3日).
    after_day = rf"(?<=\d日)(?<![第近每续]\d日)(?<![第近每续]\d\d日){_either(words()['day_followers'])}"
    return re.compile(
        rf"""
        (?=[\d〇零一二三四五六七八九十两{starts}][\d〇零一二三四五六七八九十两年月日号时点:：\-./{seconds}])
        (?:
        (?<![\d.．])
        (?:
            (?P<iso>\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}})(?!\d)
          | (?:(?P<year>{_YEAR})年|(?P<relyear>{relative_year}))?
            (?:(?P<month>{_NUM})月(?:(?P<day>{_NUM})[日号])?)
          | (?P<yearonly>{_YEAR})年
          | (?P<relyearonly>{relative_year})
          | (?P<relmonth>{relative_month})(?:(?P<monthday>{_NUM})[日号])?
          | (?P<relday>{relative_day})
          | (?P<dayonly>{_NUM})日(?={part}|电|\d|[零一二三四五六七八九十]|{after_day}|{weekday})
        )
        (?:(?<=[日号])(?P<weekday>{weekday}))?
        (?P<part>{part})?
        (?P<clock>{clock})?
        |
        (?<![\d.])
        (?:
            (?P<part2>{part})(?P<clock2>{clock})
          | (?P<clock3>\d{{1,2}}[:：]\d{{2}}(?!\d)|{_NUM}时(?:{_NUM}分|半|整)?)
        )
        )
        """,
        re.VERBOSE,
    )


class DateMention(NamedTuple):
    """A date or time expression found in a text."""

    start: int
    end: int
    text: str
    label: str  # DATE or TIME
    normalized: str  # ISO: 2021-10-08, 2021-10, 2021, 15:30 or 2021-10-08T15:30
    date: dt.date | None  # the day, when the expression names one


def chinese_number(digits: str) -> int | None:
    """An Arabic or Chinese numeral up to 99, or a 4-digit year written digit by digit.

    >>> chinese_number("二〇二一"), chinese_number("十"), chinese_number("二十八"), chinese_number("08")
    (2021, 10, 28, 8)
    """
    if digits.isdecimal():
        return int(digits)
    if "十" in digits:
        tens, _, units = digits.partition("十")
        if len(tens) > 1 or len(units) > 1 or not all(c in _CN_DIGITS for c in tens + units):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    if digits and all(c in _CN_DIGITS for c in digits):
        return int("".join(str(_CN_DIGITS[c]) for c in digits))
    return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _latest(month: int, day: int, issue_date: dt.date, future: bool) -> dt.date | None:
    """The latest valid `month`/`day` not after the issue date (the next one on or after it if `future`)."""
    step = 1 if future else -1
    for years in range(9):
        candidate = _day(issue_date.year + step * years, month, day)
        if candidate and (candidate >= issue_date if future else candidate <= issue_date):
            return candidate
    return None


def _day_of_month(day: int, issue_date: dt.date, future: bool) -> dt.date | None:
    """The latest date with this day of month not after the issue date, or with a future cue the
    earliest not before it.

    >>> _day_of_month(23, dt.date(2023, 2, 24), False), _day_of_month(25, dt.date(2023, 2, 24), False)
    (datetime.date(2023, 2, 23), datetime.date(2023, 1, 25))
    >>> _day_of_month(25, dt.date(2023, 2, 24), True), _day_of_month(20, dt.date(2023, 12, 24), True)
    (datetime.date(2023, 2, 25), datetime.date(2024, 1, 20))
    """
    year, month = issue_date.year, issue_date.month
    step = 1 if future else -1
    for _ in range(3):
        candidate = _day(year, month, day)
        if candidate and (candidate >= issue_date if future else candidate <= issue_date):
            return candidate
        month += step
        year, month = (year + (month - 1) // 12, (month - 1) % 12 + 1)
    return None


def _clock(clock: str, part: str | None) -> str | None:
    """`15时30分`, `3点半`, `19:00` (with the part of day: 下午3点 is 15:00) → HH:MM."""
    hour_text, minute_text = re.split(r"[时点:：]", clock, maxsplit=1)
    hour = chinese_number(hour_text)
    minute_text = minute_text.rstrip("分整")
    minute = 30 if minute_text == "半" else chinese_number(minute_text) if minute_text else 0
    if hour is None or minute is None:
        return None
    table = words()
    if part in table["afternoon"] and hour < 12 and not (part in table["night"] and hour < 5):
        hour += 12
    if part == "中午" and hour < 11:
        hour += 12
    if not 0 <= hour <= 24 or not 0 <= minute <= 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _parse(match: re.Match[str], issue_date: dt.date, future: bool) -> tuple[str, str, dt.date | None] | None:
    """(label, normalized, day) of one matched expression, or None if it names no valid date or time."""
    groups = match.groupdict()
    if groups["clock2"] or groups["clock3"]:
        clock = _clock(groups["clock2"] or groups["clock3"], groups["part2"])
        return ("TIME", clock, None) if clock else None
    if groups["iso"]:
        year, month, day = (int(part) for part in re.split(r"[-./]", groups["iso"]))
        found = _day(year, month, day)
        normalized = found.isoformat() if found else None
    elif groups["relday"]:
        found = issue_date + dt.timedelta(days=words()["relative_days"][groups["relday"]])
        normalized = found.isoformat()
    elif groups["yearonly"]:
        found, normalized = None, str(chinese_number(groups["yearonly"]))
    elif groups["relyearonly"]:
        found, normalized = None, str(issue_date.year + words()["relative_years"][groups["relyearonly"]])
    elif groups["dayonly"]:
        day = chinese_number(groups["dayonly"])
        found = _day_of_month(day, issue_date, future) if day else None
        found = _on_weekday(found, groups["weekday"], issue_date, _month_steps(found, day))
        normalized = found.isoformat() if found else None
    elif groups["relmonth"]:
        found, normalized = _relative_month(groups["relmonth"], groups["monthday"], issue_date)
    else:
        found, normalized = _month_day(groups, issue_date, future)
        if found and not (groups["year"] or groups["relyear"]):
            found = _on_weekday(found, groups["weekday"], issue_date, _year_steps(found))
            normalized = found.isoformat() if found else None
    if normalized is None:
        return None
    clock = _clock(groups["clock"], groups["part"]) if groups["clock"] else None
    if clock and found:
        return "TIME", f"{normalized}T{clock}", found
    return "DATE", normalized, found


def _relative_month(
    word: str, day_text: str | None, issue_date: dt.date
) -> tuple[dt.date | None, str | None]:
    """The month a relative month names from the issue date (本月 its month, 上月 the one before), or
    its day when one is written (本月10日).

    >>> _relative_month("本月", "10", dt.date(2021, 10, 20))
    (datetime.date(2021, 10, 10), '2021-10-10')
    >>> _relative_month("上月", None, dt.date(2021, 1, 5))
    (None, '2020-12')
    """
    months = issue_date.year * 12 + issue_date.month - 1 + words()["relative_months"][word]
    year, month = divmod(months, 12)
    if day_text is None:
        return None, f"{year:04d}-{month + 1:02d}"
    day = chinese_number(day_text)
    found = _day(year, month + 1, day) if day else None
    return found, found.isoformat() if found else None


def _year_steps(found: dt.date) -> list[dt.date]:
    """The same month and day in the years around `found`'s (a date written without its year)."""
    return [day for step in (-1, 1, -2, 2) if (day := _day(found.year + step, found.month, found.day))]


def _month_steps(found: dt.date | None, day: int | None) -> list[dt.date]:
    """The same day in the months around `found`'s (a day written without its month)."""
    if found is None or day is None:
        return []
    months = found.year * 12 + found.month - 1
    steps = (divmod(months + step, 12) for step in (-1, 1, -2, 2))
    return [found_day for year, month in steps if (found_day := _day(year, month + 1, day))]


def _on_weekday(
    found: dt.date | None, weekday: str | None, issue_date: dt.date, others: list[dt.date]
) -> dt.date | None:
    """`found`, unless the weekday written after it (周二, （星期二）) says another of the `others` (the
    same day in other years or months): then the one of them nearest the issue date on that weekday.

    >>> _on_weekday(dt.date(2014, 7, 7), "周二", dt.date(2015, 7, 4), _year_steps(dt.date(2014, 7, 7)))
    datetime.date(2015, 7, 7)
    >>> _on_weekday(dt.date(2014, 7, 7), "（星期一）", dt.date(2015, 7, 4), [dt.date(2015, 7, 7)])
    datetime.date(2014, 7, 7)
    """
    if found is None or weekday is None:
        return found
    number = words()["weekdays"][weekday.strip("（()）")[-1]]
    if found.weekday() == number:
        return found
    matching = [day for day in others if day.weekday() == number]
    return min(matching, key=lambda day: abs(day - issue_date)) if matching else found


def _month_day(groups: dict, issue_date: dt.date, future: bool) -> tuple[dt.date | None, str | None]:
    month = chinese_number(groups["month"])
    day = chinese_number(groups["day"]) if groups["day"] else None
    if groups["year"]:
        year = chinese_number(groups["year"])
    elif groups["relyear"]:
        year = issue_date.year + words()["relative_years"][groups["relyear"]]
    else:
        year = None
    if not month or not 1 <= month <= 12:
        return None, None
    if day is None:
        if year is None and future:
            year = issue_date.year if month >= issue_date.month else issue_date.year + 1
        elif year is None:
            year = issue_date.year if month <= issue_date.month else issue_date.year - 1
        return None, f"{year:04d}-{month:02d}"
    found = _day(year, month, day) if year is not None else _latest(month, day, issue_date, future)
    return found, found.isoformat() if found else None


def _future_cue(text: str, start: int, end: int) -> bool:
    """Whether the words around an expression say it lies ahead: a cue right before it (将于12月1日) or
    right after it (12月1日将), or 将 a few characters before it in its clause (将出席10月20日举行的).

    >>> _future_cue("将于12月1日召开", 2, 7), _future_cue("12月1日召开", 0, 5)
    (True, False)
    >>> _future_cue("韩正将出席10月20日举行的典礼", 5, 11), _future_cue("将，出席10月20日", 4, 10)
    (True, False)
    """
    before, after, in_clause = _future_cues()
    if text[max(0, start - 4) : start].endswith(before) or text.startswith(after, end):
        return True
    clause = _CLAUSE_MARK.split(text[max(0, start - _CUE_REACH) : start])[-1]
    return any(cue in clause for cue in in_clause)


@cache
def _future_cues() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The words that put a date ahead when written right before it, right after it, and a few characters
    before it in its clause."""
    return tuple(words()["future_before"]), tuple(words()["future_after"]), tuple(words()["future_in_clause"])


def find_dates(text: str, issue_date: dt.date) -> list[DateMention]:
    """Every date and time expression of `text`, normalized to ISO, in order.

    >>> import datetime as dt
    >>> found = find_dates("二〇二一年十月八日、去年3月和19:00", dt.date(2021, 10, 9))
    >>> [(m.text, m.normalized) for m in found]
    [('二〇二一年十月八日', '2021-10-08'), ('去年3月', '2020-03'), ('19:00', '19:00')]
    """
    found: list[DateMention] = []
    for match in _expression().finditer(text):
        start, end = match.span()
        if match.group("relday") and _figurative(text, start, end):
            continue
        parsed = _parse(match, issue_date, _future_cue(text, start, end))
        if parsed and found and _ends_range_too_early(text, found[-1], start, parsed[2]):
            # The end of a range never comes before its start: the next such day on or after it.
            parsed = _parse(match, found[-1].date, True) or parsed
        if parsed:
            label, normalized, day = parsed
            found.append(DateMention(start, end, match.group(), label, normalized, day))
    return found


@cache
def _figurative_phrases() -> tuple[re.Pattern[str], int]:
    """The figurative phrases as one pattern, and the length of the longest."""
    phrases = words()["figurative"]
    return re.compile(_either(phrases)), max(map(len, phrases))


def _figurative(text: str, start: int, end: int) -> bool:
    """Whether the relative day at text[start:end] is part of a set phrase that names no day.

    >>> _figurative("开创更加美好的明天", 7, 9), _figurative("相信明天的峰会", 2, 4)
    (True, False)
    """
    pattern, reach = _figurative_phrases()
    return any(
        phrase.start() <= start and end <= phrase.end()
        for phrase in pattern.finditer(text, max(0, start - reach), end + reach)
    )


def _ends_range_too_early(text: str, previous: DateMention, start: int, day: dt.date | None) -> bool:
    """Whether the date at `start` (resolved to `day`) ends a range that `previous` starts (11月29日至12月1日)
    and falls before it.

    >>> first = DateMention(0, 6, "11月29日", "DATE", "2024-11-29", dt.date(2024, 11, 29))
    >>> _ends_range_too_early("11月29日至12月1日", first, 7, dt.date(2023, 12, 1))
    True
    >>> _ends_range_too_early("11月29日和12月1日", first, 7, dt.date(2023, 12, 1))
    False
    """
    return (
        day is not None
        and previous.date is not None
        and day < previous.date
        and _RANGE.fullmatch(text, previous.end, start) is not None
    )


def dated(article: Article) -> None:
    """Component: the DATE and TIME mentions, claimed before any other (their patterns are the most
    trusted source).

    >>> import datetime as dt
    >>> article = Article.parse("10月8日下午召开", dt.date(2021, 10, 9))
    >>> dated(article)
    >>> [(m.normalized, m.label.value, m.method) for m in article.mentions]
    [('2021-10-08', 'DATE', 'pattern')]
    """
    for found in find_dates(article.text, article.issue_date):
        article.claim(Mention(found.start, found.end, LABEL_OF[found.label], found.normalized, "pattern"))


def resolve_date(expr: str, issue_date: dt.date) -> dt.date | None:
    """The day the first date expression in `expr` names, or None (also for a year or month alone).

    >>> import datetime as dt
    >>> resolve_date("新华社北京12月10日电", dt.date(2022, 1, 3))
    datetime.date(2021, 12, 10)
    >>> resolve_date("二〇二一年十月八日", dt.date(2023, 1, 1)), resolve_date("去年", dt.date(2023, 1, 1))
    (datetime.date(2021, 10, 8), None)
    """
    for mention in find_dates(expr, issue_date):
        if mention.date:
            return mention.date
    return None
