"""HTML residue inside text files: tags become paragraph or line breaks, entities become characters.

Scraped text keeps markup the scraper did not remove (``<p><strong>央视网消息</strong>…<br></p>``), often
escaped once or twice on the way (``&amp;nbsp;``, ``&lt;/p&gt;``). A run of adjacent tags becomes one
paragraph break when it holds a block tag, one line break when it holds ``<br>``, nothing otherwise;
script and style elements go with their content; an entity (however often its ``&`` was escaped)
becomes its character. Only runs made entirely of known tag names count, so ``GDP<5%``, ``x<y>z`` or
``<维护国家安全条例>`` stay. Tag names: resources/html_residue.json.
"""

from __future__ import annotations

import html
import re
from functools import cache

from transforms.decode.html import tag_names
from transforms.kit.edits import run_passes, substitute
from transforms.records import Repaired

_AMP = "&(?:(?:amp|#0*38|#x0*26);)*"
_ESCAPED_LT = f"{_AMP}(?:lt|#0*60|#x0*3c);"
_ESCAPED_GT = f"{_AMP}(?:gt|#0*62|#x0*3e);"
_ATTRIBUTES = "(?:[\\s/][^<>]{0,400}?)?"
_NAME = re.compile(r"(?:<|lt;|60;|3c;)\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", re.I)
_ENTITY_NAME = "([a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"


@cache
def _residue() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(runs of adjacent plain tags (``<p><strong>``) or an entity, runs of escaped or mixed tags
    (``&lt;/p&gt;``)). The first starts with a character class, so the engine skips plain text fast."""
    dropped = "|".join(sorted(tag_names()["dropped"]))
    element = f"(?:{dropped})(?![a-zA-Z0-9])[^>]*>.*?</(?:{dropped})\\s*>"
    unit = f"(?:{element}|!--.*?-->|/?[a-zA-Z][a-zA-Z0-9]*{_ATTRIBUTES}>)"
    entity = f"(?:(?:amp|#0*38|#x0*26);)*{_ENTITY_NAME}"
    plain = re.compile(f"[<&](?:(?<=<){unit}(?:\\s*<{unit})*|(?<=&){entity})", re.DOTALL | re.I)
    escaped = f"(?:<|{_ESCAPED_LT})\\s*/?\\s*[a-zA-Z][a-zA-Z0-9]*{_ATTRIBUTES}(?:>|{_ESCAPED_GT})"
    return plain, re.compile(f"{escaped}(?:\\s*{escaped})*", re.I)


@cache
def _tag_run_replacement(run: str) -> str:
    """A paragraph break for a run with a block tag, a line break for ``<br>``, else nothing; the run
    itself when one of its tags is not a known HTML tag (then it is not residue). What a script or
    style element holds is not looked at."""
    roles = tag_names()
    dropped = "|".join(roles["dropped"])
    outside = re.sub(rf"(<(?:{dropped})\b[^>]*>).*?</[^>]*>", r"\1", run, flags=re.I | re.S)
    names = {name.lower() for name in _NAME.findall(outside)}
    if not names or not names <= roles["block"] | roles["breaks"] | roles["inline"] | roles["dropped"]:
        return run
    if names & roles["block"]:
        return "\n\n"
    return "\n" if names & roles["breaks"] else ""


def _replacement(match: re.Match[str]) -> str:
    """What a tag run or an entity becomes; an unknown entity name keeps one level of escaping undone."""
    name = match.group(1)
    if name is None:
        return _tag_run_replacement(match.group())
    decoded = html.unescape(f"&{name};")
    return f"&{name};" if decoded == f"&{name};" else decoded


def _residue_pass(text: str) -> Repaired:
    if "<" not in text and "&" not in text:
        return Repaired(text)
    plain, escaped = _residue()
    passes = [lambda t: substitute(t, plain, "html", _replacement)]
    if "&" in text and re.search(_ESCAPED_LT, text, re.I):
        passes.insert(0, lambda t: substitute(t, escaped, "html", lambda m: _tag_run_replacement(m.group())))
    return run_passes(text, passes)


def strip_html_residue(text: str) -> Repaired:
    """Tags and entities left in a text file become breaks and characters (logged as ``html``).

    >>> strip_html_residue("<p><strong>央视网消息</strong>：会议召开。<br></p><p>第二段</p>").text
    '\\n\\n央视网消息：会议召开。\\n\\n第二段\\n\\n'
    >>> strip_html_residue("安徽&amp;nbsp;亳州&lt;/p&gt;").text
    '安徽\\xa0亳州\\n\\n'
    >>> strip_html_residue("GDP<5% 且 A&B x<y>z <维护国家安全条例>").text
    'GDP<5% 且 A&B x<y>z <维护国家安全条例>'
    """
    first = _residue_pass(text)
    if not any("<" in r.after or "&" in r.after for r in first.repairs):
        return first
    return run_passes(text, (lambda _: first, _residue_pass))
