"""A character 4-gram language model of Simplified news text, for choosing what a lost byte was.

The model is package data (``resources/charlm_4grams.bin.gz``) built by ``python -m bench.train_charlm``
from real news text, seen through `model_form` (Simplified; a run of ASCII digits or letters one symbol),
so one model serves both scripts. It is interpolated absolute discounting (Kneser-Ney style) over
counts of n-grams of one to `ORDER` characters, pruned to the frequent ones.

File format: tables one after the other, each ``<II`` (number of keys, key bytes), the keys as fixed-width
UTF-32-LE, then their counts as little-endian uint32: the n-grams of each order from 1 to `ORDER`, then
per history of 1 to ``ORDER - 1`` characters the total count of the n-grams kept after it, then how
many distinct ones there are. The character table is a gzip member of its own, so `plausibility`
reads it without inflating the rest. Loaded, the counts live in compact arrays of packed keys
(`transforms.kit.charlm_tables`: a tenth of the memory and load time of dicts of strings; figures in
bench/README.md).

A lost character is also judged by its document (`DocumentCache`): how often each candidate follows
the character before it and precedes the one after it elsewhere in the text under repair (a review
of a 蓝魔 player writes 蓝魔 again, where the model of all news prefers 蓝魂). Choosing one is
`transforms.kit.lost_chars`.
"""

from __future__ import annotations

import gzip
import math
import re
import string
import struct
import zlib
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from transforms.kit.charlm_tables import CHAR_BITS, PackedNgrams, position, read_tables, unigram_counts
from transforms.kit.lexicons import read_bytes
from transforms.kit.script import simplified_char

MODEL = "charlm_4grams.bin.gz"


ORDER = 4
"""Characters in the longest n-gram the model counts."""


DISCOUNT = 0.75


CONTEXT = ORDER - 1
"""Characters of context on each side the model conditions on."""


MEMO_LIMIT = 1 << 16
"""Log-probabilities `CharLM` remembers at most (a bound on its memory)."""


CACHE_WEIGHT = 0.2
"""Share of a lost character's probability given by how often it follows, and is followed by, the
same symbols elsewhere in its document (`DocumentCache`)."""


Item = str | tuple[str, ...]
"""A repaired character, or the candidates for one whose bytes were partly lost."""


def write_model(counts: Sequence[dict[str, int]]) -> bytes:
    """Serialize the n-gram counts of orders 1 to `ORDER` with the statistics `CharLM` interpolates with.

    >>> CharLM.from_bytes(write_model([{"a": 2, "b": 1}, {"ab": 1}, {}, {}])).unigrams["a"]
    2
    """
    kept: list[Counter[str]] = [Counter() for _ in counts[1:]]
    types: list[Counter[str]] = [Counter() for _ in counts[1:]]
    for order in range(1, len(counts)):
        for key, value in counts[order].items():
            kept[order - 1][key[:-1]] += value
            types[order - 1][key[:-1]] += 1
    parts = []
    for table in (*counts, *kept, *types):
        keys = sorted(table)
        encoded = "".join(keys).encode("utf-32-le")
        values = array("I", (table[k] for k in keys))
        parts.append(struct.pack("<II", len(keys), len(encoded)) + encoded + values.tobytes())
    first, rest = parts[0], b"".join(parts[1:])
    return gzip.compress(first, compresslevel=9, mtime=0) + gzip.compress(rest, compresslevel=9, mtime=0)


_ASCII_CLASSES = str.maketrans("0123456789" + string.ascii_letters, "0" * 10 + "a" * 52)


_CLASS_RUNS = re.compile(r"([0a])\1+")


def model_form(text: str) -> str:
    """Text as the model sees it: Simplified, a run of ASCII digits ``0`` and a run of ASCII letters
    ``a`` (which digits, and how many, say little about the characters around them; one symbol lets
    ``13日23时`` condition 时 on 日).

    >>> model_form("國內GDP增長15.3%")
    '国内a增长0.0%'
    """
    return _CLASS_RUNS.sub(r"\1", "".join(map(simplified_char, text)).translate(_ASCII_CLASSES))


