"""Tags of the entity tagger and exact first-order decoding (Viterbi) of its scores.

Each character takes one of 25 tags: O, or B/I/E/S of a label. A score for each pair of successive
tags (`transitions`, row: previous tag, column: next) joins the characters; pairs that break a B…E
chain are forbidden. Free → opening scores are a leaving score plus an entering score (`factored`),
so both fold into the characters' own scores and the decoder only follows, per label, the open chains
(B or I) and the best free tag (O, S or E) — a dozen numbers per character.

Characters that are always O (blanks between texts, the model's break characters) cut the text into
short stretches decoded independently: `lanes` lays them out step by step, longest first, so that
`best_tags` advances every stretch of a file at once, a few numpy calls per step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LABELS = ("PERSON", "POSITION", "GOV", "ORG", "LOC", "DOCUMENT")
BOUNDARIES = "BIES"
# Ordered so that the tags that may open a span or stay outside (B, O, S: `OPENING`) are one slice, the
# tags a new span may follow (O, S, E: `FREE`) another, and the tags that continue a span (E, I) a third.
TAGS = (
    *(f"B-{label}" for label in LABELS),
    "O",
    *(f"{b}-{label}" for b in "SEI" for label in LABELS),
)
OUTSIDE = TAGS.index("O")
OPENING = slice(0, OUTSIDE + len(LABELS) + 1)
FREE = slice(OUTSIDE, OUTSIDE + 2 * len(LABELS) + 1)
FORBIDDEN = -1e4  # transition score of tag pairs that break a chain (O→I, B→O, B-PERSON→I-LOC, …)
_NEVER = np.float32(-1e30)  # the score of a tag a character cannot take (far below any path)
_BEGIN = slice(0, OUTSIDE)
_STAYING = slice(OUTSIDE, FREE.stop - len(LABELS))  # O and S: free tags that follow any free tag
_ENDING = slice(FREE.stop - len(LABELS), FREE.stop)
_INSIDE = slice(FREE.stop, len(TAGS))
_AFTER_FREE = slice(0, OUTSIDE + 1)  # the B rows and the O row
_CONTINUING = slice(_ENDING.start, len(TAGS))  # E then I of each label
_LABEL_OF = np.array([LABELS.index(tag[2:]) if tag != "O" else 0 for tag in TAGS])  # O: any
_OPENS, _CLOSES = (np.array([tag[0] in kinds for tag in TAGS]) for kinds in ("BS", "ES"))
_FLIP = np.array(
    [TAGS.index(f"{'EB'['BE'.index(tag[0])]}{tag[1:]}" if tag[0] in "BE" else tag) for tag in TAGS]
)
_BEGINS, _INSIDES = list(range(_BEGIN.start, _BEGIN.stop)), list(range(_INSIDE.start, _INSIDE.stop))
# The last tags of the forward and of the backward half of a stretch for each option of `_join`
# (option 0, a free tag then an opening one, takes them from elsewhere); backward tags are flipped.
_JOIN_FORWARD = np.array([-1, *_BEGINS, *_INSIDES, *_BEGINS, *_INSIDES])
_JOIN_BACKWARD = np.array([-1, *_BEGINS, *_BEGINS, *_INSIDES, *_INSIDES])
_PADDING = np.where(np.arange(len(TAGS)) == OUTSIDE, 0, _NEVER).astype(np.float32)[:, None]  # a fixed O
_FROM_INSIDE = np.arange(_INSIDE.start, _INSIDE.stop, dtype=np.int8)[None, :, None]  # each label's I


@dataclass(frozen=True, slots=True)
class Moves:
    """Transition scores in the form `best_tags` uses."""

    folded: np.ndarray  # (tags,): entering score of each opening tag plus leaving score of each free tag
    from_begin: np.ndarray  # (2, labels, 1): B → E and B → I of each label
    from_inside: np.ndarray  # (2, labels, 1): I → E and I → I of each label


@dataclass(frozen=True, slots=True)
class Lanes:
    """The stretches between fixed positions, each cut in two halves decoded at once: a forward lane
    reads the first half left to right, a backward lane the second half right to left (from the O
    after an odd stretch, so that both halves are equally long), and the two meet in the middle
    (`_join`). The lanes are laid out step by step, the two halves of a stretch side by side (forward
    at even places, backward at odd ones), longest first: step t holds the t-th character of every
    lane longer than t, at `offsets[t]:offsets[t + 1]`."""

    positions: np.ndarray  # the position of every character of every lane, in that order
    offsets: list[int]
    alive: list[int]  # lanes longer than t, for each step t
    padded: np.ndarray  # where the backward lanes of odd stretches start, at the O after them
    ends: np.ndarray  # where the last characters of each stretch's two lanes are, forward then backward


def allowed_moves() -> np.ndarray:
    """Transition scores that only forbid broken chains: 0 where a tag may follow another, else FORBIDDEN.

    >>> moves = allowed_moves()
    >>> moves[TAGS.index("B-LOC"), TAGS.index("E-LOC")], moves[OUTSIDE, TAGS.index("I-LOC")]
    (np.float32(0.0), np.float32(-10000.0))
    """
    moves = np.full((len(TAGS), len(TAGS)), FORBIDDEN, dtype=np.float32)
    moves[FREE, OPENING] = 0
    for label in LABELS:
        inside = [TAGS.index(f"{b}-{label}") for b in "BI"]
        moves[np.ix_(inside, [TAGS.index(f"{b}-{label}") for b in "IE"])] = 0
    return moves


def _leave_enter(transitions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The leaving score of each free tag and the entering score of each opening tag."""
    leave = transitions[FREE, OUTSIDE]
    return leave, transitions[OUTSIDE, OPENING] - transitions[OUTSIDE, OUTSIDE]


