"""The Prefect flows: incremental run and backfill. Orchestration and I/O only.

A run: take the writer lock → discover and plan → one task per batch of whole months (the task
reads its files, calls `transforms.pipeline.process_file`, rewrites its months' units) → link
near-duplicate articles → record the run (a `runs` row and a Prefect artifact).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed
from prefect.task_runners import TaskRunner

from flows import discover
from flows.discover import Discovered, UnitJob
from flows.warehouse import VERSION, Warehouse, WriterLock, month_of
from transforms.dedupe import WINDOW, first_occurrences
from transforms.pipeline import STAGES, FileRows, file_id_of, process_file, quarantine
from transforms.records import FileMeta
from transforms.schema import CONTENT_TABLES, TABLES, to_arrow

DEFAULT_BATCH_MB = 4.0
DEFAULT_MAX_FILE_MB = 64.0
STATUSES = ("ok", "duplicate", "quarantined", "missing")
LINK_PENDING = "link-pending"


@dataclass
class UnitSummary:
    """What a worker sends back: counts, never rows."""

    months: list[str] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    statuses: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    persons: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    mtime_dated: list[str] = field(default_factory=list)

    def add(self, other: UnitSummary) -> None:
        self.months += other.months
        self.files += other.files
        self.bytes += other.bytes
        self.quarantined += other.quarantined
        self.mtime_dated += other.mtime_dated
        for name in ("statuses", "rows", "seconds", "persons", "documents"):
            getattr(self, name).update(getattr(other, name))


@dataclass
class RunSummary:
    run_id: str
    kind: str
    warehouse: str
    discovered: int
    unchanged: int
    totals: UnitSummary
    seconds: dict[str, float]

    @property
    def accounted(self) -> bool:
        """Invariant 1: every discovered file is unchanged or got exactly one status this run."""
        processed = sum(self.totals.statuses[s] for s in ("ok", "duplicate", "quarantined"))
        return self.unchanged + processed == self.discovered


# --- the unit of work: pure function composition plus reads and writes ------------------------


def write_units(jobs: Sequence[UnitJob], warehouse: str, run_id: str, max_file_bytes: int) -> UnitSummary:
    """Process the files of whole months and rewrite those months' partition units."""
    summary = UnitSummary()
    for job in jobs:
        summary.add(_write_unit(job, Warehouse(warehouse), run_id, max_file_bytes))
    return summary


def _write_unit(job: UnitJob, wh: Warehouse, run_id: str, max_file_bytes: int) -> UnitSummary:
    summary = UnitSummary(months=[job.month])
    rows = FileRows()
    for f in job.process:
        summary.files += 1
        _extend(rows, _process_one(f, max_file_bytes))
        summary.bytes += f.size
    for stage, seconds in rows.seconds.items():
        summary.seconds[stage] += seconds
    began = time.perf_counter()
    new_ids = pa.array(sorted({i for i in rows.tables["files"].data.get("file_id", [])} | job.drop_file_ids))
    for table in CONTENT_TABLES:
        new = to_arrow(table, rows.tables[table].data)
        wh.replace_rows(table, job.month, new, new_ids, key="file_id", run_id=run_id)
        summary.rows[table] += new.num_rows
    files = _files_rows(rows, job, wh, run_id)
    wh.replace_rows("files", job.month, files, pa.array(sorted(job.drop_paths), pa.string()), "path", run_id)
    summary.rows["files"] += files.num_rows
    summary.seconds["write"] += time.perf_counter() - began
    by_path: dict[str, set[str]] = {}
    for status, path, member, error, dated_by in zip(
        *(files.column(c).to_pylist() for c in ("status", "path", "member", "error", "issue_date_source")),
        strict=True,
    ):
        by_path.setdefault(path, set()).add(status)
        if status == "quarantined":
            summary.quarantined.append((f"{path}!{member}" if member else path, error))
        if dated_by == "mtime" and status == "ok":
            summary.mtime_dated.append(f"{path}!{member}" if member else path)
    # Accounting is per discovered file: an archive counts once, as its best member fared.
    for statuses in by_path.values():
        summary.statuses[next(s for s in STATUSES if s in statuses)] += 1
    mentions = rows.tables["mentions"].data
    for label, text in zip(mentions.get("label", []), mentions.get("normalized", []), strict=True):
        if label == "PERSON":
            summary.persons[text] += 1
        elif label == "DOCUMENT":
            summary.documents[text] += 1
    return summary


