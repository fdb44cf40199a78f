"""The schema is the single source of truth: the README's data dictionary must match it."""

from __future__ import annotations

import re

from tests.conftest import REPO
from transforms.schema import SORT_KEYS, TABLES, data_dictionary


def test_readme_data_dictionary_matches_the_schemas() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- data-dictionary:start -->\n(.*)\n<!-- data-dictionary:end -->", readme, re.S)
    assert block, "README lost its data dictionary markers"
    assert block.group(1).strip() == data_dictionary().strip(), "regenerate it: python -m transforms.schema"


def test_every_column_is_described_and_sort_keys_exist() -> None:
    for table, schema in TABLES.items():
        assert schema.metadata[b"description"]
        for field in schema:
            assert field.metadata[b"description"], f"{table}.{field.name} has no description"
        assert set(SORT_KEYS[table]) <= set(schema.names)
