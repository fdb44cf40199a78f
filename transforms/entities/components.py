"""Entity mentions and person–post–action roles of one article.

`extract` is what the pipeline calls for every article. Mentions come from three sources, the more
trusted first:

1. patterns: DATE and TIME (`transforms.dates`), DOCUMENT in 《》 and QUOTE in “” and named EVENTs
   (`transforms.gazetteer`);
2. the statistical tagger (`transforms.ner`): PERSON, POSITION, GOV, ORG, LOC, and DOCUMENT titles
   written without 《》, except inside set phrases (崇德向善 holds no person 崇德);
3. lexicons (`transforms.gazetteer`), on word boundaries: posts and administrative divisions the
   model missed, and posts the model split into a body and a post (`市人大常委会` + `主任`).

Then a word tagged as a personal name right after a post is a PERSON (`俄罗斯总统普京`), a name in a
list after a post (`市领导张家明、王全周、…`) is completed from the surname table, and every PERSON,
ORG, GOV or LOC recognized once is tagged at all its other occurrences. PERSON, POSITION, GOV, ORG,
LOC, DATE and TIME mentions never overlap one another; DOCUMENT, QUOTE and EVENT mentions may contain
them. `method` says which source found a mention: pattern, model, lexicon, list or propagation.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from transforms.entities import dates, gazetteer, ner, roles
from transforms.kit.publishers import is_publisher
from transforms.records import Columns
from transforms.segment.tokens import tagger, user_dictionary

CONTAINERS = frozenset({"DOCUMENT", "QUOTE", "EVENT"})
PROPAGATED = frozenset({"PERSON", "ORG", "GOV", "LOC"})
_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,3}")
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg"})  # the tokenizer's tags of personal names
_COMMON_TAGS = frozenset({"n", "v", "vn", "a", "an", "ad", "d", "j"})  # its tags of common words (文化 n)
# How often the tokenizer's dictionary counts a common word before it can be no name (文化 34,860; the
# name 程志 261) and no entity in a list of sectors (民生 453).
_NAME_COUNT = 1000
_ITEM_COUNT = 100
# The labels of model mentions that give way to a lexicon mention covering them (`_lexicon_over_parts`).
_GIVING_WAY = {"POSITION": frozenset({"GOV", "POSITION"}), "LOC": frozenset({"PERSON"})}
_TITLE_MARKS = frozenset("《》“”")
# No personal name: a bracketed abbreviation (（PPI）), a side of talks and its verb (埃方愿, 德方为).
_NO_PERSON = re.compile(r"[（(].*|.方[愿为将同与和]")
_LISTED_LABELS = frozenset({"ORG", "LOC"})  # labels the model gives an item of a list of sectors (民航)
_PAIRED_LABELS = frozenset({"LOC", "ORG", "GOV"})  # labels it gives a pair of countries as one span (中马)
_CLOSING = {"）": "（", ")": "("}  # closing bracket → opening
_ITEM_ENDS = frozenset("、，,。；;：:！？\n “”《》（）()等和及与")
_WORD = re.compile(r"[^\W_]")


class Mention(NamedTuple):
    """One mention: text[start:end], its label, canonical form and the source that found it."""

    start: int
    end: int
    label: str
    normalized: str
    method: str


@dataclass(frozen=True, slots=True)
class Entities:
    """What `extract` finds in an article: `mentions` and `roles` columns (schema MENTIONS, ROLES)."""

    mentions: Columns
    roles: Columns


def extract(
    text: str,
    sentences: list[tuple[int, int, int]],
    tokens: Columns,
    issue_date: dt.date,
    spans: list[tuple[int, int, str]] | None = None,
) -> Entities:
    """Mentions and roles of an article `text` with its sentences (paragraph, start, end) and tokens
    (in text order, as `segment.tokenize` gives them).

    `spans` are the model's (start, end, label) spans of the article when the caller found them
    already (`ner.find_spans_all` tags every article of a file at once); else the model runs here.

    >>> import datetime as dt
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
    words = tokens.data
    boundaries = TokenEdges(words.get("start", []), words.get("end", []))
    if spans is None:
        trained = ner.model()
        spans = ner.find_spans(text, model_tokens(tokens, trained), trained)
    spans = _clean_spans(text, spans)
    containers = _containers(text, [s for s in spans if s[2] == "DOCUMENT"])
    atomic, taken = _atomic(text, [s for s in spans if s[2] != "DOCUMENT"], words, boundaries, issue_date)
    if containers:
        atomic, taken = _uncut(atomic, taken, containers)
    atomic = _complete_lists(text, _names_after_posts(text, atomic, words, taken), words, boundaries, taken)
    atomic = _propagate(text, _one_label_per_name(text, atomic), boundaries, taken)
    atomic = _outside_titles(atomic, containers, gazetteer.find_citations(text))
    found = sorted(atomic + containers)
    return Entities(_columns(text, sentences, found), roles.find_roles(text, sentences, found, issue_date))


