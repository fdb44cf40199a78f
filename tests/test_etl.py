"""The flows: accounting, idempotence, incremental runs, backfills, resume, missing files.

Most tests call `write_units` (the task body) directly; the flow tests share one Prefect harness.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import discover, etl
from flows.cli import main
from flows.warehouse import Warehouse
from tests.conftest import SEED, table_contents
from transforms.dedupe import minhash
from transforms.schema import CONTENT_TABLES, TABLES, to_arrow

MAX = 64_000_000
STORY_TEXT = (
    "10月8日下午，全市深化全国文明城市创建工作推进会召开，深入学习贯彻习近平总书记关于文明创建工作的重要论述精神，"
    "进一步提升认识、统一思想、凝聚力量，坚持常态长效，巩固创建成果，提升创建质量。市委书记李国胜讲话。"
)


def _table_bytes(warehouse: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(warehouse)): p.read_bytes()
        for p in sorted(warehouse.rglob("*.parquet"))
        if "runs" not in p.parts
    }


def _run_units(inputs: Path, warehouse: Path) -> etl.UnitSummary:
    wh = Warehouse(str(warehouse))
    plan = discover.plan(discover.list_inputs([str(inputs)], None), wh.read_table("files"), [str(inputs)])
    return etl.write_units(plan.jobs, str(warehouse), "run-test", MAX)


def test_every_file_gets_exactly_one_files_row(tmp_path: Path, seed_inputs: Path) -> None:
    day = seed_inputs / "2021" / "10" / "09"
    (day / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (day / "copy.txt").write_bytes(SEED.read_bytes())
    (day / "empty.txt").write_bytes(b"")
    summary = _run_units(seed_inputs, tmp_path / "wh")
    files = Warehouse(str(tmp_path / "wh")).read_table("files").to_pylist()
    by_name = {Path(r["path"]).name: r for r in files}
    assert sorted(by_name) == ["000_66e55bb73970c7f5.txt", "broken.txt", "copy.txt", "empty.txt"]
    assert by_name["000_66e55bb73970c7f5.txt"]["status"] == "ok"
    assert by_name["copy.txt"]["status"] == "duplicate"
    assert by_name["copy.txt"]["duplicate_of"] == by_name["000_66e55bb73970c7f5.txt"]["file_id"]
    assert by_name["broken.txt"]["status"] == "quarantined" and by_name["broken.txt"]["error"]
    assert by_name["empty.txt"]["status"] == "quarantined" and by_name["empty.txt"]["error"]
    assert summary.statuses == {"ok": 1, "duplicate": 1, "quarantined": 2}
    articles = Warehouse(str(tmp_path / "wh")).read_table("articles")
    assert articles.num_rows == 1


def test_rerun_of_the_same_units_leaves_bytes_identical(tmp_path: Path, seed_inputs: Path) -> None:
    _run_units(seed_inputs, tmp_path / "wh")
    before = _table_bytes(tmp_path / "wh")
    wh = Warehouse(str(tmp_path / "wh"))
    found = discover.list_inputs([str(seed_inputs)], None)
    forced = discover.plan(found, wh.read_table("files"), [str(seed_inputs)], (dt.date(2021, 10, 9),) * 2)
    assert forced.files_to_process == 1
    etl.write_units(forced.jobs, str(tmp_path / "wh"), "run-other", MAX)
    assert _table_bytes(tmp_path / "wh") == before


def test_a_crashing_transform_quarantines_the_file_and_the_run_goes_on(
    tmp_path: Path, seed_inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(raw: bytes, meta: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(etl, "process_file", explode)
    summary = _run_units(seed_inputs, tmp_path / "wh")
    [row] = Warehouse(str(tmp_path / "wh")).read_table("files").to_pylist()
    assert row["status"] == "quarantined"
    assert row["error"] == "internal error: RuntimeError: boom"
    assert summary.quarantined == [(row["path"], row["error"])]


def test_file_over_the_size_limit_is_quarantined_unread(tmp_path: Path, seed_inputs: Path) -> None:
    wh = Warehouse(str(tmp_path / "wh"))
    found = discover.list_inputs([str(seed_inputs)], None)
    plan = discover.plan(found, wh.read_table("files"), [str(seed_inputs)], max_file_bytes=100)
    assert [f for job in plan.jobs for f in job.process] == []  # quarantined at planning, never read
    etl.write_units(plan.jobs, str(tmp_path / "wh"), "run", max_file_bytes=100)
    [row] = wh.read_table("files").to_pylist()
    assert row["status"] == "quarantined" and "over the 0 MB limit" in row["error"]


# --- real flows, one Prefect harness for the session ------------------------------------------


def _cli(*args: str) -> int:
    return main([*args, "--lock-wait", "5", "--workers", "1"])


@pytest.mark.usefixtures("prefect_harness")
class TestFlows:
    def test_a_file_dated_by_its_modification_time_is_named_in_the_summary(
        self, tmp_path: Path, capsys
    ) -> None:
        inputs = tmp_path / "raw"
        inputs.mkdir()
        shutil.copy(SEED, inputs / "undated.txt")
        assert _cli("run", "--input", str(inputs), "--warehouse", str(tmp_path / "wh")) == 0
        assert f"DATED BY MODIFICATION TIME (no date in its path or content; pass --date): {inputs}" in (
            capsys.readouterr().out
        )
        [row] = Warehouse(str(tmp_path / "wh")).read_table("files").to_pylist()
        assert row["issue_date_source"] == "mtime"

    def test_incremental_twice_then_backfill_changes_no_byte(
        self, tmp_path: Path, seed_inputs: Path, capsys
    ) -> None:
        wh = tmp_path / "wh"
        assert _cli("run", "--input", str(seed_inputs), "--warehouse", str(wh)) == 0
        before = _table_bytes(wh)
        assert _cli("run", "--input", str(seed_inputs), "--warehouse", str(wh)) == 0
        assert "nothing new to process" in capsys.readouterr().out
        assert _table_bytes(wh) == before
        assert (
            _cli(
                "backfill",
                "--input",
                str(seed_inputs),
                "--warehouse",
                str(wh),
                "--start",
                "2021-10-09",
                "--end",
                "2021-10-09",
            )
            == 0
        )
        assert _table_bytes(wh) == before
        runs = Warehouse(str(wh)).read_table("runs").to_pylist()
        assert [(r["kind"], r["files_ok"], r["files_unchanged"]) for r in runs] == [
            ("incremental", 1, 0),
            ("incremental", 0, 1),
            ("backfill", 1, 0),
        ]

    def test_modified_file_replaces_its_rows_and_removed_file_is_kept_as_missing(
        self, tmp_path: Path, seed_inputs: Path
    ) -> None:
        wh, day = tmp_path / "wh", seed_inputs / "2021" / "10" / "09"
        extra = day / "second.txt"
        extra.write_text("第一版标题\n\n第一版正文，记者报道。\n", encoding="utf-8")
        assert _cli("run", "--input", str(seed_inputs), "--warehouse", str(wh)) == 0
        extra.write_text("第二版标题\n\n第二版正文内容有所更新。\n", encoding="utf-8")
        assert _cli("run", "--input", str(seed_inputs), "--warehouse", str(wh)) == 0
        texts = Warehouse(str(wh)).read_table("articles").column("text").to_pylist()
        assert any("第二版正文" in t for t in texts) and not any("第一版正文" in t for t in texts)
        (day / SEED.name).unlink()
        assert _cli("run", "--input", str(seed_inputs), "--warehouse", str(wh)) == 0
        files = {
            Path(r["path"]).name: r["status"] for r in Warehouse(str(wh)).read_table("files").to_pylist()
        }
        assert files == {SEED.name: "missing", "second.txt": "ok"}
        assert Warehouse(str(wh)).read_table("articles").num_rows == 2

    def test_interrupted_backfill_resumes_to_the_same_tables(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        inputs = tmp_path / "in"
        inputs.mkdir()
        for day in ("20240105", "20240210", "20240315"):
            shutil.copy(SEED, inputs / f"{day}.txt")
            (inputs / f"{day}-note.txt").write_text(
                f"{day}标题\n\n{day}的正文，会议召开。\n", encoding="utf-8"
            )
        backfill = (
            "backfill",
            "--input",
            str(inputs),
            "--start",
            "2024-01-01",
            "--end",
            "2024-03-31",
            "--batch-mb",
            "0.001",
        )
        assert _cli(*backfill, "--warehouse", str(tmp_path / "whole")) == 0

        real, calls = etl.write_units, []

        def crash_on_second_batch(jobs, *args):
            calls.append([j.month for j in jobs])
            if len(calls) == 2:
                raise KeyboardInterrupt("killed")
            return real(jobs, *args)

        monkeypatch.setattr(etl, "write_units", crash_on_second_batch)
        with pytest.raises(BaseException, match="killed"):
            _cli(*backfill, "--warehouse", str(tmp_path / "resumed"))
        monkeypatch.setattr(etl, "write_units", real)
        state = Warehouse(str(tmp_path / "resumed")).fs.find(str(tmp_path / "resumed" / "_state"))
        assert len([p for p in state if "/backfill-" in p]) == 1
        assert _cli(*backfill, "--warehouse", str(tmp_path / "resumed")) == 0
        runs = Warehouse(str(tmp_path / "resumed")).read_table("runs").to_pylist()
        # January was finished before the crash: the resumed run does only February and March.
        assert (runs[-1]["files_unchanged"], runs[-1]["files_ok"], runs[-1]["files_duplicate"]) == (2, 2, 2)
        assert table_contents(tmp_path / "resumed") == table_contents(tmp_path / "whole")

    def test_runners_produce_identical_tables(self, tmp_path: Path, seed_inputs: Path) -> None:
        assert _cli("run", "--input", str(seed_inputs), "--warehouse", str(tmp_path / "t")) == 0
        assert (
            _cli(
                "run", "--input", str(seed_inputs), "--warehouse", str(tmp_path / "p"), "--runner", "process"
            )
            == 0
        )
        assert table_contents(tmp_path / "t") == table_contents(tmp_path / "p")

    def test_content_tables_follow_the_schema(self, tmp_path: Path, seed_inputs: Path) -> None:
        assert _cli("run", "--input", str(seed_inputs), "--warehouse", str(tmp_path / "wh")) == 0
        for table in CONTENT_TABLES:
            for path in (tmp_path / "wh" / table).rglob("*.parquet"):
                assert pq.read_schema(path).remove_metadata().equals(TABLES[table].remove_metadata())


def _articles(rows: list[tuple[str, str, str]]) -> dict[str, list]:
    """Article columns for rows of (article_id, issue date, text)."""
    return {
        "article_id": [article_id for article_id, _, _ in rows],
        "file_id": ["f"] * len(rows),
        "issue_date": [dt.date.fromisoformat(day) for _, day, _ in rows],
        "seq": list(range(len(rows))),
        "text": [text for _, _, text in rows],
        "text_original": [text for _, _, text in rows],
        "repairs": [0] * len(rows),
        "minhash": [minhash(text) for _, _, text in rows],
    }


def _store_articles(wh: Warehouse, rows: list[tuple[str, str, str]]) -> None:
    by_month: dict[str, list] = {}
    for row in rows:
        by_month.setdefault(row[1][:7], []).append(row)
    for month, month_rows in by_month.items():
        stored = wh.read_unit("articles", month)
        new = to_arrow("articles", _articles(month_rows))
        wh.write_unit("articles", month, new if stored is None else pa.concat_tables([stored, new]), "r")


def _links(wh: Warehouse) -> dict[str, str | None]:
    table = wh.read_table("articles", ["article_id", "duplicate_of"])
    return dict(zip(*(table.column(c).to_pylist() for c in ("article_id", "duplicate_of")), strict=True))


def test_linking_after_a_change_reads_from_a_window_before_it_and_links_as_the_whole_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = STORY_TEXT
    history = [
        ("old", "2023-06-01", story),
        ("a", "2024-01-20", story),
        ("b", "2024-01-28", "据报道，" + story),  # 8 days after a: an original
        ("c", "2024-02-01", story + "（完）"),  # 4 days after b: points to b
    ]
    wh = Warehouse(str(tmp_path / "wh"))
    _store_articles(wh, history)
    etl.link_duplicates.fn(wh.url, "r1")
    assert _links(wh) == {"old": None, "a": None, "b": None, "c": "b"}

    _store_articles(wh, [("d", "2024-02-03", story)])  # this run's article: a duplicate of c, so of b
    read: list[str] = []
    read_unit = Warehouse.read_unit

    def recording(
        self: Warehouse, table: str, month: str, columns: list[str] | None = None
    ) -> pa.Table | None:
        read.append(month)
        return read_unit(self, table, month, columns)

    monkeypatch.setattr(Warehouse, "read_unit", recording)
    assert etl.link_duplicates.fn(wh.url, "r2", dt.date(2024, 2, 1)) == 1
    assert "2023-06" not in read
    monkeypatch.undo()
    whole = Warehouse(str(tmp_path / "whole"))
    _store_articles(whole, [*history, ("d", "2024-02-03", story)])
    etl.link_duplicates.fn(whole.url, "r")
    assert _links(wh) == _links(whole) == {"old": None, "a": None, "b": None, "c": "b", "d": "b"}
