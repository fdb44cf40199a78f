"""The one loader of the case files, tests/cases/<stage>/<name>.json, and their one schema.

A case file is a JSON list of cases; a case is an object with

- ``note`` (required): what the case shows, unique in its file: the test id;
- ``input`` (required): what the function under test is given;
- ``given``: other arguments, by name (``issue_date``, a file name, a codec, …);
- ``expected``: what must come out; a case without it must come out unchanged (its input);
- ``absent``: what must not come out.

Each stage folder holds ``known_failures.json``: ``{file name: {note: why we get it wrong}}``. A known
failure runs as a strict xfail: the test fails when the case starts passing, until it is taken off the
list, and the loader fails on a listed note that names no case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).parent / "cases"
KEYS = frozenset({"note", "input", "given", "expected", "absent"})
REQUIRED = frozenset({"note", "input"})
_UNCHANGED = object()


@dataclass(frozen=True)
class Case:
    """One case of a case file (see the module docstring)."""

    note: str
    input: Any
    given: dict[str, Any] = field(default_factory=dict)
    expected: Any = _UNCHANGED
    absent: list = field(default_factory=list)

    @property
    def wanted(self) -> Any:
        """What must come out: `expected`, or the input itself for a must-stay-unchanged case."""
        return self.input if self.expected is _UNCHANGED else self.expected


def case_files(stage: str) -> list[Path]:
    """The case files of a stage (its known failures aside)."""
    return sorted(path for path in (CASES / stage).glob("*.json") if path.name != "known_failures.json")


def known_failures(stage: str) -> dict[str, dict[str, str]]:
    """The stage's known failures: file name → note → why."""
    return json.loads((CASES / stage / "known_failures.json").read_text("utf-8"))


def read(path: Path) -> list[Case]:
    """The cases of one file, checked against the schema."""
    entries = json.loads(path.read_text("utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{path}: a case file is a list of cases")
    cases, notes = [], set()
    for entry in entries:
        keys = set(entry)
        if not REQUIRED <= keys <= KEYS:
            raise ValueError(
                f"{path}: case {entry.get('note')!r} has keys {sorted(keys)}, wants {sorted(KEYS)}"
            )
        if entry["note"] in notes:
            raise ValueError(f"{path}: two cases noted {entry['note']!r}")
        notes.add(entry["note"])
        cases.append(Case(**entry))
    return cases


def load(stage: str, name: str) -> list:
    """The cases of tests/cases/`stage`/`name`.json as pytest parameters, the known failures marked."""
    cases = read(CASES / stage / f"{name}.json")
    known = known_failures(stage).get(name, {})
    unknown = set(known) - {case.note for case in cases}
    if unknown:
        raise ValueError(f"{stage}/known_failures.json names no case of {name}.json: {sorted(unknown)}")
    return [
        pytest.param(case, id=case.note, marks=[pytest.mark.xfail(strict=True, reason=known[case.note])])
        if case.note in known
        else pytest.param(case, id=case.note)
        for case in cases
    ]