def _process_one(f: Discovered, max_file_bytes: int) -> FileRows:
    meta = FileMeta(f.path, f.issue_date, f.issue_date_source, mtime=f.mtime)
    try:
        # A file grown past the limit since it was planned is read no further; its hash then differs.
        raw = discover.read_bytes(f.path, max_file_bytes + 1)
    except OSError as exc:
        return _failed(f, f"{discover.UNREADABLE} {exc.__class__.__name__}: {exc}")
    if file_id_of(raw) != f.file_id:
        return _failed(f, "file changed while the run was reading it; it will be read again next run")
    try:
        return process_file(raw, meta)
    except Exception as exc:  # a bug must not stop the run: the file is quarantined with the trace
        return _failed(f, f"internal error: {exc.__class__.__name__}: {exc}")


def _failed(f: Discovered, reason: str) -> FileRows:
    rows = FileRows()
    meta = FileMeta(f.path, f.issue_date, f.issue_date_source, mtime=f.mtime)
    quarantine(rows, meta, f.file_id or file_id_of(f.path.encode()), f.size, reason)
    return rows


def _extend(into: FileRows, rows: FileRows) -> None:
    for table, columns in rows.tables.items():
        into.tables[table].extend(**columns.data)
    for stage, seconds in rows.seconds.items():
        into.seconds[stage] += seconds


def _files_rows(rows: FileRows, job: UnitJob, wh: Warehouse, run_id: str) -> pa.Table:
    """The unit's new `files` rows; a row that did not change keeps the run that last changed it."""
    new = rows.tables["files"].data
    records = [
        dict(zip(new, values, strict=True)) for values in zip(*new.values(), strict=True)
    ] + job.records
    columns = {name: [r.get(name) for r in records] for name in TABLES["files"].names}
    columns["run_id"] = [run_id] * len(records)
    # Round-trip through Arrow so stored and new rows compare as the same Python types.
    fresh = to_arrow("files", columns).to_pylist()
    stored = wh.read_unit("files", job.month)
    previous = {(r["path"], r["member"]): r for r in stored.to_pylist()} if stored is not None else {}
    for i, row in enumerate(fresh):
        old = previous.get((row["path"], row["member"]))
        if old is not None and {**old, "run_id": run_id} == row:
            columns["run_id"][i] = old["run_id"]
    return to_arrow("files", columns)


def is_transient_io_error(task, task_run, state) -> bool:
    """Retry only I/O trouble; anything else is deterministic and would fail again."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(retries=2, retry_delay_seconds=5, retry_condition_fn=is_transient_io_error, cache_policy=None)
def process_batch(jobs: list[UnitJob], warehouse: str, run_id: str, max_file_bytes: int) -> UnitSummary:
    summary = write_units(jobs, warehouse, run_id, max_file_bytes)
    get_run_logger().info(
        "months %s: %d files, %.1f MB, %s",
        ",".join(summary.months),
        summary.files,
        summary.bytes / 1e6,
        dict(summary.statuses),
    )
    return summary


@task(cache_policy=None)
def link_duplicates(warehouse: str, run_id: str, since: dt.date | None = None) -> int:
    """Point every near-duplicate article at its first occurrence, across all runs.

    `since` is the first day whose articles may have changed (None: any). A link reaches back at most
    `dedupe.WINDOW`, so only the articles from a window before it on are read; the earlier ones among
    them keep their stored links (`first_occurrences(settled=…)`). A daily run reads a month or two.
    """
    wh = Warehouse(warehouse)
    columns = ["article_id", "issue_date", "minhash", "duplicate_of"]
    articles = wh.read_table("articles", columns, None if since is None else month_of(since - WINDOW))
    rows = sorted(
        zip(
            articles.column("issue_date").to_pylist(),
            articles.column("article_id").to_pylist(),
            articles.column("minhash").to_pylist(),
            articles.column("duplicate_of").to_pylist(),
            strict=True,
        )
    )
    stored = {article_id: first for _, article_id, _, first in rows}
    settled = None if since is None else {a: first for day, a, _, first in rows if day.date() < since}
    linked = first_occurrences(
        ((article_id, day, signature) for day, article_id, signature, _ in rows if signature), settled=settled
    )
    changed = {a for a, first in stored.items() if linked.get(a) != first}
    months = sorted({month_of(day) for day, a, _, _ in rows if a in changed})
    for month in months:
        unit = wh.read_unit("articles", month)
        links = pa.array([linked.get(a) for a in unit.column("article_id").to_pylist()], pa.string())
        relinked = unit.set_column(
            unit.schema.get_field_index("duplicate_of"), TABLES["articles"].field("duplicate_of"), links
        )
        wh.write_unit("articles", month, relinked, run_id, unit)
    return len(changed)


# --- flows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOptions:
    inputs: tuple[str, ...]
    warehouse: str
    date: dt.date | None = None
    batch_mb: float = DEFAULT_BATCH_MB
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    lock_wait: float = 60.0


@flow(name="bulletins-incremental", log_prints=False)
def incremental(options: RunOptions) -> RunSummary:
    """Process new and changed files; mark files gone from the inputs as missing."""
    return _run("incremental", options)


@flow(name="bulletins-backfill", log_prints=False)
def backfill(options: RunOptions, start: dt.date, end: dt.date) -> RunSummary:
    """Reprocess every file whose issue date is in [start, end]; resumable after an interruption."""
    return _run("backfill", options, (start, end))


def backfill_by_month(
    options: RunOptions, start: dt.date, end: dt.date, runner: TaskRunner | None = None
) -> list[RunSummary]:
    """A long backfill as one flow run per month, each under an idempotency key.

    A month whose key is recorded as done is not run again when the whole range is restarted.
    """
    wh = Warehouse(options.warehouse)
    ledger = _checkpoint_name(options, (start, end)).replace("backfill-", "backfill-months-")
    done = set((wh.read_state(ledger) or {}).get("keys", []))
    summaries = []
    for first, last in month_ranges(start, end):
        key = _checkpoint_name(options, (first, last))
        if key in done:
            print(f"{first:%Y-%m}: done by an earlier run ({key}), skipped", file=sys.stderr)
            continue
        month_flow = backfill.with_options(flow_run_name=f"backfill-{first:%Y-%m}", task_runner=runner)
        summaries.append(month_flow(options, first, last))
        done.add(key)
        wh.write_state(ledger, {"keys": sorted(done)})
    wh.drop_state(ledger)
    return summaries


def month_ranges(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[start, end] cut at month boundaries.

    >>> month_ranges(dt.date(2024, 1, 20), dt.date(2024, 3, 5))  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2024, 1, 20), datetime.date(2024, 1, 31)),
     (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
     (datetime.date(2024, 3, 1), datetime.date(2024, 3, 5))]
    """
    ranges = []
    first = start
    while first <= end:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(end, following - dt.timedelta(days=1))
        ranges.append((first, last))
        first = following
    return ranges


