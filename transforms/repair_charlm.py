"""A character trigram language model of Simplified news text, for choosing what a lost byte was.

The model is package data (``resources/charlm_trigrams.bin.gz``) built by ``python -m bench.train_charlm``
from real news text, seen through `model_form` (Simplified; ASCII digits and letters one class each),
so one model serves both scripts. It is interpolated absolute discounting (Kneser-Ney style) over
counts of characters, pairs and triples, pruned to the frequent ones.

File format: tables one after the other, each ``<II`` (number of keys, key bytes), the keys as fixed-width
UTF-32-LE, then their counts as little-endian uint32: characters, pairs, triples, then per history of
one and of two characters the total count of the pairs / triples kept after it. The character table is
a gzip member of its own, so `plausibility` reads it without inflating the rest.
"""

from __future__ import annotations

import gzip
import math
import string
import struct
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from transforms.normalize import simplified_char

MODEL = "charlm_trigrams.bin.gz"
DISCOUNT = 0.75
CONFIDENT = 2.5
"""Nats a lost character's best candidate must lead the runner-up by to be written; else U+FFFD."""
CONTEXT = 2
"""Characters of context on each side the model conditions on."""

Item = str | tuple[str, ...]
"""A repaired character, or the candidates for one whose bytes were partly lost."""


@dataclass(frozen=True, slots=True)
class Choice:
    """The best candidate for a lost character and how far ahead of the runner-up it is (nats)."""

    char: str
    margin: float


def write_model(counts: Sequence[dict[str, int]]) -> bytes:
    """Serialize unigram, bigram and trigram counts with the statistics `CharLM` interpolates with.

    >>> CharLM.from_bytes(write_model([{"a": 2, "b": 1}, {"ab": 1}, {}])).unigrams["a"]
    2
    """
    kept: list[Counter[str]] = [Counter(), Counter()]
    for order in (1, 2):
        for key, value in counts[order].items():
            kept[order - 1][key[:-1]] += value
    parts = []
    for table in (*counts, *kept):
        keys = sorted(table)
        encoded = "".join(keys).encode("utf-32-le")
        values = array("I", (table[k] for k in keys))
        parts.append(struct.pack("<II", len(keys), len(encoded)) + encoded + values.tobytes())
    first, rest = parts[0], b"".join(parts[1:])
    return gzip.compress(first, compresslevel=9, mtime=0) + gzip.compress(rest, compresslevel=9, mtime=0)


_ASCII_CLASSES = str.maketrans("0123456789" + string.ascii_letters, "0" * 10 + "a" * 52)


def model_form(text: str) -> str:
    """Text as the model sees it: Simplified, every ASCII digit ``0`` and every ASCII letter ``a`` (one
    class each: which digit or letter it is says little about the characters around it).

    >>> model_form("國內GDP增長5.3%")
    '国内aaa增长0.0%'
    """
    return "".join(map(simplified_char, text)).translate(_ASCII_CLASSES)


@dataclass(frozen=True, slots=True)
class CharLM:
    """Counts by n-gram string, and per history (one or two characters) the total count of the
    n-grams kept after it and how many distinct ones there are."""

    unigrams: dict[str, int]
    bigrams: dict[str, int]
    trigrams: dict[str, int]
    kept: dict[str, int]
    types: dict[str, int]
    continuation: dict[str, int]

    @classmethod
    def from_bytes(cls, blob: bytes) -> CharLM:
        """Load a model written by `write_model`."""
        tables = _read_tables(gzip.decompress(blob), (1, 2, 3, 1, 2))
        unigrams, bigrams, trigrams, kept_after_one, kept_after_two = tables
        types = Counter(key[:-1] for key in bigrams) + Counter(key[:-1] for key in trigrams)
        continuation = Counter(key[1] for key in bigrams)
        return cls(unigrams, bigrams, trigrams, kept_after_one | kept_after_two, types, continuation)

    def _unigram(self, char: str) -> float:
        return (self.continuation.get(char, 0) + 0.5) / (len(self.bigrams) + len(self.unigrams))

    def _interpolate(
        self, history_count: int | None, table: dict[str, int], history: str, char: str, lower: float
    ) -> float:
        """Absolute discounting: what the pruned and discounted counts leave goes to the lower order."""
        kept = self.kept.get(history)
        if not history_count or not kept:
            return lower
        seen = max(table.get(history + char, 0) - DISCOUNT, 0.0)
        backoff = history_count - kept + DISCOUNT * self.types[history]
        return (seen + backoff * lower) / max(history_count, kept)

    def logprob(self, before: str, char: str) -> float:
        """log P(char | the two characters before it); `before` may be shorter at a text start."""
        p = self._unigram(char)
        if before:
            p = self._interpolate(self.unigrams.get(before[-1]), self.bigrams, before[-1], char, p)
        if len(before) >= 2:
            p = self._interpolate(self.bigrams.get(before[-2:]), self.trigrams, before[-2:], char, p)
        return math.log(p)

    def score(self, text: str, start: int = 0, end: int | None = None) -> float:
        """Sum of log P over text[start:end], each character conditioned on the two before it."""
        simple = model_form(text)
        stop = len(simple) if end is None else end
        return sum(self.logprob(simple[max(0, i - 2) : i], simple[i]) for i in range(start, stop))


