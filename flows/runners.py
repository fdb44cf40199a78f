"""Where tasks run (threads, processes, a Dask cluster), the served deployment, and run summaries."""

from __future__ import annotations

from dataclasses import asdict

import pyarrow.parquet as pq
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
