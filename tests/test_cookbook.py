"""The README cookbook: every snippet runs as written, on a generated warehouse and on the seed's.

The snippets are read from README.md between the cookbook markers, so the README cannot drift. On
the generated warehouse each answer must equal `expected` in cases/sample_warehouse.json; on the
seed each answer must agree with the article text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import REPO
from tests.test_load import SAMPLE, write_sample_warehouse, write_seed_warehouse

EXPECTED = SAMPLE["expected"]
ANSWERS = ["officials", "co_appearances", "documents", "slogan_by_month", "place_articles"]


def cookbook_snippets() -> list[str]:
    """The Python code blocks of the README between the cookbook markers."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- cookbook:start -->", 1)[1].split("<!-- cookbook:end -->", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def answer_of(code: str, project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, object]:
    """Run a snippet as an analyst does, from a folder whose data/warehouse is the warehouse, and
    return the question it answers (the one checked result it defines) with its answer."""
    monkeypatch.chdir(project)
    namespace: dict = {}
    exec(compile(code, "README.md#cookbook", "exec"), namespace)
    answers = [name for name in ANSWERS if name in namespace]
    assert len(answers) == 1, f"a cookbook snippet must define exactly one of {ANSWERS}"
    return answers[0], namespace[answers[0]]


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("sample")
    write_sample_warehouse(project / "data" / "warehouse")
    return project


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("seed")
    write_seed_warehouse(project / "data" / "warehouse")
    return project


# --- answers on the generated warehouse ----------------------------------------------------------


def _officials(officials: pd.DataFrame) -> None:
    expected = {
        person: counts for person, counts in EXPECTED["officials_this_month"].items() if person != "note"
    }
    assert set(officials.index) == set(expected)
    assert officials.index[0] == max(expected, key=lambda person: expected[person]["articles"])
    actions = [c for c in officials.columns if c not in ("articles", "positions")]
    for person, counts in expected.items():
        found = {"articles": officials.loc[person, "articles"]} | {
            a: officials.loc[person, a] for a in actions
        }
        assert found == {"articles": counts["articles"]} | {a: counts.get(a, 0) for a in actions}, person
    assert officials.loc["王芳", "positions"] == "市长"


def _co_appearances(co_appearances: pd.Series) -> None:
    found = {frozenset(pair): count for pair, count in co_appearances.items()}
    assert len(found) == len(co_appearances), "a pair is listed twice"
    assert found == {frozenset((a, b)): n for a, b, n in EXPECTED["co_appearances"]["pairs"]}
    assert co_appearances.iloc[0] == max(found.values())


def _documents(documents: pd.DataFrame) -> None:
    expected = {title: row for title, row in EXPECTED["documents"].items() if title != "note"}
    assert list(documents.index) == sorted(expected, key=lambda title: -expected[title]["citations"])
    for title, row in expected.items():
        found = documents.loc[title]
        assert (found.citations, found.articles) == (row["citations"], row["articles"]), title
        assert found.first_cited == pd.Timestamp(row["first_cited"]), title
        assert found.last_cited == pd.Timestamp(row["last_cited"]), title


def _slogan_by_month(slogan_by_month: pd.Series) -> None:
    expected = {month: n for month, n in EXPECTED["slogan_by_month"].items() if month != "note"}
    assert dict(zip(slogan_by_month.index.strftime("%Y-%m"), slogan_by_month, strict=True)) == expected


def _place_articles(place_articles: pd.DataFrame) -> None:
    assert place_articles.title.tolist() == EXPECTED["place_articles"]["titles"]


SAMPLE_CHECKS: dict[str, Callable[[Any], None]] = {
    "officials": _officials,
    "co_appearances": _co_appearances,
    "documents": _documents,
    "slogan_by_month": _slogan_by_month,
    "place_articles": _place_articles,
}


def test_the_cookbook_answers_every_question_once() -> None:
    defined = [set(re.findall(r"^(\w+) = ", code, flags=re.M)) for code in cookbook_snippets()]
    answers = [name for names in defined for name in names if name in ANSWERS]
    assert sorted(answers) == sorted(ANSWERS)


@pytest.mark.parametrize("code", cookbook_snippets())
def test_snippet_gives_the_known_answer_on_the_generated_warehouse(
    code: str, sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, answer = answer_of(code, sample_project, monkeypatch)
    SAMPLE_CHECKS[name](answer)


# --- answers on the seed: they must agree with the article text ----------------------------------


def _seed_text(project: Path) -> str:
    return "\n".join(pd.read_parquet(project / "data" / "warehouse" / "articles").text)


def _seed_answer_agrees_with_text(name: str, answer: pd.DataFrame | pd.Series, text: str) -> None:
    if name == "officials":
        assert all(person in text for person in answer.index)
    elif name == "co_appearances":
        assert all(a in text and b in text for a, b in answer.index)
    elif name == "documents":
        assert {title: answer.loc[title, "citations"] for title in answer.index} == {
            title: text.count(f"《{title}》") for title in answer.index
        }
    elif name == "slogan_by_month":
        assert answer.sum() == text.count("“我为群众办实事”")
    else:
        assert all("商丘" in body for body in answer.text)


@pytest.mark.parametrize("code", cookbook_snippets())
def test_snippet_answers_from_the_seed(
    code: str, seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, answer = answer_of(code, seed_project, monkeypatch)
    assert len(answer), f"{name}: no answer from the seed"
    _seed_answer_agrees_with_text(name, answer, _seed_text(seed_project))
