"""Statistical entity spans: a character tagger for PERSON, POSITION, GOV, ORG, LOC and DOCUMENT.

A linear model scores every character with 25 tags (O, and B/I/E/S of each label) from hashed
features: the characters around it, the character bigrams around it, and the word and part of speech
of the token it sits in (the pipeline's rjieba tokens). The weights are one flat table, so scoring an
article is one gather and one sum. Spans are decoded with the label left open: the best boundary tag
(O/B/I/E/S, taking the best label at each character) picks the spans, an exact search repairs the few
stretches where those tags do not chain, and each span then takes the label with the highest total.

`find_spans_all` scores the texts of a file in one pass: laid end to end with blanks between them
(no feature reaches across a blank, and a blank is always O), so it finds what `find_spans` finds in
each text, at a fraction of the numpy calls.

The model is trained by `bench/train_ner.py` on the NER sets in ../shared/eval/ner and shipped as
`resources/ner_model.npz`; `feature_rows` is shared by training and tagging, so both see the same
features.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import repeat

import numpy as np

LABELS = ("PERSON", "POSITION", "GOV", "ORG", "LOC", "DOCUMENT")
BOUNDARIES = "BIES"
TAGS = ("O", *(f"{b}-{label}" for b in BOUNDARIES for label in LABELS))  # boundary-major
UNIGRAM_OFFSETS = (-2, -1, 0, 1, 2)
BIGRAM_OFFSETS = (-1, 0)
POS_OFFSETS = (-1, 0, 1)
WORD_OFFSETS = (0,)
ROLES = 4  # where a character sits in its word: begin, inside, end, single
NO_TOKEN = 0  # part-of-speech id of characters no token covers (blanks)
CODE_POINTS = 0x110000
_PAD = 2
_PRIME = 1_000_003
_MIX = -7046029254386353131  # 0x9E3779B97F4A7C15 as int64: multiplicative hashing (wraps)
# Stretches whose O score beats every other tag by this much are taken as O when repairing tags.
CONFIDENT_O = 2.0
_SALTS = (0x5BD1E995, 0x1B873593, 0x2C1B3C6D, 0x297A2D39, 0x3C6EF372)  # one per hashed feature
GAP = _PAD  # blanks before, between and after the texts of a stream: no feature reaches across one
_BLANK_O = 1e4  # how far O leads at a blank: never part of a span, never in a stretch `_mend` decodes
# Boundary tags O, B, I, E, S (0–4): which pairs (row = previous, column = next) cannot follow each
# other, which tags open a span and which close one.
_BROKEN = ~np.array(
    [
        [1, 1, 0, 0, 1],
        [0, 0, 1, 1, 0],
        [0, 0, 1, 1, 0],
        [1, 1, 0, 0, 1],
        [1, 1, 0, 0, 1],
    ],
    dtype=bool,
)
_STARTS = np.array([0, 1, 0, 0, 1], dtype=bool)
_ENDS = np.array([0, 0, 0, 1, 1], dtype=bool)
_LABEL_ROWS = np.arange(len(LABELS))[:, None]


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
    """A trained tagger: character ids, part-of-speech ids, the table layout and the weights."""

    char_ids: np.ndarray  # id of every code point (int32)
    pos_ids: dict[str, int]
    layout: Layout
    weights: np.ndarray  # (layout.rows, len(TAGS)) float32


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a text as arrays: start and end offsets and part-of-speech ids."""

    starts: np.ndarray
    ends: np.ndarray
    pos: np.ndarray


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
    """A model from the bytes of an .npz written by `save`."""
    with np.load(io.BytesIO(raw)) as stored:
        pos_tags = [str(tag) for tag in stored["pos_tags"]]
        chars, hash_bits = (int(value) for value in stored["sizes"])
        return Model(
            char_ids=stored["char_ids"],
            pos_ids={tag: number for number, tag in enumerate(pos_tags) if number != NO_TOKEN},
            layout=Layout(chars, len(pos_tags), hash_bits),
            weights=stored["weights"].astype(np.float32),
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
    )
    return buffer.getvalue()


def tokens_of(starts: list[int], ends: list[int], pos: list[str], pos_ids: dict[str, int]) -> Tokens:
    """`Tokens` from column lists; an unknown tag gets the no-token id.

    >>> tokens_of([0, 2], [2, 3], ["nr", "v"], {"nr": 1}).pos.tolist()
    [1, 0]
    """
    return Tokens(
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.fromiter(map(pos_ids.get, pos, repeat(NO_TOKEN)), dtype=np.int64, count=len(pos)),
    )


def _hashed(values: np.ndarray, bits: int) -> np.ndarray:
    """Multiplicative hash of int64 values into [0, 2**bits)."""
    mixed = values * _MIX
    mixed >>= 64 - bits - 1
    mixed &= (1 << bits) - 1
    return mixed


