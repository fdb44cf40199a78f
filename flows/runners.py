"""Where tasks run (threads, processes, a Dask cluster), the served deployment, and run summaries."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

import pyarrow.parquet as pq
from prefect.logging.handlers import APILogWorker
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.etl import STATUSES, RunOptions, RunSummary, incremental
from flows.warehouse import Warehouse
from transforms.schema import TABLES


def task_runner(kind: str, workers: int, dask_address: str | None = None) -> TaskRunner:
    """threads (default: the work releases the GIL in rjieba and Arrow), processes, or Dask."""
    if kind == "thread":
        return ThreadPoolTaskRunner(max_workers=workers)
    if kind == "process":
        return ProcessPoolTaskRunner(max_workers=workers)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise SystemExit(
            "bulletins: --runner dask needs prefect-dask (pip install 'bulletins[dask]')"
        ) from exc
    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})


@contextmanager
def shared_api(kind: str) -> Iterator[None]:
    """Worker processes share the parent's Prefect API instead of each starting their own.

    Without a configured API every process starts an ephemeral one (~200 MB, ~10 s); for the
    process and Dask runners, start one here and hand its address to the workers.
    """
    url = get_current_settings().api.url
    if kind == "thread":
        yield
        return
    server = None
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer(port=_free_port())
        server.start(timeout=get_current_settings().server.ephemeral.startup_timeout_seconds)
        url = server.api_url
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield
    finally:
        APILogWorker.drain_all(timeout=5)
        if previous is None:
            del os.environ["PREFECT_API_URL"]
        else:
            os.environ["PREFECT_API_URL"] = previous
        if server is not None:
            server.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(options: RunOptions, cron: str) -> int:
    """Serve the incremental flow on a schedule; one run at a time, never overlapping."""
    incremental.serve(
        name="bulletins-incremental",
        cron=cron,
        parameters={"options": asdict(options)},
        limit=1,
        description="Process new and changed bulletin files into the warehouse.",
    )
    return 0


def describe(summary: RunSummary) -> str:
    """The run's summary: accounting of every file, then one line per table."""
    totals = summary.totals
    statuses = ", ".join(f"{totals.statuses[s]} {s}" for s in STATUSES if s != "missing")
    wall = summary.seconds["wall"]
    lines = [
        f"run {summary.run_id} ({summary.kind}): {totals.bytes / 1e6:.2f} MB in {wall:.1f} s",
        f"files: {summary.discovered} discovered = {summary.unchanged} unchanged + {statuses}; "
        f"{totals.statuses['missing']} missing from the inputs"
        + ("" if summary.accounted else "  << NOT ACCOUNTED FOR"),
    ]
    if not totals.files and summary.unchanged == summary.discovered:
        lines.append("nothing new to process: no transform work done")
    for path, reason in totals.quarantined:
        lines.append(f"quarantined: {path}: {reason}")
    for path in totals.mtime_dated:
        lines.append(f"DATED BY MODIFICATION TIME (no date in its path or content; pass --date): {path}")
    wh = Warehouse(summary.warehouse)
    lines.append(f"tables under {summary.warehouse}:")
    for table in TABLES:
        rows, files = table_size(wh, table)
        written = "" if table == "runs" else f"   (+{totals.rows[table]:,} written this run)"
        lines.append(f"  {table:<10} {rows:>10,} rows in {files:>4} files{written}")
    return "\n".join(lines)


def table_size(wh: Warehouse, table: str) -> tuple[int, int]:
    """(rows, files) of a table, from Parquet footers only."""
    folder = f"{wh.root}/{table}"
    if not wh.fs.exists(folder):
        return 0, 0
    paths = [p for p in wh.fs.find(folder) if p.endswith(".parquet") and "/." not in p]
    rows = 0
    for path in paths:
        with wh.fs.open(path, "rb") as handle:
            rows += pq.ParquetFile(handle).metadata.num_rows
    return rows, len(paths)
