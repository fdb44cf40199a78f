"""The jobs the benchmarks time side by side, and how one job is run and measured.

Each job runs alone in a fresh process, started by `measure`:

    python -m bench.baselines JOB INPUT OUTPUT RESULT [--runner thread|process|dask] [--workers N]

flow      this pipeline end to end: `bulletins backfill` (the real Prefect flow) into a fresh warehouse
pipeline  the same work without Prefect: discover, `process_file`, write every table, link duplicates
analyst   baseline A, what an analyst writes by hand: OpenCC t2s, `jieba.posseg` words and nr/ns/nt
          entities, a pandas DataFrame, `to_parquet`
floor     baseline B, the floor: read + `rjieba.tag`, no tables

A job reads every file of the INPUT folder, writes under OUTPUT and leaves its figures in RESULT
(JSON). `seconds` runs from the job's first line to its last: imports are excluded (they show in
the process time), everything else counts, from dictionary and model loading and the ephemeral
Prefect API start to the last Parquet byte. Imports sit inside each job so that a process loads
only what its own job needs. While the job runs, `measure` samples the memory of its process
tree from /proc: the peak (VmHWM) of the job's own process ("main"), of the Prefect API server,
of each worker process, and these peaks added up ("all", a bound on the whole job at any moment).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MB = 1e6
POLL_SECONDS = 0.2

# --- the jobs (run in the child process) ------------------------------------------------------

ENTITY_TAGS = {"nr": "person", "ns": "place", "nt": "organization"}
# Wide enough for any issue date: a backfill over it reprocesses every input file.
BACKFILL_RANGE = ("1900-01-01", "2999-12-31")


def input_files(inputs: Path) -> list[Path]:
    """The files a job reads, in name order."""
    return sorted(p for p in inputs.iterdir() if p.is_file())


def flow(inputs: Path, output: Path, runner: str, workers: int) -> dict:
    """Run `bulletins backfill` in this process; stage seconds come from the run's `runs` row."""
    from flows import cli, discover, etl, runners  # noqa: F401  (imported before the clock starts)
    from flows.warehouse import Warehouse
    from transforms.schema import TABLES

    start, end = BACKFILL_RANGE
    argv = ["backfill", "--input", str(inputs), "--warehouse", str(output), "--start", start, "--end", end]
    began = time.perf_counter()
    exit_code = cli.main([*argv, "--runner", runner, "--workers", str(workers)])
    seconds = time.perf_counter() - began
    wh = Warehouse(str(output))
    run = wh.read_table("runs").to_pylist()[-1]
    # Batches the flow submitted, recomputed the way it planned them (the warehouse was empty).
    found = discover.list_inputs([str(inputs)], None)
    plan = discover.plan(found, TABLES["files"].empty_table(), [str(inputs)])
    return {
        "seconds": seconds,
        "exit_code": exit_code,
        "batches": len(discover.batches(plan.jobs, int(etl.DEFAULT_BATCH_MB * 1e6))),
        "stages": json.loads(run["seconds"]),
        "statuses": {s: run[f"files_{s}"] for s in etl.STATUSES},
        "rows": json.loads(run["rows_written"]),
    }


def pipeline(inputs: Path, output: Path) -> dict:
    """The flow's work without Prefect: the same functions its tasks call, one after the other."""
    from flows import discover, etl
    from flows.warehouse import Warehouse

    began = time.perf_counter()
    found = discover.list_inputs([str(inputs)], None)
    plan = discover.plan(found, Warehouse(str(output)).read_table("files"), [str(inputs)])
    stages = {"discover": time.perf_counter() - began}
    totals = etl.write_units(plan.jobs, str(output), "bench", int(etl.DEFAULT_MAX_FILE_MB * 1e6))
    linking = time.perf_counter()
    etl.link_duplicates.fn(str(output), "bench")
    stages["link_duplicates"] = time.perf_counter() - linking
    return {
        "seconds": time.perf_counter() - began,
        "stages": {**stages, **totals.seconds},
        "statuses": dict(totals.statuses),
        "rows": dict(totals.rows),
    }