@cache
def _powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """_PRIME**i and its inverse modulo 2**64 for i < count (int64 arithmetic wraps)."""
    powers = np.ones(count, dtype=np.uint64)
    inverse = np.ones(count, dtype=np.uint64)
    base, back = np.uint64(_PRIME), np.uint64(pow(_PRIME, -1, 1 << 64))
    np.cumprod(np.full(count - 1, base, dtype=np.uint64), out=powers[1:])
    np.cumprod(np.full(count - 1, back, dtype=np.uint64), out=inverse[1:])
    return powers.view(np.int64), inverse.view(np.int64)


def _word_roles(ids: np.ndarray, tokens: Tokens) -> tuple[np.ndarray, np.ndarray]:
    """Per character: part-of-speech × role id, and a hash of its word × role (both 0 where no token).

    >>> ids = np.array([5, 6, 7, 8])
    >>> pos_role, _ = _word_roles(ids, Tokens(np.array([0, 2]), np.array([2, 3]), np.array([1, 2])))
    >>> pos_role.tolist()  # 4 × part of speech + role (0 begin, 1 inside, 2 end, 3 single)
    [4, 6, 11, 0]
    """
    length = len(ids)
    if not len(tokens.starts):
        return np.zeros(length, dtype=np.int64), np.zeros(length, dtype=np.int64)
    begins = np.zeros(length + 1, dtype=np.int64)
    finals = np.zeros(length + 1, dtype=np.int64)
    begins[tokens.starts] = 1
    finals[tokens.ends] = 1
    covered = np.cumsum(begins - finals)[:length]
    owner = np.cumsum(begins[:length]) - 1
    begin, final = begins[:length], finals[1:]
    role = 1 - begin + final + 2 * begin * final
    pos_role = (tokens.pos[owner] * ROLES + role) * covered
    powers, inverse = _powers(1 << max(12, length.bit_length()))
    prefix = np.zeros(length + 1, dtype=np.int64)
    np.cumsum(ids * powers[:length], out=prefix[1:])
    words = (prefix[tokens.ends] - prefix[tokens.starts]) * inverse[tokens.starts]
    word_role = (words[owner] * ROLES + role + 1) * covered
    return pos_role, word_role


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
    words = Tokens(
        *(
            np.concatenate(
                [np.asarray(getattr(t, field)) + shift for t, shift in zip(tokens, shifts, strict=True)]
            )
            for field, shifts in (("starts", starts), ("ends", starts), ("pos", np.zeros_like(starts)))
        )
    )
    return Stream(codes, np.cumsum(edges)[:-1] == 0, words, starts)


