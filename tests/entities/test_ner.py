"""transforms.ner: the shipped model, its features and batched tagging."""

from __future__ import annotations

import dataclasses
from importlib.resources import files

import numpy as np
import pytest

from transforms.entities import ner, ner_decode
from transforms.segment import split_sentences, tokenize

MODEL = files("transforms").joinpath("resources/ner_model.npz")
TEXTS = (
    "国务院总理李强会见巴基斯坦总理夏巴兹。",
    "",
    "10月8日下午，市委书记李国胜在商丘市民文明行为促进条例宣讲会上讲话，市委副书记、市长摆向阳主持。",
    "河南省人民政府办公厅印发通知",
)


def _tokens(text: str, model: ner.Model) -> ner.Tokens:
    words = tokenize(text, split_sentences(text)).data
    return ner.tokens_of(words.get("start", []), words.get("end", []), words.get("pos", []), model.pos_ids)


def test_the_model_file_is_at_most_50_mb() -> None:
    assert len(MODEL.read_bytes()) <= 50e6


def test_the_model_survives_a_save_and_load() -> None:
    model = ner.model()
    again = ner.load(ner.save(model))
    assert again.pos_ids == model.pos_ids and again.layout == model.layout and again.breaks == model.breaks
    assert np.array_equal(again.weights, model.weights) and np.array_equal(again.char_ids, model.char_ids)
    assert np.array_equal(again.transitions, model.transitions)


def test_the_shipped_transitions_have_the_shape_the_decoder_needs() -> None:
    assert ner_decode.factored(ner.model().transitions)


def test_a_model_the_decoder_cannot_use_is_refused() -> None:
    model = ner.model()
    transitions = model.transitions.copy()
    transitions[ner_decode.OUTSIDE, 0] += 1  # O → B-PERSON off the sum of leaving and entering
    with pytest.raises(ValueError, match="not a leaving plus an entering"):
        ner.load(ner.save(dataclasses.replace(model, transitions=transitions)))


def test_spans_of_a_sentence() -> None:
    model = ner.model()
    text = TEXTS[0]
    spans = ner.find_spans(text, _tokens(text, model))
    assert (5, 7, "PERSON") in spans and (9, 13, "LOC") in spans and (15, 18, "PERSON") in spans


def test_one_pass_over_many_texts_equals_one_pass_per_text() -> None:
    model = ner.model()
    words = [_tokens(text, model) for text in TEXTS]
    assert ner.find_spans_all(list(TEXTS), words) == [
        ner.find_spans(text, tokens) for text, tokens in zip(TEXTS, words, strict=True)
    ]
    assert ner.find_spans_all([], []) == []


def test_break_characters_are_never_inside_a_span() -> None:
    model = ner.model()
    text = TEXTS[2]
    spans = ner.find_spans(text, _tokens(text, model))
    assert spans
    for start, end, _ in spans:
        assert not set(text[start:end]) & set(model.breaks)


def test_a_stream_gives_each_text_the_features_it_has_alone() -> None:
    model = ner.model()
    words = [_tokens(text, model) for text in TEXTS]
    laid = ner.stream(list(TEXTS), words)
    rows = ner.stream_rows(model, laid)
    for text, tokens, start in zip(TEXTS, words, laid.starts.tolist(), strict=True):
        alone = ner.stream_rows(model, ner.stream([text], [tokens]))
        assert np.array_equal(rows[:, start : start + len(text)], alone[:, ner.GAP : ner.GAP + len(text)])


def test_characters_outside_every_word_share_one_feature() -> None:
    model = ner.model()
    laid = ner.stream(["商丘 市"], [ner.tokens_of([0, 3], [2, 4], ["ns", "n"], model.pos_ids)])
    rows = ner.stream_rows(model, laid)
    assert rows.shape == (ner.feature_count(), 4 + 2 * ner.GAP)
    pos_row = len(ner.UNIGRAM_OFFSETS) + len(ner.NGRAMS) + ner.POS_OFFSETS.index(0)
    blank = laid.starts[0] + 2
    assert (
        rows[pos_row, blank]
        == model.layout.pos_base + ner.POS_OFFSETS.index(0) * model.layout.pos_tags * ner.ROLES
    )


def test_the_words_of_the_shipped_clusters_find_their_cluster() -> None:
    model = ner.model()
    assert len(model.cluster_keys) > 10_000 and bool(np.all(np.diff(model.cluster_keys) > 0))
    text = "习近平会见王毅"
    ids = model.char_ids[[ord(char) for char in text]].astype(np.int64)
    clusters = (model.cluster_keys, model.cluster_ids)
    _, _, known = ner.word_roles(ids, _tokens(text, model), clusters)
    unknown = ner.word_roles(ids, ner.tokens_of([0], [7], ["n"], model.pos_ids), clusters)[2]
    assert (known // ner.ROLES >= 2).all()  # 1 + cluster: every word is in a cluster
    assert (unknown // ner.ROLES == 1).all()  # a word no cluster holds
