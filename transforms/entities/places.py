"""Places: the gazetteer (Chinese divisions with their province, countries and foreign places:
resources/lexicons/places_divisions.tsv, places_world.tsv), the full form of a place, pairs of countries
named by one character each (places_pairs.json), and the component that finds places by the gazetteer.

>>> normalize_place("商丘"), normalize_place("河南商丘"), normalize_place("商丘市睢阳区")
('河南省商丘市', '河南省商丘市', '河南省商丘市睢阳区')
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from transforms.entities.article import LOC, Article, Mention
from transforms.kit.lexicons import alternation, read_json, read_lines, scanner


@cache
def divisions() -> dict[str, str]:
    """Every place name, full or short, → its full name: Chinese divisions with their province's
    (商丘 → 河南省商丘市), then countries and foreign places (沙特 → 沙特阿拉伯).

    A short name shared by a province and a prefecture (吉林, 海南) is read as the province.

    >>> divisions()["商丘"], divisions()["沙特"], divisions()["巴黎"]
    ('河南省商丘市', '沙特阿拉伯', '巴黎')
    """
    rows = [line.split("\t") for line in read_lines("lexicons/places_divisions.tsv")]
    full: dict[str, str] = {}
    for name, short, province in rows:
        full[name] = full[short] = province + name if province else name
    for name, short, province in rows:
        if not province:
            full[short] = name
    for name, short in (line.split("\t") for line in read_lines("lexicons/places_world.tsv")):
        full.setdefault(name, name)
        full.setdefault(short, name)
    return full


def is_place(name: str) -> bool:
    """Whether `name` is a place name of the gazetteer, full or short.

    >>> is_place("商丘"), is_place("尼日尔"), is_place("哈马斯")
    (True, True, False)
    """
    return name in divisions()


@cache
def _place_names() -> re.Pattern[str]:
    return re.compile(alternation(list(divisions())))


@cache
def _place_scanner() -> re.Pattern[str]:
    return scanner(list(divisions()))


@lru_cache(maxsize=1 << 14)
def normalize_place(text: str) -> str:
    """Full form of a place: its leading division names expanded (商丘 → 河南省商丘市).

    What follows them is kept after a full name (商丘市睢阳区); after a short name it may be another
    place of the same name (朝阳区 is not 辽宁省朝阳市), so the text is then kept as written.

    >>> normalize_place("朝阳区"), normalize_place("北京市朝阳区"), normalize_place("海南")
    ('朝阳区', '北京市朝阳区', '海南省')
    """
    names, table = _place_names(), divisions()
    position, full, last = 0, "", ""
    while match := names.match(text, position):
        expanded = table[match.group()]
        if full and not expanded.startswith(full):
            break
        full, last, position = expanded, match.group(), match.end()
    if not full or (position < len(text) and not expanded_full(last)):
        return text
    return full + text[position:]


def expanded_full(name: str) -> bool:
    """Whether a division name is written in full (ends with its level word).

    >>> expanded_full("商丘市"), expanded_full("商丘")
    (True, False)
    """
    return name.endswith(("省", "市", "自治区", "特别行政区", "自治州", "地区", "盟", "林区"))


@cache
def _pair_pattern() -> re.Pattern[str]:
    pairs = read_json("lexicons/places_pairs.json")
    return re.compile(f"[{pairs['first']}][{pairs['second']}](?={alternation(pairs['cues'])})")


def is_country_pair(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` names two countries by one character each, before a word of their
    relations (resources/lexicons/places_pairs.json): `中马两国`, `中澳关系`, not `中东和平` or `中华民族`.

    >>> [is_country_pair(text, 0, 2) for text in ("中马两国", "中澳关系", "中东和平", "中华人民共和国")]
    [True, True, False, False]
    """
    return end - start == 2 and _pair_pattern().match(text, start) is not None


def lexicon_places(article: Article) -> None:
    """Component: the places of the gazetteer on word edges wait for their claim, after the posts.

    >>> import datetime as dt
    >>> text = "商丘在河南"
    >>> article = Article.parse(text, dt.date(2021, 10, 9))
    >>> lexicon_places(article)
    >>> [m.normalized for m in article.lexical]
    ['河南省商丘市', '河南省']
    """
    edges, found = article.words.edges, article.lexical
    for match in _place_scanner().finditer(article.text):
        start, end = match.span()
        if edges[start] and edges[end]:
            found.append(Mention(start, end, LOC, normalize_place(match.group()), "lexicon"))