def analyst(inputs: Path, output: Path) -> dict:
    """Baseline A: the script an analyst would write by hand, on the same files."""
    import logging

    import jieba
    import jieba.posseg
    import opencc
    import pandas as pd

    jieba.setLogLevel(logging.WARNING)
    began = time.perf_counter()
    converter = opencc.OpenCC("t2s")
    words, entities = [], []
    for path in input_files(inputs):
        text = converter.convert(path.read_text(encoding="utf-8", errors="replace"))
        for pair in jieba.posseg.cut(text):
            words.append({"file": path.name, "word": pair.word, "pos": pair.flag})
            if pair.flag in ENTITY_TAGS:
                entities.append({"file": path.name, "text": pair.word, "label": ENTITY_TAGS[pair.flag]})
    output.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(words).to_parquet(output / "words.parquet")
    pd.DataFrame(entities).to_parquet(output / "entities.parquet")
    return {"seconds": time.perf_counter() - began, "rows": {"words": len(words), "entities": len(entities)}}


def floor(inputs: Path, output: Path) -> dict:
    """Baseline B: read and tag, nothing kept; no pipeline can be faster than this."""
    import rjieba

    began = time.perf_counter()
    tokens = sum(
        len(rjieba.tag(p.read_text(encoding="utf-8", errors="replace"))) for p in input_files(inputs)
    )
    return {"seconds": time.perf_counter() - began, "rows": {"tokens": tokens}}


JOBS: dict[str, Callable[[Path, Path], dict]] = {"pipeline": pipeline, "analyst": analyst, "floor": floor}


# --- inputs (prepared by the parent) ----------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """A folder of input files that a job reads whole."""

    folder: Path
    files: int
    bytes: int

    @property
    def mb(self) -> float:
        return self.bytes / MB


def bulletin_files(corpus: Path) -> list[Path]:
    """The bulletins of a corpus folder (`*.md`, in date order: names are YYYYMMDD)."""
    return sorted(corpus.glob("*.md"))


def leading_share(files: Sequence[Path], share: float) -> list[Path]:
    """The first files whose sizes add up to at least `share` of the total (at least one file)."""
    wanted = share * sum(p.stat().st_size for p in files)
    taken, size = [], 0
    for path in files:
        if taken and size >= wanted:
            break
        taken.append(path)
        size += path.stat().st_size
    return taken


def leading_mb(files: Sequence[Path], limit_mb: float) -> list[Path]:
    """The first files up to `limit_mb` MB (at least one file)."""
    total = sum(p.stat().st_size for p in files)
    return leading_share(files, min(1.0, limit_mb * MB / total)) if total else list(files[:1])


def stage_corpus(files: Sequence[Path], folder: Path) -> Corpus:
    """Copy files into a folder of their own: a job reads exactly these, and never the originals."""
    folder.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, folder / path.name)
    return Corpus(folder, len(files), sum(p.stat().st_size for p in files))


# --- one measured job (the parent side) -------------------------------------------------------


@dataclass
class ProcessTree:
    """The peak memory (VmHWM) of a process and of every process it starts, sampled from /proc."""

    root: int
    peak_kb: dict[int, int] = field(default_factory=dict)
    role: dict[int, str] = field(default_factory=dict)

    def sample(self) -> None:
        for pid in _descendants(self.root):
            high_water = _high_water_kb(pid)
            if high_water is not None:
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), high_water)
                self.role.setdefault(pid, _role(pid, self.root))

    def peak_mb(self, role: str) -> float:
        """The highest peak of any one process of this role."""
        return max((kb for pid, kb in self.peak_kb.items() if self.role[pid] == role), default=0) / 1024

    @property
    def total_mb(self) -> float:
        """The peaks of all processes added up: a bound on what the job held at any one time."""
        return sum(self.peak_kb.values()) / 1024

    def count(self, role: str) -> int:
        return sum(1 for r in self.role.values() if r == role)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def _high_water_kb(pid: int) -> int | None:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    return next((int(line.split()[1]) for line in lines if line.startswith("VmHWM:")), None)


