"""transforms.dates: case files for resolve_date and find_dates, and the never-after-the-issue-date rule."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.case_files import Case, load
from transforms.entities.dates import _expression, chinese_number, find_dates, resolve_date, words


@pytest.mark.parametrize("case", load("entities", "dates_resolve"))
def test_resolve_date_cases(case: Case) -> None:
    resolved = resolve_date(case.input, dt.date.fromisoformat(case.given["issue_date"]))
    assert (resolved.isoformat() if resolved else None) == case.wanted


@pytest.mark.parametrize("case", load("entities", "dates_find"))
def test_find_dates_cases(case: Case) -> None:
    found = find_dates(case.input, dt.date.fromisoformat(case.given["issue_date"]))
    assert [[m.text, m.label, m.normalized] for m in found] == case.wanted
    assert all(case.input[m.start : m.end] == m.text for m in found)


@given(
    issue_date=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
)
def test_a_date_without_year_is_never_after_the_issue_date(issue_date: dt.date, month: int, day: int) -> None:
    resolved = resolve_date(f"{month}月{day}日", issue_date)
    if resolved is None:  # only an impossible day (2月30日) has none
        with pytest.raises(ValueError):
            dt.date(2000, month, day)  # 2000 is a leap year: 2月29日 exists
    else:
        assert resolved <= issue_date
        assert (resolved.month, resolved.day) == (month, day)
        assert issue_date - resolved < dt.timedelta(days=366 * 4 + 1)


@given(st.integers(1, 99))
def test_chinese_numbers_read_back(number: int) -> None:
    digits = "〇一二三四五六七八九"
    tens, units = divmod(number, 10)
    written = (
        ("" if tens == 1 else digits[tens] if tens else "")
        + ("十" if tens else "")
        + (digits[units] if units or not tens else "")
    )
    assert chinese_number(written) == number


DATE_PIECES = [*words()["parts_of_day"], *words()["relative_days"], *words()["relative_years"]]
DATE_PIECES += [*words()["relative_months"], "周", "星期", "（", "）"]
DATE_PIECES += list("0123456789１２〇零一二三四五六七八九十两年月日号时点分半整:：-./．电将于个")


@settings(max_examples=300)
@given(st.lists(st.sampled_from(DATE_PIECES), max_size=14))
def test_the_leading_lookahead_changes_no_match(parts: list[str]) -> None:
    text = "".join(parts)
    expression = _expression()
    unfiltered = re.compile(expression.pattern[expression.pattern.index("(?:") :], expression.flags)
    assert [m.span() for m in expression.finditer(text)] == [m.span() for m in unfiltered.finditer(text)]
