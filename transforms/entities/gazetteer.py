"""Lexicons and the patterns built from them: posts, bodies, places, events, titles, quotes, actions.

The tables live in resources/ lexicons/; this module loads each
once and turns it into compiled patterns (tries, so that the longest word wins and the regex engine
tries only words that share what it has read). The mention finders return (start, end, label,
normalized) tuples and look at nothing but the text.

>>> normalize_place("商丘"), normalize_place("河南商丘"), normalize_place("商丘市睢阳区")
('河南省商丘市', '河南省商丘市', '河南省商丘市睢阳区')
>>> find_titles("学习《条例》，“我为群众办实事”")
[(2, 6, 'DOCUMENT', '条例'), (7, 16, 'QUOTE', '我为群众办实事')]
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from transforms.kit.lexicons import alternation, charset, classes, read_json, read_lines, read_pairs, scanner

Found = tuple[int, int, str, str]

_TITLE = re.compile(r"《([^《》\n]{1,80})》|“([^“”\n]{1,60})”")
_CLAUSE_END = "，。；：、！？“”《》（）()\n"
_NAME_REACH = 40
"""Characters before a meeting or campaign word that its name may take at most."""
_NAME_END = _CLAUSE_END + " \u3000"  # a blank parts the phrases of a headline: 以学促干 推动学习教育
_LIST_NUMBER = "[0-9一二三四五六七八九十]{1,3}"
_NAME_UNIT = re.compile(
    f"(?:“[^“”\n]{{1,30}}”|《[^《》\n]{{1,30}}》|[（(](?!{_LIST_NUMBER}[）)])[^（）()\n年月日时]{{1,12}}[）)])\\Z"
)
"""A quotation, title or bracket inside a name (“三北”, 《湿地公约》, （敦煌）, （10+1）); a bracket that
holds a date (今天（6月19日）) or a list number (（3）) is none."""
_LIST_MARK = re.compile(r"[0-9]{1,2}[.．](?![0-9])")
"""The number of an item in a list (3.第七届数字中国建设峰会): no part of a name."""
_OFFICE_PREFIX = "(?:党组|党委|党工委)?(?:常务)?(?:副|代)?"  # what a post may write before its office


@cache
def officialdom() -> dict[str, list[str]]:
    """The levels, bodies, posts and central bodies of resources/lexicons/officialdom.json."""
    return read_json("lexicons/officialdom.json")


@cache
def _office_words() -> tuple[str, ...]:
    lexicon = officialdom()
    return tuple(lexicon["posts"] + lexicon["standalone_posts"])


def is_office(post: str) -> bool:
    """Whether a post names an office (it ends with a post of the lexicon), not a role or a trade.

    >>> is_office("俄罗斯总统"), is_office("财政部部长"), is_office("专家"), is_office("司机")
    (True, True, False, False)
    """
    return post.endswith(_office_words())


@cache
def _body_lexicon() -> tuple[frozenset[str], tuple[str, ...]]:
    lexicon = officialdom()
    return frozenset(lexicon["central_bodies"]), tuple(lexicon["bodies"])


def is_body(name: str) -> bool:
    """Whether a name is a party or government body by the lexicon: a central body, or a name that
    ends with a body word (市委, 商丘市人民政府).

    >>> is_body("市委"), is_body("国务院"), is_body("中国人民银行"), is_body("青岛海牛队")
    (True, True, True, False)
    """
    central, endings = _body_lexicon()
    return name in central or name.endswith(endings)


@cache
def organizations() -> dict[str, str]:
    """Armed forces (GOV) and other organizations (ORG) the tagger mistakes for persons or places: name →
    label (resources/lexicons/organizations.tsv).

    >>> organizations()["乌军"], organizations()["哈马斯"]
    ('GOV', 'ORG')
    """
    return read_pairs("lexicons/organizations.tsv")


@cache
def common_nouns() -> frozenset[str]:
    """Common nouns the tagger takes for names on their own (resources/lexicons/common_nouns.txt).

    >>> "暴雪" in common_nouns(), "国家邮政局" in common_nouns()
    (True, False)
    """
    return frozenset(read_lines("lexicons/common_nouns.txt"))


@cache
def post_units() -> tuple[str, ...]:
    """Boards and party units that open a post when written between an organization and the post
    (阿里巴巴集团 + 董事局主席): resources/lexicons/officialdom.json `post_units`."""
    return tuple(officialdom()["post_units"])


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


def find_places(text: str) -> list[Found]:
    """LOC candidates: the division names of the gazetteer, normalized.

    >>> find_places("商丘在河南")
    [(0, 2, 'LOC', '河南省商丘市'), (3, 5, 'LOC', '河南省')]
    """
    return [(m.start(), m.end(), "LOC", normalize_place(m.group())) for m in _place_scanner().finditer(text)]


def expanded_full(name: str) -> bool:
    """Whether a division name is written in full (ends with its level word).

    >>> expanded_full("商丘市"), expanded_full("商丘")
    (True, False)
    """
    return name.endswith(("省", "市", "自治区", "特别行政区", "自治州", "地区", "盟", "林区"))


@cache
def post_pattern() -> re.Pattern[str]:
    """Posts: `[level body][党组|党委|党工委][常务][副|代]post`, or a post that stands alone (市领导, 总理).

    The lookahead wants what a match starts with: a word, then its second character or the first of
    the next word, or a one-character post alone (长).
    """
    lexicon = officialdom()
    prefixes = ["党组", "党委", "党工委", "常务", "副", "代"]
    openers = [*lexicon["standalone_posts"], *lexicon["levels"], *lexicon["posts"], *prefixes]
    words = openers + lexicon["bodies"]
    seconds = charset([word[1] for word in words if len(word) > 1] + [word[0] for word in words])
    alone = [post for post in lexicon["posts"] + lexicon["standalone_posts"] if len(post) == 1]
    lead = f"(?={classes(openers, 1)}{seconds}" + (f"|{charset(alone)})" if alone else ")")
    body = alternation(lexicon["levels"]) + alternation(lexicon["bodies"])
    post = alternation(lexicon["posts"])
    standalone = alternation(lexicon["standalone_posts"])
    return re.compile(f"{lead}(?:{standalone}|(?:{body})?{_OFFICE_PREFIX}{post})(?!会|员会)")


def find_posts(text: str) -> list[Found]:
    """POSITION candidates from the post lexicon. A one-character post (长) counts only joined to what
    comes before it (公安局长): alone it is the 长 of 长租房 or 产业链长.

    >>> [found[3] for found in find_posts("市委副书记、市长摆向阳主持，支持长租房")]
    ['市委副书记', '市长']
    """
    return [
        (m.start(), m.end(), "POSITION", m.group())
        for m in post_pattern().finditer(text)
        if m.end() - m.start() > 1
    ]


@cache
def _citation_pattern() -> re.Pattern[str]:
    lexicon = read_json("lexicons/citations.json")
    title = f"[^{re.escape(_CLAUSE_END)}]{{2,40}}?的{alternation(lexicon['remarks'])}"
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


def find_titles(text: str) -> list[Found]:
    """Titles in 《》 (DOCUMENT) and quoted phrases in “” (QUOTE), normalized to what is inside."""
    return [
        (m.start(), m.end(), "DOCUMENT" if m.group(1) else "QUOTE", (m.group(1) or m.group(2)).strip())
        for m in _TITLE.finditer(text)
    ]


@cache
def events() -> dict:
    """Meeting and campaign words, generic openers and minimum name length (lexicon_events.json)."""
    return read_json("lexicons/events.json")


@cache
def event_pattern() -> re.Pattern[str]:
    """A meeting or campaign word ending an event name, or a quoted name followed by a campaign word."""
    lexicon = events()
    lead = f"(?=“|{classes(lexicon['meetings'] + lexicon['campaigns'], 2)})"
    return re.compile(
        f"{lead}(?:(?P<quoted>“[^“”\\n]{{2,30}}”){alternation(lexicon['quoted_campaigns'])}"
        f"|(?P<meeting>{alternation(lexicon['meetings'])})(?!{alternation(lexicon['not_after_meeting'])})"
        f"|(?P<campaign>{alternation(lexicon['campaigns'])}))"
    )


@cache
def _name_openers() -> re.Pattern[str]:
    """Everything up to the last word in a clause that opens an event's name (召开, 根据, 在 …)."""
    return re.compile(f".*{alternation(events()['name_openers'])}")