def extract_all(
    texts: list[str], sentences: list[list[tuple[int, int, int]]], tokens: list[Columns], issue_date: dt.date
) -> list[Entities]:
    """`extract` of every article of one file; the model tags them all in one pass (`ner.find_spans_all`).

    >>> import datetime as dt
    >>> from transforms.segment import split_sentences, tokenize
    >>> bodies = ["市委书记李国胜讲话。", "", "市长摆向阳主持。"]
    >>> sentences = [split_sentences(body) for body in bodies]
    >>> tokens = [tokenize(body, found) for body, found in zip(bodies, sentences)]
    >>> found = extract_all(bodies, sentences, tokens, dt.date(2021, 10, 9))
    >>> [article.roles.data.get("person") for article in found]
    [['李国胜'], [], ['摆向阳']]
    """
    trained = ner.model()
    spans = ner.find_spans_all(texts, [model_tokens(words, trained) for words in tokens], trained)
    return [
        extract(text, found, words, issue_date, model_spans)
        for text, found, words, model_spans in zip(texts, sentences, tokens, spans, strict=True)
    ]


def model_tokens(tokens: Columns, trained: ner.Model) -> ner.Tokens:
    """The words of an article as the model takes them."""
    words = tokens.data
    return ner.tokens_of(words.get("start", []), words.get("end", []), words.get("pos", []), trained.pos_ids)


class TokenEdges:
    """Where the tokens of an article start and end, for `in`: bisection in the token columns, which
    are in text order, costs less than a set of every edge built for each article.

    >>> edges = TokenEdges([0, 3, 5], [2, 5, 7])
    >>> [position in edges for position in range(8)]
    [True, False, True, True, False, True, False, True]
    """

    __slots__ = ("ends", "starts")

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts, self.ends = starts, ends

    def __contains__(self, position: object) -> bool:
        for edges in (self.starts, self.ends):
            index = bisect_left(edges, position)
            if index < len(edges) and edges[index] == position:
                return True
        return False


def _uncut(
    atomic: list[Mention], taken: bytearray, containers: list[Mention]
) -> tuple[list[Mention], bytearray]:
    """The atomic mentions no container starts or ends inside, and the characters they cover.

    `taken` marks the characters the atomic mentions cover: an edge between two marked characters
    is the only kind that may cut one, so most articles need no look at each mention.
    """
    edges = sorted({edge for container in containers for edge in (container.start, container.end)})
    if not any(taken[edge - 1] and taken[edge] for edge in edges if edge):
        return atomic, taken
    kept = [m for m in atomic if not _straddles(edges, m)]
    return kept, _occupied(len(taken) - 1, kept)


def _straddles(edges: list[int], mention: Mention) -> bool:
    """Whether one of the sorted `edges` lies strictly inside the mention."""
    index = bisect_right(edges, mention.start)
    return index < len(edges) and edges[index] < mention.end


def _crosses(one: Mention, other: Mention) -> bool:
    """Whether two spans overlap without one containing the other."""
    overlap = one.start < other.end and other.start < one.end
    nested = (other.start <= one.start and one.end <= other.end) or (
        one.start <= other.start and other.end <= one.end
    )
    return overlap and not nested


def _containers(text: str, untitled: list[tuple[int, int, str]]) -> list[Mention]:
    """DOCUMENT and QUOTE from 《》 and “”, EVENTs, and the model's titles written without 《》."""
    found = [Mention(*span, "pattern") for span in gazetteer.find_titles(text)]
    found += [Mention(*span, "pattern") for span in gazetteer.find_events(text)]
    found = _without_crossings(found)
    for start, end, label in untitled:
        if not any(m.start < end and start < m.end for m in found):
            found.append(Mention(start, end, label, text[start:end], "model"))
    return found


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


