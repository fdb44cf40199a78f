"""A name recognized once in an article is the same name wherever the article writes it again."""

from __future__ import annotations

from transforms.entities.article import LOC, PROPAGATED, Article, Label, Mention
from transforms.entities.places import normalize_place


def one_label_per_name(article: Article) -> None:
    """Component: the tagger's mentions of one name (2+ characters) in an article all take the label it
    gave that name most often, the first one given on a tie (`在习近平主席…` tagged LOC where the
    article's other 习近平 are PERSON).

    >>> import datetime as dt
    >>> from transforms.entities.article import LOC, PERSON
    >>> article = Article.parse("习近平指出。在习近平主席引领下。习近平强调。", dt.date(2024, 1, 1))
    >>> for start, label in ((0, PERSON), (7, LOC), (16, PERSON)):
    ...     _ = article.claim(Mention(start, start + 3, label, "习近平", "model"))
    >>> one_label_per_name(article)
    >>> [m.label.value for m in article.mentions]
    ['PERSON', 'PERSON', 'PERSON']
    """
    text = article.text
    votes: dict[str, dict[Label, int]] = {}
    for m in article.mentions:
        if m.method == "model" and m.label in PROPAGATED and m.end - m.start >= 2:
            counts = votes.setdefault(text[m.start : m.end], {})
            counts[m.label] = counts.get(m.label, 0) + 1
    winners = {name: max(counts, key=counts.__getitem__) for name, counts in votes.items() if len(counts) > 1}
    if not winners:
        return
    relabelled = []
    for m in article.mentions:
        label = winners.get(text[m.start : m.end]) if m.method == "model" else None
        if label is None or label == m.label:
            relabelled.append(m)
            continue
        surface = text[m.start : m.end]
        normalized = normalize_place(surface) if label == LOC else surface
        relabelled.append(m._replace(label=label, normalized=normalized))
    article.mentions = relabelled


def propagate(article: Article) -> None:
    """Component: every other occurrence of a recognized name (PERSON, ORG, GOV, LOC, 2+ characters) on
    word edges, where no mention lies yet, is that name too.

    >>> import datetime as dt
    >>> from transforms.entities.article import PERSON
    >>> article = Article.parse("李国胜讲话。李国胜强调。", dt.date(2024, 1, 1))
    >>> article.claim(Mention(0, 3, PERSON, "李国胜", "model"))
    True
    >>> propagate(article)
    >>> [(m.start, m.method) for m in article.mentions]
    [(0, 'model'), (6, 'propagation')]
    """
    text, edges = article.text, article.words.edges
    known: dict[str, Mention] = {}
    for m in article.mentions:
        if m.label in PROPAGATED and m.end - m.start >= 2:
            known.setdefault(text[m.start : m.end], m)
    for surface, first in known.items():
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            # is_free first: most occurrences are taken (by the mention found first), and a Mention costs
            if edges[start] and edges[end] and article.is_free(start, end):
                article.claim(Mention(start, end, first.label, first.normalized, "propagation"))
            start = text.find(surface, end)
