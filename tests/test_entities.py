"""transforms.entities: case files, the seed acceptance (issue 5), offsets, overlaps, lists, propagation."""

from __future__ import annotations

import datetime as dt
import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transforms.entities import ner
from transforms.entities.article import CONTAINERS, Article, Label, Mention, Words
from transforms.entities.components import Entities, extract
from transforms.entities.containers import uncut
from transforms.entities.names import complete_lists
from transforms.entities.propagation import propagate
from transforms.records import Columns
from transforms.segment import split_sentences, tokenize

CASES = Path(__file__).parent / "cases"
SEED_BODY = (CASES / "seed_body.txt").read_text("utf-8").rstrip("\n")
SEED_ISSUE = dt.date(2021, 10, 9)
SEED_OFFICIALS = {
    *("李国胜", "摆向阳", "吴祖明", "周树群", "张家明", "王全周", "楚耀华", "牛亚东"),
    *("罗军", "王金启", "王玉娟", "刘彦华", "岳爱云", "李建仓", "曹月坤", "王清辰"),
}
CITY_LEADERS = ["张家明", "王全周", "楚耀华", "牛亚东", "罗军", "王金启", "王玉娟", "刘彦华"]
CITY_LEADERS += ["岳爱云", "李建仓", "曹月坤", "王清辰"]


def _cases(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text("utf-8"))


def _extract(text: str, issue_date: dt.date = SEED_ISSUE) -> Entities:
    sentences = split_sentences(text)
    return extract(text, sentences, tokenize(text, sentences), issue_date)


def _mentions(found: Entities) -> list[tuple[str, str, str]]:
    data = found.mentions.data
    return list(zip(data.get("text", []), data.get("label", []), data.get("normalized", []), strict=True))


def _roles(found: Entities) -> list[tuple]:
    data = found.roles.data
    columns = ("person", "positions", "organization", "action", "event", "date")
    return list(zip(*(data.get(column, []) for column in columns), strict=True))


@pytest.fixture(scope="module")
def seed() -> Entities:
    return _extract(SEED_BODY)


@pytest.mark.parametrize("case", _cases("entities_mentions.json"), ids=lambda case: case["note"])
def test_mention_cases(case: dict) -> None:
    found = _mentions(_extract(case["input"], dt.date.fromisoformat(case["issue_date"])))
    for text, label, normalized in case["expected"]:
        assert (text, label, normalized) in found
    for text, label in case["absent"]:
        assert (text, label) not in [(t, lab) for t, lab, _ in found]


@pytest.mark.parametrize("case", _cases("entities_negative.json"), ids=lambda case: case["note"])
def test_negative_cases(case: dict) -> None:
    found = _mentions(_extract(case["input"]))
    assert [list(m) for m in found if m[1] in case["labels"]] == case["expected"]


def test_seed_persons_are_exactly_the_sixteen_officials(seed: Entities) -> None:
    persons = {text for text, label, _ in _mentions(seed) if label == "PERSON"}
    assert persons == SEED_OFFICIALS


def test_seed_roles(seed: Entities) -> None:
    roles = {(person, tuple(positions), action) for person, positions, _, action, _, _ in _roles(seed)}
    assert ("李国胜", ("市委书记",), "讲话") in roles
    assert ("摆向阳", ("市委副书记", "市长"), "主持") in roles
    assert ("吴祖明", ("市委副书记",), "出席") in roles
    assert ("周树群", ("市人大常委会主任",), "出席") in roles
    assert {(leader, ("市领导",), "出席") for leader in CITY_LEADERS} <= roles


def test_seed_roles_carry_the_meeting_and_its_date(seed: Entities) -> None:
    for _, _, _, _, event, date in _roles(seed):
        assert event == "全市深化全国文明城市创建工作推进会"
        assert date == dt.date(2021, 10, 8)


def test_seed_documents(seed: Entities) -> None:
    documents = {normalized for _, label, normalized in _mentions(seed) if label == "DOCUMENT"}
    assert {"商丘市民文明行为促进条例", "商丘市民文明公约", "全国文明城市测评体系"} <= documents


@pytest.mark.parametrize(
    ("issue_date", "expected"),
    [
        (dt.date(2021, 10, 9), "2021-10-08"),
        (dt.date(2022, 3, 1), "2021-10-08"),
        (dt.date(2021, 10, 7), "2020-10-08"),
    ],
)
def test_seed_date_resolves_from_the_issue_date(issue_date: dt.date, expected: str) -> None:
    found = _mentions(_extract(SEED_BODY[:40], issue_date))
    assert ("10月8日下午", "DATE", expected) in found


