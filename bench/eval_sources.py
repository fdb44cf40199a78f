"""Stories from real sources of every kind: one row per story, its title and date, no boilerplate.

    python -m bench.eval_sources                  # multisource, cctv_html, thucnews, every 10th xwlb bulletin
    python -m bench.eval_sources --xwlb-every 1   # the whole of xwlb (a few minutes more)
    python -m bench.eval_sources --store          # also write bench/sources_baseline.json

Corpora under ../shared/corpora (skipped with a message when absent), scored per source:

- ``multisource/<source>/``: gold from its GOLD.jsonl (read its SOURCE.md): per file the stories (title,
  first 20 characters of the body), the date, boilerplate samples. Files are read under their name
  WITHOUT the ``YYYYMMDD_`` prefix the corpus maker added (the date was read from the file), so a date
  has to come from the document itself; a file dated by nothing gets 1970-01-01, standing in for the
  modification-time fallback, which is always wrong.
- ``xwlb``: every ``### `` heading of a bulletin is a story (but ``### undefined``, a scraper's
  placeholder): its title is the heading, its first characters the text under it (markup and the
  ``[查看原文](…)`` link line removed). No dates scored.
- ``thucnews``: the THUCNews sample, one story per line (``category<TAB>text``, title and body run
  together, so no title is scored). No dates scored.
- ``cctv_html``: an article page (``VIDE*.shtml``) is one story: title = ``og:title`` without the
  ``[视频]`` label, first characters = the text of the body block SOURCE.md names (``<div
  id="content_area">``, or ``<!--repaste.body.begin-->`` in the older layout); a page with neither
  block and the day-index pages (``YYYYMMDD.shtml``) hold no story. Boilerplate samples: the editor
  and share lines every page carries (``编辑：``, ``分享到``). No dates scored.

Definitions:

- **key**: a text reduced for comparison: NFKC (full-width forms folded), every whitespace character
  removed (U+3000 and NBSP included), Traditional → Simplified.
- **story boundaries**: a found article (an ``articles`` row) matches a gold story when the key of its
  body (``text_original``) starts with the key of the gold first characters; a gold story with empty
  first characters (a record with no content) is matched by an article whose title key equals the
  gold title key. Matching is one to one, in order. Precision = matched / found, recall = matched /
  gold, F1 their harmonic mean. A body with anything before the story start (a byline, a caption,
  the title again) does not match: the boundary is wrong.
- **titles**: of the gold stories with a title, the share matched by an article with the same title key.
- **dates**: of the gold stories in files with a gold date, the share matched by an article whose date
  (its ``dateline``, else the file's ``issue_date``) is the gold date. In a feed, GOLD dates the feed
  and not its items, so a feed's stories are scored on the file's issue date.
- **boilerplate left**: boilerplate samples whose key occurs in the key of an article's title or text.
- **junk mentions**: ``mentions`` rows whose text is a URL, e-mail, file name, hash or markup
  fragment (`JUNK`).
- **MB/s**: raw megabytes over the seconds of `transforms.pipeline.read_articles` (decode → articles),
  one process, on the source's files in a row.
- **trafilatura** (HTML pages only): ``bare_extraction`` of the raw bytes (comments excluded) taken as
  the page's single story, its text without a first line equal to its title (our articles hold the
  title apart), its title and date; MB/s over that call.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.sources_gold import CORPORA, XWLB_EVERY, Case, GoldStory, all_cases, key
from transforms import pipeline
from transforms.decode import formats
from transforms.filenames import issue_date_from_path
from transforms.records import FileMeta, Quarantined

REPO = Path(__file__).resolve().parents[1]
BASELINE_FILE = REPO / "bench" / "sources_baseline.json"
FALLBACK_DATE = dt.date(1970, 1, 1)

JUNK = re.compile(
    r"https?:|www\.|://|\.(?:com|cn|net|org)\b|\.(?:s?html?|php|aspx?|jsp|pdf|docx?|jpe?g|png|gif|xml)\b"
    r"|[\w.+-]+@[\w-]+\.\w|</?[a-z][^<>]*>|&#?\w+;|\]\(|!\[|\*\*|[\[\]{}|\\^`]|[a-z0-9_]=[a-z0-9_]"
    r"|(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}"
    r"|(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{12,}",
    re.IGNORECASE,
)
"""A mention that is a URL, e-mail, file name, hash or markup fragment, not a name.