@cache
def _generic_opener() -> re.Pattern[str]:
    """A word that opens a reference to a meeting rather than its name (此次, 系列 …)."""
    return re.compile(alternation(events()["generic_openers"]))


@cache
def _meeting_joiner() -> re.Pattern[str]:
    """A word joining two meetings (和, 及 …)."""
    return re.compile(alternation(events()["meeting_joiners"]))


@cache
def _ordinal_after_joiner() -> re.Pattern[str]:
    """Everything up to the last joiner followed by an ordinal (和第): a new name starts there."""
    return re.compile(f".*{alternation(events()['meeting_joiners'])}(?=第)")


def _name_start(text: str, end: int) -> int:
    """Where the name of the event whose meeting or campaign word starts at `end` starts: after the last
    word opening a name (召开, 在 …) in the clause, which may hold quotations, titles and brackets; after
    a meeting joined to the name by 和 and its ordinal (…张荣恭和第三届…峰会), and after a list number.

    >>> text = "出席第三届“一带一路”国际合作高峰论坛"
    >>> text[_name_start(text, 16):]
    '第三届“一带一路”国际合作高峰论坛'
    >>> text = "今天（6月19日）版权生态合作大会"
    >>> text[_name_start(text, 15):]
    '版权生态合作大会'
    >>> text = "会见张荣恭和第三届海峡两岸中华文化峰会"
    >>> text[_name_start(text, 17):]
    '第三届海峡两岸中华文化峰会'
    """
    start = _clause_name_start(text, end)
    lead = _ordinal_after_joiner().match(text, start, end) or _LIST_MARK.match(text, start, end)
    return lead.end() if lead else start


