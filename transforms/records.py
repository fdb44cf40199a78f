"""Small value types shared by the transforms: what a repair changed, what a file is, what comes out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Repair:
    """One logged change: at `offset` in the step's input text, `before` became `after`.

    Applying the repairs of one step in reverse offset order to its input reproduces its output
    (see `transforms.repair.replay`).
    """

    kind: str
    offset: int
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Repaired:
    """A text together with the log of every change that produced it."""

    text: str
    repairs: tuple[Repair, ...] = ()


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the encoding chosen and why."""

    text: str
    encoding: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Document:
    """What a format decoder reads out of a file: a text and what the file says about it.

    `stories` says whether the text may hold several stories (a bulletin, a report: it is split into
    articles) or is one story (a feed item, a record, a page's article); `loose` whether a title-like
    line alone may start a story there (plain-text bulletins; not in a report's subheads). `title`,
    `date`, `source`,
    `author` and `link` are the document's own (a feed item's title and pubDate, a record's url).
    """

    text: str
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    author: str | None = None
    link: str | None = None
    stories: bool = True
    loose: bool = True


class Quarantined(ValueError):
    """Raised by a transform when a file cannot be processed; the message is the reason recorded."""


@dataclass(frozen=True, slots=True)
class FileMeta:
    """What the flow knows about a raw file before reading its content."""

    path: str
    issue_date: dt.date
    issue_date_source: str = "cli"
    member: str = ""
    mtime: dt.datetime | None = None


@dataclass(slots=True)
class Columns:
    """Rows of one table, kept column by column (cheap to build, converts straight to Arrow)."""

    data: dict[str, list] = field(default_factory=dict)

    def extend(self, **columns: list) -> None:
        for name, values in columns.items():
            self.data.setdefault(name, []).extend(values)

    def __len__(self) -> int:
        return len(next(iter(self.data.values()), ()))
