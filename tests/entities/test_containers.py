"""transforms.entities.containers: a container's edge inside an atomic mention drops it."""

from __future__ import annotations

import datetime as dt

from transforms.entities.article import Article, Label, Mention
from transforms.entities.containers import uncut
from transforms.records import Columns

SEED_ISSUE = dt.date(2021, 10, 9)


def test_a_container_edge_inside_an_atomic_mention_drops_it() -> None:
    atomic = [Mention(0, 2, Label.LOC, "河南", "model"), Mention(2, 4, Label.GOV, "省委", "model")]
    for containers, kept in (
        ([Mention(2, 7, Label.QUOTE, "省委文明", "pattern")], atomic),
        ([Mention(1, 7, Label.QUOTE, "南省委文明", "pattern")], atomic[1:]),
    ):
        article = Article.of("河南省委文明办", [], Columns(), SEED_ISSUE)
        for mention in atomic:
            article.claim(mention)
        article.containers = containers
        uncut(article)
        assert article.mentions == kept
        assert article.is_free(0, 2) == (kept != atomic)