def factored(transitions: np.ndarray) -> bool:
    """Whether free → opening scores are a leaving score plus an entering score (what `best_tags` needs):
    T[a, b] = T[a, O] + T[O, b] − T[O, O].

    >>> factored(allowed_moves())
    True
    """
    leave, enter = _leave_enter(transitions)
    return bool(np.allclose(transitions[FREE, OPENING], leave[:, None] + enter, atol=1e-4))


def moves_of(transitions: np.ndarray) -> Moves:
    """`Moves` of a `factored` transition matrix.

    >>> moves = moves_of(allowed_moves())
    >>> moves.folded.shape, moves.from_begin.shape, float(moves.from_inside.max())
    ((25,), (2, 6, 1), 0.0)
    """
    leave, enter = _leave_enter(transitions)
    folded = np.zeros(len(TAGS), dtype=np.float32)
    folded[OPENING] += enter
    folded[FREE] += leave
    labels = np.arange(len(LABELS))
    ending, inside = _ENDING.start + labels, _INSIDE.start + labels
    begin, again = _BEGIN.start + labels, _INSIDE.start + labels
    return Moves(
        folded,
        np.stack((transitions[begin, ending], transitions[begin, inside]))[:, :, None].astype(np.float32),
        np.stack((transitions[again, ending], transitions[again, inside]))[:, :, None].astype(np.float32),
    )


def lanes(fixed: np.ndarray) -> Lanes:
    """The stretches of positions that are not `fixed`, halved and laid out step by step. The last
    position must be fixed (a stream ends in blanks): an odd stretch's backward lane starts after it.

    >>> laid = lanes(np.array([1, 0, 0, 0, 1, 0, 1], dtype=bool))
    >>> laid.positions.tolist(), laid.offsets, laid.alive, laid.padded.tolist(), laid.ends.tolist()
    ([1, 4, 5, 6, 2, 3], [0, 4, 6], [4, 2], [1, 3], [4, 2, 5, 3])
    """
    edges = np.flatnonzero(np.diff(np.concatenate(([True], fixed, [True])).view(np.int8)))
    firsts, sizes = edges[::2], edges[1::2] - edges[::2]
    if not len(firsts):
        empty = np.zeros(0, dtype=np.int64)
        return Lanes(empty, [0], [], empty, empty)
    order = np.argsort(-sizes, kind="stable")
    firsts, sizes = firsts[order], sizes[order]
    halves = (sizes + 1) // 2
    pairs = np.searchsorted(-halves, -np.arange(halves[0]), side="left")
    offsets = np.concatenate(([0], np.cumsum(2 * pairs)))
    step_of = np.repeat(np.arange(halves[0]), 2 * pairs)
    lane_of = np.arange(offsets[-1]) - offsets[step_of]
    lane_starts = np.stack((firsts, firsts + 2 * halves - 1), axis=1).ravel()
    directions = np.tile([1, -1], len(halves))
    positions = lane_starts[lane_of] + directions[lane_of] * step_of
    lasts = offsets[halves - 1] + 2 * np.arange(len(halves))
    padded = 2 * np.flatnonzero(sizes % 2) + 1
    return Lanes(
        positions, offsets.tolist(), (2 * pairs).tolist(), padded, np.stack((lasts, lasts + 1)).ravel()
    )


