"""Concurrency: two runs on one warehouse at once: exactly one writes; the other waits, or gives up
with exit status 3 and a message naming the run that holds the warehouse."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flows.cli import main
from flows.warehouse import Warehouse
from tests import badinput, holdpoint
from tests.holdpoint import HeldRun
from transforms.schema import TABLES


def _snapshot(warehouse: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(warehouse.rglob("*")) if p.is_file() and p.name != "_lock"}


def test_a_second_run_gives_up_with_status_3_or_waits_and_only_the_first_writes(
    prefect_harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs, warehouse = badinput.three_months(tmp_path / "in"), tmp_path / "wh"
    args = ["run", "--input", str(inputs), "--warehouse", str(warehouse), "--workers", "1"]
    with HeldRun(args, "replace:*:1", tmp_path / "hold") as first:
        first.wait_until_held()
        held = _snapshot(warehouse)

        assert main([*args, "--lock-wait", "1"]) == 3
        message = capsys.readouterr().err
        assert "is locked by run" in message and f"(pid {first.process.pid} on " in message
        assert "--lock-wait" in message
        assert _snapshot(warehouse) == held, "the run that gave up wrote something"

        threading.Timer(3, first.release).start()
        assert main([*args, "--lock-wait", "120"]) == 0
        code, printed, errors = first.wait()
        assert code == 0, errors[-3000:]

    runs = sorted(Warehouse(str(warehouse)).read_table("runs").to_pylist(), key=lambda r: r["finished_at"])
    assert [r["files_ok"] > 0 for r in runs] == [True, False]
    writer, waiter = runs
    assert waiter["started_at"] < writer["finished_at"] < waiter["finished_at"], "the second run did not wait"
    assert waiter["files_unchanged"] == waiter["files_discovered"]
    holdpoint.assert_accounted(writer, printed)
    holdpoint.assert_accounted(waiter, capsys.readouterr().out)
    units = list(warehouse.rglob("part-0.parquet"))
    assert {pq.read_schema(p).metadata[b"run_id"].decode() for p in units} == {writer["run_id"]}
    for table in TABLES:
        assert holdpoint.duplicate_rows(table, holdpoint.read_table(warehouse, table)) == 0
