"""End-to-end throughput and memory of the pipeline beside what users would otherwise run (issue 8).

    python -m bench.throughput [--corpus PATH] [--limit-mb N] [--rounds N] [--shares 1/4,1/2] [--json OUT]

Every figure comes from a job run alone in a fresh process (`bench.baselines`), on copies of the
bulletins (`*.md`) of the corpus in a temporary folder:

- cold start: the real flow on an empty input (ephemeral Prefect API start and run bookkeeping);
- the real flow end to end (`bulletins backfill`, thread runner, one worker: one process, stage
  seconds that add up) on the leading 1/4, 1/2 (--shares) and the whole corpus: the scaling series;
- the real flow on the whole corpus with one worker thread per core (still one process: rjieba,
  numpy and Arrow release the GIL), to show what a default run gains from the cores;
- the same pipeline without Prefect on the whole corpus: what orchestration costs;
- rounds on a fixed sample (the first --limit-mb MB): baseline A (OpenCC + jieba.posseg + pandas),
  the pipeline without Prefect, baseline B (read + rjieba.tag), the order reversed every other
  round, so that each ratio compares runs next to each other and a drifting machine does not bias
  them.

Peak memory: the peak (VmHWM) of the job's own process ("main"), and the peaks of every process of
its tree added up, the Prefect API server included ("all").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

from bench.baselines import (
    REPO,
    Corpus,
    Measured,
    bulletin_files,
    describe_machine,
    leading_mb,
    leading_share,
    machine,
    measure,
    progress,
    render,
    stage_corpus,
)

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "xwlb_daily" / "news"
SHARES = "1/4,1/2"
# Wall time grows linearly when the seconds per MB between consecutive sizes agree within this;
# memory stays flat when the peak for the whole corpus is within this of the peak for the smallest share.
TOLERANCE = 0.25
TARGET_MB_PER_S = 3.0
TARGET_TIMES_BASELINE_A = 15.0
TARGET_PEAK_MB = 1000.0
TARGET_PREFECT_SHARE = 0.10


# --- what the figures mean --------------------------------------------------------------------


def work_seconds(stages: dict[str, float], workers: int) -> float:
    """Seconds of real work on the critical path: discover and linking run once, the rest in parallel.

    >>> work_seconds({"discover": 1, "decode": 4, "write": 2, "link_duplicates": 1, "wall": 9}, 2)
    5.0
    """
    serial = stages.get("discover", 0.0) + stages.get("link_duplicates", 0.0)
    parallel = sum(v for k, v in stages.items() if k not in ("discover", "link_duplicates", "wall"))
    return serial + parallel / workers


def prefect_overhead(run: Measured, workers: int) -> dict[str, float]:
    """Prefect's share of a flow run: inside the flow (wall − work) and around it (call − flow wall)."""
    stages = run.figures["stages"]
    in_flow = stages["wall"] - work_seconds(stages, workers)
    batches = run.figures["batches"]
    return {
        "in_flow": in_flow,
        "in_flow_share": in_flow / stages["wall"],
        "per_batch": in_flow / batches if batches else 0.0,
        "per_run": run.seconds - stages["wall"],
    }


def flow_wall(run: Measured) -> float:
    """The flow's own wall time, from its first line to its last (the API is up by then)."""
    return run.figures["stages"]["wall"]


def slopes(points: Sequence[tuple[float, float]]) -> list[float | None]:
    """Seconds per MB from each point to the next (None where the size does not change).

    >>> slopes([(1, 3), (2, 5), (2, 6), (4, 9)])
    [2.0, None, 1.5]
    """
    return [(y2 - y1) / (x2 - x1) if x2 != x1 else None for (x1, y1), (x2, y2) in pairwise(points)]


