"""transforms.entities.places: full names of places; cases are data."""

from __future__ import annotations

import pytest

from tests.case_files import Case, load
from transforms.entities.places import normalize_place


@pytest.mark.parametrize("case", load("entities", "places"))
def test_place_cases(case: Case) -> None:
    assert normalize_place(case.input) == case.wanted
