"""process_file: raw bytes of one bulletin file in, rows for every table out.

decode → (HTML extraction) → repair → normalize → strip boilerplate → split articles →
per article: Traditional→Simplified, sentences, tokens, entities and roles.

Nothing here raises for bad input: a file that cannot be processed comes back as one `files`
row with status `quarantined` and the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from bisect import bisect_left
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import accumulate
from typing import NamedTuple

from transforms import decode, entities, normalize, repair, segment
from transforms.decode import formats
from transforms.dedupe import minhash_all
from transforms.entities import dates
from transforms.normalize import lines
from transforms.records import Columns, Document, FileMeta, Quarantined, Repair
from transforms.schema import CONTENT_TABLES
from transforms.segment.articles import ArticleSpan, is_contents

_WORD = re.compile(r"[^\W_]")
STAGES = ("decode", "repair", "normalize", "segment", "tokens", "entities", "dedupe")


@dataclass
class FileRows:
    """Rows for every table from one raw file, plus seconds spent per stage."""

    tables: dict[str, Columns] = field(
        default_factory=lambda: {t: Columns() for t in ("files", *CONTENT_TABLES)}
    )
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @contextmanager
    def timed(self, stage: str):
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - began


def file_id_of(raw: bytes) -> str:
    """The identity of a file: sha256 of its bytes.

    >>> file_id_of(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(raw).hexdigest()


def article_id_of(file_id: str, seq: int) -> str:
    """A stable article id: the same file content always yields the same ids.

    >>> article_id_of("ab" * 32, 0)
    '50b73e59d5b11547'
    """
    return hashlib.sha256(f"{file_id}:{seq}".encode()).hexdigest()[:16]


def process_file(raw: bytes, meta: FileMeta) -> FileRows:
    """Rows for every table from the bytes of one file (one `files` row per archive member)."""
    rows = FileRows()
    kind = formats.detect_format(meta.member or meta.path, raw)
    if kind in ("gzip", "zip"):
        for name, member in decode.archive_members(raw, kind, meta.path):
            member_meta = replace(meta, member=name)
            if isinstance(member, Quarantined):
                quarantine(rows, member_meta, file_id_of(b""), 0, str(member))
            else:
                _process_document(rows, member, member_meta, formats.detect_format(name, member))
        return rows
    _process_document(rows, raw, meta, kind)
    return rows


def _process_document(rows: FileRows, raw: bytes, meta: FileMeta, kind: str) -> None:
    try:
        reading = read_articles(raw, meta, kind, rows)
    except Quarantined as reason:
        quarantine(rows, meta, file_id_of(raw), len(raw), str(reason), kind)
        return
    _add_articles(rows, reading.articles, meta, reading.file_id)
    rows.tables["files"].extend(
        **_file_columns(meta, reading.file_id, len(raw), "ok", None, kind),
        encoding=[reading.encoding],
        encoding_evidence=[reading.evidence],
        repairs=[[_repair_record(r) for r in reading.repairs]],
        articles=[len(reading.articles)],
    )


def document_date(raw: bytes, name: str) -> dt.date | None:
    r"""The date a file states about itself, for its issue date when its path names none: a feed's or
    digest's date, a page's or report's, else the date of a byline or headnote line of its single
    document (发布时间：2011-09-26). None when it states none or cannot be read.

    >>> story = "会议在北京召开，会议强调要抓好今年各项重点工作的落实。"
    >>> document_date(f"发布时间：2011-09-26\n\n{story}".encode(), "a.txt")
    datetime.date(2011, 9, 26)
    """
    try:
        kind = formats.detect_format(name, raw)
        if kind in ("gzip", "zip"):
            return None
        read = formats.read_documents(raw, name, kind)
    except Quarantined:
        return None
    if read.date or len(read.documents) != 1:
        return read.date
    text = normalize.normalize_text(read.documents[0].text).text
    return lines.clean_document(text).facts.date


class Reading(NamedTuple):
    """A file read as far as its articles: how it was decoded, its articles, every repair (the
    offsets of each document's repairs refer to that document's text)."""

    file_id: str
    encoding: str
    evidence: str
    articles: list[_Article]
    repairs: list[Repair]


def read_articles(raw: bytes, meta: FileMeta, kind: str, rows: FileRows | None = None) -> Reading:
    """Decode → documents → repair → normalize → boilerplate → articles of one file (what
    `process_file` does before the sentences); raises `Quarantined`. Stage seconds go to `rows`."""
    rows = rows or FileRows()
    with rows.timed("decode"):
        read = formats.read_documents(raw, meta.member or meta.path, kind)
    if not read.documents:
        raise Quarantined("no story: a list or index page (headlines and links only)")
    file_id = file_id_of(raw)
    articles: list[_Article] = []
    repairs: list[Repair] = []
    for document in read.documents:
        found, logged = _document_articles(document, meta.issue_date, rows)
        articles += [
            a._replace(article_id=article_id_of(file_id, len(articles) + i)) for i, a in enumerate(found)
        ]
        repairs += logged
    if not any(_has_words(a.body) for a in articles):
        raise Quarantined("no article text left after removing boilerplate")
    return Reading(file_id, read.encoding, read.evidence, articles, repairs)


def _spans(document: Document, text: str) -> list[ArticleSpan]:
    """The stories of a document's text: split, or the whole text as one story, or none when the
    text is only a table of contents (a programme page listing its stories)."""
    if document.stories:
        return segment.split_articles(text, document.loose).articles
    if is_contents(text):
        return []
    return [ArticleSpan(None, None, None, 0, len(text), 0)]


def _document_articles(
    document: Document, issue_date: dt.date, rows: FileRows
) -> tuple[list[_Article], list[Repair]]:
    """The articles of one document and the repairs made to its text."""
    with rows.timed("repair"):
        repaired = repair.repair_text(document.text)
    with rows.timed("normalize"):
        normalized = normalize.normalize_text(repaired.text)
        stripped = normalize.strip_boilerplate(normalized.text)
        cleaned = lines.clean_document(stripped.text)
        simplified = normalize.to_simplified(cleaned.text)
    with rows.timed("segment"):
        spans = _spans(document, simplified)
    steps = (repaired.repairs, normalized.repairs, stripped.repairs, cleaned.repairs)
    positions = final_positions(steps)
    anchor = document.date or cleaned.facts.date or issue_date
    source = cleaned.facts.source or stripped.source or document.source
    found = []
    for span in spans:
        body = simplified[span.start : span.end]
        title = document.title if document.title and len(spans) == 1 else span.title
        if not _has_words(body) and not _has_words(title or ""):
            continue
        dateline = dates.resolve_date(span.dateline, anchor) if span.dateline else None
        found.append(
            _Article(
                "",
                body,
                cleaned.text[span.start : span.end],
                normalize.to_simplified(title) if title else None,
                span.source or source,
                dateline or document.date or cleaned.facts.date,
                bisect_left(positions, span.end) - bisect_left(positions, span.start),
                cleaned.facts.author or document.author,
                document.link,
            )
        )
    return found, [r for step in steps for r in step]


class _Article(NamedTuple):
    """An article of a file before segmentation: its body and what the bulletin says about it."""

    article_id: str
    body: str
    original: str
    title: str | None
    source: str | None
    dateline: dt.date | None
    repairs: int
    author: str | None = None
    link: str | None = None


def _add_articles(rows: FileRows, articles: list[_Article], meta: FileMeta, file_id: str) -> None:
    """Rows of every table for the articles of one file; each stage runs over all of them at once."""
    bodies = [a.body for a in articles]
    with rows.timed("segment"):
        sentences = [segment.split_sentences(body) for body in bodies]
    with rows.timed("tokens"):
        tokens = segment.tokenize_all(bodies, sentences)
    with rows.timed("entities"):
        anchors = [a.dateline or meta.issue_date for a in articles]
        found = entities.extract_all(bodies, sentences, tokens, anchors)
    with rows.timed("dedupe"):
        signatures = minhash_all(bodies)
    rows.tables["articles"].extend(
        article_id=[a.article_id for a in articles],
        file_id=[file_id] * len(articles),
        issue_date=[meta.issue_date] * len(articles),
        seq=list(range(len(articles))),
        source=[a.source for a in articles],
        title=[a.title for a in articles],
        dateline=[a.dateline for a in articles],
        author=[a.author for a in articles],
        link=[a.link for a in articles],
        text=bodies,
        text_original=[a.original for a in articles],
        repairs=[a.repairs for a in articles],
        minhash=signatures,
    )
    for article, split, words, extracted in zip(articles, sentences, tokens, found, strict=True):
        body, keys = article.body, partial(_keys, article_id=article.article_id, file_id=file_id, meta=meta)
        rows.tables["sentences"].extend(
            **keys(len(split)),
            paragraph=[p for p, _, _ in split],
            sentence=list(range(len(split))),
            start=[s for _, s, _ in split],
            end=[e for _, _, e in split],
            text=[body[s:e] for _, s, e in split],
        )
        for table, columns in (
            ("tokens", words),
            ("mentions", extracted.mentions),
            ("roles", extracted.roles),
        ):
            rows.tables[table].extend(**keys(len(columns)), **columns.data)


def _keys(count: int, article_id: str, file_id: str, meta: FileMeta) -> dict[str, list]:
    return {
        "article_id": [article_id] * count,
        "file_id": [file_id] * count,
        "issue_date": [meta.issue_date] * count,
    }


def _file_columns(
    meta: FileMeta, file_id: str, size: int, status: str, error: str | None, kind: str | None
) -> dict:
    return {
        "file_id": [file_id],
        "path": [meta.path],
        "member": [meta.member],
        "size": [size],
        "mtime": [meta.mtime],
        "issue_date": [meta.issue_date],
        "issue_date_source": [meta.issue_date_source],
        "status": [status],
        "error": [error],
        "format": [kind],
    }


def _has_words(text: str) -> bool:
    """Whether a text holds a letter, a digit or a Chinese character, not only punctuation.

    >>> _has_words("…… ！？"), _has_words("会议")
    (False, True)
    """
    return _WORD.search(text) is not None


def quarantine(
    rows: FileRows, meta: FileMeta, file_id: str, size: int, reason: str, kind: str | None = None
) -> None:
    """Add the one `files` row of a file that cannot be processed, with the reason."""
    rows.tables["files"].extend(
        **_file_columns(meta, file_id, size, "quarantined", reason, kind),
        encoding=[None],
        encoding_evidence=[None],
        repairs=[[]],
        articles=[0],
    )


def _repair_record(r: Repair) -> dict:
    return {"kind": r.kind, "offset": r.offset, "before": r.before, "after": r.after}


def final_positions(steps: Sequence[Sequence[Repair]]) -> list[int]:
    """Where each repair's result lies in the text after the last step, sorted.

    Each step's offsets refer to that step's input; a later step moves an earlier result by the
    net length change of its own repairs that start before it.

    >>> final_positions([[Repair("a", 5, "xx", "")], [Repair("b", 0, "", "yyy")]])
    [0, 8]
    """
    placed: list[int] = []
    for step in steps:
        ordered = sorted(step, key=lambda r: r.offset)
        starts = [r.offset for r in ordered]
        shifts = list(accumulate((len(r.after) - len(r.before) for r in ordered), initial=0))
        placed = [p + shifts[bisect_left(starts, p)] for p in placed]
        placed += [r.offset + shift for r, shift in zip(ordered, shifts, strict=False)]
    return sorted(placed)
