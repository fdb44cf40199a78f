"""transforms.entities.components: extract over case files and the seed; offsets and overlaps."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.case_files import Case, load
from tests.entities.conftest import ALPHABET
from transforms.entities import ner
from transforms.entities.article import CONTAINERS
from transforms.entities.components import COMPONENTS, Entities, extract
from transforms.segment import split_sentences, tokenize

CASES = Path(__file__).parents[1] / "cases" / "entities"


SEED_BODY = (CASES / "seed_body.txt").read_text("utf-8").rstrip("\n")


SEED_ISSUE = dt.date(2021, 10, 9)


SEED_OFFICIALS = {
    *("李国胜", "摆向阳", "吴祖明", "周树群", "张家明", "王全周", "楚耀华", "牛亚东"),
    *("罗军", "王金启", "王玉娟", "刘彦华", "岳爱云", "李建仓", "曹月坤", "王清辰"),
}


CITY_LEADERS = ["张家明", "王全周", "楚耀华", "牛亚东", "罗军", "王金启", "王玉娟", "刘彦华"]
CITY_LEADERS += ["岳爱云", "李建仓", "曹月坤", "王清辰"]


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


@pytest.mark.parametrize("case", load("entities", "mentions"))
def test_mention_cases(case: Case) -> None:
    found = _mentions(_extract(case.input, dt.date.fromisoformat(case.given["issue_date"])))
    for text, label, normalized in case.wanted:
        assert (text, label, normalized) in found
    for text, label in case.absent:
        assert (text, label) not in [(t, lab) for t, lab, _ in found]


@pytest.mark.parametrize("case", load("entities", "negative"))
def test_negative_cases(case: Case) -> None:
    found = _mentions(_extract(case.input))
    assert [list(m) for m in found if m[1] in case.given["labels"]] == case.wanted


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


def test_seed_offsets_and_overlaps(seed: Entities) -> None:
    _check_invariants(SEED_BODY, seed)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
@example(" 南")  # the model tagged the blank with the character as a PERSON
@example("  》")  # the model tagged the blanks with the mark as a DOCUMENT
def test_any_text_keeps_offsets_and_overlaps(text: str) -> None:
    _check_invariants(text, _extract(text))


def test_an_empty_article() -> None:
    found = extract("", [], tokenize("", []), SEED_ISSUE)
    assert len(found.mentions) == 0 and len(found.roles) == 0


def test_spans_found_by_the_caller_give_the_same_result(seed: Entities) -> None:
    sentences = split_sentences(SEED_BODY)
    words = tokenize(SEED_BODY, sentences)
    trained = ner.model()
    located = ner.tokens_of(words.data["start"], words.data["end"], words.data["pos"], trained.pos_ids)
    spans = ner.find_spans(SEED_BODY, located, trained)
    assert extract(SEED_BODY, sentences, words, SEED_ISSUE, spans=spans) == seed


def _holds(case: Case, found: Entities) -> bool:
    """Whether what `extract` found meets a component case: every expected mention (text, label,
    normalized, method) and role (person, positions, action) found, no absent (text, label)."""
    data, roles = found.mentions.data, found.roles.data
    columns = ("text", "label", "normalized", "method")
    mentions = {tuple(row) for row in zip(*(data.get(column, []) for column in columns), strict=True)}
    acted = {
        (person, tuple(positions), action)
        for person, positions, action in zip(
            roles.get("person", []), roles.get("positions", []), roles.get("action", []), strict=True
        )
    }
    wanted = case.wanted
    return (
        all(tuple(mention) in mentions for mention in wanted.get("mentions", []))
        and all(
            (person, tuple(positions), action) in acted
            for person, positions, action in wanted.get("roles", [])
        )
        and not any((text, label) in {m[:2] for m in mentions} for text, label in case.absent)
    )


def _run(case: Case, components: tuple) -> Entities:
    text = case.input
    sentences = split_sentences(text)
    issue_date = dt.date.fromisoformat(case.given["issue_date"])
    return extract(text, sentences, tokenize(text, sentences), issue_date, components=components)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda component: component.__name__)
def test_each_component_has_a_doctest_and_a_case_file(component) -> None:
    assert ">>>" in (component.__doc__ or "")
    assert (CASES / "components" / f"{component.__name__}.json").is_file()


COMPONENT_CASES = [
    pytest.param(component, *param.values, id=f"{component.__name__}: {param.id}", marks=param.marks)
    for component in COMPONENTS
    for param in load("entities", f"components/{component.__name__}")
]


@pytest.mark.parametrize(("component", "case"), COMPONENT_CASES)
def test_component_cases_hold_and_need_their_component(component, case: Case) -> None:
    assert _holds(case, _run(case, COMPONENTS))
    assert not _holds(case, _run(case, tuple(c for c in COMPONENTS if c is not component)))