def _atomic(
    text: str,
    spans: list[tuple[int, int, str]],
    words: dict[str, list],
    boundaries: Container[int],
    issue_date: dt.date,
) -> tuple[list[Mention], bytearray]:
    """Non-overlapping PERSON/POSITION/GOV/ORG/LOC/DATE/TIME mentions: dates, then model, then lexicons;
    and the characters they cover (1 in the bytearray).

    Posts are made whole first (`_lexicon_over_parts`, `_joined_posts`): in bulletins the body is part
    of the post (`市人大常委会主任`, `中共中央总书记`).
    """
    dated = [
        Mention(d.start, d.end, d.label, d.normalized, "pattern") for d in dates.find_dates(text, issue_date)
    ]
    modeled = _usable(text, spans, words)
    lexical = [
        Mention(s, e, label, normalized, "lexicon")
        for s, e, label, normalized in gazetteer.find_posts(text) + gazetteer.find_places(text)
        if s in boundaries and e in boundaries
    ]
    posts = [m for m in lexical if m.label == "POSITION"]
    modeled = _joined_posts(text, _lexicon_over_parts(modeled, lexical), posts)
    taken = _occupied(len(text), dated)  # dates never overlap one another
    chosen = list(dated)
    for mention in modeled + lexical:
        if _claim(taken, mention.start, mention.end):
            chosen.append(mention)
    return chosen, taken


def _usable(text: str, spans: list[tuple[int, int, str]], words: dict[str, list]) -> list[Mention]:
    """The model's spans as mentions, but for common nouns (民航, 暴雪: `gazetteer.common_nouns`), persons
    that are a bracket or a side of talks (`_NO_PERSON`), those holding a title mark, those that cut a
    numeral or, for persons, a word of the user dictionary (`_cuts_word`), and organizations and places
    that are common words in a list of sectors (`_common_list_item`). A pair of countries named by one
    character each (`中马两国`) is two places, as People's Daily labels them. The lexicons correct the
    model's label: a news publisher (央视网, 商丘日报) is an ORG, an armed force or organization of the
    lexicon (乌军, 哈马斯: the model called them persons) has the lexicon's label, an ORG or LOC the
    lexicon knows as a body (中国人民银行) is a GOV, and a place the gazetteer knows (顿涅茨克, 尼日尔) a
    LOC. A LOC is cut at the conjunctions it holds (tokens tagged c): no place name holds one (呼和浩特
    is one token), so `新加坡和马来西亚` is two places."""
    conjunctions: list[tuple[int, int]] | None = None  # found when a place might hold one
    usable = []
    for start, end, label in spans:
        surface = text[start:end]
        if surface in gazetteer.common_nouns() or (label == "PERSON" and _NO_PERSON.fullmatch(surface)):
            continue
        if not _TITLE_MARKS.isdisjoint(surface) or _cuts_word(words, start, end, label):
            continue
        if label in _LISTED_LABELS and _common_list_item(text, start, end, spans, words):
            continue
        if label == "POSITION" and surface in gazetteer.actions()[1]:  # 赵乐际主持会议: no post 主持
            continue
        if end - start == 2 and label in _PAIRED_LABELS and gazetteer.is_country_pair(text, start, end):
            usable += [Mention(first, first + 1, "LOC", text[first], "model") for first in (start, start + 1)]
            continue
        if is_publisher(surface):
            label = "ORG"
        elif fixed := gazetteer.organizations().get(surface):
            label = fixed
        elif label in ("ORG", "LOC") and gazetteer.is_body(surface):
            label = "GOV"
        elif gazetteer.is_place(surface):
            label = "LOC"
        if label == "LOC" and end - start > 2:
            conjunctions = _conjunctions(words) if conjunctions is None else conjunctions
            cut = bisect_right(conjunctions, (start,))
            if cut < len(conjunctions) and conjunctions[cut][1] < end:  # one inside
                usable += [
                    Mention(first, last, label, gazetteer.normalize_place(text[first:last]), "model")
                    for first, last in _place_parts(start, end, conjunctions[cut:])
                ]
                continue
        if label == "LOC":
            surface = gazetteer.normalize_place(surface)
        usable.append(Mention(start, end, label, surface, "model"))
    return usable