def _clause_name_start(text: str, end: int) -> int:
    """`_name_start` before ordinals: back through the clause and the quotations, titles and brackets
    (`_NAME_UNIT`) in it, to the last name opener. A quotation followed by a joiner is another item
    (“四下基层”与主题教育)."""
    floor = max(0, end - _NAME_REACH)
    start = end
    while True:
        part = start
        while part > floor and text[part - 1] not in _NAME_END:
            part -= 1
        opened = _name_openers().match(text, part, start)
        if opened:
            return opened.end()
        unit = _NAME_UNIT.search(text, floor, part)
        if unit is None or _meeting_joiner().match(text, part):
            return part
        start = unit.start()


def find_events(text: str) -> list[Found]:
    """Named meetings and campaigns (EVENT): the clause words before the meeting word (with the
    quotations, titles and brackets among them; `_name_start`), after the last verb that opens a name
    (召开, 出席, 在 …), after a meeting joined to this one (…会议和…) and after the generic words that
    refer to a meeting (此次, 本届 …), unless nothing but a meeting word is left; the longest name where
    several start together.

    >>> find_events("10月8日下午，全市深化全国文明城市创建工作推进会召开。会议强调")
    [(8, 25, 'EVENT', '全市深化全国文明城市创建工作推进会')]
    >>> [name for *_, name in find_events("出席东亚合作领导人会议和第17届东亚峰会")]
    ['东亚合作领导人会议', '第17届东亚峰会']
    >>> [name for *_, name in find_events("预祝此次中非合作论坛北京峰会取得成功，本次论坛年会")]
    ['中非合作论坛北京峰会']
    """
    lexicon = events()
    meetings = set(lexicon["meetings"])
    found = []
    previous_end = -1
    for match in event_pattern().finditer(text):
        if match.group("quoted"):
            found.append((match.start(), match.end(), "EVENT", match.group()))
            continue
        start = _name_start(text, match.start())
        joined = _meeting_joiner().match(text, previous_end) if start < previous_end < match.start() else None
        start = joined.end() if joined else start
        previous_end = match.end()
        opened_at = start
        while generic := _generic_opener().match(text, start, match.start()):
            start = generic.end()
        name = text[start : match.start()]
        shortest = lexicon["min_name"] if match.group("meeting") else lexicon["min_campaign_name"]
        if len(name) >= shortest and not (start > opened_at and name in meetings):
            if found and found[-1][0] == start:  # a longer name of the same event (论坛 → 论坛北京峰会)
                del found[-1]
            found.append((start, match.end(), "EVENT", text[start : match.end()]))
    return found


