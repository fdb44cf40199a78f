"""Gold stories of the corpora `bench.eval_sources` scores (definitions: its module docstring).

multisource from its GOLD.jsonl; xwlb from its ``### `` headings; THUCNews one story a line; cctv_html
from the body block its SOURCE.md names. Every corpus is skipped with a message when absent.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from transforms.normalize import to_simplified

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
MULTISOURCE = CORPORA / "multisource"
XWLB = CORPORA / "xwlb_daily" / "news"
THUCNEWS = CORPORA / "thucnews_sample" / "cnews.sample1000.txt"
CCTV = CORPORA / "cctv_html" / "dump_htmls"
XWLB_EVERY = 10

_SPACE = re.compile(r"\s+")
_DATE_PREFIX = re.compile(r"^\d{8}_")
_MARKUP = re.compile(r"<[^>]*>|\*\*")
_LINK_LINE = re.compile(r"\[[^\]]*\]\([^)]*\)")


def key(text: str) -> str:
    """A text reduced for comparison: NFKC, no whitespace, Simplified.

    >>> key("平鎮輪胎行惡火\u3000 疏散７人"), key("各位代表:现在")
    ('平镇轮胎行恶火疏散7人', '各位代表:现在')
    """
    return to_simplified(_SPACE.sub("", unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class GoldStory:
    title: str | None
    first_chars: str


@dataclass(frozen=True)
class Case:
    """One file to score: its bytes, the name it is read under, and its gold."""

    source: str
    name: str
    raw: bytes
    stories: tuple[GoldStory, ...]
    date: dt.date | None = None
    feed: bool = False
    samples: tuple[str, ...] = ()
    html: bool = False


# --- gold --------------------------------------------------------------------------------------


def multisource_cases() -> Iterator[Case]:
    """The files of ../shared/corpora/multisource with their GOLD.jsonl lines."""
    for line in (MULTISOURCE / "GOLD.jsonl").read_text("utf-8").splitlines():
        gold = json.loads(line)
        folder, name = gold["file"].split("/")
        yield Case(
            folder,
            _DATE_PREFIX.sub("", name),
            (MULTISOURCE / gold["file"]).read_bytes(),
            tuple(GoldStory(s["title"], s["first_chars"]) for s in gold["stories"]),
            dt.date.fromisoformat(gold["date"]) if gold["date"] else None,
            gold["format"] == "feed",
            tuple(gold["boilerplate_samples"]),
            gold["format"] == "html",
        )


def xwlb_cases(every: int) -> Iterator[Case]:
    """Every `every`-th xwlb bulletin; its ``### `` headings are the stories."""
    for path in sorted(XWLB.glob("*.md"))[::every]:
        raw = path.read_bytes()
        yield Case("xwlb", f"xwlb/{path.name}", raw, tuple(_xwlb_stories(raw.decode("utf-8"))))


def _xwlb_stories(markdown: str) -> Iterator[GoldStory]:
    title: str | None = None
    body: list[str] = []
    for line in [*markdown.split("\n"), "# end"]:
        if line.startswith(("#", "---")):  # a heading, or the page footer after the last story
            if title is not None and title != "undefined":  # a scraper's placeholder, no story
                text = html.unescape(_MARKUP.sub("", _LINK_LINE.sub("", "".join(body))))
                yield GoldStory(title, key(text)[:20])
            title, body = (line[4:].strip(), []) if line.startswith("### ") else (None, [])
        else:
            body.append(line)


def thucnews_cases() -> Iterator[Case]:
    """The THUCNews sample: one story per line, ``category<TAB>title and body`` (its SOURCE.md)."""
    raw = THUCNEWS.read_bytes()
    lines = [line.split("\t", 1)[1] for line in raw.decode("utf-8").split("\n") if "\t" in line]
    yield Case(
        "thucnews", f"thucnews/{THUCNEWS.name}", raw, tuple(GoldStory(None, key(t)[:20]) for t in lines)
    )


_OG_TITLE = re.compile(r'<meta\s+property="og:title"\s+content="([^"]*)"')
_CCTV_BODY = (
    re.compile(r'<div[^>]*id="content_area"[^>]*>(.*?)</div>', re.S),
    re.compile(r"<!--repaste\.body\.begin-->(.*?)<!--repaste\.body\.end-->", re.S),
)


def cctv_cases() -> Iterator[Case]:
    """The cctv_html pages; an article page with a body block is one story."""
    for path in sorted(CCTV.glob("*.shtml")):
        raw = path.read_bytes()
        page = raw.decode("utf-8")
        body = next((m.group(1) for p in _CCTV_BODY if (m := p.search(page))), None)
        title = _OG_TITLE.search(page)
        stories: tuple[GoldStory, ...] = ()
        text = html.unescape(_MARKUP.sub("", body)) if body else ""
        if path.name.startswith("VIDE") and key(text):
            clean = re.sub(r"^\[视频\]", "", html.unescape(title.group(1))) if title else None
            stories = (GoldStory(clean, key(text)[:20]),)
        yield Case("cctv_html", f"cctv/{path.name}", raw, stories, samples=("编辑：", "分享到"), html=True)


def all_cases(xwlb_every: int = XWLB_EVERY) -> Iterator[Case]:
    """Every case of the three corpora, each skipped with a message when absent."""
    corpora = (
        (MULTISOURCE, multisource_cases),
        (CCTV, cctv_cases),
        (XWLB, xwlb_cases),
        (THUCNEWS, thucnews_cases),
    )
    for folder, cases in corpora:
        if not folder.exists():
            print(f"{folder} is absent: skipped", file=sys.stderr)
            continue
        yield from cases(xwlb_every) if cases is xwlb_cases else cases()
