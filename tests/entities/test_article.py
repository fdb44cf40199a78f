"""transforms.entities.article: the word edges of an article."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities.article import Words
from transforms.segment import split_sentences, tokenize

ALPHABET = "市委书记李国胜讲话摆向阳主持出席商丘河南省人民政府会议召开10月8日下午《条例》“文明”、，。 \n"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_word_edges_are_the_starts_and_ends_of_the_tokens(text: str) -> None:
    tokens = tokenize(text, split_sentences(text))
    words = Words.of(tokens, len(text))
    expected = set(tokens.data.get("start", [])) | set(tokens.data.get("end", []))
    assert [p for p in range(-1, len(text) + 2) if words.at_edge(p)] == sorted(expected)
