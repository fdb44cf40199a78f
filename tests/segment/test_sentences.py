"""transforms.segment.sentences: sentence cases and coverage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.case_files import Case, load
from tests.segment.conftest import ALPHABET
from transforms.segment import split_sentences


@pytest.mark.parametrize("case", load("segment", "sentences"))
def test_sentence_cases(case: Case) -> None:
    text = case.input
    sentences = [[paragraph, text[start:end]] for paragraph, start, end in split_sentences(text)]
    assert sentences == case.wanted


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=160))
def test_sentences_cover_every_non_blank_character_once(body: str) -> None:
    covered = [0] * len(body)
    for paragraph, start, end in split_sentences(body):
        text = body[start:end]
        assert text == text.strip() and text and "\n" not in text
        assert paragraph == sum(1 for line in body[:start].split("\n")[:-1] if line.strip())
        for offset in range(start, end):
            covered[offset] += 1
    for char, count in zip(body, covered, strict=True):
        assert count == 1 or (count == 0 and char.isspace())
