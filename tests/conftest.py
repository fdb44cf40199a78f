"""Shared fixtures: the seed, the optional ../shared data, and one Prefect harness per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_66e55bb73970c7f5.txt"
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a clean skip when that evaluation data is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: evaluation data lives beside the repo on dev and CI machines only")
    return path


def table_contents(warehouse: str | Path) -> dict:
    """Every table but `runs`, without run ids: what two runs over the same inputs must agree on."""
    from flows.warehouse import Warehouse
    from transforms.schema import TABLES

    wh = Warehouse(str(warehouse))
    return {
        t: wh.read_table(t).drop_columns(["run_id"] if t == "files" else []) for t in TABLES if t != "runs"
    }


@pytest.fixture(scope="session")
def prefect_harness():
    """One ephemeral Prefect API for every flow test of the session (a cold start costs ~10 s)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def seed_inputs(tmp_path: Path) -> Path:
    """A landing folder holding a copy of the seed bulletin, dated by its folder."""
    folder = tmp_path / "raw" / "2021" / "10" / "09"
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    return tmp_path / "raw"