def linear_fit(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares (intercept, slope) of y over x.

    >>> linear_fit([(1, 3), (2, 5), (4, 9)])
    (1.0, 2.0)
    """
    xs, ys = [x for x, _ in points], [y for _, y in points]
    if len(set(xs)) < 2:
        return statistics.fmean(ys), 0.0
    fitted = statistics.linear_regression(xs, ys)
    return fitted.intercept, fitted.slope


def median_run(runs: Sequence[Measured]) -> Measured:
    """The run with the median throughput (the lower one of an even count): a real run, not a mix."""
    ranked = sorted(runs, key=lambda r: r.mb_per_s)
    return ranked[(len(ranked) - 1) // 2]


def run_row(run: Measured) -> list[object]:
    return [
        run.label,
        run.corpus.mb,
        run.corpus.files,
        run.seconds,
        run.process_seconds,
        run.mb_per_s if run.corpus.bytes else None,
        run.files_per_s if run.corpus.files else None,
        round(run.tree.peak_mb("main")),
        round(run.tree.total_mb),
    ]


RUN_HEADERS = ["run", "MB", "files", "job s", "process s", "MB/s", "files/s", "peak MB main", "peak MB all"]


def header(info: dict, corpus: Path, whole: Corpus, sample: Corpus) -> str:
    return (
        f"{describe_machine(info)}\ncorpus {corpus}: {whole.files:,} bulletins, {whole.mb:.1f} MB; "
        f"sample for the rounds: the first {sample.files:,} files, {sample.mb:.1f} MB"
    )


# --- the benchmark ----------------------------------------------------------------------------

FLOW_OPTIONS = ("--runner", "thread", "--workers", "1")
CORES = os.cpu_count() or 1
THREADED_OPTIONS = ("--runner", "thread", "--workers", str(CORES))
BASELINES = ("analyst", "floor")
ROUND = ("analyst", "pipeline", "floor")
SAMPLE_LABELS = {
    "pipeline": "pipeline without Prefect, sample",
    "analyst": "baseline A: OpenCC + jieba.posseg + pandas, sample",
    "floor": "baseline B: read + rjieba.tag, sample",
}


@dataclass
class Results:
    """Every run of one benchmark invocation."""

    machine: dict
    corpus: Path
    whole: Corpus
    sample: Corpus
    cold: Measured
    scaling: dict[str, Measured]
    threaded: Measured
    alone: Measured
    rounds: list[dict[str, Measured]]

    @property
    def end_to_end(self) -> Measured:
        return self.scaling["whole"]

    @property
    def runs(self) -> list[Measured]:
        return [
            self.cold,
            *self.scaling.values(),
            self.threaded,
            self.alone,
            *(r for ran in self.rounds for r in ran.values()),
        ]

    def sample_runs(self, job: str) -> list[Measured]:
        return [ran[job] for ran in self.rounds]

    def ratios(self, baseline: str) -> list[float]:
        """Pipeline MB/s ÷ baseline MB/s, round by round."""
        return [ran["pipeline"].mb_per_s / ran[baseline].mb_per_s for ran in self.rounds]


def share_name(share: float) -> str:
    """How a share of the corpus is shown.

    >>> share_name(0.25), share_name(1.0)
    ('1/4', 'whole')
    """
    return "whole" if share == 1 else str(Fraction(share).limit_denominator(64))


def parse_shares(text: str) -> list[float]:
    """The shares of the scaling series, smallest first; the whole corpus is always the last.

    >>> parse_shares("1/2,0.25")
    [0.25, 0.5, 1.0]
    """
    shares = sorted({float(Fraction(part)) for part in text.split(",") if part} | {1.0})
    if shares[0] <= 0 or shares[-1] > 1:
        raise argparse.ArgumentTypeError(f"shares must lie in (0, 1]: {text}")
    return shares


def run_benchmark(
    corpus: Path, shares: Sequence[float], limit_mb: float, rounds: int, scratch: Path
) -> Results:
    """Stage the inputs, then run every job one after the other.

    On the sample, each round runs the pipeline between the two baselines, in the opposite order
    from the round before, so that each ratio compares runs next to each other in time.
    """
    info = machine()
    files = bulletin_files(corpus)
    staged = {
        share_name(share): stage_corpus(leading_share(files, share), scratch / f"share-{i}")
        for i, share in enumerate(shares)
    }
    sample = stage_corpus(leading_mb(files, limit_mb), scratch / "sample")
    empty = stage_corpus([], scratch / "empty")
    progress(f"benchmark: {1 + len(staged) + 2 + len(ROUND) * rounds} jobs, each in a fresh process")
    cold = measure("cold start: flow on empty input", "flow", empty, scratch, *FLOW_OPTIONS)
    scaling = {
        name: measure(f"end to end: flow on {name} of the corpus", "flow", inputs, scratch, *FLOW_OPTIONS)
        for name, inputs in staged.items()
    }
    threaded = measure(
        f"end to end: flow on whole of the corpus, {CORES} threads",
        "flow",
        staged["whole"],
        scratch,
        *THREADED_OPTIONS,
    )
    alone = measure("pipeline without Prefect, whole corpus", "pipeline", staged["whole"], scratch)
    ran = [
        {job: measure(SAMPLE_LABELS[job], job, sample, scratch) for job in ROUND[:: 1 if i % 2 == 0 else -1]}
        for i in range(rounds)
    ]
    return Results(info, corpus, staged["whole"], sample, cold, scaling, threaded, alone, ran)


def summarize(results: Results) -> dict:
    """The derived figures: Prefect overhead, ratios, scaling, and each target met or not."""
    e2e = results.end_to_end
    overhead = prefect_overhead(e2e, workers=1)
    overhead["in_flow_net"] = overhead["in_flow"] - untimed_seconds(results.alone)
    net_share = overhead["in_flow_net"] / flow_wall(e2e)
    ratios = {baseline: results.ratios(baseline) for baseline in BASELINES}
    times_a = e2e.mb_per_s / median_run(results.sample_runs("analyst")).mb_per_s
    points = [(run.corpus.mb, flow_wall(run)) for run in results.scaling.values()]
    per_mb = slopes(points)
    intercept, fitted = linear_fit(points)
    linear = bool(per_mb) and None not in per_mb and max(per_mb) - min(per_mb) <= TOLERANCE * max(per_mb)
    peaks = [run.tree.peak_mb("main") for run in results.scaling.values()]
    flat = peaks[-1] <= (1 + TOLERANCE) * peaks[0]
    total = e2e.tree.total_mb
    in_flow_mb_per_s = e2e.corpus.mb / flow_wall(e2e)
    threaded = results.threaded
    return {
        "prefect_overhead": overhead,
        "cold_start_seconds": results.cold.seconds,
        "ratios": {b: {"rounds": r, "median": statistics.median(r)} for b, r in ratios.items()},
        "end_to_end_times_baseline_a": times_a,
        "scaling": {
            "shares": list(results.scaling),
            "flow_wall_seconds_per_mb": per_mb,
            "fit": {"intercept_seconds": intercept, "seconds_per_mb": fitted},
            "linear": linear,
            "peak_mb_main": peaks,
            "peak_mb_all": [run.tree.total_mb for run in results.scaling.values()],
            "flat": flat,
        },
        "targets": [
            [
                f"end to end ≥ {TARGET_MB_PER_S:g} MB/s in one process",
                f"{e2e.mb_per_s:.2f} MB/s ({in_flow_mb_per_s:.2f} once the API is up); {CORES} threads: "
                f"{threaded.mb_per_s:.2f} MB/s ({threaded.corpus.mb / flow_wall(threaded):.2f})",
                max(e2e.mb_per_s, threaded.mb_per_s) >= TARGET_MB_PER_S,
            ],
            [
                f"end to end > {TARGET_TIMES_BASELINE_A:g}× baseline A",
                f"{times_a:.1f}×",
                times_a > TARGET_TIMES_BASELINE_A,
            ],
            [
                f"peak memory < {TARGET_PEAK_MB:g} MB, whole corpus (all processes)",
                f"{total:.0f} MB ({peaks[-1]:.0f} MB main process)",
                total < TARGET_PEAK_MB,
            ],
            [
                f"peak memory flat from {next(iter(results.scaling))} to whole (main process)",
                f"×{peaks[-1] / peaks[0]:.2f}",
                flat,
            ],
            ["flow wall time linear in input size", _slopes_text(per_mb), linear],
            [
                f"Prefect overhead < {TARGET_PREFECT_SHARE:.0%} of flow wall, whole corpus",
                f"{overhead['in_flow_share']:.1%} ({net_share:.1%} net of untimed pipeline work)",
                overhead["in_flow_share"] < TARGET_PREFECT_SHARE,
            ],
        ],
    }


def trouble(runs: Sequence[Measured]) -> list[str]:
    """A line for every run that quarantined files or did not account for all of them."""
    return [
        f"note: {run.label}: exit code {run.figures.get('exit_code', 0)}, files {run.figures['statuses']}"
        for run in runs
        if run.figures.get("exit_code") or run.figures.get("statuses", {}).get("quarantined")
    ]


def _slopes_text(per_mb: Sequence[float | None]) -> str:
    return " then ".join("-" if s is None else f"{s:.2f}" for s in per_mb) + " s/MB"


def report(results: Results, summary: dict) -> str:
    """The printed tables."""
    e2e, overhead, scaling = results.end_to_end, summary["prefect_overhead"], summary["scaling"]
    medians = [median_run(results.sample_runs(job)) for job in SAMPLE_LABELS]
    fit = scaling["fit"]
    return "\n".join(
        [
            header(results.machine, results.corpus, results.whole, results.sample),
            "",
            "Runs (job s: the job's own wall time, imports excluded; process s: spawn to exit; MB/s and "
            "files/s over job s; each sample row is the run with the median MB/s of its kind)",
            render(
                RUN_HEADERS,
                [
                    run_row(r)
                    for r in (
                        results.cold,
                        *results.scaling.values(),
                        results.threaded,
                        results.alone,
                        *medians,
                    )
                ],
            ),
            *trouble(results.runs),
            "",
            f"Stage split, whole corpus, in seconds (flow: thread runner, 1 worker, {e2e.figures['batches']} "
            f"batches, Prefect {overhead['per_batch']:.3f} s per batch; a run on an empty input, API start "
            f"and run bookkeeping: {summary['cold_start_seconds']:.1f} s)",
            render(["stage", "flow", "no Prefect"], stage_rows(e2e, results.alone, overhead)),
            "",
            f"Rounds on the sample ({results.sample.mb:.1f} MB): MB/s of the pipeline without Prefect, "
            "of each baseline run next to it, and their ratio",
            render(["", "pipeline", "baseline A", "× A", "baseline B", "× B"], round_rows(results, summary)),
            f"end to end (flow, whole corpus) ÷ baseline A (median run, sample): "
            f"{summary['end_to_end_times_baseline_a']:.1f}×",
            "",
            "Scaling: the flow on leading shares of the corpus (slopes and fit over flow wall)",
            render(SCALING_HEADERS, [scaling_row(name, run) for name, run in results.scaling.items()]),
            f"seconds per MB: {_slopes_text(scaling['flow_wall_seconds_per_mb'])}; fit: flow wall s = "
            f"{fit['intercept_seconds']:.2f} + {fit['seconds_per_mb']:.3f} × MB",
            "",
            "Targets",
            render(
                ["target", "measured", "met"],
                [[t, m, "yes" if ok else "NO"] for t, m, ok in summary["targets"]],
            ),
            f"load average at the end: {'/'.join(f'{v:.2f}' for v in os.getloadavg())}",
        ]
    )


SCALING_HEADERS = ["share", "MB", "files", "job s", "flow wall s", "MB/s", "peak MB main", "peak MB all"]


def untimed_seconds(alone: Measured) -> float:
    """Seconds of the pipeline without Prefect that no stage timer covers (row building, minhash, reads)."""
    return alone.seconds - work_seconds(alone.figures["stages"], 1)


def stage_rows(flow: Measured, alone: Measured, overhead: dict[str, float]) -> list[list[object]]:
    """Seconds per stage of the flow and of the same work without Prefect, then where the rest went."""
    stages, plain = flow.figures["stages"], alone.figures["stages"]
    return [
        *([name, stages[name], plain.get(name)] for name in stages if name != "wall"),
        ["in the stage timers (sum of the above)", work_seconds(stages, 1), work_seconds(plain, 1)],
        [
            "outside them (flow: wall − the above; no Prefect: job − the above)",
            overhead["in_flow"],
            untimed_seconds(alone),
        ],
        ["Prefect inside the flow, net of that untimed pipeline work", overhead["in_flow_net"], None],
        ["flow wall", stages["wall"], None],
        ["Prefect around the flow (API start, run bookkeeping)", overhead["per_run"], None],
        ["job total", flow.seconds, alone.seconds],
    ]


def round_rows(results: Results, summary: dict) -> list[list[object]]:
    """Per round: the pipeline's MB/s, then each baseline's MB/s and the ratio to it."""
    ratios = {b: results.ratios(b) for b in BASELINES}
    rows: list[list[object]] = [
        [
            f"round {i + 1}",
            ran["pipeline"].mb_per_s,
            *(x for b in BASELINES for x in (ran[b].mb_per_s, ratios[b][i])),
        ]
        for i, ran in enumerate(results.rounds)
    ]
    medians = [summary["ratios"][b]["median"] for b in BASELINES]
    return [*rows, ["median ratio", None, None, medians[0], None, medians[1]]]


def scaling_row(name: str, run: Measured) -> list[object]:
    return [
        name,
        run.corpus.mb,
        run.corpus.files,
        run.seconds,
        flow_wall(run),
        run.mb_per_s,
        round(run.tree.peak_mb("main")),
        round(run.tree.total_mb),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of *.md bulletins")
    parser.add_argument("--limit-mb", type=float, default=3.0, help="size of the sample for the rounds (3)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of baseline A, pipeline, baseline B (3)"
    )
    parser.add_argument(
        "--shares",
        type=parse_shares,
        default=parse_shares(SHARES),
        help=f"leading shares of the corpus for the scaling series, besides the whole ({SHARES})",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    if not bulletin_files(args.corpus):
        print(f"throughput benchmark skipped: no *.md bulletins under {args.corpus}")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as scratch:
        results = run_benchmark(args.corpus, args.shares, args.limit_mb, args.rounds, Path(scratch))
    summary = summarize(results)
    print(report(results, summary))
    if args.json:
        figures = {
            "machine": results.machine,
            "corpus": str(results.corpus),
            **summary,
            "runs": [r.to_json() for r in results.runs],
        }
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
