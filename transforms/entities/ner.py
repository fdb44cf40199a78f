"""Statistical entity spans: a linear-chain tagger for PERSON, POSITION, GOV, ORG, LOC and DOCUMENT.

A linear model scores every character with 25 tags (O, and B/I/E/S of each label) from hashed
features: the characters around it, the character bigrams and trigram around it, the word and part of
speech of the token it sits in (the pipeline's rjieba tokens), the parts of speech of its neighbours,
and the word clusters of its token and its neighbours' (learnt from unlabelled news by
`bench/build_clusters.py`, stored in the model as word keys and cluster numbers). The weights are one
flat table, so scoring is one gather and one sum. A learnt score for each pair of successive tags
(first order; pairs that break a B…E chain are forbidden) joins the characters, and the best tag
sequence is found exactly (`transforms.ner_decode`).

The model's `breaks` (sentence punctuation such as 。，、) are always O, which cuts a text into short
independent stretches: `find_spans_all` lays the texts of a file end to end with blanks between them
(no feature reaches across a blank, and a blank is always O) and decodes every stretch of every text
at once, so it finds what `find_spans` finds in each text at a fraction of the numpy calls.

The model is trained by `bench/train_ner.py` on the NER sets in ../shared/eval/ner and shipped as
`resources/ner_model.npz`; `stream` and `stream_rows` are shared by training and tagging, so both see
the same features.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from itertools import pairwise

import numpy as np

from transforms.entities.ner_decode import LABELS, TAGS, Moves, best_tags, factored, lanes, moves_of, spans_of
from transforms.entities.ner_words import NO_CLUSTERS, NO_TOKEN, PRIME, ROLES, Tokens, word_roles
from transforms.entities.ner_words import tokens_of as tokens_of  # the tagger's words, for its callers
from transforms.entities.ner_words import word_key as word_key

UNIGRAM_OFFSETS = (-2, -1, 0, 1, 2)
# Character n-grams around a character (hashed), each by the offset of its first character and its length.
NGRAMS = ((-1, 2), (0, 2), (-2, 2), (1, 2), (-1, 3))
POS_OFFSETS = (-1, 0, 1)
WORD_OFFSETS = (0,)
CLUSTER_OFFSETS = (-1, 0, 1)  # the cluster of the word a character sits in, and of its neighbours'
CODE_POINTS = 0x110000
_PAD = 2
_MIX = -7046029254386353131  # 0x9E3779B97F4A7C15 as int64: multiplicative hashing (wraps)
_SALTS = (0x5BD1E995, 0x1B873593, 0x2C1B3C6D, 0x297A2D39, 0x3C6EF372, 0x61C88647, 0x7FEB352D)
"""One per hashed feature: the n-grams in order, then (from the end) the word."""
_CLUSTER_SALTS = (0x2545F491, 0x4F6CDD1D, 0x68E31DA4)  # one per cluster offset
_LABELS = np.array(LABELS, dtype=object)


def _no_clusters() -> np.ndarray:
    return NO_CLUSTERS


GAP = _PAD  # blanks before, between and after the texts of a stream: no feature reaches across one


def fold_char(char: str) -> str:
    """The form a character is looked up in: NFKC, lower case, every digit as 0.

    >>> fold_char("Ａ"), fold_char("７"), fold_char("国")
    ('a', '0', '国')
    """
    folded = unicodedata.normalize("NFKC", char).lower()
    if len(folded) != 1:
        return char
    return "0" if folded.isdigit() else folded


def char_class(char: str) -> int:
    """The id shared by characters missing from the vocabulary: 1 other, 2 Han, 3 Latin letter.

    >>> char_class("龘"), char_class("ß"), char_class("☃")
    (2, 3, 1)
    """
    if "\u4e00" <= char <= "\u9fff":
        return 2
    return 3 if char.isalpha() and unicodedata.name(char, "").startswith("LATIN") else 1


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each feature's weights start in the flat weight table."""

    chars: int
    pos_tags: int
    hash_bits: int

    @property
    def pos_base(self) -> int:
        return self.chars * len(UNIGRAM_OFFSETS)

    @property
    def hash_base(self) -> int:
        return self.pos_base + self.pos_tags * ROLES * len(POS_OFFSETS)

    @property
    def rows(self) -> int:
        return self.hash_base + (1 << self.hash_bits)


