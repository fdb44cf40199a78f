"""The statistical tagger's spans (`transforms.entities.ner`) as mentions, and the rules that keep the
tagger from the shapes of bulletin text it gets wrong.

The component `model_mentions` turns the tagger's spans (`transforms.entities.spans`) into mentions by
three tables of rules, in order:

1. a span is dropped when a rule of `NOT_NAMES` says its name is no entity (a common noun, a bracket or
   a side of talks taken for a person, a title mark inside, an action word taken for a post), or a rule
   of `NOT_HERE` says so of the span where it stands (it cuts a word, it is a sector in a list of
   sectors);
2. a pair of countries named by one character each (`中马两国`) is two places;
3. `RELABELS`: the first of them that knows the span gives its label (a publisher is an ORG, the
   organizations lexicon knows armed forces and organizations, a body is a GOV, the gazetteer's places
   are LOCs).

A place is then cut at the conjunctions it holds and written in full. Lexicons:
resources/lexicons/common_nouns.txt, organizations.tsv.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cache

from transforms.entities.article import (
    DOCUMENT,
    GOV,
    LOC,
    ORG,
    PERSON,
    POSITION,
    Article,
    Label,
    Mention,
    Span,
)
from transforms.entities.places import is_country_pair, is_place, normalize_place
from transforms.entities.posts import is_body
from transforms.entities.roles import actions
from transforms.kit.lexicons import read_lines, read_pairs
from transforms.kit.publishers import is_publisher
from transforms.segment.tokens import user_dictionary

_ITEM_COUNT = 100
"""How often the tokenizer's dictionary counts a common word before it can be no entity in a list of
sectors (民生 453)."""
_TITLE_MARKS = frozenset("《》“”")
_NO_PERSON = re.compile(r"[（(].*|.方[愿为将同与和]|[A-Z]{2,}")
"""No personal name: a bracketed abbreviation (（PPI）), a side of talks and its verb (埃方愿, 德方为), an
abbreviation in capitals (PMI, GMP)."""
_MODEL_OR_MAIL = re.compile(r"[A-Za-z][A-Za-z.\-]*(?=[0-9@])")
"""No personal name either: Latin letters before a number or an @ (Mate60, the name of an e-mail)."""
_PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})
"""The tokenizer's tags of names, places, organizations and other proper nouns."""
_LISTED_LABELS = frozenset({ORG, LOC})
"""Labels the tagger gives an item of a list of sectors (民航)."""
_PAIRED_LABELS = frozenset({LOC, ORG, GOV})
"""Labels the tagger gives a pair of countries as one span (中马)."""
_ITEM_ENDS = frozenset("、，,。；;：:！？\n “”《》（）()等和及与")


@cache
def organizations() -> dict[str, Label]:
    """Armed forces (GOV) and other organizations (ORG) the tagger mistakes for persons or places: name →
    label (resources/lexicons/organizations.tsv).

    >>> organizations()["乌军"], organizations()["哈马斯"]
    ('GOV', 'ORG')
    """
    return {name: Label(label) for name, label in read_pairs("lexicons/organizations.tsv").items()}


@cache
def common_nouns() -> frozenset[str]:
    """Common nouns the tagger takes for names on their own (resources/lexicons/common_nouns.txt).

    >>> "暴雪" in common_nouns(), "国家邮政局" in common_nouns()
    (True, False)
    """
    return frozenset(read_lines("lexicons/common_nouns.txt"))


def _common_noun(surface: str, label: Label) -> bool:
    """A common noun the tagger takes for a name (民航, 暴雪: `common_nouns`)."""
    return surface in common_nouns()


def _bracket_or_side(surface: str, label: Label) -> bool:
    """A person that is a bracketed abbreviation or a side of talks (`_NO_PERSON`)."""
    return label == PERSON and _NO_PERSON.fullmatch(surface) is not None


def _model_or_mail(article: Article, span: Span) -> bool:
    """A person that is Latin letters before a number or an @ (`_MODEL_OR_MAIL`: 华为Mate60)."""
    shape = _MODEL_OR_MAIL.match(article.text, span.start)
    return shape is not None and shape.end() == span.end


def _title_mark(surface: str, label: Label) -> bool:
    """A span holding a title mark: the containers have the titles."""
    return not _TITLE_MARKS.isdisjoint(surface)


def _cuts_word(article: Article, span: Span) -> bool:
    """A span starting or ending inside a word that no entity cuts: a numeral (全国政协十 of 十四届), and
    for a person a word of the user dictionary (村振兴 of 乡村振兴).

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> columns = Columns({"start": [0, 2, 6], "end": [2, 6, 9], "token": ["推进", "乡村振兴", "十四届"]})
    >>> columns.data["pos"] = ["v", "nz", "m"]
    >>> article = Article.of("推进乡村振兴十四届", [], columns, dt.date(2024, 1, 1))
    >>> [_cuts_word(article, Span(*span)) for span in ((3, 6, "PERSON"), (3, 6, "ORG"), (2, 7, "ORG"))]
    [True, False, True]
    """
    words = article.words
    starts = words.start_list
    for edge in (span.start, span.end):
        index = bisect_right(starts, edge) - 1
        if not (index >= 0 and starts[index] < edge < words.end_list[index]):
            continue
        if words.tags[index] == "m" or (span.label == PERSON and words.tokens[index] in user_dictionary()):
            return True
    return False


