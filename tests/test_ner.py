"""transforms.ner: the shipped model, features, exact chain repair, span decoding and batched tagging."""

from __future__ import annotations

import itertools
from importlib.resources import files

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from transforms import ner
from transforms.segment import split_sentences, tokenize

MODEL = files("transforms").joinpath("resources/ner_model.npz")
TEXTS = (
    "国务院总理李强会见巴基斯坦总理夏巴兹。",
    "",
    "10月8日下午，市委书记李国胜在商丘市民文明行为促进条例宣讲会上讲话，市委副书记、市长摆向阳主持。",
    "河南省人民政府办公厅印发通知",
)
ALLOWED = {
    (0, 0),
    (0, 1),
    (0, 4),
    (1, 2),
    (1, 3),
    (2, 2),
    (2, 3),
    (3, 0),
    (3, 1),
    (3, 4),
    (4, 0),
    (4, 1),
    (4, 4),
}


def test_the_model_file_is_at_most_50_mb() -> None:
    assert len(MODEL.read_bytes()) <= 50e6


def test_the_model_survives_a_save_and_load() -> None:
    model = ner.model()
    again = ner.load(ner.save(model))
    assert again.pos_ids == model.pos_ids and again.layout == model.layout
    assert np.array_equal(again.weights, model.weights) and np.array_equal(again.char_ids, model.char_ids)


def _chains(length: int) -> list[tuple[int, ...]]:
    """Every O/B/I/E/S sequence that starts and ends next to an O."""
    return [
        chain
        for chain in itertools.product(range(5), repeat=length)
        if all(pair in ALLOWED for pair in zip((0, *chain), (*chain, 0), strict=True))
    ]


@given(st.lists(st.lists(st.integers(-9, 9), min_size=5, max_size=5), min_size=1, max_size=5))
def test_best_chain_is_the_best_allowed_sequence(rows: list[list[int]]) -> None:
    def score(chain: tuple[int, ...]) -> int:
        return sum(row[tag] for row, tag in zip(rows, chain, strict=True))

    best = ner._best_chain([[float(x) for x in row] for row in rows])
    assert tuple(best) in _chains(len(rows))
    assert score(tuple(best)) == max(score(chain) for chain in _chains(len(rows)))


def test_a_span_takes_the_label_with_the_highest_total() -> None:
    scores = np.zeros((len(ner.TAGS), 3), dtype=np.float32)
    scores[ner.TAGS.index("B-GOV"), 0] = 3
    scores[ner.TAGS.index("B-ORG"), 0] = 2.5
    scores[ner.TAGS.index("I-ORG"), 1] = scores[ner.TAGS.index("E-ORG"), 2] = 2
    scores[ner.TAGS.index("I-GOV"), 1] = scores[ner.TAGS.index("E-GOV"), 2] = 1
    assert ner.decode(scores) == [(0, 3, "ORG")]


def test_spans_of_a_sentence() -> None:
    text = "国务院总理李强会见巴基斯坦总理夏巴兹。"
    sentences = split_sentences(text)
    words = tokenize(text, sentences).data
    model = ner.model()
    spans = ner.find_spans(text, ner.tokens_of(words["start"], words["end"], words["pos"], model.pos_ids))
    assert (5, 7, "PERSON") in spans and (9, 13, "LOC") in spans and (15, 18, "PERSON") in spans


def test_characters_outside_every_word_share_one_feature() -> None:
    model = ner.model()
    spaced = ner.feature_rows(model, "商丘 市", ner.tokens_of([0, 3], [2, 4], ["ns", "n"], model.pos_ids))
    assert spaced.shape == (ner.feature_count(), 4)
    pos_row = len(ner.UNIGRAM_OFFSETS) + len(ner.BIGRAM_OFFSETS) + ner.POS_OFFSETS.index(0)
    assert (
        spaced[pos_row, 2]
        == model.layout.pos_base + ner.POS_OFFSETS.index(0) * model.layout.pos_tags * ner.ROLES
    )


def _tokens(text: str, model: ner.Model) -> ner.Tokens:
    words = tokenize(text, split_sentences(text)).data
    return ner.tokens_of(words.get("start", []), words.get("end", []), words.get("pos", []), model.pos_ids)


def test_a_stream_gives_each_text_the_features_it_has_alone() -> None:
    model = ner.model()
    words = [_tokens(text, model) for text in TEXTS]
    laid = ner.stream(list(TEXTS), words)
    rows = ner.stream_rows(model, laid)
    for text, tokens, start in zip(TEXTS, words, laid.starts.tolist(), strict=True):
        assert np.array_equal(rows[:, start : start + len(text)], ner.feature_rows(model, text, tokens))


def test_one_pass_over_many_texts_equals_one_pass_per_text() -> None:
    model = ner.model()
    words = [_tokens(text, model) for text in TEXTS]
    assert ner.find_spans_all(list(TEXTS), words) == [
        ner.find_spans(text, tokens) for text, tokens in zip(TEXTS, words, strict=True)
    ]
    assert ner.find_spans_all([], []) == []
