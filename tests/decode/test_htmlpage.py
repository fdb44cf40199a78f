"""htmlpage: an HTML page's article with its own title, date and source, or no story for a list page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.case_files import Case, load
from transforms.decode.htmlpage import page_documents
from transforms.pipeline import read_articles
from transforms.records import FileMeta


@pytest.mark.parametrize("case", load("decode", "html_page_documents"))
def test_page_documents(case: Case) -> None:
    documents, expected = page_documents(case.input), case.wanted
    if "stories" in expected:
        assert len(documents) == expected["stories"]
        return
    [document] = documents
    date = dt.date.fromisoformat(expected["date"]) if expected["date"] else None
    assert (document.title, document.date, document.source) == (expected["title"], date, expected["source"])
    assert not document.stories and document.text


LEAD = "，本报记者从有关部门获悉，这项工作进展顺利，各地积极推进落实。"
STORIES = [
    ("甲地召开经济工作会议", "甲地" + LEAD),
    ("乙地重点工程开工", "乙地" + LEAD),
    ("丙地秋粮喜获丰收", "丙地" + LEAD),
]


def _articles(html: str) -> list[tuple[str | None, str]]:
    reading = read_articles(html.encode(), FileMeta("page.html", dt.date(2024, 1, 5)), "html")
    return [(a.title, a.body) for a in reading.articles]


def test_a_digest_of_linked_headlines_gives_one_article_per_story() -> None:
    items = "".join(
        f"<div class='item'><h3><a href='/{i}'>{title}</a></h3><p>{lead}</p><p>第二段。</p></div>"
        for i, (title, lead) in enumerate(STORIES)
    )
    html = f"<html><head><title>要闻摘要</title></head><body><div class='list'>{items}</div></body></html>"
    assert _articles(html) == [(title, f"{lead}\n\n第二段。") for title, lead in STORIES]


def test_an_article_is_never_split_at_its_subheads() -> None:
    parts = "".join(f"<h2>{title}</h2><p>{lead}</p>" for title, lead in STORIES)
    body = f"<div class='article'><h1>会议召开</h1>{parts}</div>"
    html = f"<html><head><title>会议召开</title></head><body>{body}</body></html>"
    [(title, body)] = _articles(html)
    assert title == "会议召开" and body.startswith(STORIES[0][0]) and STORIES[2][1] in body
