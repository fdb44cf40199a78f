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
from pathlib import PurePosixPath
from typing import NamedTuple

from transforms import decode, entities, normalize, repair, segment
from transforms.decode import html
from transforms.dedupe import minhash_all
from transforms.entities import dates
from transforms.records import Columns, FileMeta, Quarantined, Repair
from transforms.schema import CONTENT_TABLES

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
    kind = decode.sniff_format(meta.member or meta.path, raw)
    if kind in ("gzip", "zip"):
        for name, member in decode.archive_members(raw, kind, meta.path):
            member_meta = replace(meta, member=name)
            if isinstance(member, Quarantined):
                quarantine(rows, member_meta, file_id_of(b""), 0, str(member))
            else:
                _process_document(rows, member, member_meta, decode.sniff_format(name, member))
        return rows
    _process_document(rows, raw, meta, kind)
    return rows


def _process_document(rows: FileRows, raw: bytes, meta: FileMeta, kind: str) -> None:
    try:
        if kind == "unsupported":
            suffix = PurePosixPath(meta.member or meta.path).suffix
            raise Quarantined(f"unsupported file type: {suffix or 'no extension'}: not a bulletin")
        with rows.timed("decode"):
            decoded = decode.decode_bytes(raw)
            title_hint, text = html.extract_html(decoded.text) if kind == "html" else (None, decoded.text)
        with rows.timed("repair"):
            repaired = repair.repair_text(text)
        with rows.timed("normalize"):
            normalized = normalize.normalize_text(repaired.text)
            stripped = normalize.strip_boilerplate(normalized.text)
            simplified = normalize.to_simplified(stripped.text)
        with rows.timed("segment"):
            bulletin = segment.split_articles(simplified)
        if not any(_has_words(simplified[a.start : a.end]) for a in bulletin.articles):
            raise Quarantined("no article text left after removing boilerplate")
    except Quarantined as reason:
        quarantine(rows, meta, file_id_of(raw), len(raw), str(reason), kind)
        return
    steps = (repaired.repairs, normalized.repairs, stripped.repairs)
    positions = final_positions(steps)
    file_id = file_id_of(raw)
    kept = []
    for span in bulletin.articles:
        body = simplified[span.start : span.end]
        title = span.title or (title_hint if len(bulletin.articles) == 1 else None)
        if not _has_words(body) and not _has_words(title or ""):
            continue
        kept.append(
            _Article(
                article_id_of(file_id, len(kept)),
                body,
                stripped.text[span.start : span.end],
                title,
                span.source or stripped.source,
                dates.resolve_date(span.dateline, meta.issue_date) if span.dateline else None,
                bisect_left(positions, span.end) - bisect_left(positions, span.start),
            )
        )
    _add_articles(rows, kept, meta, file_id)
    repairs = [r for step in steps for r in step]
    rows.tables["files"].extend(
        **_file_columns(meta, file_id, len(raw), "ok", None, kind),
        encoding=[decoded.encoding],
        encoding_evidence=[decoded.evidence],
        repairs=[[_repair_record(r) for r in repairs]],
        articles=[len(kept)],
    )


class _Article(NamedTuple):
    """An article of a file before segmentation: its body and what the bulletin says about it."""

    article_id: str
    body: str
    original: str
    title: str | None
    source: str | None
    dateline: dt.date | None
    repairs: int


def _add_articles(rows: FileRows, articles: list[_Article], meta: FileMeta, file_id: str) -> None:
    """Rows of every table for the articles of one file; each stage runs over all of them at once."""
    bodies = [a.body for a in articles]
    with rows.timed("segment"):
        sentences = [segment.split_sentences(body) for body in bodies]
    with rows.timed("tokens"):
        tokens = segment.tokenize_all(bodies, sentences)
    with rows.timed("entities"):
        found = entities.extract_all(bodies, sentences, tokens, meta.issue_date)
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
