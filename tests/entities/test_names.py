"""transforms.entities.names: a list of names completed from the surnames."""

from __future__ import annotations

import datetime as dt

from transforms.entities.article import Article, Label, Mention
from transforms.entities.names import complete_lists

SEED_ISSUE = dt.date(2021, 10, 9)


def test_a_list_of_names_is_completed_from_surnames() -> None:
    text = "市领导张家明、王全周、罗军出席"
    article = Article.parse(text, SEED_ISSUE)
    article.claim(Mention(3, 6, Label.PERSON, "张家明", "model"))
    complete_lists(article)
    assert [(text[m.start : m.end], m.method) for m in article.mentions] == [
        ("张家明", "model"),
        ("王全周", "list"),
        ("罗军", "list"),
    ]
