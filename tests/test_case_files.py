"""tests/case_files.py: every case file keeps the one schema, and every stage lists its known failures."""

from __future__ import annotations

import json

import pytest

from tests.case_files import CASES, KEYS, known_failures, load, read

STAGES = sorted(path.name for path in CASES.iterdir() if path.is_dir())
FILES = sorted(
    path for stage in STAGES for path in (CASES / stage).rglob("*.json") if path.name != "known_failures.json"
)


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(CASES)))
def test_case_file_keeps_the_schema(path) -> None:
    cases = read(path)
    assert cases and all(case.note for case in cases)


@pytest.mark.parametrize("stage", STAGES)
def test_known_failures_name_cases_that_exist(stage: str) -> None:
    for name in known_failures(stage):
        assert load(stage, name)


def test_a_case_outside_the_schema_is_refused(tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"note": "x", "input": "y", "output": "z"}]))
    with pytest.raises(ValueError, match="wants"):
        read(path)
    assert {"note", "input", "expected"} <= KEYS