def _sector_in_list(article: Article, span: Span) -> bool:
    """An organization or place made of common words, listed with `、` among items that hold no span: a
    list of sectors (`铁路、公路、水路、民航`, `能源、交通、水利等`), not of entities.

    >>> import datetime as dt
    >>> article = Article.parse("能源、交通、水利等", dt.date(2024, 1, 1))
    >>> article.spans = [Span(3, 5, ORG)]
    >>> _sector_in_list(article, article.spans[0])
    True
    >>> article.spans.append(Span(6, 8, ORG))
    >>> _sector_in_list(article, article.spans[0])
    False
    """
    text, (start, end, _) = article.text, span
    before = start > 0 and text[start - 1] == "、"
    after = text[end : end + 1] == "、"
    if not (before or after) or end - start < 2 or not article.words.common(start, end, _ITEM_COUNT):
        return False
    items = _neighbour_items(text, start, end, before, after)
    listed = [(first, last) for first, last in items if first < last]
    others = [s for s in article.spans or () if s.label != DOCUMENT]
    return len(listed) == len(items) and not any(
        first < other.end and other.start < last for first, last in listed for other in others
    )


def _neighbour_items(text: str, start: int, end: int, before: bool, after: bool) -> list[tuple[int, int]]:
    """The items of a list next to `start`–`end`: the one before the `、` before it, the one after the
    `、` after it, each to the nearest item end (`_ITEM_ENDS`).

    >>> _neighbour_items("能源、交通、水利等", 3, 5, True, True)
    [(0, 2), (6, 8)]
    """
    items = []
    if before:
        first = start - 1
        while first > 0 and text[first - 1] not in _ITEM_ENDS:
            first -= 1
        items.append((first, start - 1))
    if after:
        last = end + 1
        while last < len(text) and text[last] not in _ITEM_ENDS:
            last += 1
        items.append((end + 1, last))
    return items


def _action_word(surface: str, label: Label) -> bool:
    """A post that is an action word (赵乐际主持会议: no post 主持)."""
    return label == POSITION and surface in actions().recorded


NOT_NAMES: tuple[Callable[[str, Label], bool], ...] = (
    _common_noun,
    _bracket_or_side,
    _title_mark,
    _action_word,
)
"""The rules under which a name the tagger labelled is no entity, wherever it stands."""


NOT_HERE: tuple[tuple[frozenset[Label], Callable[[Article, Span], bool]], ...] = (
    (frozenset(Label), _cuts_word),
    (_LISTED_LABELS, _sector_in_list),
    (frozenset({PERSON}), _model_or_mail),
)
"""The rules under which a span of the tagger is no entity where it stands, with the labels they judge."""


def _publisher(surface: str, label: Label) -> Label | None:
    """A news publisher (央视网, 商丘日报) is an ORG."""
    return ORG if is_publisher(surface) else None


def _organization(surface: str, label: Label) -> Label | None:
    """An armed force or organization of the lexicon (乌军, 哈马斯: the tagger called them persons)."""
    return organizations().get(surface)


def _body(surface: str, label: Label) -> Label | None:
    """An ORG or LOC the post lexicon knows as a body (中国人民银行) is a GOV."""
    return GOV if label in (ORG, LOC) and is_body(surface) else None


def _place(surface: str, label: Label) -> Label | None:
    """A place of the gazetteer (顿涅茨克, 尼日尔) is a LOC."""
    return LOC if is_place(surface) else None


RELABELS: tuple[Callable[[str, Label], Label | None], ...] = (_publisher, _organization, _body, _place)
"""The lexicons that correct the tagger's label: the first that knows a span decides."""


_JUDGED: dict[Label, dict[str, Label | None]] = {label: {} for label in Label}
"""`entity_label`'s answers by label and name: names recur across articles. Plain dicts of strings, not
an lru_cache, whose entries (tuples and lists) the garbage collector would walk again and again."""
_JUDGED_LIMIT = 1 << 15
"""Names remembered per label before the memo starts over (bounds memory)."""


def entity_label(surface: str, label: Label) -> Label | None:
    """The label of a name the tagger labelled `label`: None if a rule of `NOT_NAMES` says it is no
    entity, else the label of the first of `RELABELS` that knows it, else the tagger's.

    >>> [entity_label(name, PERSON) for name in ("（PPI）", "央视网", "李强")]
    [None, 'ORG', 'PERSON']
    """
    judged = _JUDGED[label]
    if surface in judged:
        return judged[surface]
    if len(judged) >= _JUDGED_LIMIT:
        judged.clear()
    found = judged[surface] = _judged(surface, label)
    return found


