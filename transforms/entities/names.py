"""Names the tagger missed, found by where bulletins write them: right after the post of an office, and
in a list of names (surnames: resources/lexicons/surnames.txt).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from transforms.entities.article import PERSON, POSITION, Article, Mention
from transforms.entities.posts import is_office
from transforms.kit.lexicons import read_lines

_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,3}")
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg"})  # the tokenizer's tags of personal names
_NAME_COUNT = 1000
"""How often the tokenizer's dictionary counts a common word before it can be no name (文化 34,860; the
name 程志 261)."""


@cache
def surnames() -> frozenset[str]:
    """Chinese surnames, single and compound (resources/lexicons/surnames.txt).

    >>> "王" in surnames(), "欧阳" in surnames(), "会" in surnames()
    (True, True, False)
    """
    return frozenset(read_lines("lexicons/surnames.txt"))


def names_after_posts(article: Article) -> None:
    """Component: a word of 2+ characters tagged as a personal name right after the post of an office is
    a PERSON the tagger missed: bulletins name an official after the post (`俄罗斯总统普京表示`). Not
    after a role or a trade (`专家陈述己见`): there the tag is too often wrong.

    >>> import datetime as dt
    >>> article = Article.parse("俄罗斯总统普京表示", dt.date(2024, 1, 1))
    >>> article.claim(Mention(0, 5, POSITION, "俄罗斯总统", "model"))
    True
    >>> names_after_posts(article)
    >>> article.mentions[1:]
    [Mention(start=5, end=7, label='PERSON', normalized='普京', method='list')]
    """
    text, words = article.text, article.words
    starts, ends, tags = words.start_list, words.end_list, words.tags
    for post in list(article.mentions):
        if post.label != POSITION or not is_office(post.normalized):
            continue
        index = bisect_left(starts, post.end)
        if index == len(starts) or starts[index] != post.end or tags[index] not in _NAME_TAGS:
            continue
        start, end = starts[index], ends[index]
        if end - start > 1:
            article.claim(Mention(start, end, PERSON, text[start:end], "list"))


def complete_lists(article: Article) -> None:
    """Component: names missed in a list of names (`张家明、王全周、罗军出席`): a 2–3 character word right
    after or before the `、` next to a PERSON, starting with a surname, on word edges, and not one common
    word (`晋商文化、古建筑`: 文 is a surname, 文化 no name).
    >>> import datetime as dt
    >>> article = Article.parse("市领导张家明、王全周、罗军出席", dt.date(2021, 10, 9))
    >>> article.claim(Mention(3, 6, PERSON, "张家明", "model"))
    True
    >>> complete_lists(article)
    >>> [(m.normalized, m.method) for m in article.mentions]
    [('张家明', 'model'), ('王全周', 'list'), ('罗军', 'list')]
    """
    text, words = article.text, article.words
    if "、" not in text:
        return
    names = surnames()
    pending = [m for m in article.mentions if m.label == PERSON]
    while pending:
        person = pending.pop()
        candidates = []
        if text[person.end : person.end + 1] == "、":
            candidates += [(person.end + 1, person.end + 1 + size) for size in (3, 2)]
        if person.start and text[person.start - 1] == "、":
            candidates += [(person.start - 1 - size, person.start - 1) for size in (3, 2)]
        for start, end in candidates:
            word = text[max(start, 0) : end]
            if (
                start >= 0
                and words.at_edge(start)
                and words.at_edge(end)
                and _LIST_ITEM.fullmatch(word)
                and (word[:1] in names or word[:2] in names)
                and not words.common(start, end, _NAME_COUNT)
                and article.claim(name := Mention(start, end, PERSON, word, "list"))
            ):
                pending.append(name)
                break
