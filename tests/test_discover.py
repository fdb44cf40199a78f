"""Discovery and planning: issue dates, unchanged files, duplicates, missing files, batches."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyarrow as pa

from flows import discover
from flows.discover import UnitJob
from transforms.schema import TABLES, to_arrow


def _manifest(rows: list[dict]) -> pa.Table:
    return to_arrow("files", {name: [r.get(name) for r in rows] for name in TABLES["files"].names})


def _stored(f: discover.Discovered, status: str = "ok", file_id: str | None = None) -> dict:
    return {
        **discover.file_record(f, status, file_id=file_id or discover.fingerprint(f.path)),
        "run_id": "r0",
    }


def test_issue_date_comes_from_path_then_cli_then_mtime(tmp_path: Path) -> None:
    (tmp_path / "2024" / "03" / "05").mkdir(parents=True)
    (tmp_path / "2024" / "03" / "05" / "a.txt").write_text("甲")
    (tmp_path / "20230102.md").write_text("乙")
    (tmp_path / "undated.txt").write_text("丙")
    os.utime(tmp_path / "undated.txt", (1_600_000_000, 1_600_000_000))
    found = {Path(f.path).name: f for f in discover.list_inputs([str(tmp_path)], None)}
    assert (found["a.txt"].issue_date, found["a.txt"].issue_date_source) == (dt.date(2024, 3, 5), "path")
    assert found["20230102.md"].issue_date == dt.date(2023, 1, 2)
    assert (found["undated.txt"].issue_date, found["undated.txt"].issue_date_source) == (
        dt.date(2020, 9, 13),
        "mtime",
    )
    with_cli = {Path(f.path).name: f for f in discover.list_inputs([str(tmp_path)], dt.date(2021, 1, 1))}
    assert (with_cli["undated.txt"].issue_date_source, with_cli["a.txt"].issue_date_source) == ("cli", "path")


def test_a_file_without_a_date_in_its_path_is_dated_by_its_content(tmp_path: Path) -> None:
    story = "会议在北京召开，会议强调要抓好今年各项重点工作的落实，推动经济发展。"
    (tmp_path / "meeting.txt").write_text(f"发布时间：2011-09-26 发布人：办公室\n\n{story}")
    (tmp_path / "feed.xml").write_text(
        "<rss><channel><title>简报</title><pubDate>Thu, 17 Jun 2021 15:20:57 +0800</pubDate>"
        "<item><title>出征！</title></item></channel></rss>"
    )
    (tmp_path / "2024-01-05.txt").write_text(f"发布时间：2011-09-26\n\n{story}")
    found = {Path(f.path).name: f for f in discover.list_inputs([str(tmp_path)], dt.date(2020, 1, 1))}
    dated = {name: (f.issue_date, f.issue_date_source) for name, f in found.items()}
    assert dated == {
        "meeting.txt": (dt.date(2011, 9, 26), "document"),
        "feed.xml": (dt.date(2021, 6, 17), "document"),
        "2024-01-05.txt": (dt.date(2024, 1, 5), "path"),
    }


def test_hidden_files_are_skipped_and_outside_symlinks_are_not_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "in", tmp_path / "secret.txt"
    root.mkdir()
    outside.write_text("外部")
    (root / ".gitkeep").write_text("")
    (root / "link.txt").symlink_to(outside)
    [link] = discover.list_inputs([str(root)], dt.date(2024, 1, 1))
    assert link.path.endswith("link.txt")
    assert "outside the input root" in link.error


def test_first_run_processes_everything_and_second_run_nothing(tmp_path: Path) -> None:
    (tmp_path / "20240101.txt").write_text("一")
    (tmp_path / "20240202.txt").write_text("二")
    found = discover.list_inputs([str(tmp_path)], None)
    first = discover.plan(found, TABLES["files"].empty_table(), [str(tmp_path)])
    assert [j.month for j in first.jobs] == ["2024-01", "2024-02"]
    assert first.files_to_process == 2
    second = discover.plan(found, _manifest([_stored(f) for f in found]), [str(tmp_path)])
    assert (second.files_to_process, second.unchanged, second.jobs) == (0, 2, [])


def test_changed_file_replaces_its_old_rows(tmp_path: Path) -> None:
    path = tmp_path / "20240101.txt"
    path.write_text("旧")
    [old] = discover.list_inputs([str(tmp_path)], None)
    stored = _stored(old)
    manifest = _manifest([stored])
    path.write_text("新的内容")
    [new] = discover.list_inputs([str(tmp_path)], None)
    [job] = discover.plan([new], manifest, [str(tmp_path)]).jobs
    assert [f.path for f in job.process] == [new.path]
    assert job.drop_file_ids == {stored["file_id"]}
    assert job.drop_paths == {new.path}


def test_same_bytes_under_two_names_is_a_duplicate(tmp_path: Path) -> None:
    (tmp_path / "20240101-a.txt").write_text("同样的内容")
    (tmp_path / "20240101-b.txt").write_text("同样的内容")
    [job] = discover.plan(
        discover.list_inputs([str(tmp_path)], None), TABLES["files"].empty_table(), [str(tmp_path)]
    ).jobs
    assert [Path(f.path).name for f in job.process] == ["20240101-a.txt"]
    [record] = job.records
    assert (record["status"], record["duplicate_of"]) == ("duplicate", job.process[0].file_id)


def test_removed_file_is_marked_missing_and_its_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "20240101.txt"
    path.write_text("消失")
    [f] = discover.list_inputs([str(tmp_path)], None)
    manifest = _manifest([_stored(f)])
    path.unlink()
    [job] = discover.plan([], manifest, [str(tmp_path)]).jobs
    assert [r["status"] for r in job.records] == ["missing"]
    assert job.drop_file_ids == set()
    again = discover.plan([], _manifest([{**_stored(f, file_id="x"), "status": "missing"}]), [str(tmp_path)])
    assert again.jobs == []


def test_backfill_forces_its_dates_and_skips_months_already_done(tmp_path: Path) -> None:
    for name in ("20240101.txt", "20240205.txt", "20240310.txt"):
        (tmp_path / name).write_text(name)
    found = discover.list_inputs([str(tmp_path)], None)
    manifest = _manifest([_stored(f) for f in found])
    forced = discover.plan(found, manifest, [str(tmp_path)], (dt.date(2024, 2, 1), dt.date(2024, 3, 31)))
    assert [j.month for j in forced.jobs] == ["2024-02", "2024-03"]
    resumed = discover.plan(
        found, manifest, [str(tmp_path)], (dt.date(2024, 2, 1), dt.date(2024, 3, 31)), ["2024-02"]
    )
    assert [j.month for j in resumed.jobs] == ["2024-03"]


def test_batches_pack_whole_months_by_bytes() -> None:
    jobs = [
        UnitJob(m, process=[discover.Discovered(m, size, None, dt.date(2024, 1, 1), "cli", None, m)])
        for m, size in (("2024-01", 3), ("2024-02", 3), ("2024-03", 10))
    ]
    assert [[j.month for j in b] for b in discover.batches(jobs, 6)] == [["2024-01", "2024-02"], ["2024-03"]]


def test_file_quarantined_as_unreadable_is_tried_again_though_unchanged(tmp_path: Path) -> None:
    (tmp_path / "20240101.txt").write_text("权限已修复")
    [f] = discover.list_inputs([str(tmp_path)], None)
    unreadable = {**_stored(f, "quarantined"), "error": f"{discover.UNREADABLE} PermissionError: denied"}
    assert discover.plan([f], _manifest([unreadable]), [str(tmp_path)]).files_to_process == 1
    undecodable = {**_stored(f, "quarantined"), "error": "binary content: 40% NUL bytes"}
    assert discover.plan([f], _manifest([undecodable]), [str(tmp_path)]).files_to_process == 0
