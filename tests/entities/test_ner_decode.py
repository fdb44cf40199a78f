"""transforms.ner_decode: the halved, step-by-step Viterbi is exact."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.train_ner import Transitions
from transforms.entities import ner_decode
from transforms.entities.ner_decode import FORBIDDEN, OUTSIDE, TAGS


def _dense_viterbi(scores: np.ndarray, fixed: np.ndarray, transitions: np.ndarray) -> list[int]:
    """Reference: plain Viterbi over all 25 tags, fixed positions restricted to O, from and to an O."""
    scores = np.where(fixed[:, None], FORBIDDEN * 100, scores.astype(np.float64))
    scores[fixed, OUTSIDE] = 0
    delta = transitions[OUTSIDE] + scores[0]
    back = []
    for row in scores[1:]:
        paths = delta[:, None] + transitions
        back.append(paths.argmax(axis=0))
        delta = paths.max(axis=0) + row
    tags = [int((delta + transitions[:, OUTSIDE]).argmax())]
    for pointer in reversed(back):
        tags.append(int(pointer[tags[-1]]))
    return tags[::-1]


def _decoded(scores: np.ndarray, fixed: np.ndarray, transitions: np.ndarray) -> list[int]:
    laid = ner_decode.lanes(fixed)
    tags = np.full(len(fixed), OUTSIDE)
    emitted = np.ascontiguousarray(scores[laid.positions].T)
    tags[laid.positions] = ner_decode.best_tags(emitted, laid, ner_decode.moves_of(transitions))
    return tags.tolist()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 30), st.floats(0.5, 4.0), st.floats(-4.0, 6.0))
def test_best_tags_is_exact_viterbi(seed: int, length: int, spread: float, o_bias: float) -> None:
    rng = np.random.default_rng(seed)
    transitions = Transitions()
    transitions.parameters = rng.normal(size=transitions.parameters.shape) * spread
    moves = transitions.matrix().astype(np.float32)
    scores = (rng.normal(size=(length, len(TAGS))) * spread).astype(np.float32)
    scores[:, OUTSIDE] += o_bias
    fixed = rng.random(length) < 0.2
    fixed[-1] = True  # a stream ends in blanks
    assert _decoded(scores, fixed, moves) == _dense_viterbi(scores, fixed, moves)


def test_the_trained_transition_shape_is_factored() -> None:
    transitions = Transitions()
    transitions.parameters = np.random.default_rng(0).normal(size=transitions.parameters.shape)
    assert ner_decode.factored(transitions.matrix())
    broken = transitions.matrix()
    broken[OUTSIDE + 1, 0] += 1  # one free → opening score off the sum
    assert not ner_decode.factored(broken)


def test_every_position_is_fixed() -> None:
    fixed = np.ones(3, dtype=bool)
    scores = np.zeros((3, len(TAGS)), dtype=np.float32)
    assert _decoded(scores, fixed, ner_decode.allowed_moves()) == [OUTSIDE] * 3