def best_tags(emitted: np.ndarray, laid: Lanes, moves: Moves) -> np.ndarray:
    """The best tag of every character of `laid` (same order), each stretch preceded and followed by O.

    `emitted` holds the tag scores of those characters, tags first (tags, characters), float32; it is
    overwritten with the best score of a chain ending in each tag there (B, I and E rows).

    >>> laid = lanes(np.array([1, 0, 0, 0, 1], dtype=bool))
    >>> scores = np.zeros((len(TAGS), 5), dtype=np.float32)  # by position
    >>> scores[TAGS.index("B-LOC"), 1] = scores[TAGS.index("E-LOC"), 2] = 1
    >>> scores[TAGS.index("I-ORG"), 3] = 3  # a lone inside tag: never chosen
    >>> tags = np.full(5, OUTSIDE)
    >>> tags[laid.positions] = best_tags(scores[:, laid.positions].copy(), laid, moves_of(allowed_moves()))
    >>> [TAGS[t] for t in tags]
    ['O', 'B-LOC', 'E-LOC', 'O', 'O']
    """
    if not laid.alive:
        return np.zeros(0, dtype=np.int64)
    emitted += moves.folded[:, None]
    emitted[:, laid.padded] = _PADDING
    begun = emitted[_BEGIN, 1::2].copy()  # read backwards, an E opens a span and a B closes it
    emitted[_BEGIN, 1::2] = emitted[_ENDING, 1::2]
    emitted[_ENDING, 1::2] = begun
    staying = emitted[_STAYING].max(axis=0)  # best O or S, each after any free tag
    stay = _first_best(emitted[_STAYING], staying, _STAYING.start)
    emitted[OUTSIDE] = staying  # the O row now stands for the best of O and S
    free, closed = _forward(emitted, laid, moves)
    best_free = np.where(
        emitted[OUTSIDE] >= closed, stay, _first_best(emitted[_ENDING], closed, _ENDING.start)
    )
    finals = _join(emitted, free, best_free, laid.ends.reshape(2, -1), moves)
    chosen = _backward(_pointers(emitted, best_free, moves), laid, finals)
    chosen[1::2] = _FLIP[chosen[1::2]]
    return chosen


def _forward(emitted: np.ndarray, laid: Lanes, moves: Moves) -> tuple[np.ndarray, np.ndarray]:
    """Viterbi forward pass, in place on the B, O (best of O and S), E and I rows of `emitted`;
    returns, at every character, the best score of a chain ending there in a free tag, and in an E."""
    free = np.empty(emitted.shape[1], dtype=np.float32)
    closed = np.empty_like(free)
    first = slice(0, laid.alive[0])
    free[first] = emitted[OUTSIDE, first]
    closed[first] = _NEVER
    emitted[_CONTINUING, first] = _NEVER  # nothing is open before a lane
    for step in range(1, len(laid.alive)):
        count, before, now = laid.alive[step], laid.offsets[step - 1], laid.offsets[step]
        previous, current = slice(before, before + count), slice(now, now + count)
        went = emitted[_BEGIN, previous] + moves.from_begin
        np.maximum(went, emitted[_INSIDE, previous] + moves.from_inside, out=went)
        continuing = emitted[_CONTINUING, current]
        np.add(continuing, went.reshape(-1, count), out=continuing)
        opening = emitted[_AFTER_FREE, current]  # B of each label, then O: each after the best free tag
        np.add(opening, free[previous], out=opening)
        is_closed = closed[current]
        np.maximum.reduce(emitted[_ENDING, current], axis=0, out=is_closed)
        np.maximum(emitted[OUTSIDE, current], is_closed, out=free[current])
    return free, closed


