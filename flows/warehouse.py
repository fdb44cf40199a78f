"""The Parquet warehouse: partition units, atomic replacement, the manifest and the writer lock.

Layout under the warehouse root (a local path or any fsspec URL):

    <table>/issue_month=YYYY-MM/part-0.parquet   one file per table and month: the partition unit
    runs/run-<started>-<run_id>.parquet          one file per run
    _lock                                         held by the one writing run
    _state/                                       backfill checkpoints

A unit is rewritten whole: temporary file (dot-prefixed, so readers skip it) then rename.
A unit whose new content equals the stored one is not rewritten, so re-running unchanged input
leaves every byte as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from transforms.schema import PARTITION_KEY, SORT_KEYS, TABLES

PART_NAME = "part-0.parquet"
VERSION = "0.1.0"


class LockTimeout(RuntimeError):
    """Another run holds the warehouse's writer lock."""


def month_of(day: dt.date) -> str:
    """The partition value of a date.

    >>> month_of(dt.date(2021, 10, 9))
    '2021-10'
    """
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class Warehouse:
    """A warehouse root on any fsspec filesystem."""

    url: str

    @cached_property
    def fs(self) -> fsspec.AbstractFileSystem:
        return fsspec.core.url_to_fs(self.url)[0]

    @cached_property
    def root(self) -> str:
        return fsspec.core.url_to_fs(self.url)[1].rstrip("/")

    def unit_path(self, table: str, month: str) -> str:
        return f"{self.root}/{table}/{PARTITION_KEY}={month}/{PART_NAME}"

    def read_unit(self, table: str, month: str, columns: list[str] | None = None) -> pa.Table | None:
        path = self.unit_path(table, month)
        return self._read(path, TABLES[table], columns) if self.fs.exists(path) else None

    def _read(self, path: str, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
        with self.fs.open(path, "rb") as handle:
            return pq.read_table(handle, schema=schema, columns=columns)

    def write_unit(
        self, table: str, month: str, rows: pa.Table, run_id: str, stored: pa.Table | None = None
    ) -> bool:
        """Write a unit atomically in canonical row order; False when the stored unit is identical.

        `stored` is the unit as already read by the caller, to spare reading it again.
        """
        rows = sort_rows(table, rows)
        stored = stored if stored is not None else self.read_unit(table, month)
        if stored is not None and stored.equals(rows):
            return False
        if rows.num_rows == 0 and stored is None:
            return False
        self._write_atomic(self.unit_path(table, month), _with_metadata(rows, run_id))
        return True

    def write_run(self, row: pa.Table) -> str:
        started = row.column("started_at")[0].as_py().strftime("%Y%m%dT%H%M%S")
        path = f"{self.root}/runs/run-{started}-{row.column('run_id')[0].as_py()}.parquet"
        self._write_atomic(path, _with_metadata(row, row.column("run_id")[0].as_py()))
        return path

    def _write_atomic(self, path: str, rows: pa.Table) -> None:
        self._publish(path, "wb", lambda handle: pq.write_table(rows, handle, compression="zstd"))

    def _publish(self, path: str, mode: str, write: Callable[[IO], object]) -> None:
        """Write a file under a dot-prefixed temporary name (readers skip it), then rename it."""
        folder, name = path.rsplit("/", 1)
        self.fs.makedirs(folder, exist_ok=True)
        temporary = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
        with self.fs.open(temporary, mode) as handle:
            write(handle)
        if is_local(self.fs):
            os.replace(temporary, path)
        else:
            self.fs.mv(temporary, path)

    def remove_temporaries(self) -> int:
        """Delete the temporary files killed runs left in table, run and state folders; how many.

        `WriterLock` calls this once taken, before its holder writes: then every such file belongs
        to a run that is gone. (Lock contenders' drafts at the root are the lock's to judge.)
        """
        found = self.fs.glob(f"{self.root}/*/*/.*.tmp") + self.fs.glob(f"{self.root}/*/.*.tmp")
        for path in found:
            self.fs.rm(path)
        return len(found)

    def months(self, table: str) -> list[str]:
        folder = f"{self.root}/{table}"
        if not self.fs.exists(folder):
            return []
        prefix = f"{PARTITION_KEY}="
        names = (p.rstrip("/").rsplit("/", 1)[-1] for p in self.fs.ls(folder, detail=False))
        return sorted(n[len(prefix) :] for n in names if n.startswith(prefix))

    def read_table(
        self, table: str, columns: list[str] | None = None, first_month: str | None = None
    ) -> pa.Table:
        """Every unit of a table (every run file for `runs`), or those from `first_month` (``2024-03``)
        on; empty with the right schema if none."""
        schema = TABLES[table]
        if table == "runs":
            folder = f"{self.root}/runs"
            paths = sorted(self.fs.glob(f"{folder}/run-*.parquet")) if self.fs.exists(folder) else []
            parts = [self._read(p, schema, columns) for p in paths]
        else:
            months = [m for m in self.months(table) if first_month is None or m >= first_month]
            parts = [self.read_unit(table, m, columns) for m in months]
        parts = [p for p in parts if p is not None]
        if not parts:
            empty = schema.empty_table()
            return empty.select(columns) if columns else empty
        return pa.concat_tables(parts)

    def replace_rows(
        self, table: str, month: str, new_rows: pa.Table, drop: pa.Array, key: str, run_id: str
    ) -> bool:
        """Replace in one unit every stored row whose `key` is in `drop` by `new_rows`."""
        stored = self.read_unit(table, month)
        kept = stored
        if stored is not None and len(drop):
            kept = stored.filter(pc.invert(pc.is_in(_plain(stored.column(key)), value_set=drop)))
        merged = new_rows if kept is None else pa.concat_tables([kept, new_rows])
        return self.write_unit(table, month, merged, run_id, stored)

    # --- state kept beside the tables -------------------------------------------------------

    def read_state(self, name: str) -> dict | None:
        path = f"{self.root}/_state/{name}.json"
        if not self.fs.exists(path):
            return None
        with self.fs.open(path, "r") as handle:
            return json.load(handle)

    def write_state(self, name: str, state: dict) -> None:
        self._publish(
            f"{self.root}/_state/{name}.json", "w", lambda handle: json.dump(state, handle, sort_keys=True)
        )

    def drop_state(self, name: str) -> None:
        path = f"{self.root}/_state/{name}.json"
        if self.fs.exists(path):
            self.fs.rm(path)


def sort_rows(table: str, rows: pa.Table) -> pa.Table:
    """Canonical row order of a table (invariant 4)."""
    if rows.num_rows < 2:
        return rows
    keys = SORT_KEYS[table]
    ranks = pa.table({k: _sortable(rows.column(k)) for k in keys})
    return rows.take(pc.sort_indices(ranks, sort_keys=[(k, "ascending") for k in keys]))


def _sortable(column: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A column that sorts like `column`: strings become the rank of their value among the distinct
    values, so the sort compares integers (a unit repeats each article and file id many times).

    >>> _sortable(pa.chunked_array([["b", "a", "b"]])).to_pylist()
    [2, 1, 2]
    """
    if not (pa.types.is_string(column.type) or pa.types.is_dictionary(column.type)):
        return column
    encoded = column if pa.types.is_dictionary(column.type) else column.dictionary_encode()
    encoded = encoded.combine_chunks()
    ranks = pc.rank(encoded.dictionary, sort_keys="ascending", tiebreaker="dense")
    return ranks.take(encoded.indices)


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Dictionary columns decoded, so comparisons and sorts see values, not indices."""
    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


def _with_metadata(rows: pa.Table, run_id: str) -> pa.Table:
    metadata = dict(rows.schema.metadata or {})
    metadata.update({b"pipeline_version": VERSION.encode(), b"run_id": run_id.encode()})
    return rows.replace_schema_metadata(metadata)


def is_local(fs: fsspec.AbstractFileSystem) -> bool:
    return "file" in fs.protocol or "local" in fs.protocol


# --- the writer lock ------------------------------------------------------------------------


@dataclass
class WriterLock:
    """One writer per warehouse: an exclusively created `_lock` file naming its holder.

    A lock whose holder process is gone (same host, dead pid) is taken over, so a killed run
    never blocks the next one. On object stores, creation is checked by reading back. Once taken,
    the temporary files of killed runs are removed (`removed` says how many).
    """

    warehouse: Warehouse
    run_id: str
    wait_seconds: float = 60.0
    poll_seconds: float = 0.5
    removed: int = field(default=0, init=False)

    @property
    def path(self) -> str:
        return f"{self.warehouse.root}/_lock"

    def __enter__(self) -> WriterLock:
        deadline = time.monotonic() + self.wait_seconds
        while not self._try_acquire():
            holder = self._holder() or {}
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"warehouse {self.warehouse.url} is locked by run {holder.get('run_id', '?')} "
                    f"(pid {holder.get('pid', '?')} on {holder.get('host', '?')}, since "
                    f"{holder.get('since', '?')}); waited {self.wait_seconds:.0f} s. "
                    "Wait for it to finish, or pass --lock-wait SECONDS to wait longer."
                )
            time.sleep(self.poll_seconds)
        self.removed = self.warehouse.remove_temporaries() + self._remove_dead_drafts()
        return self

    def _remove_dead_drafts(self) -> int:
        """Delete the lock record drafts of contenders on this host killed mid-acquire; how many."""
        prefix = f"{self.warehouse.root}/._lock.{socket.gethostname()}."
        dead = [
            path
            for path in self.warehouse.fs.glob(f"{prefix}*.tmp")
            if (pid := path[len(prefix) :].split(".", 1)[0]).isdigit() and not _alive(int(pid))
        ]
        for path in dead:
            self.warehouse.fs.rm(path)
        return len(dead)

    def __exit__(self, *exc: object) -> None:
        if (self._holder() or {}).get("run_id") == self.run_id:
            self.warehouse.fs.rm(self.path)

    def _record(self) -> dict:
        return {
            "run_id": self.run_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }

    def _try_acquire(self) -> bool:
        fs = self.warehouse.fs
        fs.makedirs(self.warehouse.root, exist_ok=True)
        if self._holder_is_dead():
            fs.rm(self.path)
        record = json.dumps(self._record())
        if is_local(fs):
            # The record is complete before the lock appears: link() is atomic and exclusive.
            temporary = (
                f"{self.warehouse.root}/._lock.{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
            )
            with open(temporary, "w") as handle:
                handle.write(record)
            try:
                os.link(temporary, self.path)
            except FileExistsError:
                return False
            finally:
                os.unlink(temporary)
            return True
        if fs.exists(self.path):
            return False
        with fs.open(self.path, "w") as handle:
            handle.write(record)
        return (self._holder() or {}).get("run_id") == self.run_id

    def _holder(self) -> dict | None:
        try:
            with self.warehouse.fs.open(self.path, "r") as handle:
                return json.loads(handle.read() or "{}")
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def _holder_is_dead(self) -> bool:
        holder = self._holder()
        if not holder or holder.get("host") != socket.gethostname():
            return False
        try:
            return not _alive(int(holder["pid"]))
        except (KeyError, ValueError):
            return False


def _alive(pid: int) -> bool:
    """Whether a process of this host has that pid (one of another user counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True
