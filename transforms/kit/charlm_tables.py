"""The n-gram counts of the character language model (`transforms.kit.charlm`) in compact arrays.

Loaded as dicts of strings the model took ten times the memory (bench/README.md). Here every character
gets an id (1 to V, in code point order) and an n-gram of up to four characters packs into one 64-bit
integer, `CHAR_BITS` bits a character, the first character highest; no id is 0, so n-grams of different
lengths never share a key. Each order keeps its sorted keys and the counts aligned with them in
`array.array` (its items index fast from Python) and finds a key with `bisect` among the keys that begin
with the same character, or, for an n-gram that extends a history, among the extensions of that history.

Building never makes a string per n-gram: numpy maps code points to ids and packs them straight into
the arrays kept, which are allocated first, `CHUNK` rows at a time, so that no large temporary array
leaves the heap grown after the load.
"""

from __future__ import annotations

import gzip
import struct
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

CHAR_BITS = 16
"""Bits of a character id in a packed key: an n-gram of up to four characters fits 64 bits."""
CHAR_IDS = (1 << CHAR_BITS) - 1
"""Most characters a model may have."""
CHUNK = 1 << 14
"""Rows handled at a time while building (temporary arrays of at most 128 KiB)."""
_SHIFT = np.uint64(CHAR_BITS)


class SerializedTable(NamedTuple):
    """A table of the model file, as numpy views of its bytes: a row of code points per key, and the
    counts."""

    points: np.ndarray
    counts: np.ndarray