def _first_best(rows: np.ndarray, best: np.ndarray, first: int) -> np.ndarray:
    """`first` + the first row holding `best` in each column, as int8: an argmax over rows, faster.

    >>> _first_best(np.array([[1.0, 5.0], [3.0, 5.0]]), np.array([3.0, 5.0]), 7).tolist()
    [8, 7]
    """
    hits = (rows == best).view(np.int8)
    hits *= np.arange(len(rows), 0, -1, dtype=np.int8)[:, None]  # the first hit ranks highest
    return (first + len(rows)) - hits.max(axis=0)


def _pointers(emitted: np.ndarray, best_free: np.ndarray, moves: Moves) -> np.ndarray:
    """(tags, characters) int8: the best tag of each character for each tag of the character after it."""
    pointers = np.empty((len(TAGS), emitted.shape[1]), dtype=np.int8)
    pointers[OPENING] = best_free
    begun = (emitted[None, _BEGIN] - emitted[None, _INSIDE] >= moves.from_inside - moves.from_begin).view(
        np.int8
    )
    pointers[_CONTINUING] = (_FROM_INSIDE - (_INSIDE.start - _BEGIN.start) * begun).reshape(
        -1, emitted.shape[1]
    )
    return pointers


def _join(
    emitted: np.ndarray, free: np.ndarray, best_free: np.ndarray, ends: np.ndarray, moves: Moves
) -> np.ndarray:
    """The last tag of each lane, where the two halves of its stretch meet (`ends`: forward, backward):
    the best of a free tag then an opening tag, or of a span running across the middle (B or I, then
    I or E of the same label).

    A backward lane is scored with the forward B→I, I→I, B→E, I→E scores: a span it holds whole gets
    the same total (read backwards, its first and last steps trade places), but a span that ends in
    it and runs on into the forward half lacks I→E − B→I, added back here.
    """
    forward, backward = ends
    (begin_end, begin_inside), (inside_end, inside_inside) = moves.from_begin, moves.from_inside
    begun, going = emitted[_BEGIN, forward], emitted[_INSIDE, forward]
    ended, carried = emitted[_BEGIN, backward], emitted[_INSIDE, backward] + inside_end
    options = np.concatenate(
        (
            (free[forward] + free[backward])[None],
            begun + begin_end + ended,
            going + inside_end + ended,
            begun + carried,
            going + inside_inside - begin_inside + carried,
        )
    )
    best = options.argmax(axis=0)
    crossing = best > 0
    finals = np.empty(2 * len(best), dtype=np.int64)
    finals[0::2] = np.where(crossing, _JOIN_FORWARD[best], best_free[forward])
    finals[1::2] = np.where(crossing, _JOIN_BACKWARD[best], best_free[backward])
    return finals


def _backward(pointers: np.ndarray, laid: Lanes, finals: np.ndarray) -> np.ndarray:
    """Follow the pointers back from the last tag of each lane."""
    count = pointers.shape[1]
    flat, columns = pointers.ravel(), np.arange(count)
    chosen = np.empty(count, dtype=np.int64)
    tags = np.empty(laid.alive[0], dtype=np.int64)
    ended = 0
    for step in range(len(laid.alive) - 1, -1, -1):
        going, now = laid.alive[step], laid.offsets[step]
        tags[ended:going] = finals[ended:going]
        chosen[now : now + going] = tags[:going]
        if step:
            before = laid.offsets[step - 1]
            going_tags = tags[:going]
            np.multiply(going_tags, count, out=going_tags)
            np.add(going_tags, columns[before : before + going], out=going_tags)
            tags[:going] = flat[going_tags]
        ended = going
    return chosen


def spans_of(tags: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts, ends and label numbers of the spans of a valid tag sequence.

    >>> tags = np.array([OUTSIDE, TAGS.index("B-LOC"), TAGS.index("E-LOC"), OUTSIDE])
    >>> [found.tolist() for found in spans_of(tags)]
    [[1], [3], [4]]
    """
    starts = np.flatnonzero(_OPENS[tags])
    ends = np.flatnonzero(_CLOSES[tags]) + 1
    return starts, ends, _LABEL_OF[tags[starts]]
