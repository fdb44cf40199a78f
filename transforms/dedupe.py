"""Near-duplicate articles: MinHash signatures of character shingles, LSH banding, a Jaccard threshold.

`minhash` turns an article into a fixed-size signature (stored in the warehouse, so later runs compare
new articles against earlier ones without re-reading their text); `minhash_all` signs all articles
of a file in one numpy pass, with the same bytes. `first_occurrences` walks signatures in canonical order
(issue_date, then article_id) and maps each near-duplicate to the first article of its group; an earlier
article counts only within `WINDOW` of it, since the same story re-published comes within days, while a
templated notice a year on (``全国政协十四届二次会议将于…开幕``, then ``…四次会议…``) is another event.
Hashing uses fixed constants and numpy integer arithmetic, never Python's salted `hash()`, so signatures
are identical across processes and runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from functools import cache

import numpy as np

SHINGLE = 5  # characters per shingle
PERMUTATIONS = 128  # 32-bit minimum per permutation: 512-byte signatures
BANDS = 32  # LSH bands of 4 rows: pairs with Jaccard ≥ 0.6 become candidates with probability > 0.98
THRESHOLD = 0.8  # estimated Jaccard similarity from which an article is a near-duplicate
WINDOW = dt.timedelta(days=7)
"""How much earlier than an article a near-duplicate of it may be. On the xwlb bulletins, 36 of the 39
pairs found without a limit were a year or more apart, all annual templated notices."""
_ROWS = PERMUTATIONS // BANDS
_BAND_BYTES = _ROWS * 4
_CHUNK = 1024  # shingles hashed at once: bounds memory to _CHUNK × PERMUTATIONS × 8 bytes (1 MB)
_EMPTY = b"\xff" * (PERMUTATIONS * 4)
_SPACE = re.compile(r"\s\s*")  # not \s+: re skips ahead fast only to a pattern starting with one class
_BASE = np.uint64(0x100000001B3)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """Multipliers (odd) and increments of the multiply-add-shift hash family, from a fixed seed."""
    words = np.frombuffer(hashlib.shake_128(b"bulletins.dedupe").digest(PERMUTATIONS * 16), dtype="<u8")
    return words[:PERMUTATIONS] | np.uint64(1), words[PERMUTATIONS:].copy()


def _mix(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finalizer: spreads polynomial shingle codes over all 64 bits."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _compact(text: str) -> str:
    """`text` without blanks; a non-blank text shorter than a shingle padded on the left with NUL characters.

    Leading zero characters leave a polynomial shingle code unchanged, so the padded text has exactly one
    shingle, with the code of the whole short text.

    >>> _compact(" 推进 会 "), _compact("全市 深化 全国")
    ('\\x00\\x00推进会', '全市深化全国')
    """
    compact = _SPACE.sub("", text)
    return compact.rjust(SHINGLE, "\0") if compact else compact


def _shingle_codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One 64-bit code per 5-character shingle of every text of `texts` (compact, each at least a shingle
    long), all in one array, and the index in it of each text's first shingle."""
    chars = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = len(chars) - SHINGLE + 1
    codes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        codes = codes * _BASE + chars[offset : offset + count]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    within = np.ones(count, dtype=bool)  # shingles that run from one text into the next are dropped
    within[(ends[:-1, None] - np.arange(1, SHINGLE, dtype=np.int64)).ravel()] = False
    shingles = lengths - (SHINGLE - 1)
    return _mix(codes[within]), np.cumsum(shingles) - shingles


def minhash_all(bodies: list[str]) -> list[bytes | None]:
    """The `minhash` signature of every body, None for a blank body, computed for all bodies at once.

    >>> signatures = minhash_all(["全市深化全国文明城市创建工作推进会召开", " \\n", "推进会"])
    >>> signatures == [minhash("全市深化全国文明城市创建工作推进会召开"), None, minhash("推进会")]
    True
    """
    compacts = [_compact(body) for body in bodies]
    texts = [compact for compact in compacts if compact]
    signatures: list[bytes | None] = [None] * len(bodies)
    if not texts:
        return signatures
    codes, firsts = _shingle_codes(texts)
    # Segments of at most _CHUNK shingles, none across two texts: the minimum of each, then of each text.
    # One row per permutation, one column per shingle: numpy multiplies and reduces long contiguous rows.
    bounds = np.union1d(firsts, np.arange(0, len(codes), _CHUNK))
    multipliers, increments = _permutations()
    minima = []
    for begin in range(0, len(codes), _CHUNK):
        hashed = multipliers[:, None] * codes[begin : begin + _CHUNK]
        hashed += increments[:, None]
        segments = bounds[np.searchsorted(bounds, begin) : np.searchsorted(bounds, begin + _CHUNK)]
        minima.append(np.minimum.reduceat(hashed, segments - begin, axis=1))
    per_text = np.minimum.reduceat(np.hstack(minima), np.searchsorted(bounds, firsts), axis=1)
    # The top 32 bits of the minimum are the minimum of the top 32 bits: one shift instead of one per shingle.
    rows = iter((per_text.T >> np.uint64(32)).astype("<u4"))
    return [next(rows).tobytes() if compact else None for compact in compacts]


