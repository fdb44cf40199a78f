"""The publisher lexicon of resources/boilerplate.json: who publishes a story, and the lines a page or a
bulletin adds around it (share widgets, page labels, editor lines, placeholders)."""

from __future__ import annotations

import re
from functools import cache

from transforms.kit.lexicons import read_json
from transforms.kit.script import to_simplified


@cache
def lexicon() -> dict:
    """resources/boilerplate.json."""
    return read_json("boilerplate.json")


@cache
def editor_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(an editor line, an editor note closing a line)."""
    labels = "|".join(sorted(map(re.escape, lexicon()["editor_labels"]), key=len, reverse=True))
    entry = f"(?:{labels})\\s*[：:]\\s*[^\\s（）()【】\\[\\]]{{1,12}}"
    line = re.compile(f"[（(【\\[]?\\s*{entry}(?:\\s+{entry})*\\s*[）)】\\]]?")
    trailing = re.compile(f"[（(【\\[]\\s*{entry}(?:\\s+{entry})*\\s*[）)】\\]]$")
    return line, trailing


def is_publisher(name: str) -> bool:
    """Whether a name is a news publisher by resources/boilerplate.json: one of its `sources`, or a
    short name ending with one of its `source_suffixes`.

    >>> is_publisher("央视网"), is_publisher("商丘日报"), is_publisher("中央电视台"), is_publisher("商丘")
    (True, True, True, False)
    """
    sources, suffixes = _publishers()
    if name in sources:
        return True
    return 2 < len(name) <= 12 and " " not in name and name.endswith(suffixes)


@cache
def _publishers() -> tuple[frozenset[str], tuple[str, ...]]:
    """The `sources` and `source_suffixes` of resources/boilerplate.json, ready for lookups."""
    table = lexicon()
    return frozenset(table["sources"]), tuple(table["source_suffixes"])


def is_boilerplate_line(line: str) -> bool:
    """A whole line that is a share widget, a page label, an editor line (compared in Simplified) or a
    scraper's placeholder for a missing value (``undefined``, also as a Markdown heading).

    >>> is_boilerplate_line("责任编辑：刘亮"), is_boilerplate_line("分享"), is_boilerplate_line("分享经验")
    (True, True, False)
    >>> is_boilerplate_line("### undefined"), is_boilerplate_line("undefined behaviour")
    (True, False)
    """
    simple = to_simplified(line.strip())
    table = lexicon()
    listed = simple in table["share_widgets"] or simple in table["page_labels"]
    placeholder = simple.lstrip("#").strip() in table["placeholders"]
    return listed or placeholder or editor_patterns()[0].fullmatch(simple) is not None
