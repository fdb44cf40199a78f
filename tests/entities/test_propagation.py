"""transforms.entities.propagation: a name found again only on word edges."""

from __future__ import annotations

import datetime as dt

from transforms.entities.article import Article, Label, Mention
from transforms.entities.propagation import propagate
from transforms.records import Columns

SEED_ISSUE = dt.date(2021, 10, 9)


def test_propagation_tags_other_occurrences_on_word_boundaries() -> None:
    text = "李国胜讲话。李国胜强调。李国胜们"
    tokens = Columns(
        {"start": [0, 3, 6, 9, 12], "end": [3, 6, 9, 12, 16], "token": [""] * 5, "pos": ["nr"] * 5}
    )
    article = Article.of(text, [], tokens, SEED_ISSUE)
    article.claim(Mention(0, 3, Label.PERSON, "李国胜", "model"))
    propagate(article)
    assert [(m.start, m.method) for m in article.mentions] == [(0, "model"), (6, "propagation")]