@dataclass(frozen=True, slots=True)
class Model:
    """A trained tagger: character ids, part-of-speech ids, the table layout, the weights, the score of
    each pair of successive tags (row: previous tag, column: next) and the characters always tagged O."""

    char_ids: np.ndarray  # id of every code point (int32)
    pos_ids: dict[str, int]
    layout: Layout
    weights: np.ndarray  # (layout.rows, len(TAGS)) float32
    transitions: np.ndarray  # (len(TAGS), len(TAGS)) float32, `ner_decode.factored`
    breaks: str
    cluster_keys: np.ndarray = field(default_factory=_no_clusters)  # `word_key` of clustered words, sorted
    cluster_ids: np.ndarray = field(default_factory=_no_clusters)  # the cluster of each key

    @property
    def moves(self) -> Moves:
        """The transitions in the form the decoder uses."""
        return _moves(self.transitions.astype(np.float32).tobytes())


@dataclass(frozen=True, slots=True)
class Stream:
    """Texts laid end to end with `GAP` blanks before, between and after them."""

    codes: np.ndarray  # code point at every position (uint32), 0 in the blanks
    blank: np.ndarray  # bool: the position is a blank
    tokens: Tokens  # the words of every text, offsets into the stream
    starts: np.ndarray  # where each text begins in the stream


@cache
def model() -> Model:
    """The shipped model, loaded once per process."""
    raw = files("transforms").joinpath("resources/ner_model.npz").read_bytes()
    return load(raw)


def load(raw: bytes) -> Model:
    """A model from the bytes of an .npz written by `save`; refused if the decoder cannot use its
    transitions (`ner_decode.factored`)."""
    with np.load(io.BytesIO(raw)) as stored:
        pos_tags = [str(tag) for tag in stored["pos_tags"]]
        chars, hash_bits = (int(value) for value in stored["sizes"])
        if not factored(stored["transitions"]):
            raise ValueError("free → opening transitions are not a leaving plus an entering score")
        return Model(
            char_ids=stored["char_ids"],
            pos_ids={tag: number for number, tag in enumerate(pos_tags) if number != NO_TOKEN},
            layout=Layout(chars, len(pos_tags), hash_bits),
            weights=np.ascontiguousarray(stored["weights"], dtype=np.float32),
            transitions=stored["transitions"].astype(np.float32),
            breaks=str(stored["breaks"]),
            cluster_keys=stored["cluster_keys"],
            cluster_ids=stored["cluster_ids"],
        )


def save(trained: Model) -> bytes:
    """The .npz bytes of a model (weights stored as float16)."""
    pos_tags = [""] * (len(trained.pos_ids) + 1)
    for tag, number in trained.pos_ids.items():
        pos_tags[number] = tag
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        char_ids=trained.char_ids.astype(np.int32),
        pos_tags=np.array(pos_tags),
        sizes=np.array([trained.layout.chars, trained.layout.hash_bits]),
        weights=trained.weights.astype(np.float16),
        transitions=trained.transitions.astype(np.float32),
        breaks=np.array(trained.breaks),
        cluster_keys=trained.cluster_keys,
        cluster_ids=trained.cluster_ids,
    )
    return buffer.getvalue()


def _hashed(values: np.ndarray, bits: int) -> np.ndarray:
    """Multiplicative hash of int64 values into [0, 2**bits)."""
    mixed = values * _MIX
    mixed >>= 64 - bits - 1
    mixed &= (1 << bits) - 1
    return mixed