def _run(kind: str, options: RunOptions, date_range: tuple[dt.date, dt.date] | None = None) -> RunSummary:
    logger = get_run_logger()
    run_id = uuid.uuid4().hex[:16]
    started = dt.datetime.now(dt.UTC)
    wall = time.perf_counter()
    wh = Warehouse(options.warehouse)
    checkpoint = _checkpoint_name(options, date_range) if date_range else None
    with WriterLock(wh, run_id, wait_seconds=options.lock_wait) as lock:
        if lock.removed:
            logger.info("removed %d temporary files left by an interrupted run", lock.removed)
        began = time.perf_counter()
        found = discover.list_inputs(options.inputs, options.date)
        done = (wh.read_state(checkpoint) or {}).get("months", []) if checkpoint else []
        plan = discover.plan(
            found, wh.read_table("files"), options.inputs, date_range, done, int(options.max_file_mb * 1e6)
        )
        seconds = {"discover": time.perf_counter() - began}
        logger.info(
            "%d files discovered, %d unchanged, %d to process in %d months%s",
            plan.discovered,
            plan.unchanged,
            plan.files_to_process,
            len(plan.jobs),
            f" ({len(done)} months already done by an interrupted backfill)" if done else "",
        )
        # A run killed between writing and linking leaves this marker: the next run links from there.
        pending = wh.read_state(LINK_PENDING)
        if plan.files_to_process or any(job.drop_file_ids for job in plan.jobs):
            pending = {"run_id": run_id, "since": _link_since(pending, plan)}
            wh.write_state(LINK_PENDING, pending)
        totals = _run_batches(plan, options, run_id, wh, checkpoint, done)
        began = time.perf_counter()
        if pending is not None:
            since = pending.get("since")
            link_duplicates(options.warehouse, run_id, dt.date.fromisoformat(since) if since else None)
            wh.drop_state(LINK_PENDING)
        seconds["link_duplicates"] = time.perf_counter() - began
        seconds.update({stage: totals.seconds[stage] for stage in (*STAGES, "write")})
        seconds["wall"] = time.perf_counter() - wall
        summary = RunSummary(
            run_id, kind, options.warehouse, plan.discovered, plan.unchanged, totals, seconds
        )
        _record_run(wh, summary, options, date_range, started)
        if checkpoint:
            wh.drop_state(checkpoint)
    _publish_artifact(summary)
    return summary


def _link_since(pending: dict | None, plan: discover.Plan) -> str | None:
    """The first day (ISO) whose articles this run may change, or the pending marker's if earlier; None
    (link the whole history) when a pending marker does not say (written before markers did).

    >>> plan = discover.Plan([UnitJob(month="2024-03"), UnitJob(month="2024-01")], 2, 0)
    >>> _link_since(None, plan), _link_since({"since": "2023-12-05"}, plan), _link_since({}, plan)
    ('2024-01-01', '2023-12-05', None)
    """
    since = min(job.month for job in plan.jobs) + "-01"
    if pending is None:
        return since
    earlier = pending.get("since")
    return min(since, earlier) if earlier else None


