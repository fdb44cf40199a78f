"""transforms.entities.article: the word edges of an article."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.entities.conftest import ALPHABET
from transforms.entities.article import Words
from transforms.segment import split_sentences, tokenize


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_word_edges_are_the_starts_and_ends_of_the_tokens(text: str) -> None:
    tokens = tokenize(text, split_sentences(text))
    words = Words.of(tokens, len(text))
    expected = set(tokens.data.get("start", [])) | set(tokens.data.get("end", []))
    assert [p for p in range(-1, len(text) + 2) if words.at_edge(p)] == sorted(expected)
