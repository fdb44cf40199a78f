"""The throughput and runner benchmarks, run for real on a tiny corpus made from the seed.

One test starts a job in its own process the way the benchmarks do; the table tests run every
job in this process instead (same `bench.baselines.main`, flows on the session's Prefect
harness), which saves a Python start and a model load per job.
"""

from __future__ import annotations

import doctest
import json
import os
import tempfile
from pathlib import Path

import pytest

from bench import baselines, ner_speed, runners, throughput
from tests.conftest import SEED

DAYS = ("20211009", "20211010", "20211011", "20211012")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Four bulletins of about the same size, none a byte-for-byte copy of another."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for day in DAYS:
        (folder / f"{day}.md").write_bytes(SEED.read_bytes() + f"\n{day}\n".encode())
    return folder


def measure_in_process(
    label: str, job: str, corpus: baselines.Corpus, scratch: Path, *options: str
) -> baselines.Measured:
    """`baselines.measure`, minus the fresh process: the job's own code path, then this process's memory."""
    work = Path(tempfile.mkdtemp(dir=scratch))
    result = work / "result.json"
    assert baselines.main([job, str(corpus.folder), str(work / "out"), str(result), *options]) == 0
    tree = baselines.ProcessTree(os.getpid())
    tree.sample()
    figures = json.loads(result.read_text())
    return baselines.Measured(label, job, corpus, options, figures["seconds"], figures, tree)


@pytest.fixture
def in_process(prefect_harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throughput, "measure", measure_in_process)
    monkeypatch.setattr(runners, "measure", measure_in_process)


@pytest.mark.parametrize("module", [baselines, throughput])
def test_doctests(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


@pytest.mark.parametrize("main", [throughput.main, runners.main])
def test_skips_without_a_corpus(main, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", str(tmp_path / "absent")]) == 0
    assert "skipped: no *.md bulletins" in capsys.readouterr().out


def test_leading_share_takes_whole_files_in_order(corpus: Path) -> None:
    files = baselines.bulletin_files(corpus)
    assert [p.stem for p in baselines.leading_share(files, 0.25)] == list(DAYS[:1])
    assert [p.stem for p in baselines.leading_share(files, 0.5)] == list(DAYS[:2])
    assert baselines.leading_share(files, 1.0) == files
    assert baselines.leading_mb(files, 0) == files[:1]


def test_measure_runs_a_job_in_a_fresh_process(corpus: Path, tmp_path: Path) -> None:
    staged = baselines.stage_corpus(baselines.bulletin_files(corpus), tmp_path / "staged")
    run = baselines.measure("floor", "floor", staged, tmp_path)
    assert run.figures["rows"]["tokens"] > 0
    assert run.process_seconds > run.seconds > 0
    assert run.tree.role[run.tree.root] == "main" and run.tree.peak_mb("main") > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "staged"]  # its scratch folder is gone


def test_measure_reports_a_failed_job(tmp_path: Path) -> None:
    missing = baselines.Corpus(tmp_path / "absent", 1, 1)
    with pytest.raises(RuntimeError, match="floor: the job exited with 1; its log ends with"):
        baselines.measure("floor", "floor", missing, tmp_path)


def test_throughput_table(
    in_process, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures.json"
    options = ["--shares", "1/2", "--limit-mb", "0", "--rounds", "1", "--json", str(out)]
    assert throughput.main(["--corpus", str(corpus), *options]) == 0
    printed = capsys.readouterr().out
    for row in (
        "cold start: flow on empty input",
        "end to end: flow on 1/2 of the corpus",
        "end to end: flow on whole of the corpus",
        f"end to end: flow on whole of the corpus, {throughput.CORES} threads",
        "pipeline without Prefect, whole corpus",
        "pipeline without Prefect, sample",
        "baseline A: OpenCC + jieba.posseg + pandas, sample",
        "baseline B: read + rjieba.tag, sample",
        "decode",
        "entities",
        "write",
        "Prefect inside the flow, net of that untimed pipeline work",
        "round 1",
        "median ratio",
        "end to end > 15× baseline A",
        "Prefect overhead < 10% of flow wall, whole corpus",
    ):
        assert row in printed, row
    figures = json.loads(out.read_text())
    assert [r["files"] for r in figures["runs"]] == [0, 2, 4, 4, 4, 1, 1, 1]
    flow, threaded, alone = (figures["runs"][i]["figures"] for i in (2, 3, 4))
    assert flow["exit_code"] == 0 and flow["statuses"]["ok"] == len(DAYS)
    assert flow["rows"] == threaded["rows"] == alone["rows"] and flow["rows"]["tokens"] > 0
    assert all(r["peak_mb"]["main"] > 0 for r in figures["runs"])


def test_runners_table(in_process, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert runners.main(["--corpus", str(corpus), "--runners", "thread", "--workers", "2"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert any(line.startswith("thread ") and " 2 " in line for line in table)
    assert "Prefect per batch s" in "\n".join(table)


def test_entity_speed_figures_time_the_pipelines_entity_stage(corpus: Path) -> None:
    stage = ner_speed.entity_speed(corpus)
    model = ner_speed.model_speed(corpus, rounds=1)
    assert stage["files"] == model["files"] == len(DAYS)
    assert stage["articles"] == model["articles"] > 0 and stage["mb_per_s_wall"] > 0
    assert model["equal"]
