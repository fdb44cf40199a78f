"""transforms.segment.tokens: words, tags and the user dictionary."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.eval_segment import (
    bulletin_bodies,
    plain_bulletin,
)
from tests.segment.conftest import ALPHABET
from transforms.records import Columns
from transforms.segment import split_articles, split_sentences, tokenize, tokenize_all
from transforms.segment.tokens import Tagger, corrected_tags, tagger, user_dictionary


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("全市深化全国文明城市创建工作推进会召开", "全国文明城市"),
        ("市委副书记、市长摆向阳主持", "市委副书记"),
        ("市委副书记、市长摆向阳主持", "摆向阳"),
        ("市委书记李国胜讲话", "市委书记"),
        ("市人大常委会主任周树群出席", "市人大常委会"),
        ("市人大常委会主任周树群出席", "周树群"),
    ],
)
def test_posts_bodies_policy_terms_and_names_of_the_seed_are_single_words(sentence: str, unit: str) -> None:
    assert unit in tokenize(sentence, split_sentences(sentence)).data["token"]


def test_every_user_dictionary_word_is_one_word_with_its_tag() -> None:
    split = {
        word: tags
        for word, (_, tag) in user_dictionary().items()
        if (tags := tagger()(word)) != ([word], [tag])
    }
    assert split == {}


def test_every_corrected_word_is_cut_whole_with_another_tag_and_comes_out_corrected() -> None:
    alone = {word: tagger().jieba.tag(word) for word in corrected_tags()}
    stale = {
        word: tags for word, tags in alone.items() if len(tags) != 1 or tags[0][1] == corrected_tags()[word]
    }
    assert stale == {}
    wrong = {
        word: tags for word, tag in corrected_tags().items() if (tags := tagger()(word)) != ([word], [tag])
    }
    assert wrong == {}


def test_tokens_keep_numbers_whole_and_drop_blanks() -> None:
    body = "同比增长0.7%，19:00开始。\n\n  全国文明城市 创建"
    columns = tokenize(body, split_sentences(body)).data
    assert columns["token"] == [
        "同比",
        "增长",
        "0.7%",
        "，",
        "19",
        ":",
        "00",
        "开始",
        "。",
        "全国文明城市",
        "创建",
    ]
    assert columns["sentence"] == [0] * 9 + [1, 1]
    assert columns["index"] == [*range(9), 0, 1]
    assert columns["pos"][2] == "m"


def test_nothing_to_segment_gives_empty_rows() -> None:
    assert split_articles("").articles == []
    assert split_sentences(" \n\u3000") == []
    columns = tokenize("", [])
    assert isinstance(columns, Columns)
    assert sorted(columns.data) == ["end", "index", "pos", "sentence", "start", "token"]
    assert len(columns) == 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=160))
def test_tokens_reproduce_their_sentences(body: str) -> None:
    sentences = split_sentences(body)
    columns = tokenize(body, sentences).data
    rows = list(
        zip(
            columns["sentence"],
            columns["index"],
            columns["start"],
            columns["end"],
            columns["token"],
            strict=True,
        )
    )
    for number, (_, sentence_start, sentence_end) in enumerate(sentences):
        words = [row for row in rows if row[0] == number]
        assert [row[1] for row in words] == list(range(len(words)))
        assert all(sentence_start <= start < end <= sentence_end for _, _, start, end, _ in words)
        assert "".join(token for *_, token in words) == re.sub(r"\s", "", body[sentence_start:sentence_end])
    assert all(body[start:end] == token and not token.isspace() for _, _, start, end, token in rows)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=160), max_size=7))
def test_tokenizing_a_file_at_once_equals_tokenizing_each_article(bodies: list[str]) -> None:
    sentences = [split_sentences(body) for body in bodies]
    batched = tokenize_all(bodies, sentences)
    assert [columns.data for columns in batched] == [
        tokenize(body, spans).data for body, spans in zip(bodies, sentences, strict=True)
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=80), max_size=4))
def test_the_tagger_equals_rjieba_tag_whatever_came_before(texts: list[str]) -> None:
    tag = tagger()
    for text in texts:
        expected = [(word, tag.fixed_tags.get(word, pos)) for word, pos in tag.jieba.tag(text)]
        assert list(zip(*tag(text), strict=True)) == expected


def test_a_new_word_that_rjieba_cuts_differently_alone_is_tagged_in_context() -> None:
    fresh = Tagger()
    assert fresh.jieba.tag("两国") == [("两", "m"), ("国", "n")]
    assert list(zip(*fresh("十年来两国合作"), strict=True)) == fresh.jieba.tag("十年来两国合作")


def test_xwlb_words_are_the_same_one_article_at_a_time_or_a_bulletin_at_once(xwlb_sample: list[str]) -> None:
    for markdown in xwlb_sample[::4]:
        bodies = bulletin_bodies(plain_bulletin(markdown)[0])
        sentences = [split_sentences(body) for body in bodies]
        expected = [tokenize(body, spans).data for body, spans in zip(bodies, sentences, strict=True)]
        assert [columns.data for columns in tokenize_all(bodies, sentences)] == expected
