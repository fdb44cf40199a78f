"""transforms.segment.articles: article boundaries, titles, leads and the ToC summary."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.eval_segment import (
    markdown_bulletin,
    plain_bulletin,
    prepared_seed,
    project_heads,
    score_boundaries,
)
from tests.case_files import Case, load
from tests.segment.conftest import ALPHABET
from transforms.segment import split_articles

SEED_TITLE = "全市深化全国文明城市创建工作推进会召开 李国胜讲话 摆向阳主持 吴祖明周树群出席"


@pytest.mark.parametrize("case", load("segment", "articles") + load("segment", "articles_single"))
def test_article_cases(case: Case) -> None:
    text = case.input
    bulletin = split_articles(text)
    articles = [
        {"title": a.title, "source": a.source, "dateline": a.dateline, "body": text[a.start : a.end]}
        for a in bulletin.articles
    ]
    assert {"summary": bulletin.summary, "articles": articles} == case.wanted


def test_the_seed_is_one_article_with_its_headline() -> None:
    seed = prepared_seed()
    [article] = split_articles(seed).articles
    body = seed[article.start : article.end]
    assert article.title == SEED_TITLE
    assert "10月8日下午,全市深化" in body and "会上,王全周对深化全国文明城市创建工作进行了安排部署。" in body


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET + "#*-[]央视网消息本报讯新华社编辑查看原文", max_size=200))
def test_article_spans_are_ordered_and_inside_the_text(text: str) -> None:
    end = 0
    for article in split_articles(text).articles:
        assert end <= article.head <= article.start <= article.end <= len(text)
        assert text[article.start : article.end] == text[article.start : article.end].strip()
        end = article.end


def test_xwlb_article_boundaries_meet_the_targets(xwlb_sample: list[str]) -> None:
    plain = score_boundaries([plain_bulletin(markdown) for markdown in xwlb_sample], project_heads)
    markdown = score_boundaries([markdown_bulletin(markdown) for markdown in xwlb_sample], project_heads)
    assert plain.gold > 900
    assert plain.f1 >= 0.97 and plain.title_rate >= 0.97
    assert markdown.f1 >= 0.995 and markdown.title_rate >= 0.995