def _common_list_item(
    text: str, start: int, end: int, spans: list[tuple[int, int, str]], words: dict[str, list]
) -> bool:
    """Whether a span is made of common words (`_common_words`) listed with `、` among items that
    hold no span: a list of sectors (`铁路、公路、水路、民航`, `能源、交通、水利等`), not of entities.

    >>> from transforms.segment import split_sentences, tokenize
    >>> text = "能源、交通、水利等"
    >>> words = tokenize(text, split_sentences(text)).data
    >>> _common_list_item(text, 3, 5, [(3, 5, "ORG")], words)
    True
    >>> _common_list_item(text, 3, 5, [(3, 5, "ORG"), (6, 8, "ORG")], words)
    False
    """
    before = start > 0 and text[start - 1] == "、"
    after = text[end : end + 1] == "、"
    if not (before or after) or end - start < 2 or not _common_words(words, start, end, _ITEM_COUNT):
        return False
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
    listed = [(first, last) for first, last in items if first < last]
    return len(listed) == len(items) and not any(
        first < span_end and span_start < last for first, last in listed for span_start, span_end, _ in spans
    )


def _cuts_word(words: dict[str, list], start: int, end: int, label: str) -> bool:
    """Whether a span starts or ends inside a word that no entity cuts: a numeral (全国政协十 of
    十四届), and for a person a word of the user dictionary (村振兴 of 乡村振兴).

    >>> words = {"start": [0, 2, 6], "end": [2, 6, 9], "token": ["推进", "乡村振兴", "十四届"]}
    >>> words["pos"] = ["v", "nz", "m"]
    >>> _cuts_word(words, 3, 6, "PERSON"), _cuts_word(words, 3, 6, "ORG"), _cuts_word(words, 2, 7, "ORG")
    (True, False, True)
    """
    starts = words.get("start", [])
    for edge in (start, end):
        index = bisect_right(starts, edge) - 1
        if not (index >= 0 and starts[index] < edge < words["end"][index]):
            continue
        if words["pos"][index] == "m" or (label == "PERSON" and words["token"][index] in user_dictionary()):
            return True
    return False


