"""Containers: titles in 《》 (DOCUMENT), quoted phrases in “” (QUOTE), the tagger's titles written
without 《》, and what they do to the atomic mentions: none may be cut by a container's edge, and a
person inside a title or inside cited remarks (resources/lexicons/citations.json) is its author, not a
person acting in the article.

>>> [(m.label, m.normalized) for m in find_titles("学习《条例》，“我为群众办实事”")]
[('DOCUMENT', '条例'), ('QUOTE', '我为群众办实事')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from transforms.entities.article import DOCUMENT, PERSON, QUOTE, Article, Mention
from transforms.entities.events import CLAUSE_END
from transforms.kit.lexicons import alternation, read_json

_TITLE = re.compile(r"《([^《》\n]{1,80})》|“([^“”\n]{1,60})”")


def find_titles(text: str) -> list[Mention]:
    """Titles in 《》 (DOCUMENT) and quoted phrases in “” (QUOTE), normalized to what is inside."""
    return [
        Mention(
            m.start(),
            m.end(),
            DOCUMENT if m.group(1) else QUOTE,
            (m.group(1) or m.group(2)).strip(),
            "pattern",
        )
        for m in _TITLE.finditer(text)
    ]


@cache
def _citation_pattern() -> re.Pattern[str]:
    lexicon = read_json("lexicons/citations.json")
    title = f"[^{re.escape(CLAUSE_END)}]{{2,40}}?的{alternation(lexicon['remarks'])}"
    openers = alternation(lexicon["openers"])
    return re.compile(f"{openers}(?P<title>(?!{openers}){title})")  # after the last of several openers


def find_citations(text: str) -> list[tuple[int, int]]:
    """Remarks cited by author and subject after a verb of study or implementation, from
    resources/lexicons/citations.json: a name inside is their author, not a person acting.

    >>> find_citations("深入学习贯彻习近平总书记关于文明创建工作的重要论述精神")
    [(6, 25)]
    >>> find_citations("习近平出席会议并发表重要讲话")  # no citation: a person acting
    []
    """
    return [m.span("title") for m in _citation_pattern().finditer(text)]


def titles(article: Article) -> None:
    """Component: titles in 《》 and quoted phrases in “” are containers.

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> article = Article.of("学习《条例》", [], Columns(), dt.date(2021, 10, 9))
    >>> titles(article)
    >>> [(m.normalized, m.label) for m in article.containers]
    [('条例', 'DOCUMENT')]
    """
    article.containers += find_titles(article.text)


def uncrossed(article: Article) -> None:
    """Component: no container crosses another (one of two crossing containers is surely wrong, and
    nothing tells which): both go.

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> from transforms.entities.article import EVENT, QUOTE
    >>> article = Article.of("学习条例大会", [], Columns(), dt.date(2021, 10, 9))
    >>> event = Mention(4, 6, EVENT, "大会", "pattern")
    >>> article.containers = [Mention(0, 2, QUOTE, "学习", "pattern"), event]
    >>> article.containers.append(Mention(1, 3, DOCUMENT, "习条", "pattern"))
    >>> uncrossed(article)
    >>> article.containers == [event]
    True
    """
    article.containers = _without_crossings(article.containers)


def untitled_documents(article: Article) -> None:
    """Component: the tagger's DOCUMENT spans (titles written without 《》) are containers where no
    other container lies.

    >>> import datetime as dt
    >>> from transforms.entities.article import Span
    >>> from transforms.records import Columns
    >>> article = Article.of("学习党章", [], Columns(), dt.date(2021, 10, 9), [Span(2, 4, DOCUMENT)])
    >>> untitled_documents(article)
    >>> [(m.normalized, m.method) for m in article.containers]
    [('党章', 'model')]
    """
    found, text = article.containers, article.text
    for start, end, label in article.spans or ():
        if label == DOCUMENT and not any(m.start < end and start < m.end for m in found):
            found.append(Mention(start, end, label, text[start:end], "model"))


def uncut(article: Article) -> None:
    """Component: the atomic mentions a container starts or ends inside go. Only an edge between two
    taken characters can cut one, so most articles need no look at each mention.

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> from transforms.entities.article import GOV, LOC, QUOTE
    >>> article = Article.of("河南省委文明办", [], Columns(), dt.date(2021, 10, 9))
    >>> place, body = Mention(0, 2, LOC, "河南", "model"), Mention(2, 4, GOV, "省委", "model")
    >>> article.claim(place), article.claim(body)
    (True, True)
    >>> article.containers = [Mention(1, 7, QUOTE, "南省委文明办", "pattern")]
    >>> uncut(article)
    >>> [m.normalized for m in article.mentions]
    ['省委']
    """
    edges = sorted({edge for container in article.containers for edge in (container.start, container.end)})
    if any(article.crossed(edge) for edge in edges):
        article.keep_only([m for m in article.mentions if not _straddles(edges, m)])


def authors_outside_titles(article: Article) -> None:
    """Component: no PERSON inside a DOCUMENT or inside cited remarks (`find_citations`): a name there is
    the author of the title (学习贯彻习近平总书记关于…的重要论述), not a person acting in the article.

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> article = Article.of("《习近平总书记关于…论述摘编》", [], Columns(), dt.date(2021, 10, 9))
    >>> article.containers = [Mention(0, 15, DOCUMENT, "习近平总书记关于…论述摘编", "pattern")]
    >>> article.claim(Mention(1, 4, PERSON, "习近平", "model"))
    True
    >>> authors_outside_titles(article)
    >>> article.mentions
    []
    """
    titled = find_citations(article.text) + [
        (m.start, m.end) for m in article.containers if m.label == DOCUMENT
    ]
    if titled:
        article.keep_only(
            [
                m
                for m in article.mentions
                if m.label != PERSON or not any(start <= m.start and m.end <= end for start, end in titled)
            ]
        )


def _without_crossings(found: list[Mention]) -> list[Mention]:
    """Drop every span that crosses another; a sweep in start order, so linear in practice."""
    ordered = sorted(found, key=lambda m: (m.start, -m.end))
    crossing: set[int] = set()
    for i, one in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            if ordered[j].start >= one.end:
                break
            if _crosses(one, ordered[j]):
                crossing.update((i, j))
    return [m for i, m in enumerate(ordered) if i not in crossing]


def _crosses(one: Mention, other: Mention) -> bool:
    """Whether two spans overlap without one containing the other."""
    overlap = one.start < other.end and other.start < one.end
    nested = (other.start <= one.start and one.end <= other.end) or (
        one.start <= other.start and other.end <= one.end
    )
    return overlap and not nested


def _straddles(edges: list[int], mention: Mention) -> bool:
    """Whether one of the sorted `edges` lies strictly inside the mention."""
    index = bisect_right(edges, mention.start)
    return index < len(edges) and edges[index] < mention.end
