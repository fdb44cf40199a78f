"""Backfill of the whole corpus with each task runner, side by side (issue 6).

    python -m bench.runners [--corpus PATH] [--runners thread,process,dask] [--workers 2] [--json OUT]

Each runner backfills a fresh warehouse from copies of the corpus bulletins (`*.md`) in its own
process (`bench.baselines` job `flow`). Printed per runner: wall time, MB/s, peak memory of each
kind of process (the flow's own, the Prefect API server, each worker), then where the time went:
transform and write seconds (summed over the workers) apart from Prefect's share, per run
(API start, task runner and Dask cluster start, run bookkeeping) and per batch (flow wall time
not covered by the work, the work of the workers counted as running side by side).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.baselines import (
    Measured,
    bulletin_files,
    describe_machine,
    machine,
    measure,
    progress,
    render,
    stage_corpus,
)
from bench.throughput import DEFAULT_CORPUS, flow_wall, prefect_overhead

RUNNERS = ("thread", "process", "dask")
NOT_TRANSFORM = ("discover", "link_duplicates", "write", "wall")


def run_runners(corpus: Path, runners: Sequence[str], workers: int, scratch: Path) -> dict[str, Measured]:
    """One backfill per runner, one after the other, on the same copies of the corpus."""
    whole = stage_corpus(bulletin_files(corpus), scratch / "corpus")
    progress(f"runners: {len(runners)} backfills of {whole.files} files, {whole.mb:.1f} MB")
    options = ("--workers", str(workers))
    return {
        runner: measure(f"backfill, {runner} runner", "flow", whole, scratch, "--runner", runner, *options)
        for runner in runners
    }


def figures(runner: str, run: Measured, workers: int) -> dict:
    """What the tables show for one runner."""
    stages = run.figures["stages"]
    return {
        "runner": runner,
        "workers": workers,
        "seconds": run.seconds,
        "flow_wall": flow_wall(run),
        "mb_per_s": run.mb_per_s,
        "peak_mb": {role: run.tree.peak_mb(role) for role in ("main", "prefect API", "worker")},
        "worker_processes": run.tree.count("worker"),
        "api_servers": run.tree.count("prefect API"),
        "peak_mb_all": run.tree.total_mb,
        "transform_seconds": sum(v for k, v in stages.items() if k not in NOT_TRANSFORM),
        "write_seconds": stages["write"],
        "batches": run.figures["batches"],
        "prefect": prefect_overhead(run, workers),
        "statuses": run.figures["statuses"],
    }


def report(rows: Sequence[dict], info: dict, corpus: Path, megabytes: float) -> str:
    """The printed tables."""
    speed = [
        [
            r["runner"],
            r["workers"],
            r["seconds"],
            r["flow_wall"],
            r["mb_per_s"],
            round(r["peak_mb"]["main"]),
            round(r["peak_mb"]["prefect API"]),
            r["api_servers"],
            round(r["peak_mb"]["worker"]) if r["worker_processes"] else None,
            r["worker_processes"],
            round(r["peak_mb_all"]),
        ]
        for r in rows
    ]
    time_split = [
        [
            r["runner"],
            r["transform_seconds"],
            r["write_seconds"],
            r["batches"],
            r["prefect"]["per_run"],
            r["prefect"]["in_flow"],
            r["prefect"]["per_batch"],
        ]
        for r in rows
    ]
    return "\n".join(
        [
            describe_machine(info),
            f"corpus {corpus}: {megabytes:.1f} MB, backfilled into a fresh warehouse by each runner",
            "",
            "Wall time (job s: the whole backfill call, API start included), MB/s over job s, and the peak "
            "memory of one process of each kind",
            render(
                [
                    "runner",
                    "workers",
                    "job s",
                    "flow wall s",
                    "MB/s",
                    "MB main",
                    "MB Prefect API",
                    "API servers",
                    "MB per worker",
                    "worker processes",
                    "MB all",
                ],
                speed,
            ),
            "",
            "Transform time apart from Prefect's (transform and write: seconds summed over the workers)",
            render(
                [
                    "runner",
                    "transform s",
                    "write s",
                    "batches",
                    "Prefect per run s",
                    "Prefect in flow s",
                    "Prefect per batch s",
                ],
                time_split,
            ),
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.runners", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of *.md bulletins")
    parser.add_argument(
        "--runners", default=",".join(RUNNERS), help="comma-separated, from thread,process,dask"
    )
    parser.add_argument("--workers", type=int, default=2, help="parallel batches (2)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    runners = args.runners.split(",")
    if unknown := sorted(set(runners) - set(RUNNERS)):
        parser.error(f"unknown runner(s): {', '.join(unknown)}")
    if not bulletin_files(args.corpus):
        print(f"runner benchmark skipped: no *.md bulletins under {args.corpus}")
        return 0
    info = machine()
    with tempfile.TemporaryDirectory(prefix="bench-runners-") as scratch:
        runs = run_runners(args.corpus, runners, args.workers, Path(scratch))
    rows = [figures(runner, run, args.workers) for runner, run in runs.items()]
    print(report(rows, info, args.corpus, next(iter(runs.values())).corpus.mb))
    if args.json:
        runs_json = [run.to_json() for run in runs.values()]
        measured = {"machine": info, "corpus": str(args.corpus), "runners": rows, "runs": runs_json}
        args.json.write_text(json.dumps(measured, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
