"""What a file's path says about it: the issue date of the bulletin."""

from __future__ import annotations

import datetime as dt
import re

# Compact dates must not be glued to other digits (a hash or an id); folders are YYYY/MM/DD.
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?=/)"),
)


def issue_date_from_path(path: str) -> dt.date | None:
    """The date a path names, nearest to the file name; None when it names none.

    >>> issue_date_from_path("news/20220924.md")
    datetime.date(2022, 9, 24)
    >>> issue_date_from_path("raw/2021/10/09/henan.txt")
    datetime.date(2021, 10, 9)
    >>> issue_date_from_path("2020-01-01/bulletin-2021-10-09.txt")
    datetime.date(2021, 10, 9)
    >>> issue_date_from_path("seeds/000_66e55bb73970c7f5.txt") is None
    True
    >>> issue_date_from_path("x/20221345.txt") is None   # not a real date
    True
    """
    best: tuple[int, dt.date] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(path):
            try:
                found = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
            if best is None or match.end() > best[0]:
                best = (match.end(), found)
    return best[1] if best else None