def _read_tables(data: bytes, widths: Sequence[int]) -> list[dict[str, int]]:
    """The first ``len(widths)`` tables of a serialized model, keys `widths` characters wide."""
    tables: list[dict[str, int]] = []
    position = 0
    for width in widths:
        count, size = struct.unpack_from("<II", data, position)
        position += 8
        text = data[position : position + size].decode("utf-32-le")
        position += size
        values = array("I")
        values.frombytes(data[position : position + 4 * count])
        position += 4 * count
        keys = [text[i : i + width] for i in range(0, len(text), width)]
        tables.append(dict(zip(keys, values, strict=True)))
    return tables


def _model_file() -> bytes:
    return (files("transforms") / "resources" / MODEL).read_bytes()


@cache
def char_lm() -> CharLM:
    """The shipped model, loaded once (about a second: only repairs that meet a candidate need it)."""
    return CharLM.from_bytes(_model_file())


@cache
def _frequencies() -> tuple[dict[str, int], float]:
    first_member = zlib.decompressobj(wbits=31).decompress(_model_file())
    counts = _read_tables(first_member, (1,))[0]
    return counts, math.log(sum(counts.values()))


def plausibility(text: str) -> float:
    """Mean log relative frequency of the non-ASCII characters of `text` (Simplified form): about -6
    for news text, below -10 for a wrong decoding; 0.0 when there is nothing to judge.

    >>> plausibility("全国文明城市") > -9 > plausibility("鍏ㄥ浗鏂囨槑")
    True
    """
    counts, log_total = _frequencies()
    wide = [simplified_char(c) for c in text if c >= "\x80" and not c.isspace()]
    if not wide:
        return 0.0
    return sum(math.log(counts.get(c, 0) + 0.5) for c in wide) / len(wide) - log_total


def choose(
    left: str, candidates: Iterable[str], right: str, traditional: bool | None = None
) -> Choice | None:
    """The candidate that best fits between `left` and `right` (up to two characters each side).

    Candidates the model has never seen are dropped unless nothing else is left, and so are
    Traditional-only ones in Simplified text (`traditional` false; by default judged from the
    context). Candidates with the same Simplified form score alike and count once: the one in the
    script of the text wins.

    >>> choose("确", ["保", "宝", "饱"], "”大").char
    '保'
    """
    lm = char_lm()
    pool = list(candidates)
    pool = [c for c in pool if simplified_char(c) in lm.unigrams] or pool
    if traditional is None:
        traditional = any(simplified_char(c) != c for c in left[-CONTEXT:] + right[:CONTEXT])
    if not traditional:
        pool = [c for c in pool if simplified_char(c) == c] or pool
    if not pool:
        return None
    forms: dict[str, str] = {}
    for candidate in pool:
        form = simplified_char(candidate)
        if form not in forms or (candidate != form) == traditional:
            forms[form] = candidate
    scored = sorted(
        ((lm.score(left[-CONTEXT:] + form + right[:CONTEXT], len(left[-CONTEXT:])), form) for form in forms),
        reverse=True,
    )
    runner_up = scored[1][0] if len(scored) > 1 else -math.inf
    return Choice(forms[scored[0][1]], scored[0][0] - runner_up)


def context_before(text: str, start: int) -> str:
    """The characters the model conditions on before text[start]; a line break at the text start
    (the model learnt paragraphs separated by line breaks).

    >>> context_before("abc", 2), context_before("abc", 0)
    ('ab', '\\n')
    """
    return text[max(0, start - CONTEXT) : start] if start else "\n"


def context_after(text: str, end: int) -> str:
    """The characters the model conditions on after text[:end]; a line break at the text end.

    >>> context_after("abc", 1), context_after("abc", 3)
    ('bc', '\\n')
    """
    return text[end : end + CONTEXT] if end < len(text) else "\n"


def fill_lost(items: Sequence[Item], left: str, right: str, confident: float = CONFIDENT) -> tuple[str, str]:
    """Choose every lost character of `items` (text `left` before them, `right` after).

    Returns the text as it should be written (U+FFFD where the best candidate does not lead by
    `confident` nats) and the text with the model's best guess everywhere (to score the repair).

    >>> fill_lost(["確", ("保", "宝"), "”"], "兩個", "大局")
    ('確保”', '確保”')
    """
    guesses = [item if isinstance(item, str) else "" for item in items]
    written = list(guesses)
    traditional = any(simplified_char(c) != c for c in left + "".join(guesses) + right)
    for index, item in enumerate(items):
        if isinstance(item, str):
            continue
        before = (left + "".join(guesses[:index]))[-CONTEXT:]
        after = ("".join(guesses[index + 1 : index + 1 + CONTEXT]) + right)[:CONTEXT]
        choice = choose(before, item, after, traditional)
        guesses[index] = choice.char if choice else "\ufffd"
        written[index] = guesses[index] if choice and choice.margin >= confident else "\ufffd"
    return "".join(written), "".join(guesses)
