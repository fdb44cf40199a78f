"""Bad input: every kind of broken file gets one `files` row with a clear status and reason.

One landing folder holds every kind from `tests.badinput` beside the good seed bulletin. It goes
once through `write_units` (the task body) and once through the `bulletins run` flow: each file
gets its row, the seed still gets its articles, memory stays far below the largest file's size.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import os
import re
import threading
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import fsspec
import pytest

from flows import discover, etl
from flows.cli import main
from flows.warehouse import Warehouse
from tests import badinput, holdpoint
from tests.badinput import CONTENT, PLACED, BadInput
from tests.conftest import SEED
from transforms.pipeline import file_id_of, process_file
from transforms.records import FileMeta
from transforms.schema import TABLES

DAY = dt.date(2024, 5, 6)
LIMIT_MB = 16
LIMIT = LIMIT_MB * 10**6
MEMORY_BOUND = 32 * 2**20


@dataclass(frozen=True)
class Landing:
    root: Path
    inputs: Path
    folder: Path
    unreadable: Path
    growing: Path


# Files the flow quarantines itself (over the size limit, changed while read) sit in a month of
# their own; the same files beside processed ones are covered by
# test_a_file_quarantined_by_the_flow_beside_a_processed_one_does_not_stop_their_month.


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Landing:
    root = tmp_path_factory.mktemp("bad")
    inputs = root / "raw"
    folder = inputs / "2024" / "05" / "06"
    folder.mkdir(parents=True)
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    for case in CONTENT:
        (folder / case.name).write_bytes(case.make())
    badinput.place_odd_names(folder)
    badinput.place_duplicate(folder)
    badinput.place_outside_links(folder, root / "outside")
    (folder / "page.html").write_bytes(badinput.html_with_external_entity(root / "outside" / "secret.txt"))
    (inputs / "climbing-2024-05-06.zip").write_bytes(badinput.zip_with_parent_paths())
    badinput.place_parent_path_bait(inputs)
    unread = inputs / "2024" / "06" / "01"
    unread.mkdir(parents=True)
    badinput.place_large(unread)
    badinput.place_long_line(unread)
    return Landing(root, inputs, folder, badinput.place_unreadable(folder), badinput.place_growing(unread))


def _deny_and_grow(patch: pytest.MonkeyPatch, landing: Landing) -> None:
    """Reading `unreadable` fails as it would for a user without permission, even when run as root;
    `growing` gets a paragraph longer each time the run reads it for processing."""
    open_file, read_bytes = fsspec.open, discover.read_bytes

    def guarded_open(path, *args, **kwargs):
        if str(path) == str(landing.unreadable) and os.geteuid() == 0:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return open_file(path, *args, **kwargs)

    def growing_read(path: str, limit: int = -1) -> bytes:
        if path == str(landing.growing):
            badinput.grow(landing.growing)
        return read_bytes(path, limit)

    patch.setattr(fsspec, "open", guarded_open)
    patch.setattr(discover, "read_bytes", growing_read)


@dataclass
class Outcome:
    rows: dict[tuple[str, str], dict]
    summary: etl.UnitSummary
    discovered: set[str]
    peak_bytes: int
    warehouse: Path


@pytest.fixture(scope="module")
def outcome(landing: Landing, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    # Lexicons and models load on first use: load them before measuring the run's memory.
    process_file(SEED.read_bytes(), FileMeta(str(SEED), DAY))
    warehouse = str(tmp_path_factory.mktemp("wh"))
    with pytest.MonkeyPatch.context() as patch:
        _deny_and_grow(patch, landing)
        tracemalloc.start()
        try:
            found = discover.list_inputs([str(landing.inputs)], None)
            plan = discover.plan(
                found, Warehouse(warehouse).read_table("files"), [str(landing.inputs)], max_file_bytes=LIMIT
            )
            summary = etl.write_units(plan.jobs, warehouse, "bad-input", LIMIT)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    rows = {
        (Path(r["path"]).name, r["member"]): r for r in Warehouse(warehouse).read_table("files").to_pylist()
    }
    return Outcome(rows, summary, {Path(f.path).name for f in found}, peak, Path(warehouse))


def _explanation(row: dict) -> str:
    if row["status"] == "quarantined":
        return row["error"] or ""
    return " ".join(
        [row["encoding"] or "", row["encoding_evidence"] or "", *(r["kind"] for r in row["repairs"])]
    )


@pytest.mark.parametrize("case", [pytest.param(c, id=c.kind) for c in CONTENT + PLACED])
def test_each_bad_file_gets_a_files_row_with_a_clear_status_and_reason(
    outcome: Outcome, case: BadInput
) -> None:
    rows = [r for (name, _), r in outcome.rows.items() if name == case.name]
    assert len(rows) == 1, f"{case.name} has {len(rows)} files rows"
    [row] = rows
    assert row["status"] == case.status, row["error"]
    assert re.search(case.explains, _explanation(row)), _explanation(row)
    if case.status == "ok":
        assert row["articles"] >= 1


def test_the_run_goes_on_and_the_good_bulletin_gets_its_articles(outcome: Outcome) -> None:
    seed = outcome.rows[(SEED.name, "")]
    assert seed["status"] == "ok" and seed["articles"] >= 1
    articles = Warehouse(str(outcome.warehouse)).read_table("articles")
    assert seed["file_id"] in articles.column("file_id").to_pylist()


def test_every_discovered_file_has_its_rows_and_plain_files_exactly_one(outcome: Outcome) -> None:
    per_name = Counter(name for name, _ in outcome.rows)
    assert outcome.discovered <= set(per_name)
    assert all(per_name[name] == 1 for name, member in outcome.rows if not member)


def test_odd_names_are_read_and_recorded_exactly_as_named(outcome: Outcome, landing: Landing) -> None:
    names = ("morning bulletin 01.txt", "河南手机报 第1期.txt", "-n.txt", "--help.txt", "- -.txt")
    for name in names:
        row = outcome.rows[(name, "")]
        assert (row["path"], row["status"]) == (str(landing.folder / name), "ok")


def test_same_bytes_under_a_second_name_is_a_duplicate_of_the_first(outcome: Outcome) -> None:
    first, second = outcome.rows[("a copy.txt", "")], outcome.rows[("b copy.txt", "")]
    assert (first["status"], second["status"]) == ("ok", "duplicate")
    assert second["duplicate_of"] == first["file_id"]


def _all_text(warehouse: Path) -> str:
    wh = Warehouse(str(warehouse))
    articles = wh.read_table("articles", ["title", "text", "text_original"]).to_pylist()
    return "\n".join(str(v) for row in articles for v in row.values())


def test_links_out_of_the_input_root_are_recorded_and_never_followed(outcome: Outcome) -> None:
    row = outcome.rows[("outside-file.txt", "")]
    assert row["status"] == "quarantined"
    assert row["file_id"] != file_id_of(Path(row["path"]).resolve().read_bytes())
    assert badinput.SECRET not in _all_text(outcome.warehouse)


def test_html_entities_are_never_resolved_nor_expanded(outcome: Outcome) -> None:
    assert outcome.rows[("page.html", "")]["status"] == "ok"
    assert outcome.rows[("laughs.html", "")]["status"] == "ok"
    text = _all_text(outcome.warehouse)
    assert badinput.SECRET not in text
    assert "哈哈" not in text


def test_archive_members_never_reach_outside_their_archive(outcome: Outcome, landing: Landing) -> None:
    members = {m: r for (name, m), r in outcome.rows.items() if name == "climbing-2024-05-06.zip"}
    assert set(members) == {*badinput.ESCAPING_MEMBERS, "honest.txt"}
    assert members["honest.txt"]["status"] == "ok"
    for name in badinput.ESCAPING_MEMBERS:
        assert members[name]["status"] == "quarantined" and "unsafe member path" in members[name]["error"]
    assert badinput.SECRET not in _all_text(outcome.warehouse)
    assert sorted(landing.root.rglob("escaped.txt")) == [landing.root / "escaped.txt"]
    assert not Path("/escaped.txt").exists()


def test_memory_stays_far_below_the_largest_file(outcome: Outcome) -> None:
    assert outcome.peak_bytes < MEMORY_BOUND, f"peak {outcome.peak_bytes / 2**20:.1f} MiB"


def test_a_file_that_changed_while_read_is_read_again_next_run(outcome: Outcome, landing: Landing) -> None:
    wh = Warehouse(str(outcome.warehouse))
    found = discover.list_inputs([str(landing.inputs)], None)
    plan = discover.plan(found, wh.read_table("files"), [str(landing.inputs)], max_file_bytes=LIMIT)
    # the unreadable file too: it is tried again every run, its permissions may have been fixed
    assert {Path(f.path).name for job in plan.jobs for f in job.process} == {"growing.txt", "unreadable.txt"}
    etl.write_units(plan.jobs, str(outcome.warehouse), "next", LIMIT)
    [row] = [r for r in wh.read_table("files").to_pylist() if r["path"] == str(landing.growing)]
    assert row["status"] == "ok"


def test_a_file_quarantined_by_the_flow_beside_a_processed_one_does_not_stop_their_month(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "raw" / "2024" / "05" / "06"
    folder.mkdir(parents=True)
    (folder / "bulletin.txt").write_bytes(badinput.good("同月"))
    badinput.place_repeated(folder / "large.txt", badinput.GOOD.encode(), LIMIT + 1)
    _write_all(tmp_path / "raw", tmp_path / "wh")
    rows = {Path(r["path"]).name: r for r in Warehouse(str(tmp_path / "wh")).read_table("files").to_pylist()}
    assert (rows["bulletin.txt"]["status"], rows["large.txt"]["status"]) == ("ok", "quarantined")


def test_a_named_pipe_neither_blocks_the_run_nor_goes_unrecorded(tmp_path: Path) -> None:
    folder = tmp_path / "raw" / "2024" / "05" / "06"
    folder.mkdir(parents=True)
    pipe = badinput.place_fifo(folder)
    (folder / "bulletin.txt").write_bytes(badinput.good("管道"))
    run = threading.Thread(target=_write_all, args=(tmp_path / "raw", tmp_path / "wh"), daemon=True)
    run.start()
    run.join(5)
    blocked = run.is_alive()
    while run.is_alive():  # let the blocked open() return so the thread ends with the test
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        run.join(0.1)
    assert not blocked, "the run blocked opening a named pipe"
    rows = {Path(r["path"]).name: r for r in Warehouse(str(tmp_path / "wh")).read_table("files").to_pylist()}
    assert rows["bulletin.txt"]["status"] == "ok"
    assert rows["pipe.txt"]["status"] == "quarantined" and "not a regular file" in rows["pipe.txt"]["error"]


def _write_all(inputs: Path, warehouse: Path) -> etl.UnitSummary:
    found = discover.list_inputs([str(inputs)], None)
    plan = discover.plan(
        found, Warehouse(str(warehouse)).read_table("files"), [str(inputs)], max_file_bytes=LIMIT
    )
    return etl.write_units(plan.jobs, str(warehouse), "run", LIMIT)


# --- the same landing through the `bulletins run` flow ----------------------------------------------


@dataclass
class FlowRun:
    exit_code: int
    output: str
    warehouse: Path


@pytest.fixture(scope="module")
def flow_run(prefect_harness, landing: Landing, tmp_path_factory: pytest.TempPathFactory) -> FlowRun:
    warehouse = tmp_path_factory.mktemp("flow") / "wh"
    output = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(output):
        _deny_and_grow(patch, landing)
        args = ["run", "--input", str(landing.inputs), "--warehouse", str(warehouse)]
        code = main([*args, "--max-file-mb", str(LIMIT_MB), "--workers", "1", "--lock-wait", "5"])
    return FlowRun(code, output.getvalue(), warehouse)


def test_the_flow_writes_every_row_and_every_table_reads_back(flow_run: FlowRun, outcome: Outcome) -> None:
    files = Warehouse(str(flow_run.warehouse)).read_table("files").to_pylist()
    statuses = {(Path(r["path"]).name, r["member"]): r["status"] for r in files}
    assert statuses == {key: r["status"] for key, r in outcome.rows.items()}
    [run] = Warehouse(str(flow_run.warehouse)).read_table("runs").to_pylist()
    assert run["state"] == "completed"
    for table in TABLES:
        assert holdpoint.duplicate_rows(table, holdpoint.read_table(flow_run.warehouse, table)) == 0


def test_the_flow_accounts_for_every_file_in_its_summary(flow_run: FlowRun) -> None:
    [run] = Warehouse(str(flow_run.warehouse)).read_table("runs").to_pylist()
    holdpoint.assert_accounted(run, flow_run.output)
    assert flow_run.exit_code == 0