def _check_invariants(text: str, found: Entities) -> None:
    data = found.mentions.data
    rows = list(zip(*(data.get(c, []) for c in ("start", "end", "text", "label", "sentence")), strict=True))
    sentences = split_sentences(text)
    atomic = sorted((start, end) for start, end, _, label, _ in rows if label not in CONTAINERS)
    for start, end, surface, _, sentence in rows:
        assert text[start:end] == surface
        assert sentences[sentence][1] <= start < sentences[sentence][2]
    for (_, first_end), (second_start, _) in pairwise(atomic):
        assert first_end <= second_start
    edges = {edge for start, end, _, label, _ in rows if label in CONTAINERS for edge in (start, end)}
    assert not any(start < edge < end for start, end in atomic for edge in edges)
    persons = {(start, end) for start, end, _, label, _ in rows if label == "PERSON"}
    roles = found.roles.data
    for start, end, person in zip(
        roles.get("start", []), roles.get("end", []), roles.get("person", []), strict=True
    ):
        assert (start, end) in persons and text[start:end] == person


def test_seed_offsets_and_overlaps(seed: Entities) -> None:
    _check_invariants(SEED_BODY, seed)


ALPHABET = "市委书记李国胜讲话摆向阳主持出席商丘河南省人民政府会议召开10月8日下午《条例》“文明”、，。 \n"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
@example(" 南")  # the model tagged the blank with the character as a PERSON
@example("  》")  # the model tagged the blanks with the mark as a DOCUMENT
def test_any_text_keeps_offsets_and_overlaps(text: str) -> None:
    _check_invariants(text, _extract(text))


def test_propagation_tags_other_occurrences_on_word_boundaries() -> None:
    text = "李国胜讲话。李国胜强调。李国胜们"
    tokens = Columns(
        {"start": [0, 3, 6, 9, 12], "end": [3, 6, 9, 12, 16], "token": [""] * 5, "pos": ["nr"] * 5}
    )
    article = Article.of(text, [], tokens, SEED_ISSUE)
    article.claim(Mention(0, 3, Label.PERSON, "李国胜", "model"))
    propagate(article)
    assert [(m.start, m.method) for m in article.mentions] == [(0, "model"), (6, "propagation")]


def test_a_list_of_names_is_completed_from_surnames() -> None:
    text = "市领导张家明、王全周、罗军出席"
    article = Article.parse(text, SEED_ISSUE)
    article.claim(Mention(3, 6, Label.PERSON, "张家明", "model"))
    complete_lists(article)
    assert [(text[m.start : m.end], m.method) for m in article.mentions] == [
        ("张家明", "model"),
        ("王全周", "list"),
        ("罗军", "list"),
    ]


def test_an_empty_article() -> None:
    found = extract("", [], tokenize("", []), SEED_ISSUE)
    assert len(found.mentions) == 0 and len(found.roles) == 0


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_word_edges_are_the_starts_and_ends_of_the_tokens(text: str) -> None:
    tokens = tokenize(text, split_sentences(text))
    words = Words.of(tokens, len(text))
    expected = set(tokens.data.get("start", [])) | set(tokens.data.get("end", []))
    assert [p for p in range(-1, len(text) + 2) if words.at_edge(p)] == sorted(expected)


def test_spans_found_by_the_caller_give_the_same_result(seed: Entities) -> None:
    sentences = split_sentences(SEED_BODY)
    words = tokenize(SEED_BODY, sentences)
    trained = ner.model()
    located = ner.tokens_of(words.data["start"], words.data["end"], words.data["pos"], trained.pos_ids)
    spans = ner.find_spans(SEED_BODY, located, trained)
    assert extract(SEED_BODY, sentences, words, SEED_ISSUE, spans=spans) == seed


def test_a_container_edge_inside_an_atomic_mention_drops_it() -> None:
    atomic = [Mention(0, 2, Label.LOC, "河南", "model"), Mention(2, 4, Label.GOV, "省委", "model")]
    for containers, kept in (
        ([Mention(2, 7, Label.QUOTE, "省委文明", "pattern")], atomic),
        ([Mention(1, 7, Label.QUOTE, "南省委文明", "pattern")], atomic[1:]),
    ):
        article = Article.of("河南省委文明办", [], Columns(), SEED_ISSUE)
        for mention in atomic:
            article.claim(mention)
        article.containers = containers
        uncut(article)
        assert article.mentions == kept
        assert article.is_free(0, 2) == (kept != atomic)
