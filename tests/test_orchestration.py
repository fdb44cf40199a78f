"""Runners and storage: Dask gives the thread runner's tables; a warehouse on S3 (moto on loopback)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import etl
from flows.cli import main
from flows.warehouse import Warehouse
from tests.conftest import SEED, table_contents


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch):
    """A real S3-compatible server (moto's standalone server) on loopback, stopped after the test."""
    pytest.importorskip("s3fs")
    pytest.importorskip("moto.server")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline and server.poll() is None, "moto server did not start"
            time.sleep(0.1)
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        }.items():
            monkeypatch.setenv(name, value)
        import s3fs

        s3fs.S3FileSystem.clear_instance_cache()
        fs = s3fs.S3FileSystem()
        fs.mkdir("bulletins")
        yield fs
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.usefixtures("prefect_harness")
def test_warehouse_and_inputs_on_s3_read_back_with_pandas(s3, tmp_path: Path) -> None:
    import pandas as pd

    s3.put(str(SEED), "bulletins/raw/2021/10/09/seed.txt")
    args = ["--input", "s3://bulletins/raw", "--warehouse", "s3://bulletins/warehouse", "--workers", "1"]
    assert main(["run", *args]) == 0
    articles = pd.read_parquet("s3://bulletins/warehouse/articles")
    assert len(articles) == 1 and articles["issue_date"].iloc[0] == pd.Timestamp("2021-10-09")
    files = pd.read_parquet("s3://bulletins/warehouse/files")
    assert files["path"].tolist() == ["s3://bulletins/raw/2021/10/09/seed.txt"]
    assert main(["run", *args]) == 0
    assert Warehouse("s3://bulletins/warehouse").read_table("runs").column("files_unchanged").to_pylist() == [
        0,
        1,
    ]
    assert not s3.exists("bulletins/warehouse/_lock")


@pytest.mark.usefixtures("prefect_harness")
def test_dask_cluster_gives_the_thread_runners_tables(tmp_path: Path, seed_inputs: Path) -> None:
    pytest.importorskip("prefect_dask")
    (seed_inputs / "2021" / "11" / "01").mkdir(parents=True)
    (seed_inputs / "2021" / "11" / "01" / "note.txt").write_text(
        "通知标题\n\n会议在郑州召开。\n", encoding="utf-8"
    )
    common = ["--input", str(seed_inputs), "--workers", "2", "--batch-mb", "0.001"]
    assert main(["run", *common, "--warehouse", str(tmp_path / "thread")]) == 0
    assert main(["run", *common, "--warehouse", str(tmp_path / "dask"), "--runner", "dask"]) == 0
    assert table_contents(str(tmp_path / "dask")) == table_contents(str(tmp_path / "thread"))


@pytest.mark.usefixtures("prefect_harness")
def test_backfill_per_month_runs_one_flow_per_month_and_skips_done_months(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for day in ("20240105", "20240210"):
        (inputs / f"{day}.txt").write_text(f"{day}标题\n\n{day}的正文，会议召开。\n", encoding="utf-8")
    options = etl.RunOptions(inputs=(str(inputs),), warehouse=str(tmp_path / "wh"), lock_wait=5)
    summaries = etl.backfill_by_month(options, dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    assert [s.totals.statuses["ok"] for s in summaries] == [1, 1]
    assert len(Warehouse(str(tmp_path / "wh")).read_table("runs")) == 2
    assert not os.listdir(tmp_path / "wh" / "_state")


def test_only_io_errors_are_retried() -> None:
    from prefect.states import Failed

    def failed(exc: BaseException):
        return Failed(data=exc)

    assert etl.is_transient_io_error(None, None, failed(ConnectionResetError("reset")))
    assert not etl.is_transient_io_error(None, None, failed(ValueError("bad data")))