def _role(pid: int, root: int) -> str:
    """main (the job), prefect API, worker (a Python process doing work) or helper (anything else)."""
    if pid == root:
        return "main"
    try:
        program, *arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "helper"
    command = b" ".join(arguments)
    if b"prefect.server" in command:
        return "prefect API"
    if b"python" in os.path.basename(program) and b"resource_tracker" not in command:
        return "worker"
    return "helper"


@dataclass
class Measured:
    """One job, run alone in a fresh process, and what it cost."""

    label: str
    job: str
    corpus: Corpus
    options: tuple[str, ...]
    process_seconds: float
    figures: dict
    tree: ProcessTree

    @property
    def seconds(self) -> float:
        """The job's own wall time: from its first line to its last (imports excluded)."""
        return self.figures["seconds"]

    @property
    def mb_per_s(self) -> float:
        return self.corpus.mb / self.seconds

    @property
    def files_per_s(self) -> float:
        return self.corpus.files / self.seconds

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "job": self.job,
            "options": list(self.options),
            "input_mb": round(self.corpus.mb, 3),
            "files": self.corpus.files,
            "seconds": round(self.seconds, 3),
            "process_seconds": round(self.process_seconds, 3),
            "mb_per_s": round(self.mb_per_s, 4),
            "files_per_s": round(self.files_per_s, 3),
            "peak_mb": {
                **{r: round(self.tree.peak_mb(r), 1) for r in sorted(set(self.tree.role.values()))},
                "all": round(self.tree.total_mb, 1),
            },
            "processes": {r: self.tree.count(r) for r in sorted(set(self.tree.role.values()))},
            "figures": self.figures,
        }


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(label: str, job: str, corpus: Corpus, scratch: Path, *options: str) -> Measured:
    """Run one job of `bench.baselines` in a fresh process and sample its memory until it exits."""
    work = Path(tempfile.mkdtemp(prefix=f"{job}-", dir=scratch))
    result, log = work / "result.json", work / "log.txt"
    command = [
        sys.executable,
        "-m",
        "bench.baselines",
        job,
        str(corpus.folder),
        str(work / "out"),
        str(result),
    ]
    progress(f"  {label}: {corpus.files} files, {corpus.mb:.1f} MB ...")
    began = time.perf_counter()
    with log.open("wb") as sink:
        child = subprocess.Popen([*command, *options], cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
        tree = ProcessTree(child.pid)
        while child.poll() is None:
            tree.sample()
            time.sleep(POLL_SECONDS)
    process_seconds = time.perf_counter() - began
    if child.returncode or not result.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"{label}: the job exited with {child.returncode}; its log ends with:\n{tail}")
    measured = Measured(label, job, corpus, options, process_seconds, json.loads(result.read_text()), tree)
    shutil.rmtree(work)
    progress(
        f"    {measured.seconds:.1f} s ({process_seconds:.1f} s with startup), {measured.mb_per_s:.2f} MB/s"
    )
    return measured


def machine() -> dict:
    """Where the figures were measured."""
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "ram_gib": round(memory_kb / 1024**2, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }


def describe_machine(info: dict) -> str:
    """One line saying where and when the figures were measured."""
    load = "/".join(f"{v:.2f}" for v in info["load_average"])
    return (
        f"date {info['date']} · {info['cores']} cores, {info['ram_gib']} GiB RAM · {info['cpu']} · "
        f"Python {info['python']} · load average {load} at start"
    )


# --- printing ---------------------------------------------------------------------------------


def render(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: the first column left-aligned, the others right-aligned.

    >>> print(render(["run", "MB/s"], [["a", 1.5], ["bb", None]]))
    run  MB/s
    a    1.50
    bb      -
    """
    cells = [[str(h) for h in headers], *([_cell(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    )


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baselines", description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=("flow", *JOBS))
    parser.add_argument("inputs", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--runner", choices=("thread", "process", "dask"), default="thread")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    if args.job == "flow":
        figures = flow(args.inputs, args.output, args.runner, args.workers)
    else:
        figures = JOBS[args.job](args.inputs, args.output)
    args.result.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