>>> [bool(JUNK.search(t)) for t in ("1800749-20250417.htm", "a@b.cn", "](https", "3f9a2b7c11", "<p>")]
[True, True, True, True, True]
>>> [bool(JUNK.search(t)) for t in ("G20", "李强", "“1+1>2”", "《<国安条例>》", "“现代化=西方化”")]
[False, False, False, False, False]
"""


@dataclass
class Score:
    """What one source adds up to: files and bytes read, stories gold and found, titles, dates,
    boilerplate samples and mentions checked, and the seconds decode-to-articles took."""

    files: int = 0
    megabytes: float = 0.0
    seconds: float = 0.0
    gold: int = 0
    found: int = 0
    matched: int = 0
    titled: int = 0
    titles_right: int = 0
    dated: int = 0
    dates_right: int = 0
    samples: int = 0
    samples_left: int = 0
    mentions: int = 0
    junk: int = 0
    quarantined: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else float(self.gold == 0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else float(self.found == 0)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def figures(self) -> dict:
        """What is stored and gated: rates rounded to 4 places, counts as they are."""
        return {
            "files": self.files,
            "gold": self.gold,
            "found": self.found,
            "f1": round(self.f1, 4),
            "titles": _rate(self.titles_right, self.titled),
            "dates": _rate(self.dates_right, self.dated),
            "boilerplate_left": self.samples_left,
            "junk_mentions": self.junk,
            "mentions": self.mentions,
        }


def _rate(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


# --- scoring -----------------------------------------------------------------------------------


def issue_date(case: Case) -> tuple[dt.date, str]:
    """The issue date discovery gives the file: from its name, else its document, else the fallback."""
    from_path = issue_date_from_path(case.name)
    if from_path:
        return from_path, "path"
    from_document = pipeline.document_date(case.raw, case.name)
    return (from_document, "document") if from_document else (FALLBACK_DATE, "mtime")


def match(stories: Iterable[GoldStory], found: list[tuple[str | None, str]]) -> dict[int, int]:
    """Gold story index → article index, one to one, in order (see the module docstring).

    >>> match([GoldStory("甲", "会议召开"), GoldStory("乙", "")], [("甲", "会议 召开。"), ("乙", "")])
    {0: 0, 1: 1}
    >>> match([GoldStory("甲", "会议召开")], [("甲", "记者 王五 会议召开。")])
    {}
    """
    keys = [(key(title or ""), key(body)) for title, body in found]
    taken: set[int] = set()
    matched: dict[int, int] = {}
    for g, story in enumerate(stories):
        first = key(story.first_chars)
        for a, (title, body) in enumerate(keys):
            if a in taken:
                continue
            if (first and body.startswith(first)) or (not first and title == key(story.title or "")):
                matched[g] = a
                taken.add(a)
                break
    return matched


def score_file(case: Case, score: Score, articles: list[dict], issue: dt.date, mentions: list[str]) -> None:
    """Add one file's articles (title, text, date) and mentions to the source's score."""
    found = [(a["title"], a["text"]) for a in articles]
    matched = match(case.stories, found)
    score.files += 1
    score.gold += len(case.stories)
    score.found += len(found)
    score.matched += len(matched)
    for g, story in enumerate(case.stories):
        article = articles[matched[g]] if g in matched else None
        if story.title:
            score.titled += 1
            score.titles_right += article is not None and key(article["title"] or "") == key(story.title)
        if case.date:
            score.dated += 1
            date = issue if case.feed or article is None else (article["date"] or issue)
            score.dates_right += article is not None and date == case.date
    whole = key("".join(f"{a['title'] or ''}\n{a['text']}" for a in articles))
    score.samples += len(case.samples)
    score.samples_left += sum(key(sample) in whole for sample in case.samples if key(sample))
    score.mentions += len(mentions)
    score.junk += sum(JUNK.search(text) is not None for text in mentions)


def run_pipeline(case: Case, score: Score) -> None:
    """Score the project on one file: `process_file` for the rows, `read_articles` timed apart."""
    issue, source = issue_date(case)
    meta = FileMeta(case.name, issue, source)
    began = time.perf_counter()
    with contextlib.suppress(Quarantined):
        pipeline.read_articles(case.raw, meta, formats.detect_format(case.name, case.raw))
    score.seconds += time.perf_counter() - began
    score.megabytes += len(case.raw) / 1e6
    rows = pipeline.process_file(case.raw, meta)
    files = rows.tables["files"].data
    if "quarantined" in files["status"]:
        score.quarantined.append(f"{case.name}: {files['error'][0]}")
    table = rows.tables["articles"].data
    articles = [
        {"title": title, "text": text, "date": date}
        for title, text, date in zip(
            table.get("title", []), table.get("text_original", []), table.get("dateline", []), strict=True
        )
    ]
    score_file(case, score, articles, files["issue_date"][0], rows.tables["mentions"].data.get("text", []))


def run_trafilatura(case: Case, score: Score) -> None:
    """Score trafilatura's extraction of one HTML page as its single story."""
    import trafilatura

    began = time.perf_counter()
    document = trafilatura.bare_extraction(case.raw, with_metadata=True, include_comments=False)
    score.seconds += time.perf_counter() - began
    score.megabytes += len(case.raw) / 1e6
    articles = []
    if document is not None and document.text:
        lines = document.text.split("\n")
        text = "\n".join(lines[1:] if document.title and key(lines[0]) == key(document.title) else lines)
        date = dt.date.fromisoformat(document.date[:10]) if document.date else None
        articles = [{"title": document.title, "text": text, "date": date}]
    score_file(case, score, articles, articles[0]["date"] if articles else FALLBACK_DATE, [])


