"""Test-only: hold a `bulletins` run at a chosen point, to kill it there or keep it holding the lock.

The run is a subprocess started by `HeldRun`, which calls the real command through this module:

    BULLETINS_HOLD_AT=<point> BULLETINS_HOLD_DIR=<folder> python -m tests.holdpoint run --input …

At the point the run creates <folder>/reached and waits until <folder>/release exists; meanwhile
the test sends SIGKILL (a crash at exactly that point) or lets it go on. Points:

    write:<table>:<n>    halfway through the n-th temporary file of <table> (`*`: any), flushed
    replace:<table>:<n>  just after the n-th unit of <table> replaced its predecessor
    checkpoint:<n>       just after a backfill recorded its n-th finished batch
    link                 every unit written, near-duplicate articles not linked yet
    lock                 the lock just taken (its record in place), nothing else done yet

Production code has no hook: the wrappers are installed in the subprocess only.

`WarehouseReader` is the analyst meanwhile: it reads every table with pandas in a loop.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from prefect.settings import PREFECT_API_URL

from flows import etl, warehouse
from transforms.schema import PARTITION_KEY, TABLES

REPO = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.05


# --- inside the held run ------------------------------------------------------------------------


def _hold() -> None:
    folder = Path(os.environ["BULLETINS_HOLD_DIR"])
    (folder / "reached").touch()
    while not (folder / "release").exists():
        time.sleep(POLL_SECONDS)


def _table_of(path: str) -> str:
    """The table a warehouse path belongs to.

    >>> _table_of("/wh/tokens/issue_month=2024-01/.part-0.parquet.1f.tmp")
    'tokens'
    >>> _table_of("/wh/runs/.run-20240506T080000-1f.parquet.2e.tmp")
    'runs'
    """
    parts = path.split("/")
    partition = next((i for i, p in enumerate(parts) if p.startswith(f"{PARTITION_KEY}=")), len(parts) - 1)
    return parts[partition - 1]


def _nth(count: int, table: str = "*") -> Callable[[str], bool]:
    """A predicate true on the `count`-th call for a path of `table` (`*`: any table).

    >>> hit = _nth(2, "files")
    >>> [hit(p) for p in ("/w/files/issue_month=1/a", "/w/roles/issue_month=1/a", "/w/files/issue_month=2/a")]
    [False, False, True]
    """
    seen = 0

    def hit(path: str) -> bool:
        nonlocal seen
        if table not in ("*", _table_of(path)):
            return False
        seen += 1
        return seen == count

    return hit


def install(point: str) -> None:
    """Wrap the one production function that reaches `point`."""
    name, *args = point.split(":")
    if name == "write":
        hit = _nth(int(args[1]), args[0])

        def write_table(rows, where, **options) -> None:
            if not hit(where.path):
                pq.write_table(rows, where, **options)
                return
            buffer = io.BytesIO()
            pq.write_table(rows, buffer, **options)
            data = buffer.getvalue()
            where.write(data[: len(data) // 2])
            where.flush()
            _hold()
            where.write(data[len(data) // 2 :])

        warehouse.pq = types.SimpleNamespace(**{**vars(pq), "write_table": write_table})
    elif name == "replace":
        hit = _nth(int(args[1]), args[0])

        def replace(source: str, target: str) -> None:
            os.replace(source, target)
            if hit(target):
                _hold()

        warehouse.os = types.SimpleNamespace(**{**vars(os), "replace": replace})
    elif name == "lock":

        def link(source: str, target: str) -> None:
            os.link(source, target)
            _hold()

        warehouse.os = types.SimpleNamespace(**{**vars(os), "link": link})
    elif name == "checkpoint":
        hit, write_state = _nth(int(args[0])), warehouse.Warehouse.write_state

        def held_write_state(self, state_name: str, state: dict) -> None:
            write_state(self, state_name, state)
            if hit(state_name):
                _hold()

        warehouse.Warehouse.write_state = held_write_state
    elif name == "link":
        link_duplicates = etl.link_duplicates

        def held_link(*options) -> int:
            _hold()
            return link_duplicates(*options)

        etl.link_duplicates = held_link
    else:
        raise SystemExit(f"holdpoint: unknown point {point!r}")


# --- in the test --------------------------------------------------------------------------------


class HeldRun:
    """A `bulletins` subprocess that stops at `point`; it talks to the test session's Prefect API."""

    def __init__(self, args: Sequence[str], point: str, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        env = {
            **os.environ,
            "BULLETINS_HOLD_AT": point,
            "BULLETINS_HOLD_DIR": str(folder),
            "PREFECT_API_URL": PREFECT_API_URL.value(),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.holdpoint", *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_until_held(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not (self.folder / "reached").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                out, err = self.process.communicate()
                raise AssertionError(f"the run never reached its hold point:\n{out}\n{err[-3000:]}")
            time.sleep(POLL_SECONDS)

    def kill(self) -> int:
        """SIGKILL, as `kill -9` would; the exit status."""
        self.process.kill()
        self.process.communicate()
        return self.process.returncode

    def release(self) -> None:
        """Let the run go on from its hold point."""
        (self.folder / "release").touch()

    def wait(self, timeout: float = 120.0) -> tuple[int, str, str]:
        """The run's exit status, stdout and stderr, once it ends."""
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err

    def __enter__(self) -> HeldRun:
        return self

    def __exit__(self, *exc: object) -> None:
        """A test that failed half-way leaves no run held forever."""
        if self.process.poll() is None:
            self.kill()


class WarehouseReader(threading.Thread):
    """Reads every table with `pd.read_parquet` in a loop; records errors and duplicate rows seen."""

    def __init__(self, warehouse: Path) -> None:
        super().__init__(daemon=True)
        self.warehouse = warehouse
        self.passes = 0
        self.problems: list[str] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            for table in TABLES:
                try:
                    if duplicates := duplicate_rows(table, read_table(self.warehouse, table)):
                        self.problems.append(f"{table}: {duplicates} duplicate rows")
                except Exception as exc:  # a reader must never fail: record what it met
                    self.problems.append(f"{table}: {exc.__class__.__name__}: {exc}")
            self.passes += 1

    def wait_passes(self, count: int, timeout: float = 60.0) -> None:
        target, deadline = self.passes + count, time.monotonic() + timeout
        while self.passes < target:
            assert self.is_alive() and time.monotonic() < deadline, "the reader stopped reading"
            time.sleep(POLL_SECONDS)

    def __enter__(self) -> WarehouseReader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self.join()


def read_table(warehouse: Path, table: str) -> pd.DataFrame:
    """A table as an analyst reads it; empty before its folder exists."""
    folder = warehouse / table
    return pd.read_parquet(folder) if folder.exists() else pd.DataFrame()


def duplicate_rows(table: str, frame: pd.DataFrame) -> int:
    """Rows of a table that repeat another row: the same file twice in `files`, else equal rows."""
    if frame.empty:
        return 0
    if table == "files":
        return int(frame.duplicated(["path", "member"]).sum())
    return int(frame.map(repr).duplicated().sum())


def assert_accounted(run: dict, printed: str) -> None:
    """A `runs` row adds up (discovered = unchanged + ok + duplicate + quarantined), and the summary
    the command printed says the same."""
    counted = sum(run[f"files_{status}"] for status in ("unchanged", "ok", "duplicate", "quarantined"))
    assert counted == run["files_discovered"], run
    line = (
        f"files: {run['files_discovered']} discovered = {run['files_unchanged']} unchanged + "
        f"{run['files_ok']} ok, {run['files_duplicate']} duplicate, {run['files_quarantined']} quarantined; "
        f"{run['files_missing']} missing from the inputs"
    )
    assert line in printed, printed


if __name__ == "__main__":
    from flows.cli import main

    install(os.environ["BULLETINS_HOLD_AT"])
    sys.exit(main(sys.argv[1:]))