@dataclass(frozen=True, slots=True)
class CharLM:
    """The n-gram counts of one to `ORDER` characters and, per history, the total count of the n-grams
    kept after it and how many distinct ones there are, in compact arrays (`ngrams`)."""

    ngrams: PackedNgrams
    continuation: array[int]
    """By character id: how many distinct characters come before it (id 0, unknown: none)."""
    vocabulary: int
    """Distinct characters and pairs: the denominator of the continuation unigram."""
    memo: dict[tuple[str, str], float] = field(default_factory=dict, compare=False, repr=False)
    """`logprob` by (history, character): candidates are scored in overlapping windows, so about two
    calls in three repeat one made before (it starts over at `MEMO_LIMIT` entries)."""

    @classmethod
    def from_bytes(cls, blob: bytes) -> CharLM:
        """Load a model written by `write_model`."""
        ngrams = PackedNgrams.from_model(blob, ORDER)
        unigrams, pairs = ngrams.tables[:2]
        return cls(ngrams, pairs.by_last_character(len(ngrams.ids)), len(unigrams.keys) + len(pairs.keys))

    @property
    def unigrams(self) -> dict[str, int]:
        """Count of every character."""
        return self.ngrams.unigrams

    def logprob(self, before: str, char: str) -> float:
        """log P(char | the `CONTEXT` symbols before it, in model form); `before` may be shorter.

        Interpolated absolute discounting: what the pruned and discounted counts of a history leave
        goes to the next shorter one. A history missing from its table has no longer one kept either
        (counts only shrink as histories grow, and longer ones are pruned at least as hard). The
        history's key grows leftwards a character at a time; ``history + char`` is looked for among the
        extensions of the history only.
        """
        ids, tables = self.ngrams.ids, self.ngrams.tables
        code = ids.get(char, 0)
        p = (self.continuation[code] + 0.5) / self.vocabulary
        history = 0
        for size in range(1, min(len(before), CONTEXT) + 1):
            symbol = ids.get(before[-size])
            if symbol is None:
                break
            history |= symbol << CHAR_BITS * (size - 1)
            table = tables[size - 1]
            if size == 1:
                row = symbol - 1  # a character's id is its row in the character table
            else:
                row = position(table.keys, history, table.starts[symbol], table.starts[symbol + 1])
            if row < 0 or not table.counts[row]:
                break
            history_count, kept = table.counts[row], table.kept[row]
            if not kept:
                continue
            longer, extensions = tables[size], table.extensions
            at = position(longer.keys, history << CHAR_BITS | code, extensions[row], extensions[row + 1])
            seen = max(longer.counts[at] - DISCOUNT, 0.0) if at >= 0 else 0.0
            backoff = history_count - kept + DISCOUNT * table.types[row]
            p = (seen + backoff * p) / max(history_count, kept)
        return math.log(p)

    def score(self, text: str, start: int = 0, cache: DocumentCache | None = None) -> float:
        """Sum of log P over text[start:], in model form, each symbol conditioned on those before it.

        With `cache`, P of the first two symbols (the pairs text[start] is part of) is mixed with how
        often the pair occurs in the document (`DocumentCache.mixed`). The symbols after them are left
        to the model: the cache, the same there for every candidate of text[start], would drown what
        the model knows of them.
        """
        simple = model_form(text)
        first = len(model_form(text[:start]))
        total = 0.0
        for i in range(first, len(simple)):
            logprob = self._remembered(simple[max(0, i - CONTEXT) : i], simple[i])
            if cache is not None and i < first + 2:
                logprob = cache.mixed(logprob, simple[i - 1 : i], simple[i])
            total += logprob
        return total

    def _remembered(self, before: str, char: str) -> float:
        """`logprob`, looked up in `memo` first."""
        key = (before, char)
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            found = self.memo[key] = self.logprob(before, char)
        return found


@dataclass(frozen=True, slots=True)
class DocumentCache:
    """How often each pair of symbols occurs in the intact text of the document under repair (model
    form; pairs with U+FFFD, a character not known yet, are left out). A document repeats its own
    names and words (蓝魔 in a review of a 蓝魔 player), which the model of all news knows less well."""

    pairs: Counter[str]
    firsts: Counter[str]
    """How many pairs each symbol starts."""

    @classmethod
    def of(cls, text: str) -> DocumentCache:
        """The pairs of `text`.

        >>> cache = DocumentCache.of("问题。 答案。 \ufffd 好")
        >>> cache.pairs["。 "], cache.firsts["。"], cache.pairs["\ufffd "]
        (2, 2, 0)
        """
        pairs = Counter(a + b for a, b in pairwise(model_form(text)) if "\ufffd" not in (a, b))
        firsts: Counter[str] = Counter()
        for pair, count in pairs.items():
            firsts[pair[0]] += count
        return cls(pairs, firsts)

    def mixed(self, logprob: float, before: str, char: str) -> float:
        """log P of `char` after `before`: the model's P (`logprob`) mixed with the share of the pairs
        `before` starts in the document that `char` ends (`CACHE_WEIGHT` of it).

        >>> cache = DocumentCache.of("蓝魔。蓝魔")
        >>> [round(cache.mixed(math.log(0.01), "蓝", char), 2) for char in "魔天"]
        [-1.57, -4.83]
        """
        seen = self.firsts[before]
        share = self.pairs[before + char] / seen if seen else 0.0
        return math.log((1 - CACHE_WEIGHT) * math.exp(logprob) + CACHE_WEIGHT * share)


def _model_file() -> bytes:
    return read_bytes(MODEL)


@cache
def char_lm() -> CharLM:
    """The shipped model, loaded once (a few tenths of a second: only repairs that meet a candidate
    need it)."""
    return CharLM.from_bytes(_model_file())


@cache
def _frequencies() -> tuple[dict[str, int], float]:
    first_member = zlib.decompressobj(wbits=31).decompress(_model_file())
    counts = unigram_counts(read_tables(first_member, (1,))[0])
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