def read_tables(data: bytes, widths: Sequence[int]) -> list[SerializedTable]:
    """The first ``len(widths)`` tables of a serialized model (see `transforms.kit.charlm.write_model`),
    keys `widths` characters wide.

    >>> from transforms.kit.charlm import write_model
    >>> read_tables(gzip.decompress(write_model([{"a": 4, "b": 3}, {"ab": 3}])), [1, 2])[1]
    SerializedTable(points=array([[97, 98]], dtype=uint32), counts=array([3], dtype=uint32))
    """
    tables: list[SerializedTable] = []
    position = 0
    for width in widths:
        count, size = struct.unpack_from("<II", data, position)
        position += 8
        points = np.frombuffer(data, "<u4", count=size // 4, offset=position).reshape(count, width)
        position += size
        tables.append(SerializedTable(points, np.frombuffer(data, "<u4", count=count, offset=position)))
        position += 4 * count
    return tables


def unigram_counts(table: SerializedTable) -> dict[str, int]:
    """Character → count, from the table of one-character keys."""
    return dict(zip(map(chr, table.points[:, 0].tolist()), table.counts.tolist(), strict=True))


@dataclass(frozen=True, slots=True)
class NgramTable:
    """The n-grams of one order: sorted packed keys and the arrays aligned with them. For an n-gram that
    is a history (every order but the highest): the total count of the n-grams kept after it (`kept`),
    how many distinct ones (`types`) and where they begin in the next order's keys (`extensions`; one
    entry more, the end). A history that is not a kept n-gram itself is not stored: the model backs off
    before it would read one."""

    keys: array[int]
    counts: array[int]
    starts: array[int]
    """By character id: where the keys that begin with it begin (one entry more, the end)."""
    kept: array[int]
    types: array[int]
    extensions: array[int]

    @classmethod
    def zeros(cls, size: int, characters: int, histories: bool) -> NgramTable:
        """A table of `size` n-grams over `characters` ids, every value 0 (filled in place by numpy)."""
        statistics = size if histories else 0
        return cls(
            array("Q", [0]) * size,
            array("I", [0]) * size,
            array("I", [0]) * (characters + 2),
            array("I", [0]) * statistics,
            array("I", [0]) * statistics,
            array("I", [0]) * (size + 1) if histories else array("I"),
        )

    def row(self, key: int, first: int) -> int:
        """Where the packed `key`, whose first character has id `first`, is in `keys`, or -1."""
        return position(self.keys, key, self.starts[first], self.starts[first + 1])

    def by_last_character(self, characters: int) -> array[int]:
        """How many keys end with each character id (0 to `characters`)."""
        keys = np.frombuffer(self.keys, np.uint64)
        found = np.zeros(characters + 1, np.int64)
        for rows in _chunks(len(keys)):
            found += np.bincount((keys[rows] & np.uint64(CHAR_IDS)).astype(np.intp), minlength=len(found))
        return array("I", found.tolist())


def position(keys: array[int], key: int, low: int, high: int) -> int:
    """Where `key` is in keys[low:high] (sorted), or -1.

    >>> position(array("Q", [2, 5, 9]), 5, 0, 3), position(array("Q", [2, 5, 9]), 5, 2, 3)
    (1, -1)
    """
    at = bisect_left(keys, key, low, high)
    return at if at < high and keys[at] == key else -1


@dataclass(frozen=True, slots=True)
class PackedNgrams:
    """The n-gram tables of orders 1 to ``len(tables)``, and the ids of their characters.

    >>> from transforms.kit.charlm import write_model
    >>> ngrams = PackedNgrams.from_model(write_model([{"a": 4, "b": 3}, {"ab": 3}]), 2)
    >>> ngrams.count("ab"), ngrams.count("ba"), ngrams.count("c"), ngrams.following("a")
    (3, 0, 0, (3, 1))
    """

    ids: dict[str, int]
    """Every character → its id, 1 to V in code point order (so packed keys sort as the strings do)."""
    unigrams: dict[str, int]
    """Count of every character."""
    tables: tuple[NgramTable, ...]

    @classmethod
    def from_model(cls, blob: bytes, order: int) -> PackedNgrams:
        """The tables of a model file of n-grams of up to `order` characters. Every character of an
        n-gram must be in the character table (the trainer never prunes it)."""
        histories = range(1, order)
        serialized = read_tables(gzip.decompress(blob), (*range(1, order + 1), *histories, *histories))
        ngrams, kept, types = (
            serialized[:order],
            serialized[order : 2 * order - 1],
            serialized[2 * order - 1 :],
        )
        characters = ngrams[0].points[:, 0]
        if len(characters) > CHAR_IDS or order * CHAR_BITS > 64:
            raise ValueError(f"cannot pack over {CHAR_IDS} characters or n-grams of over {64 // CHAR_BITS}")
        tables = tuple(
            NgramTable.zeros(len(t.counts), len(characters), n < order) for n, t in enumerate(ngrams, 1)
        )
        lookup = np.zeros(max(int(t.points.max(initial=0)) for t in serialized) + 1, np.uint16)
        lookup[characters] = np.arange(1, len(characters) + 1)
        for table, source in zip(tables, ngrams, strict=True):
            _fill_keys(table, lookup, source)
        for table, longer, history, distinct in zip(tables[:-1], tables[1:], kept, types, strict=True):
            _fill_histories(table, longer, lookup, history, distinct)
        ids = {chr(point): index for index, point in enumerate(characters.tolist(), start=1)}
        return cls(ids, unigram_counts(ngrams[0]), tables)

    def pack(self, text: str) -> int:
        """`text` as one key, `CHAR_BITS` bits a character id, the first character highest; 0 when a
        character is not in the model.

        >>> from transforms.kit.charlm import write_model
        >>> ngrams = PackedNgrams.from_model(write_model([{"a": 1, "b": 1}, {}]), 2)
        >>> ngrams.pack("a"), ngrams.pack("ab") == 1 << CHAR_BITS | 2, ngrams.pack("ac")
        (1, True, 0)
        """
        key = 0
        for char in text:
            code = self.ids.get(char)
            if code is None:
                return 0
            key = key << CHAR_BITS | code
        return key

    def count(self, ngram: str) -> int:
        """How often `ngram` was seen (0 when pruned or never seen)."""
        row = self._row(ngram)
        return self.tables[len(ngram) - 1].counts[row] if row >= 0 else 0

    def following(self, history: str) -> tuple[int, int]:
        """The total count of the n-grams kept after `history` and how many distinct ones; (0, 0) when
        there are none or `history` is not a kept n-gram."""
        row = self._row(history)
        if row < 0 or len(history) == len(self.tables):
            return 0, 0
        table = self.tables[len(history) - 1]
        return table.kept[row], table.types[row]

    def _row(self, ngram: str) -> int:
        """Where `ngram` is in the table of its order, or -1."""
        key = self.pack(ngram)
        if not key or len(ngram) > len(self.tables):
            return -1
        return self.tables[len(ngram) - 1].row(key, key >> CHAR_BITS * (len(ngram) - 1))


def _chunks(size: int) -> Iterator[slice]:
    """Consecutive slices of at most `CHUNK` rows covering ``range(size)``."""
    for start in range(0, size, CHUNK):
        yield slice(start, min(start + CHUNK, size))


def _packed(lookup: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Rows of code points packed into keys, `lookup` mapping a code point to its id."""
    keys = np.zeros(len(points), np.uint64)
    for column in points.T:
        ids = lookup[column]
        if not ids.all():
            raise ValueError("an n-gram of the model has a character its character table lacks")
        keys <<= _SHIFT
        keys |= ids
    return keys


def _fill_keys(table: NgramTable, lookup: np.ndarray, source: SerializedTable) -> None:
    """Pack the keys of `source` into `table`, copy their counts and index them by first character.
    The file's keys are sorted strings and ids keep code point order, so the packed keys are sorted."""
    keys = np.frombuffer(table.keys, np.uint64)
    for rows in _chunks(len(keys)):
        keys[rows] = _packed(lookup, source.points[rows])
    for rows in _chunks(len(keys) - 1):
        if np.any(keys[rows.start + 1 : rows.stop + 1] <= keys[rows]):
            raise ValueError("the keys of a model table must be sorted and distinct")
    np.frombuffer(table.counts, np.uint32)[:] = source.counts
    width = source.points.shape[1]
    firsts = np.arange(len(table.starts) - 1, dtype=np.uint64) << np.uint64(CHAR_BITS * (width - 1))
    starts = np.frombuffer(table.starts, np.uint32)
    starts[:-1] = np.searchsorted(keys, firsts)
    starts[-1] = len(keys)


def _fill_histories(
    table: NgramTable, longer: NgramTable, lookup: np.ndarray, kept: SerializedTable, types: SerializedTable
) -> None:
    """Place the statistics of the histories that are n-grams of `table` at their rows, and where the
    extensions of each of its n-grams begin in `longer`."""
    if len(kept.counts) != len(types.counts):
        raise ValueError("the kept and types tables of a model must have the same histories")
    keys = np.frombuffer(table.keys, np.uint64)
    for rows in _chunks(len(kept.counts)):
        if not np.array_equal(kept.points[rows], types.points[rows]):
            raise ValueError("the kept and types tables of a model must have the same histories")
        wanted = _packed(lookup, kept.points[rows])
        at = np.searchsorted(keys, wanted)
        found = at < len(keys)
        found[found] = keys[at[found]] == wanted[found]
        np.frombuffer(table.kept, np.uint32)[at[found]] = kept.counts[rows][found]
        np.frombuffer(table.types, np.uint32)[at[found]] = types.counts[rows][found]
    longer_keys = np.frombuffer(longer.keys, np.uint64)
    extensions = np.frombuffer(table.extensions, np.uint32)
    for rows in _chunks(len(keys)):
        extensions[rows] = np.searchsorted(longer_keys, keys[rows] << _SHIFT)
    extensions[-1] = len(longer_keys)
