"""The warehouse: atomic units, canonical order, untouched bytes when unchanged, one writer."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.warehouse import LockTimeout, Warehouse, WriterLock
from transforms.schema import to_arrow


def _sentences(texts: list[str], file_id: str = "f1") -> pa.Table:
    n = len(texts)
    return to_arrow(
        "sentences",
        {
            "article_id": [f"a{i}" for i in range(n)],
            "file_id": [file_id] * n,
            "issue_date": [dt.date(2024, 1, 2)] * n,
            "paragraph": [0] * n,
            "sentence": list(range(n)),
            "start": [0] * n,
            "end": [len(t) for t in texts],
            "text": texts,
        },
    )


def test_unit_is_written_sorted_and_readable_by_pandas(tmp_path: Path) -> None:
    wh = Warehouse(str(tmp_path))
    assert wh.write_unit("sentences", "2024-01", _sentences(["乙", "甲"]).take([1, 0]), "run1")
    frame = pd.read_parquet(tmp_path / "sentences")
    assert frame["text"].tolist() == ["乙", "甲"]
    assert frame["issue_month"].astype(str).unique().tolist() == ["2024-01"]


def test_identical_content_is_not_rewritten(tmp_path: Path) -> None:
    wh = Warehouse(str(tmp_path))
    wh.write_unit("sentences", "2024-01", _sentences(["甲"]), "run1")
    path = Path(wh.unit_path("sentences", "2024-01"))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert not wh.write_unit("sentences", "2024-01", _sentences(["甲"]), "run2")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_replace_rows_swaps_exactly_the_dropped_files(tmp_path: Path) -> None:
    wh = Warehouse(str(tmp_path))
    wh.write_unit(
        "sentences", "2024-01", pa.concat_tables([_sentences(["甲"], "f1"), _sentences(["乙"], "f2")]), "r"
    )
    wh.replace_rows("sentences", "2024-01", _sentences(["丙"], "f2"), pa.array(["f2"]), "file_id", "r")
    stored = wh.read_unit("sentences", "2024-01")
    assert sorted(stored.column("text").to_pylist()) == ["丙", "甲"]


def test_no_temporary_file_is_left_or_visible(tmp_path: Path) -> None:
    wh = Warehouse(str(tmp_path))
    wh.write_unit("sentences", "2024-01", _sentences(["甲"]), "r")
    assert [p.name for p in (tmp_path / "sentences" / "issue_month=2024-01").iterdir()] == ["part-0.parquet"]


def test_every_file_carries_version_and_run_metadata(tmp_path: Path) -> None:
    wh = Warehouse(str(tmp_path))
    wh.write_unit("sentences", "2024-01", _sentences(["甲"]), "run-7")
    metadata = pq.read_schema(wh.unit_path("sentences", "2024-01")).metadata
    assert metadata[b"run_id"] == b"run-7"
    assert b"pipeline_version" in metadata
    assert metadata[b"description"].startswith(b"One row per sentence")


def test_second_writer_times_out_with_a_clear_message(tmp_path: Path) -> None:
    wh = Warehouse(str(tmp_path))
    with WriterLock(wh, "first"), pytest.raises(LockTimeout, match="locked by run first"):
        WriterLock(wh, "second", wait_seconds=0.2, poll_seconds=0.05).__enter__()
    with WriterLock(wh, "third"):
        assert json.loads((tmp_path / "_lock").read_text())["run_id"] == "third"
    assert not (tmp_path / "_lock").exists()


def test_waiting_writer_gets_the_lock_once_released(tmp_path: Path) -> None:
    wh = Warehouse(str(tmp_path))
    first = WriterLock(wh, "first").__enter__()
    threading.Timer(0.3, first.__exit__, (None, None, None)).start()
    with WriterLock(wh, "second", wait_seconds=5, poll_seconds=0.05):
        assert json.loads((tmp_path / "_lock").read_text())["run_id"] == "second"


def test_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (tmp_path / "_lock").write_text(
        json.dumps({"run_id": "dead", "pid": int(dead.stdout), "host": socket.gethostname()})
    )
    with WriterLock(Warehouse(str(tmp_path)), "alive", wait_seconds=0):
        assert json.loads((tmp_path / "_lock").read_text())["pid"] == os.getpid()
