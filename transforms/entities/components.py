"""Entity mentions and person–post–action roles of one article: `COMPONENTS` run in order over it.

Each component is a small function of one `Article` (`transforms.entities.article`), in the module of
its rule family, with the lexicons it owns under resources/lexicons/. They run in order of trust: a
mention the patterns found (dates) claims its characters first, then the tagger's, then the lexicons',
then the names found by where they stand, then the names found again elsewhere. PERSON, POSITION, GOV,
ORG, LOC, DATE and TIME mentions never overlap one another; DOCUMENT, QUOTE and EVENT mentions
(containers) may contain them. A mention's `method` says which source found it: pattern, model,
lexicon, list or propagation.

To add a rule: write it as `component(article) -> None` with a doctest in its family's module, put its
lexicon under resources/lexicons/, add it to `COMPONENTS` where it belongs in the order, and add a case
file under tests/cases/entities/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from transforms.entities import (
    containers,
    dates,
    events,
    model,
    name_lists,
    names,
    ner,
    places,
    posts,
    propagation,
    roles,
    spans,
)
from transforms.entities.article import Article, Words, claim_candidates
from transforms.records import Columns
from transforms.segment.sentences import Sentence, split_sentences
from transforms.segment.tokens import tokenize_all

COMPONENTS: tuple[Callable[[Article], None], ...] = (
    spans.tagged,
    containers.titles,
    events.named_events,
    containers.uncrossed,
    containers.untitled_documents,
    dates.dated,
    model.model_mentions,
    posts.lexicon_posts,
    places.lexicon_places,
    posts.whole_posts,
    claim_candidates,
    containers.uncut,
    names.names_after_posts,
    names.complete_lists,
    name_lists.listed_names,
    propagation.one_label_per_name,
    propagation.propagate,
    containers.authors_outside_titles,
    roles.assign_roles,
)
"""What finds the mentions and roles of an article, in the order they run."""


@dataclass(frozen=True, slots=True)
class Entities:
    """What `extract` finds in an article: `mentions` and `roles` columns (schema MENTIONS, ROLES)."""

    mentions: Columns
    roles: Columns


def extract(
    text: str,
    sentences: list[Sentence],
    tokens: Columns,
    issue_date: dt.date,
    spans: list[tuple[int, int, str]] | None = None,
    components: Sequence[Callable[[Article], None]] = COMPONENTS,
) -> Entities:
    """Mentions and roles of an article `text` with its sentences and tokens (in text order, as
    `segment.tokenize` gives them): every component of `COMPONENTS` in turn.

    `spans` are the tagger's (start, end, label) spans of the article when the caller found them
    already (`ner.find_spans_all` tags every article of a file at once); else the tagger runs here.
    `components` are those of `COMPONENTS` to run (all but the one a test leaves out).

    >>> from transforms.segment import split_sentences, tokenize
    >>> body = "10月8日，市委书记李国胜讲话。"
    >>> sentences = split_sentences(body)
    >>> found = extract(body, sentences, tokenize(body, sentences), dt.date(2021, 10, 9))
    >>> mentions = found.mentions.data
    >>> list(zip(mentions["text"], mentions["label"], mentions["normalized"]))
    [('10月8日', 'DATE', '2021-10-08'), ('市委书记', 'POSITION', '市委书记'), ('李国胜', 'PERSON', '李国胜')]
    >>> found.roles.data["person"], found.roles.data["positions"], found.roles.data["action"]
    (['李国胜'], [['市委书记']], ['讲话'])
    """
    return _found(Article.of(text, sentences, tokens, issue_date, spans), components)


def _found(article: Article, components: Sequence[Callable[[Article], None]]) -> Entities:
    """What the components find in an article, run in order."""
    for component in components:
        component(article)
    return Entities(article.mention_columns(), article.roles)


def extract_texts(texts: list[str], issue_date: dt.date) -> list[Entities]:
    """Entities of many short texts at once (headlines, digest items, feed titles): each cut into
    sentences and words, then `extract_all`, so that the tagger runs once over all of them.

    >>> found = extract_texts(["市委书记李国胜讲话。", "市长摆向阳主持。"], dt.date(2021, 10, 9))
    >>> [article.roles.data.get("person") for article in found]
    [['李国胜'], ['摆向阳']]
    """
    split = [split_sentences(text) for text in texts]
    return extract_all(texts, split, tokenize_all(texts, split), issue_date)


def extract_all(
    texts: list[str],
    sentences: list[list[Sentence]],
    tokens: list[Columns],
    issue_date: dt.date | Sequence[dt.date],
) -> list[Entities]:
    """`extract` of every article of one file; the tagger tags them all in one pass (`ner.find_spans_all`).
    `issue_date` anchors relative dates: one for the file, or one per article (the story's own date).

    >>> from transforms.segment import split_sentences, tokenize
    >>> bodies = ["市委书记李国胜讲话。", "", "市长摆向阳主持。"]
    >>> sentences = [split_sentences(body) for body in bodies]
    >>> tokens = [tokenize(body, found) for body, found in zip(bodies, sentences)]
    >>> found = extract_all(bodies, sentences, tokens, dt.date(2021, 10, 9))
    >>> [article.roles.data.get("person") for article in found]
    [['李国胜'], [], ['摆向阳']]
    """
    trained = ner.model()
    words = [Words.of(columns, len(text)) for text, columns in zip(texts, tokens, strict=True)]
    located = [ner.tokens_of(w.starts, w.ends, w.tags, trained.pos_ids) for w in words]
    spans = ner.find_spans_all(texts, located, trained)
    # One Article at a time: what its components find is garbage once its columns are out (holding
    # every article of a file till the end made the garbage collector run three times as often).
    anchors = [issue_date] * len(texts) if isinstance(issue_date, dt.date) else issue_date
    return [
        _found(Article.of_words(text, split, words_of, anchor, found), COMPONENTS)
        for text, split, words_of, anchor, found in zip(texts, sentences, words, anchors, spans, strict=True)
    ]