def is_meeting(name: str) -> bool:
    """Whether an event name is a meeting (it ends with a meeting word) rather than a campaign.

    >>> is_meeting("全市深化全国文明城市创建工作推进会"), is_meeting("党史学习教育")
    (True, False)
    """
    return name.endswith(tuple(events()["meetings"]))


@cache
def actions() -> tuple[re.Pattern[str], dict[str, str]]:
    """The action words and the action each one records (发表重要讲话 → 讲话)."""
    recorded = read_pairs("lexicons/actions.tsv")
    return scanner(list(recorded)), recorded


@cache
def action_links() -> dict[str, tuple[str, ...]]:
    """Joiners and takers of action words, and nouns that start with one (lexicon_action_links.json)."""
    lexicon = read_json("lexicons/action_links.json")
    return {key: tuple(value) for key, value in lexicon.items() if not key.startswith("_")}


@cache
def _set_phrases() -> re.Pattern[str]:
    return scanner(read_lines("lexicons/set_phrases.txt"))


def find_set_phrases(text: str) -> list[tuple[int, int]]:
    """Where set phrases lie (chengyu, bulletin slogans): no entity is found inside one.

    >>> find_set_phrases("汇聚起崇德向善、文明和谐的磅礴力量")
    [(3, 7), (8, 12)]
    """
    return [match.span() for match in _set_phrases().finditer(text)]


@cache
def surnames() -> frozenset[str]:
    """Chinese surnames, single and compound."""
    return frozenset(read_lines("lexicons/surnames.txt"))


@cache
def _office() -> re.Pattern[str]:
    """An office as a post writes it after its body, ``[党组|党委|党工委][常务][副|代]post`` (a post of
    the lexicon, one that stands alone or a member's: 副委员长, 代表)."""
    lexicon = officialdom()
    offices = alternation(lexicon["posts"] + lexicon["standalone_posts"] + lexicon["members"])
    return re.compile(_OFFICE_PREFIX + offices)


@cache
def _body_words() -> frozenset[str]:
    """Body words, which name no body on their own (纪委, 政府)."""
    return frozenset(officialdom()["bodies"])


def body_of_post(post: str) -> str | None:
    """The body a post names before its office, if it names one: a party or government body
    (`is_body`), not a bare body word (纪委书记) nor a unit of an unnamed organization (党委宣传部部长).
    The shortest such body wins, so the office is whole (全国人大常委会 + 副委员长).

    >>> [body_of_post(post) for post in ("市委副书记", "商丘市委书记", "市人大常委会主任", "市长")]
    ['市委', '商丘市委', '市人大常委会', None]
    >>> [body_of_post(post) for post in ("外交部副部长", "国务院总理", "纪委书记", "党委宣传部部长")]
    ['外交部', '国务院', None, None]
    """
    for cut in range(2, len(post)):
        body = post[:cut]
        if (
            is_body(body)
            and body not in _body_words()
            and not body.startswith(post_units())  # 党委, 党委宣传部: a unit of an unnamed organization
            and _office().fullmatch(post, cut)
        ):
            return body
    return None