def _run_batches(
    plan: discover.Plan,
    options: RunOptions,
    run_id: str,
    wh: Warehouse,
    checkpoint: str | None,
    done: list[str],
) -> UnitSummary:
    totals = UnitSummary()
    total_bytes = sum(j.size for j in plan.jobs)
    began = time.perf_counter()
    futures = [
        process_batch.submit(batch, options.warehouse, run_id, int(options.max_file_mb * 1e6))
        for batch in discover.batches(plan.jobs, int(options.batch_mb * 1e6))
    ]
    for future in as_completed(futures):
        totals.add(future.result())
        if checkpoint:
            done = sorted({*done, *totals.months})
            wh.write_state(checkpoint, {"months": done})
        _show_progress(totals, plan.files_to_process, total_bytes, time.perf_counter() - began)
    if sys.stderr.isatty() and futures:
        print(file=sys.stderr)
    return totals


def _show_progress(totals: UnitSummary, files: int, total_bytes: int, elapsed: float) -> None:
    rate = totals.bytes / elapsed if elapsed else 0.0
    eta = (total_bytes - totals.bytes) / rate if rate else 0.0
    line = (
        f"{totals.files}/{files} files  {totals.bytes / 1e6:.1f}/{total_bytes / 1e6:.1f} MB  "
        f"{rate / 1e6:.2f} MB/s  ETA {eta:.0f} s"
    )
    get_run_logger().info(line)
    if sys.stderr.isatty():
        print(f"\r{line}   ", end="", file=sys.stderr, flush=True)


def _checkpoint_name(options: RunOptions, date_range: tuple[dt.date, dt.date]) -> str:
    """Same backfill (inputs and range) ⇒ same checkpoint: the idempotency key of a backfill."""
    key = json.dumps([sorted(options.inputs), date_range[0].isoformat(), date_range[1].isoformat()])
    return f"backfill-{file_id_of(key.encode())[:16]}"


def _record_run(
    wh: Warehouse,
    summary: RunSummary,
    options: RunOptions,
    date_range: tuple[dt.date, dt.date] | None,
    started: dt.datetime,
) -> None:
    parameters = {
        "inputs": list(options.inputs),
        "warehouse": options.warehouse,
        "date": options.date.isoformat() if options.date else None,
        "start": date_range[0].isoformat() if date_range else None,
        "end": date_range[1].isoformat() if date_range else None,
        "batch_mb": options.batch_mb,
        "max_file_mb": options.max_file_mb,
    }
    statuses = summary.totals.statuses
    row = {
        "run_id": summary.run_id,
        "kind": summary.kind,
        "parameters": json.dumps(parameters, sort_keys=True),
        "started_at": started,
        "finished_at": dt.datetime.now(dt.UTC),
        "state": "completed",
        "files_discovered": summary.discovered,
        "files_unchanged": summary.unchanged,
        **{f"files_{status}": statuses[status] for status in STATUSES},
        "bytes_processed": summary.totals.bytes,
        "rows_written": json.dumps(dict(sorted(summary.totals.rows.items()))),
        "seconds": json.dumps({k: round(v, 3) for k, v in summary.seconds.items()}),
        "version": VERSION,
    }
    wh.write_run(to_arrow("runs", {k: [v] for k, v in row.items()}))


def _publish_artifact(summary: RunSummary) -> None:
    totals = summary.totals
    wall = summary.seconds["wall"]
    lines = [
        f"## Run {summary.run_id} ({summary.kind})",
        "",
        "| status | files |",
        "|---|---|",
        f"| discovered | {summary.discovered} |",
        f"| unchanged | {summary.unchanged} |",
        *(f"| {s} | {totals.statuses[s]} |" for s in STATUSES),
        "",
        "| table | rows written |",
        "|---|---|",
        *(f"| {t} | {n} |" for t, n in sorted(totals.rows.items())),
        "",
        f"Throughput: {totals.bytes / 1e6:.2f} MB in {wall:.1f} s ({totals.bytes / 1e6 / wall:.2f} MB/s)",
        "",
        "| top persons | mentions |",
        "|---|---|",
        *(f"| {p} | {n} |" for p, n in totals.persons.most_common(10)),
        "",
        "| top documents | mentions |",
        "|---|---|",
        *(f"| 《{d}》 | {n} |" for d, n in totals.documents.most_common(10)),
    ]
    create_markdown_artifact("\n".join(lines), key="bulletins-run", description=f"{summary.kind} run summary")