def stream(texts: list[str], tokens: list[Tokens]) -> Stream:
    """The texts and their words as one `Stream`.

    >>> laid = stream(["商丘", "市"], [tokens_of([0], [2], ["ns"], {}), tokens_of([], [], [], {})])
    >>> laid.starts.tolist(), laid.blank.astype(int).tolist(), laid.tokens.starts.tolist()
    ([2, 6], [1, 1, 0, 0, 1, 1, 0, 1, 1], [2])
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = GAP + np.concatenate(([0], np.cumsum(lengths + GAP)[:-1])).astype(np.int64)
    blanks = "\0" * GAP
    codes = np.frombuffer((blanks + blanks.join(texts) + blanks).encode("utf-32-le"), dtype=np.uint32)
    edges = np.zeros(len(codes) + 1, dtype=np.int64)
    edges[starts] += 1  # each text opens once and closes once: no repeated index in either
    edges[starts + lengths] -= 1
    shifts = np.repeat(starts, [len(words.starts) for words in tokens])
    laid_words = Tokens(
        np.concatenate([words.starts for words in tokens]) + shifts,
        np.concatenate([words.ends for words in tokens]) + shifts,
        np.concatenate([words.pos for words in tokens]),
    )
    return Stream(codes, np.cumsum(edges)[:-1] == 0, laid_words, starts)


def stream_rows(trained: Model, laid: Stream) -> np.ndarray:
    """Row of the weight table for every (feature, position) of a stream: an int array (features, len).

    >>> nothing = np.zeros((0, len(TAGS)))
    >>> tiny = Model(np.arange(CODE_POINTS), {}, Layout(CODE_POINTS, 1, 8), nothing, nothing, "")
    >>> stream_rows(tiny, stream(["商丘"], [tokens_of([], [], [], {})])).shape == (feature_count(), 6)
    True
    """
    ids = np.zeros(len(laid.codes) + 2 * _PAD, dtype=np.int64)
    ids[_PAD:-_PAD] = trained.char_ids[laid.codes]
    ids[_PAD:-_PAD][laid.blank] = 0
    return _rows(trained, ids, laid.tokens)


def _rows(trained: Model, ids: np.ndarray, tokens: Tokens) -> np.ndarray:
    """Feature rows from character ids padded with `_PAD` zeros on each side, and the words."""
    layout = trained.layout
    length = len(ids) - 2 * _PAD
    rows = np.empty((feature_count(), length), dtype=np.int64)
    row = 0
    for k, offset in enumerate(UNIGRAM_OFFSETS):
        np.add(ids[_PAD + offset : _PAD + offset + length], k * layout.chars, out=rows[row])
        row += 1
    mask = (1 << layout.hash_bits) - 1
    grams: dict[int, np.ndarray] = {}  # the hashed n-grams of each length, from every position
    for k, (first, size) in enumerate(NGRAMS):
        if size not in grams:
            count = len(ids) - size + 1
            gram = ids[:count]
            for step in range(1, size):
                gram = gram * PRIME + ids[step : step + count]
            grams[size] = _hashed(gram, layout.hash_bits)
        np.bitwise_xor(grams[size][_PAD + first : _PAD + first + length], _SALTS[k] & mask, out=rows[row])
        row += 1
    rows[len(UNIGRAM_OFFSETS) : row] += layout.hash_base
    pos_role, word_role, cluster_role = word_roles(
        ids[_PAD : _PAD + length], tokens, (trained.cluster_keys, trained.cluster_ids)
    )
    padded = np.zeros(length + 2 * _PAD, dtype=np.int64)
    padded[_PAD:-_PAD] = pos_role
    stride = layout.pos_tags * ROLES
    for k, offset in enumerate(POS_OFFSETS):
        np.add(padded[_PAD + offset : _PAD + offset + length], layout.pos_base + k * stride, out=rows[row])
        row += 1
    if WORD_OFFSETS:
        padded[_PAD:-_PAD] = _hashed(word_role, layout.hash_bits)
        for k, offset in enumerate(WORD_OFFSETS):
            np.bitwise_xor(
                padded[_PAD + offset : _PAD + offset + length], _SALTS[-1 - k] & mask, out=rows[row]
            )
            row += 1
        rows[row - len(WORD_OFFSETS) : row] += layout.hash_base
    padded[_PAD:-_PAD] = _hashed(cluster_role, layout.hash_bits)
    for k, offset in enumerate(CLUSTER_OFFSETS):
        np.bitwise_xor(
            padded[_PAD + offset : _PAD + offset + length], _CLUSTER_SALTS[k] & mask, out=rows[row]
        )
        rows[row] += layout.hash_base
        row += 1
    return rows


def feature_count() -> int:
    """Features per character: the unigrams, n-grams, part-of-speech roles and word clusters around it,
    and its word."""
    return len(UNIGRAM_OFFSETS) + len(NGRAMS) + len(POS_OFFSETS) + len(WORD_OFFSETS) + len(CLUSTER_OFFSETS)


def tag_scores(weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Score of every tag at every position: the sum of its features' weights, (len, len(TAGS))."""
    scores = np.take(weights, rows[0], axis=0, mode="clip")
    gathered = np.empty_like(scores)
    for feature in rows[1:]:
        np.take(weights, feature, axis=0, mode="clip", out=gathered)
        scores += gathered
    return scores