def feature_rows(trained: Model, text: str, tokens: Tokens) -> np.ndarray:
    """Row of the weight table for every (feature, character) of `text`: an int array (features, len).

    >>> tiny = Model(np.arange(CODE_POINTS), {}, Layout(CODE_POINTS, 1, 8), np.zeros((0, len(TAGS))))
    >>> feature_rows(tiny, "商丘", tokens_of([], [], [], {})).shape == (feature_count(), 2)
    True
    """
    ids = np.zeros(len(text) + 2 * _PAD, dtype=np.int64)
    ids[_PAD:-_PAD] = trained.char_ids[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
    return _rows(trained, ids, tokens)


def stream_rows(trained: Model, laid: Stream) -> np.ndarray:
    """Row of the weight table for every (feature, position) of a stream: an int array (features, len)."""
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
    bigrams = _hashed(ids[:-1] * _PRIME + ids[1:], layout.hash_bits)
    for k, offset in enumerate(BIGRAM_OFFSETS):
        np.bitwise_xor(bigrams[_PAD + offset : _PAD + offset + length], _SALTS[k] & mask, out=rows[row])
        row += 1
    rows[len(UNIGRAM_OFFSETS) : row] += layout.hash_base
    pos_role, word_role = _word_roles(ids[_PAD : _PAD + length], tokens)
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
    return rows


def feature_count() -> int:
    """Features per character: the unigrams, bigrams and part-of-speech roles around it, and its word."""
    return len(UNIGRAM_OFFSETS) + len(BIGRAM_OFFSETS) + len(POS_OFFSETS) + len(WORD_OFFSETS)


def tag_scores(trained: Model, rows: np.ndarray) -> np.ndarray:
    """Score of every tag at every character, tags first: (len(TAGS), len) float32."""
    return np.add.reduce(np.take(trained.weights, rows, axis=0, mode="clip"), axis=0).T.copy()


def decode(scores: np.ndarray) -> list[tuple[int, int, str]]:
    """Spans (start, end, label) from tag scores (tags × characters).

    The boundary tag of each character is the best of O, B, I, E, S (each at its best label); where
    those tags do not chain (`O I I O`), the stretch that is not confidently O is decoded again,
    exactly (`_best_chain`). Each span then takes the label with the highest total over its characters.

    >>> scores = np.zeros((len(TAGS), 4), dtype=np.float32)
    >>> scores[TAGS.index("B-LOC"), 0] = scores[TAGS.index("E-LOC"), 1] = scores[0, 2] = 1
    >>> scores[TAGS.index("I-ORG"), 3] = 1  # a lone inside tag: no span
    >>> decode(scores)
    [(0, 2, 'LOC')]
    """
    length = scores.shape[1]
    by_boundary = scores[1:].reshape(len(BOUNDARIES) * len(LABELS), length)
    boundary = np.empty((5, length), dtype=scores.dtype)
    boundary[0] = scores[0]
    np.max(by_boundary.reshape(len(BOUNDARIES), len(LABELS), length), axis=1, out=boundary[1:])
    best = np.zeros(length + 2, dtype=np.int64)  # padded with O on both sides
    best[1:-1] = boundary.argmax(axis=0)
    pairs = np.flatnonzero(_BROKEN[best[:-1], best[1:]])  # pair p joins characters p-1 and p
    if len(pairs):
        _mend(boundary, best, pairs)
    best = best[1:-1]
    starts = np.flatnonzero(_STARTS[best])
    if not len(starts):
        return []
    ends = np.flatnonzero(_ENDS[best]) + 1
    # per character, the score of each label at its boundary tag; a span takes the best total
    chosen = np.zeros((len(LABELS), length + 1), dtype=scores.dtype)
    rows = (np.maximum(best, 1) - 1) * len(LABELS) + _LABEL_ROWS
    chosen[:, :-1] = by_boundary.ravel().take(rows * length + np.arange(length))
    sums = np.add.reduceat(chosen, np.stack((starts, ends), axis=1).ravel(), axis=1)
    labels = sums[:, ::2].argmax(axis=0)
    return [
        (s, e, LABELS[k]) for s, e, k in zip(starts.tolist(), ends.tolist(), labels.tolist(), strict=True)
    ]


def _mend(boundary: np.ndarray, best: np.ndarray, pairs: np.ndarray) -> None:
    """Re-decode exactly, in place, each stretch around a broken pair that is not confidently O.

    `best` is padded with an O at both ends; `boundary` is not. Small stretches, so plain Python.
    """
    open_ = [False, *(boundary[0] - boundary[1:].max(axis=0) <= CONFIDENT_O).tolist(), False]
    done = -1
    for pair in pairs.tolist():
        if pair < done:
            continue
        low = pair  # padded index of the character before the stretch
        while open_[low]:
            low -= 1
        high = pair + 1  # padded index of the character after it
        while open_[high]:
            high += 1
        best[low + 1 : high] = _best_chain(boundary[:, low : high - 1].T.tolist())
        done = high


def _best_chain(rows: list[list[float]]) -> list[int]:
    """Exact best O/B/I/E/S sequence (0–4) for a stretch preceded and followed by O.

    A chain is either free (its last tag is O, E or S: anything may follow) or open (B or I: only I
    or E may follow), so two running scores suffice.

    >>> _best_chain([[0, 2, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 1, 0]])
    [1, 2, 3]
    """
    o, b, _, _, s = rows[0]
    free, opened = (o if o >= s else s), b
    steps = [(o >= s, True, True)]
    for o, b, i, e, s in rows[1:]:
        kept, ended = free + (o if o >= s else s), opened + e
        begun, going = free + b, opened + i
        steps.append((o >= s, kept >= ended, begun >= going))
        free = kept if kept >= ended else ended
        opened = begun if begun >= going else going
    chain = []
    is_free = True
    for o_beats_s, stay_free, reopen in reversed(steps):
        if is_free:
            chain.append((0 if o_beats_s else 4) if stay_free else 3)
            is_free = stay_free
        else:
            chain.append(1 if reopen else 2)
            is_free = reopen
    return chain[::-1]


def find_spans_all(
    texts: list[str], tokens: list[Tokens], trained: Model | None = None
) -> list[list[tuple[int, int, str]]]:
    """Entity spans (start, end, label) of every text, in order: all texts scored in one pass.

    Equal to `find_spans` on each text: no feature reaches across the blanks between texts, and O
    leads by `_BLANK_O` at every blank, as at the O padding `decode` puts around a text.
    """
    trained = trained or model()
    if not texts:
        return []
    laid = stream(texts, tokens)
    scores = tag_scores(trained, stream_rows(trained, laid))
    blanks = np.flatnonzero(laid.blank)
    scores[:, blanks] = -_BLANK_O
    scores[0, blanks] = _BLANK_O
    found: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    spans = decode(scores)
    owners = np.searchsorted(laid.starts, [start for start, _, _ in spans], side="right") - 1
    for owner, (start, end, label) in zip(owners.tolist(), spans, strict=True):
        shift = int(laid.starts[owner])
        found[owner].append((start - shift, end - shift, label))
    return found


def find_spans(text: str, tokens: Tokens, trained: Model | None = None) -> list[tuple[int, int, str]]:
    """Entity spans (start, end, label) the model finds in `text`, in order."""
    trained = trained or model()
    if not text:
        return []
    return decode(tag_scores(trained, feature_rows(trained, text, tokens)))
