"""Crashes: a run killed with SIGKILL at any point, then started again, leaves the tables of a run
that was never interrupted; readers never meet an error, a partial file or a duplicate row.

Each killed run is a `bulletins` subprocess held at its point by `tests.holdpoint`, killed there
while a reader loops over every table, then restarted in-process with the same command.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from flows.cli import main
from flows.warehouse import Warehouse
from tests import badinput
from tests.conftest import table_contents
from tests.holdpoint import HeldRun, WarehouseReader, assert_accounted

BACKFILL = ("backfill", "--start", "2024-01-01", "--end", "2024-03-31", "--batch-mb", "0.001")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return badinput.three_months(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def uninterrupted(prefect_harness, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    warehouse = tmp_path_factory.mktemp("uninterrupted") / "wh"
    assert main(["run", "--input", str(inputs), "--warehouse", str(warehouse), "--workers", "1"]) == 0
    return table_contents(warehouse)


POINTS = (
    pytest.param(("run",), "write:sentences:2", id="halfway-through-a-temporary-file"),
    pytest.param(("run",), "replace:tokens:1", id="month-with-some-tables-replaced"),
    pytest.param(("run",), "link", id="units-written-duplicates-not-linked"),
    pytest.param(("run",), "lock", id="lock-just-taken"),
    pytest.param(BACKFILL, "checkpoint:1", id="backfill-after-its-first-month"),
)


@pytest.mark.parametrize(("command", "point"), POINTS)
def test_a_killed_run_started_again_leaves_the_tables_of_an_uninterrupted_run(
    inputs: Path,
    uninterrupted: dict,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
    point: str,
) -> None:
    warehouse = tmp_path / "wh"
    args = [*command, "--input", str(inputs), "--warehouse", str(warehouse), "--workers", "1"]
    with WarehouseReader(warehouse) as reader, HeldRun(args, point, tmp_path / "hold") as run:
        run.wait_until_held()
        reader.wait_passes(1)
        assert run.kill() == -signal.SIGKILL
        reader.wait_passes(1)
        assert main([*args, "--lock-wait", "3"]) == 0
        reader.wait_passes(1)
    assert reader.problems == []
    assert table_contents(warehouse) == uninterrupted
    [rerun] = Warehouse(str(warehouse)).read_table("runs").to_pylist()
    assert rerun["state"] == "completed"
    assert_accounted(rerun, capsys.readouterr().out)
    assert sorted(warehouse.rglob("*.tmp")) == [], "temporary files of the killed run are removed"


def test_a_reader_never_meets_an_error_a_partial_file_or_a_duplicate_during_a_backfill(
    prefect_harness, tmp_path: Path
) -> None:
    inputs, warehouse = badinput.three_months(tmp_path / "in"), tmp_path / "wh"
    args = ["--input", str(inputs), "--warehouse", str(warehouse), "--workers", "1"]
    assert main(["run", *args]) == 0
    before = set(Warehouse(str(warehouse)).read_table("articles").column("article_id").to_pylist())
    badinput.three_months(inputs, version="\n  补充报道：会后各地迅速行动。\n")
    with WarehouseReader(warehouse) as reader:
        reader.wait_passes(1)
        passes = reader.passes
        assert main([*BACKFILL, *args]) == 0
        during = reader.passes - passes
    after = set(Warehouse(str(warehouse)).read_table("articles").column("article_id").to_pylist())
    assert reader.problems == []
    assert before.isdisjoint(after), "the backfill must rewrite every article"
    assert during >= 2, "the reader must read while the backfill rewrites"
