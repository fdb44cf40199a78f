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
    """Every place name, full or short, → its full name: Chinese divisions above county level with
    their province's (商丘 → 河南省商丘市), then countries and foreign places (沙特 → 沙特阿拉伯).

    A short name shared by a province and a prefecture (吉林, 海南) is read as the province.

    >>> divisions()["商丘"], divisions()["沙特"], divisions()["巴黎"]
    ('河南省商丘市', '沙特阿拉伯', '巴黎')
    """
    rows = [line.split("\t") for line in read_lines("lexicons/places_divisions.tsv")]
    rows = [(name, short, parents) for name, short, parents, code in rows if _above_county(code)]
    full: dict[str, str] = {}
    for name, short, parents in rows:
        full[name] = full[short] = parents + name
    for name, short, parents in rows:
        if not parents:
            full[short] = name
    for name, short in (line.split("\t") for line in read_lines("lexicons/places_world.tsv")):
        full.setdefault(name, name)
        full.setdefault(short, name)
    return full


@cache
def counties() -> dict[str, tuple[str, ...]]:
    """Names of county-level divisions a prefecture governs, full or short → the full names (province,
    prefecture, county) of every division so named.

    >>> counties()["睢阳区"], counties()["永城"], len(counties()["鼓楼区"])
    (('河南省商丘市睢阳区',), ('河南省商丘市永城市',), 4)
    """
    found: dict[str, list[str]] = {}
    for name, short, parents, code in (
        line.split("\t") for line in read_lines("lexicons/places_divisions.tsv")
    ):
        if not _above_county(code):
            for key in {name, short}:
                found.setdefault(key, []).append(parents + name)
    return {key: tuple(names) for key, names in found.items()}


def _above_county(code: str) -> bool:
    """Whether a division code is a province's, a prefecture's or a county's that a province governs
    directly (济源市 419001: its third and fourth digits are 90).

    >>> [_above_county(code) for code in ("410000", "411400", "411403", "419001")]
    [True, True, False, True]
    """
    return code.endswith("00") or code[2:4] == "90"


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


@cache
def _county_names() -> re.Pattern[str]:
    return re.compile(alternation(list(counties())))


@lru_cache(maxsize=1 << 14)
def normalize_place(text: str) -> str:
    """Full form of a place: its leading division names expanded (商丘 → 河南省商丘市), down to the
    county when one division of the name lies in what came before it (北京市朝阳区, 河南永城), or when
    only one has the name (睢阳区).

    What follows them is kept after a full name (商丘市睢阳区路); after a short name it may be another
    place of the same name (朝阳区 is not 辽宁省朝阳市), so the text is then kept as written.

    >>> normalize_place("朝阳区"), normalize_place("北京市朝阳区"), normalize_place("海南")
    ('朝阳区', '北京市朝阳区', '海南省')
    >>> normalize_place("河南永城"), normalize_place("睢阳区"), normalize_place("鼓楼区")
    ('河南省商丘市永城市', '河南省商丘市睢阳区', '鼓楼区')
    >>> normalize_place("长沙县"), normalize_place("长沙市")
    ('湖南省长沙市长沙县', '湖南省长沙市')
    """
    names, table = _place_names(), divisions()
    position, full, last = 0, "", ""
    while match := names.match(text, position):
        county = _county_names().match(text, position)
        if county and county.end() > match.end():
            break  # a county's name is longer here: 阿坝县, not 阿坝 (the prefecture) + 县
        expanded = table[match.group()]
        if full and not expanded.startswith(full):
            break
        full, last, position = expanded, match.group(), match.end()
    if county := _county_names().match(text, position):
        named = [name for name in counties()[county.group()] if name.startswith(full)]
        if len(named) == 1:
            full, last, position = named[0], county.group(), county.end()
    if not full or (position < len(text) and not expanded_full(last)):
        return text
    return full + text[position:]


def expanded_full(name: str) -> bool:
    """Whether a division name is written in full (ends with its level word).

    >>> expanded_full("商丘市"), expanded_full("商丘"), expanded_full("睢阳区"), expanded_full("睢阳")
    (True, False, True, False)
    """
    return name.endswith(("省", "市", "区", "特别行政区", "自治州", "地区", "盟", "县", "旗"))


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