def _judged(surface: str, label: Label) -> Label | None:
    """`entity_label` without the memo."""
    for rule in NOT_NAMES:
        if rule(surface, label):
            return None
    for relabel in RELABELS:
        found = relabel(surface, label)
        if found is not None:
            return found
    return label


def model_mentions(article: Article) -> None:
    """Component: the tagger's spans (but DOCUMENT, a container) as mentions waiting for their claim,
    by the rules of the module docstring.

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> article = Article.of("中马两国和暴雪", [], Columns(), dt.date(2024, 1, 1))
    >>> article.spans = [Span(0, 2, ORG), Span(5, 7, ORG)]
    >>> model_mentions(article)
    >>> [(m.normalized, m.label) for m in article.modeled]
    [('中', 'LOC'), ('马', 'LOC')]
    """
    text, modeled = article.text, article.modeled
    conjunctions: list[tuple[int, int]] | None = None  # found when a place might hold one
    for found in article.spans or ():
        span = _organization_alone(article, found)
        start, end, label = span
        if label == DOCUMENT:
            continue
        surface = text[start:end]
        entity = entity_label(surface, label)
        if entity is None:
            continue
        for labels, rule in NOT_HERE:  # a loop, not any() of a generator: this runs once per span
            if label in labels and rule(article, span):
                break
        else:
            if end - start == 2 and label in _PAIRED_LABELS and is_country_pair(text, start, end):
                modeled += [Mention(at, at + 1, LOC, text[at], "model") for at in (start, start + 1)]
            elif entity != LOC:
                modeled.append(Mention(start, end, entity, surface, "model"))
            elif end - start <= 2:  # too short to hold two places and a conjunction
                modeled.append(Mention(start, end, LOC, normalize_place(surface), "model"))
            else:
                conjunctions = _conjunctions(article) if conjunctions is None else conjunctions
                modeled += _places(text, start, end, conjunctions)


def _organization_alone(article: Article, span: Span) -> Span:
    """A span of an ORG or GOV cut to the organization of the lexicon (`organizations`) it starts with
    when whole words naming nothing follow it (哈马斯 + 武装人员: no tag of a proper noun).

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> tokens = {"token": ["哈马斯", "武装人员"], "pos": ["nrt", "l"]}
    >>> words = Columns({"start": [0, 3], "end": [3, 7]} | tokens)
    >>> article = Article.of("哈马斯武装人员", [], words, dt.date(2024, 1, 1))
    >>> _organization_alone(article, Span(0, 7, GOV))
    Span(start=0, end=3, label='GOV')
    """
    start, end, label = span
    if label not in (ORG, GOV):
        return span
    words = article.words
    for size in range(end - start - 1, 1, -1):
        if article.text[start : start + size] in organizations():
            first = bisect_left(words.start_list, start + size)
            last = bisect_left(words.start_list, end, first)
            edge = first < len(words.start_list) and words.start_list[first] == start + size
            named = any(words.tags[i] in _PROPER_TAGS for i in range(first, last))
            return Span(start, start + size, label) if edge and not named else span
    return span


def _places(text: str, start: int, end: int, conjunctions: list[tuple[int, int]]) -> list[Mention]:
    """A place span as mentions: cut at the conjunctions it holds (no place name holds one: 呼和浩特 is one
    word, so `新加坡和马来西亚` is two places), each written in full.

    >>> [m.normalized for m in _places("新加坡和马来西亚", 0, 8, [(3, 4)])]
    ['新加坡', '马来西亚']
    """
    cut = bisect_right(conjunctions, (start,))
    if end - start > 2 and cut < len(conjunctions) and conjunctions[cut][1] < end:
        parts = _place_parts(start, end, conjunctions[cut:])
        return [
            Mention(first, last, LOC, normalize_place(text[first:last]), "model") for first, last in parts
        ]
    return [Mention(start, end, LOC, normalize_place(text[start:end]), "model")]


def _place_parts(start: int, end: int, conjunctions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A place span cut at the conjunctions inside it (in order, none before it).

    >>> _place_parts(0, 8, [(3, 4), (9, 10)])
    [(0, 3), (4, 8)]
    """
    edges = [start]
    for first, last in conjunctions:
        if last >= end:
            break
        edges += [first, last]
    edges.append(end)
    return [(first, last) for first, last in zip(edges[::2], edges[1::2], strict=True) if first < last]


def _conjunctions(article: Article) -> list[tuple[int, int]]:
    """Start and end of every token tagged c (和, 及, 与), in order.

    >>> import datetime as dt
    >>> _conjunctions(Article.parse("新加坡和马来西亚", dt.date(2024, 1, 1)))
    [(3, 4)]
    """
    words = article.words
    tags, found, index = words.tags, [], -1
    while True:
        try:
            index = tags.index("c", index + 1)
        except ValueError:
            return found
        found.append((words.start_list[index], words.end_list[index]))