def _clean_spans(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The model's spans without the blanks at their edges (the model may tag one) and with the brackets
    they open closed (`_closed`), and none left without a letter, digit or character (a lone 》) or
    overlapping a set phrase (no entity starts or ends inside one: 崇德向善 holds no person 崇德,
    党和国家事业 is no document).

    >>> _clean_spans(" 南  》", [(0, 2, "PERSON"), (2, 5, "DOCUMENT"), (3, 4, "LOC")])
    [(1, 2, 'PERSON')]
    """
    found = gazetteer.find_set_phrases(text)
    phrases = _occupied(len(text), found) if found else None
    kept = []
    for start, end, label in spans:
        if text[start].isspace() or text[end - 1].isspace():
            start, end = _trimmed(text, start, end)
        end = _closed(text, start, end)
        if _WORD.search(text, start, end) and (phrases is None or phrases.find(1, start, end) < 0):
            kept.append((start, end, label))
    return kept


def _closed(text: str, start: int, end: int) -> int:
    """The end of a span that opens a bracket it does not close, moved past the closing bracket right
    after it (`党校（行政学院` + `）`).

    >>> _closed("党校（行政学院）工作", 0, 7), _closed("党校（行政学院）工作", 0, 2)
    (8, 2)
    """
    closing = text[end : end + 1]
    if closing not in _CLOSING:
        return end
    surface = text[start:end]
    return end + 1 if surface.count(_CLOSING[closing]) > surface.count(closing) else end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the blanks at its edges (empty if it holds nothing else).

    >>> _trimmed(" 南 ", 0, 3), _trimmed("  ", 0, 2)
    ((1, 2), (2, 2))
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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


def _conjunctions(words: dict[str, list]) -> list[tuple[int, int]]:
    """Start and end of every token tagged c (和, 及, 与), in order.

    >>> _conjunctions({"start": [0, 3, 4], "end": [3, 4, 8], "pos": ["ns", "c", "ns"]})
    [(3, 4)]
    """
    tags, found, index = words.get("pos", []), [], -1
    while True:
        try:
            index = tags.index("c", index + 1)
        except ValueError:
            return found
        found.append((words["start"][index], words["end"][index]))


def _lexicon_over_parts(modeled: list[Mention], lexical: list[Mention]) -> list[Mention]:
    """`modeled` (in text order) with each lexicon mention in place of the model mentions it covers, when
    they are several or one shorter, all of labels that give way to it (`_GIVING_WAY`): a post over the
    body and post it is made of (`市人大常委会` + `主任`, `领导` in `市领导`), a place over a person
    inside it (`尤尼斯` in `汗尤尼斯`).

    >>> parts = [Mention(0, 1, "GOV", "市", "model"), Mention(1, 3, "POSITION", "领导", "model")]
    >>> _lexicon_over_parts(parts[1:], [Mention(0, 3, "POSITION", "市领导", "lexicon")])
    [Mention(start=0, end=3, label='POSITION', normalized='市领导', method='lexicon')]
    >>> place = Mention(0, 4, "LOC", "汗尤尼斯", "lexicon")
    >>> _lexicon_over_parts([Mention(1, 4, "PERSON", "尤尼斯", "model")], [place])
    [Mention(start=0, end=4, label='LOC', normalized='汗尤尼斯', method='lexicon')]
    """
    if not lexical:
        return modeled
    starts, ends = [m.start for m in modeled], [m.end for m in modeled]  # in order, no overlaps
    parts_of = [
        (found, modeled[bisect_right(ends, found.start) : bisect_left(starts, found.end)])
        for found in lexical
    ]
    replacing = [
        (found, parts)
        for found, parts in parts_of
        if parts
        and (len(parts) > 1 or parts[0].end - parts[0].start < found.end - found.start)
        and all(
            m.label in _GIVING_WAY[found.label] and found.start <= m.start and m.end <= found.end
            for m in parts
        )
    ]
    if not replacing:
        return modeled
    replaced = {part for _, parts in replacing for part in parts}
    return [m for m in modeled if m not in replaced] + [found for found, _ in replacing]


def _joined_posts(text: str, modeled: list[Mention], posts: list[Mention]) -> list[Mention]:
    """`modeled` with each GOV or ORG written right before a post (the model's, else the lexicon's)
    made part of it: a body whole (`中共中央` + `总书记` → `中共中央总书记`), an organization by the
    board or party unit it ends with (`阿里巴巴集团董事局` + `主席` → `阿里巴巴集团` + `董事局主席`).

    >>> body, post = Mention(0, 4, "GOV", "中共中央", "model"), Mention(4, 7, "POSITION", "总书记", "lexicon")
    >>> _joined_posts("中共中央总书记", [body], [post])
    [Mention(start=0, end=7, label='POSITION', normalized='中共中央总书记', method='lexicon')]
    """
    bodies = [m for m in modeled if m.label in ("GOV", "ORG")]
    ends = {m.end for m in bodies}
    after = {m.start: m for m in posts if m.start in ends}
    after.update({m.start: m for m in modeled if m.label == "POSITION" and m.start in ends})
    if not after:
        return modeled
    added: list[Mention] = []
    replaced: set[Mention] = set()
    for body in bodies:
        post = after.get(body.end)
        if post is None:
            continue
        start = body.start if gazetteer.is_body(body.normalized) else _unit_start(body)
        if start is None:
            continue
        if start > body.start:
            added.append(body._replace(end=start, normalized=text[body.start : start]))
        added.append(Mention(start, post.end, "POSITION", text[start : post.end], post.method))
        replaced.update((body, post))
    if not added:
        return modeled
    return [m for m in modeled if m not in replaced] + added


def _unit_start(organization: Mention) -> int | None:
    """Where the board or party unit an organization's name ends with starts, if a name of two or
    more characters comes before it.

    >>> _unit_start(Mention(3, 12, "ORG", "阿里巴巴集团董事局", "model"))
    9
    >>> _unit_start(Mention(0, 3, "ORG", "董事会", "model")) is None
    True
    """
    name = organization.normalized
    unit = next((unit for unit in gazetteer.post_units() if name.endswith(unit)), None)
    if unit is None or len(name) - len(unit) < 2:
        return None
    return organization.end - len(unit)


def _outside_titles(
    atomic: list[Mention], containers: list[Mention], citations: list[tuple[int, int]]
) -> list[Mention]:
    """`atomic` without the PERSON mentions inside a DOCUMENT or inside cited remarks
    (`gazetteer.find_citations`): a name there is the author of the title (学习贯彻习近平总书记关于…
    的重要论述), not a person acting in the article.

    >>> title = [Mention(0, 12, "DOCUMENT", "习近平总书记关于…论述摘编", "pattern")]
    >>> _outside_titles([Mention(1, 4, "PERSON", "习近平", "model")], title, [])
    []
    """
    titles = citations + [(m.start, m.end) for m in containers if m.label == "DOCUMENT"]
    if not titles:
        return atomic
    return [
        m
        for m in atomic
        if m.label != "PERSON" or not any(start <= m.start and m.end <= end for start, end in titles)
    ]


def _complete_lists(
    text: str, atomic: list[Mention], words: dict[str, list], boundaries: Container[int], taken: bytearray
) -> list[Mention]:
    """Names missed in a list of names (`张家明、王全周、罗军出席`): a 2–3 character word right after
    or before the `、` next to a PERSON, starting with a surname, on word boundaries, and not one common
    word (`晋商文化、古建筑`: 文 is a surname, 文化 no name).

    `taken` marks the characters mentions cover; the names found are marked in it too.
    """
    if "、" not in text:
        return atomic
    surnames = gazetteer.surnames()
    found = list(atomic)
    pending = [m for m in atomic if m.label == "PERSON"]
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
                and start in boundaries
                and end in boundaries
                and _LIST_ITEM.fullmatch(word)
                and (word[:1] in surnames or word[:2] in surnames)
                and not _common_words(words, start, end, _NAME_COUNT)
                and _claim(taken, start, end)
            ):
                name = Mention(start, end, "PERSON", word, "list")
                found.append(name)
                pending.append(name)
                break
    return found


def _names_after_posts(
    text: str, atomic: list[Mention], words: dict[str, list], taken: bytearray
) -> list[Mention]:
    """A word of 2+ characters tagged as a personal name right after the post of an office is a PERSON
    the model missed: bulletins name an official after the post (`俄罗斯总统普京表示`). Not after a role
    or a trade (`专家陈述己见`): there the tag is too often wrong.

    `taken` marks the characters mentions cover; the names found are marked in it too.

    >>> words = {"start": [0, 2, 4, 6], "end": [2, 4, 6, 8], "pos": ["ns", "n", "nr", "v"]}
    >>> post = Mention(0, 4, "POSITION", "俄国总统", "model")
    >>> _names_after_posts("俄国总统普京表示", [post], words, bytearray(9))[1:]
    [Mention(start=4, end=6, label='PERSON', normalized='普京', method='list')]
    """
    starts, ends, tags = words.get("start", []), words.get("end", []), words.get("pos", [])
    found = list(atomic)
    for post in atomic:
        if post.label != "POSITION" or not gazetteer.is_office(post.normalized):
            continue
        index = bisect_left(starts, post.end)
        if index == len(starts) or starts[index] != post.end or tags[index] not in _NAME_TAGS:
            continue
        start, end = starts[index], ends[index]
        if end - start > 1 and _claim(taken, start, end):
            found.append(Mention(start, end, "PERSON", text[start:end], "list"))
    return found


def _common_words(words: dict[str, list], start: int, end: int, count: int) -> bool:
    """Whether `start`–`end` is made of whole tokens, each a word of the tokenizer's dictionary tagged as
    a common word (`_COMMON_TAGS`) and counted there at least `count` times. The tags alone do not tell:
    the dictionary holds rare names as nouns (关向应 n, 12), and an unknown name gets any tag (何报翔 v).

    >>> words = {"start": [0, 2, 4], "end": [2, 4, 7], "pos": ["nr", "n", "n"]}
    >>> words["token"] = ["晋商", "文化", "关向应"]
    >>> [_common_words(words, start, end, 1000) for start, end in ((2, 4), (0, 2), (0, 4), (4, 7), (3, 4))]
    [True, False, False, False, False]
    """
    starts, ends = words.get("start", []), words.get("end", [])
    first = bisect_left(starts, start)
    last = bisect_left(ends, end, first)
    if first == len(starts) or starts[first] != start or last == len(ends) or ends[last] != end:
        return False
    tags, tokens, counted = words["pos"], words["token"], tagger().frequency
    return all(tags[i] in _COMMON_TAGS and counted(tokens[i]) >= count for i in range(first, last + 1))


def _one_label_per_name(text: str, atomic: list[Mention]) -> list[Mention]:
    """The model's mentions of one name (2+ characters) in an article all take the label it gave that
    name most often, the first one given on a tie (`在习近平主席…` tagged LOC where the article's
    other 习近平 are PERSON).

    >>> text = "习近平指出。在习近平主席引领下。习近平强调。"
    >>> tagged = ((0, "PERSON"), (7, "LOC"), (16, "PERSON"))
    >>> found = [Mention(start, start + 3, label, "习近平", "model") for start, label in tagged]
    >>> [m.label for m in _one_label_per_name(text, found)]
    ['PERSON', 'PERSON', 'PERSON']
    """
    votes: dict[str, dict[str, int]] = {}
    for m in atomic:
        if m.method == "model" and m.label in PROPAGATED and m.end - m.start >= 2:
            counts = votes.setdefault(text[m.start : m.end], {})
            counts[m.label] = counts.get(m.label, 0) + 1
    winners = {name: max(counts, key=counts.__getitem__) for name, counts in votes.items() if len(counts) > 1}
    if not winners:
        return atomic
    relabelled = []
    for m in atomic:
        label = winners.get(text[m.start : m.end]) if m.method == "model" else None
        if label is None or label == m.label:
            relabelled.append(m)
            continue
        surface = text[m.start : m.end]
        normalized = gazetteer.normalize_place(surface) if label == "LOC" else surface
        relabelled.append(m._replace(label=label, normalized=normalized))
    return relabelled


def _propagate(
    text: str, atomic: list[Mention], boundaries: Container[int], taken: bytearray
) -> list[Mention]:
    """Tag every other occurrence of a recognized name (PERSON, ORG, GOV, LOC, 2+ characters).

    `taken` marks the characters mentions cover; the occurrences tagged are marked in it too.
    """
    known: dict[str, Mention] = {}
    for m in atomic:
        if m.label in PROPAGATED and m.end - m.start >= 2:
            known.setdefault(text[m.start : m.end], m)
    added = []
    for surface, first in known.items():
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if start in boundaries and end in boundaries and _claim(taken, start, end):
                added.append(Mention(start, end, first.label, first.normalized, "propagation"))
            start = text.find(surface, end)
    return atomic + added


def _claim(taken: bytearray, start: int, end: int) -> bool:
    """Mark `start`–`end` in `taken` if none of its characters is marked yet; whether it was free.

    >>> taken = bytearray(4)
    >>> _claim(taken, 0, 2), _claim(taken, 1, 3), _claim(taken, 2, 4), bytes(taken)
    (True, False, True, b'\\x01\\x01\\x01\\x01')
    """
    if taken.find(1, start, end) >= 0:
        return False
    taken[start:end] = b"\x01" * (end - start)
    return True


def _occupied(length: int, spans: Iterable[Mention | tuple[int, int]]) -> bytearray:
    """1 at every character one of the spans (mentions, or start and end pairs) covers."""
    taken = bytearray(length + 1)
    for start, end, *_ in spans:
        taken[start:end] = b"\x01" * (end - start)
    return taken


def _columns(text: str, sentences: list[tuple[int, int, int]], found: list[Mention]) -> Columns:
    """The mentions table columns of one article (`found` sorted)."""
    firsts = [start for _, start, _ in sentences]
    starts, ends, labels, normalized, methods = (
        map(list, zip(*found, strict=True)) if found else ([], [], [], [], [])
    )
    return Columns(
        {
            "sentence": [bisect_right(firsts, start, 1) - 1 for start in starts],
            "start": starts,
            "end": ends,
            "text": [text[start:end] for start, end in zip(starts, ends, strict=True)],
            "label": labels,
            "normalized": normalized,
            "method": methods,
        }
    )