def evaluate(cases: Iterable[Case], trafilatura: bool = True) -> tuple[dict[str, Score], dict[str, Score]]:
    """Scores per source: the project's, and trafilatura's on the HTML sources."""
    ours: dict[str, Score] = {}
    theirs: dict[str, Score] = {}
    for case in cases:
        print(f"  {case.source}: {case.name}", file=sys.stderr, end="\r")
        run_pipeline(case, ours.setdefault(case.source, Score()))
        if trafilatura and case.html:
            run_trafilatura(case, theirs.setdefault(case.source, Score()))
    return ours, theirs


# --- report ------------------------------------------------------------------------------------

_HEADER = (
    f"{'source':<22} {'by':<12} {'files':>5} {'gold':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6}"
    f" {'titles':>11} {'dates':>9} {'boiler':>7} {'junk':>9} {'MB/s':>6}"
)


def _row(source: str, by: str, s: Score) -> str:
    titles = f"{s.titles_right}/{s.titled}" if s.titled else "-"
    dates = f"{s.dates_right}/{s.dated}" if s.dated else "-"
    junk = f"{s.junk}/{s.mentions}" if by == "ours" else "-"
    speed = s.megabytes / s.seconds if s.seconds else 0.0
    return (
        f"{source:<22} {by:<12} {s.files:>5} {s.gold:>5} {s.found:>5} {s.precision:>6.3f} {s.recall:>6.3f}"
        f" {s.f1:>6.3f} {titles:>11} {dates:>9} {f'{s.samples_left}/{s.samples}':>7} {junk:>9} {speed:>6.1f}"
    )


def report(ours: dict[str, Score], theirs: dict[str, Score]) -> str:
    lines = [_HEADER]
    for source, score in ours.items():
        lines.append(_row(source, "ours", score))
        if source in theirs:
            lines.append(_row("", "trafilatura", theirs[source]))
    total = Score()
    for score in ours.values():
        for name in ("gold", "found", "matched", "titled", "titles_right", "dated", "dates_right"):
            setattr(total, name, getattr(total, name) + getattr(score, name))
        total.mentions += score.mentions
        total.junk += score.junk
    lines.append(
        f"all sources: F1 {total.f1:.3f}, titles {_rate(total.titles_right, total.titled)}, dates "
        f"{_rate(total.dates_right, total.dated)}, junk mentions {total.junk}/{total.mentions}"
    )
    for source, score in ours.items():
        lines.extend(f"quarantined ({source}): {reason}" for reason in score.quarantined)
    return "\n".join(lines)


def stored(ours: dict[str, Score], theirs: dict[str, Score], xwlb_every: int) -> dict:
    return {
        "xwlb_every": xwlb_every,
        "ours": {source: score.figures() for source, score in ours.items()},
        "trafilatura": {source: score.figures() for source, score in theirs.items()},
        "megabytes_per_second": {
            source: round(s.megabytes / s.seconds, 2) for source, s in ours.items() if s.seconds
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--xwlb-every", type=int, default=XWLB_EVERY)
    parser.add_argument("--store", action="store_true", help=f"write {BASELINE_FILE.name}")
    parser.add_argument("--no-trafilatura", action="store_true")
    args = parser.parse_args(argv)
    if not CORPORA.exists():
        print(f"{CORPORA} is absent: skipped")
        return 0
    ours, theirs = evaluate(all_cases(args.xwlb_every), not args.no_trafilatura)
    print(report(ours, theirs))
    if args.store:
        figures = stored(ours, theirs, args.xwlb_every)
        BASELINE_FILE.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"stored in {BASELINE_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
