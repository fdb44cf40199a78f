"""Posts: the post lexicon (levels, bodies, offices: resources/lexicons/officialdom.json), the bodies a
post names, and the components that find posts and make them whole.

In bulletins the body is part of the post (`市人大常委会主任`, `中共中央总书记`): `whole_posts` joins
the body the tagger found to the post after it, or puts a lexicon post over the parts the tagger split
it into.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

from transforms.entities.article import GOV, LOC, ORG, PERSON, POSITION, Article, Mention
from transforms.kit.lexicons import alternation, charset, classes, read_json

_GIVING_WAY = {
    POSITION: frozenset({GOV, POSITION}),
    LOC: frozenset({PERSON}),
}
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
def post_units() -> tuple[str, ...]:
    """Boards and party units that open a post when written between an organization and the post
    (阿里巴巴集团 + 董事局主席): resources/lexicons/officialdom.json `post_units`."""
    return tuple(officialdom()["post_units"])


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


def find_posts(text: str) -> list[Mention]:
    """POSITION candidates from the post lexicon. A one-character post (长) counts only joined to what
    comes before it (公安局长): alone it is the 长 of 长租房 or 产业链长.

    >>> [found.normalized for found in find_posts("市委副书记、市长摆向阳主持，支持长租房")]
    ['市委副书记', '市长']
    """
    return [
        Mention(m.start(), m.end(), POSITION, m.group(), "lexicon")
        for m in post_pattern().finditer(text)
        if m.end() - m.start() > 1
    ]


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


def lexicon_posts(article: Article) -> None:
    """Component: the posts of the lexicon on word edges wait for their claim, after the tagger's.

    >>> import datetime as dt
    >>> text = "市委副书记、市长摆向阳主持"
    >>> article = Article.parse(text, dt.date(2021, 10, 9))
    >>> lexicon_posts(article)
    >>> [m.normalized for m in article.lexical]
    ['市委副书记', '市长']
    """
    edges = article.words.edges
    article.lexical += [m for m in find_posts(article.text) if edges[m.start] and edges[m.end]]


def whole_posts(article: Article) -> None:
    """Component: each post the tagger split into parts made whole again, by the lexicon's post over them
    (`_lexicon_over_parts`) or by joining a body to the post after it (`_joined_posts`).

    >>> import datetime as dt
    >>> from transforms.records import Columns
    >>> article = Article.of("中共中央总书记", [], Columns(), dt.date(2024, 1, 1))
    >>> article.modeled = [Mention(0, 4, GOV, "中共中央", "model")]
    >>> article.lexical = [Mention(4, 7, POSITION, "总书记", "lexicon")]
    >>> whole_posts(article)
    >>> [(m.normalized, m.label) for m in article.modeled]
    [('中共中央总书记', 'POSITION')]
    """
    posts = [m for m in article.lexical if m.label == POSITION]
    parts = _lexicon_over_parts(article.modeled, article.lexical)
    article.modeled = _joined_posts(article.text, parts, posts)


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
    bodies = [m for m in modeled if m.label in (GOV, ORG)]
    ends = {m.end for m in bodies}
    after = {m.start: m for m in posts if m.start in ends}
    after.update({m.start: m for m in modeled if m.label == POSITION and m.start in ends})
    if not after:
        return modeled
    added: list[Mention] = []
    replaced: set[Mention] = set()
    for body in bodies:
        post = after.get(body.end)
        if post is None:
            continue
        start = body.start if is_body(body.normalized) else _unit_start(body)
        if start is None:
            continue
        if start > body.start:
            added.append(body._replace(end=start, normalized=text[body.start : start]))
        added.append(Mention(start, post.end, POSITION, text[start : post.end], post.method))
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
    unit = next((unit for unit in post_units() if name.endswith(unit)), None)
    if unit is None or len(name) - len(unit) < 2:
        return None
    return organization.end - len(unit)