@cache
def _moves(transitions: bytes) -> Moves:
    """`Moves` of a model's transitions (by their bytes, so each model's are derived once)."""
    return moves_of(np.frombuffer(transitions, dtype=np.float32).reshape(len(TAGS), len(TAGS)))


@cache
def _break_table(breaks: str) -> np.ndarray:
    """Per code point: whether it is one of `breaks`.

    >>> _break_table("。，")[[ord("。"), ord("国")]].tolist()
    [True, False]
    """
    table = np.zeros(CODE_POINTS, dtype=bool)
    table[[ord(char) for char in breaks]] = True
    return table


def forced_o(trained: Model, laid: Stream) -> np.ndarray:
    """The positions of a stream always tagged O: blanks and the model's break characters."""
    return laid.blank | _break_table(trained.breaks)[laid.codes]


def stream_tags(trained: Model, laid: Stream) -> np.ndarray:
    """The best tag (index into TAGS) at every position of a stream: O where `forced_o`, else Viterbi.

    Only the characters between forced Os are scored, tags first, in the step order of their stretches.
    """
    order = lanes(forced_o(trained, laid))
    rows = stream_rows(trained, laid)[:, order.positions]
    tags = np.full(len(laid.codes), TAGS.index("O"), dtype=np.int64)
    emitted = np.ascontiguousarray(tag_scores(trained.weights, rows).T)
    tags[order.positions] = best_tags(emitted, order, trained.moves)
    return tags


def find_spans_all(
    texts: list[str], tokens: list[Tokens], trained: Model | None = None
) -> list[list[tuple[int, int, str]]]:
    """Entity spans (start, end, label) of every text, in order: all texts decoded in one pass.

    Equal to `find_spans` on each text: no feature reaches across the blanks between texts, and each
    blank is a fixed O.
    """
    trained = trained or model()
    if not texts:
        return []
    laid = stream(texts, tokens)
    starts, ends, labels = spans_of(stream_tags(trained, laid))
    owners = np.searchsorted(laid.starts, starts, side="right") - 1
    shifts = laid.starts[owners]
    spans = list(
        zip((starts - shifts).tolist(), (ends - shifts).tolist(), _LABELS[labels].tolist(), strict=True)
    )
    bounds = np.searchsorted(owners, np.arange(len(texts) + 1)).tolist()
    return [spans[first:last] for first, last in pairwise(bounds)]


def find_spans(text: str, tokens: Tokens, trained: Model | None = None) -> list[tuple[int, int, str]]:
    """Entity spans (start, end, label) the model finds in `text`, in order."""
    return find_spans_all([text], [tokens], trained)[0]