def minhash(text: str) -> bytes:
    """A 512-byte MinHash signature of the 5-character shingles of `text` (all 0xff for blank text).

    >>> len(minhash("全市深化全国文明城市创建工作推进会召开"))
    512
    >>> minhash("推进会召开") == minhash(" 推进会\\n召开 ")
    True
    >>> minhash("") == b"\\xff" * 512
    True
    """
    return minhash_all([text])[0] or _EMPTY


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures.

    >>> story = "全市深化全国文明城市创建工作推进会召开"
    >>> similarity(minhash(story), minhash(story)), similarity(minhash(story), minhash("推进会召开")) < 0.2
    (1.0, True)
    """
    return float(np.mean(np.frombuffer(first, dtype="<u4") == np.frombuffer(second, dtype="<u4")))


def first_occurrences(
    items: Iterable[tuple[str, dt.date, bytes]],
    threshold: float = THRESHOLD,
    window: dt.timedelta = WINDOW,
    settled: Mapping[str, str | None] | None = None,
) -> dict[str, str]:
    """Map each near-duplicate article_id to the article_id of the first article of its group.

    `items` are (article_id, issue_date, signature) in canonical order (issue_date, then article_id).
    Candidates share at least one LSH band with an earlier article at most `window` older; a candidate
    counts when the estimated Jaccard similarity reaches `threshold`. A duplicate of a duplicate points to
    the first article of the group. Blank texts (the all-0xff signature) are never duplicates.

    `settled` gives the first occurrence (None: an original) of articles whose link is already known:
    they are matched against and keep that link. An article depends only on those before it, so after a
    change the articles from `window` before it on, the earlier ones settled, give the same links as
    the whole history.

    >>> story = "国家统计局今天发布数据，前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好。"
    >>> day = dt.date(2024, 10, 18)
    >>> texts = {"a": story, "b": "据报道，" + story, "c": "另一条"}
    >>> first_occurrences((article_id, day, minhash(text)) for article_id, text in texts.items())
    {'b': 'a'}
    >>> first_occurrences([("a", day, minhash(story)), ("b", day + dt.timedelta(days=365), minhash(story))])
    {}
    """
    buckets: list[defaultdict[bytes, deque[int]]] = [defaultdict(deque) for _ in range(BANDS)]
    article_ids: list[str] = []
    days: list[dt.date] = []
    bands_of: list[list[bytes]] = []
    signatures: list[np.ndarray] = []
    groups: dict[str, str] = {}
    oldest = 0  # the first article still in the buckets
    for article_id, day, signature in items:
        if signature == _EMPTY:
            continue
        while oldest < len(days) and day - days[oldest] > window:
            _forget(buckets, bands_of[oldest])
            oldest += 1
        bands = [signature[offset : offset + _BAND_BYTES] for offset in range(0, len(signature), _BAND_BYTES)]
        values = np.frombuffer(signature, dtype="<u4")
        if settled is not None and article_id in settled:
            first = settled[article_id]
        else:
            match = _first_match(buckets, bands, signatures, values, threshold)
            first = None if match is None else groups.get(article_ids[match], article_ids[match])
        if first is not None:
            groups[article_id] = first
        for bucket, band in zip(buckets, bands, strict=True):
            bucket[band].append(len(article_ids))
        article_ids.append(article_id)
        days.append(day)
        bands_of.append(bands)
        signatures.append(values)
    return groups


def _first_match(
    buckets: list[defaultdict[bytes, deque[int]]],
    bands: list[bytes],
    signatures: list[np.ndarray],
    values: np.ndarray,
    threshold: float,
) -> int | None:
    """The earliest article sharing a band with a signature whose estimated similarity reaches `threshold`."""
    candidates = sorted(
        {earlier for bucket, band in zip(buckets, bands, strict=True) for earlier in bucket.get(band, ())}
    )
    return next((c for c in candidates if np.mean(signatures[c] == values) >= threshold), None)


def _forget(buckets: list[defaultdict[bytes, deque[int]]], bands: list[bytes]) -> None:
    """Take the oldest article out of the buckets of its `bands` (it is the first in each)."""
    for bucket, band in zip(buckets, bands, strict=True):
        bucket[band].popleft()
        if not bucket[band]:
            del bucket[band]
