"""The `bulletins` command: run, backfill, serve, report.

Exit codes: 0 every file accounted for (quarantined files count as accounted), 1 the run failed,
2 bad arguments, 3 another run holds the warehouse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence

DEFAULT_INPUTS = ("seeds", os.path.join("data", "raw"))
DEFAULT_WAREHOUSE = os.path.join("data", "warehouse")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bulletins", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def pipeline_command(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--input",
            action="append",
            dest="inputs",
            metavar="PATH",
            help="file, folder or fsspec URL to read (repeatable; default: seeds/, data/raw/)",
        )
        command.add_argument(
            "--warehouse",
            default=DEFAULT_WAREHOUSE,
            metavar="PATH",
            help="warehouse folder or fsspec URL (default: data/warehouse)",
        )
        command.add_argument("--date", type=_date, help="issue date for files whose path names none")
        command.add_argument(
            "--runner",
            choices=("thread", "process", "dask"),
            default="thread",
            help="task runner (default: thread)",
        )
        command.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="parallel batches")
        command.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="existing Dask scheduler")
        command.add_argument("--batch-mb", type=float, default=4.0, help="raw MB per task (default: 4)")
        command.add_argument(
            "--max-file-mb",
            type=float,
            default=64.0,
            help="files above this size are quarantined (default: 64)",
        )
        command.add_argument(
            "--lock-wait",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="how long to wait for another run to release the warehouse (default: 60)",
        )
        return command

    pipeline_command("run", "process new and changed files (the scheduled job)")
    backfill = pipeline_command("backfill", "reprocess every file of a date range")
    backfill.add_argument("--start", type=_date, required=True, help="first issue date, YYYY-MM-DD")
    backfill.add_argument("--end", type=_date, required=True, help="last issue date, YYYY-MM-DD")
    backfill.add_argument(
        "--per-month",
        action="store_true",
        help="one flow run per month, each under an idempotency key (for long ranges)",
    )
    serve = pipeline_command("serve", "serve the incremental run as a Prefect deployment on a schedule")
    serve.add_argument("--cron", default="0 6 * * *", help='schedule (default: "0 6 * * *")')
    report = commands.add_parser("report", help="write an HTML report with charts from the warehouse")
    report.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, metavar="PATH")
    report.add_argument("--out", default="report", metavar="DIR", help="output folder (default: report)")
    report.add_argument("--start", type=_date, help="first issue date to include")
    report.add_argument("--end", type=_date, help="last issue date to include")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "report":
        from flows.report import build_report

        print(build_report(args.warehouse, args.out, args.start, args.end))
        return 0
    from flows import etl, runners
    from flows.warehouse import LockTimeout

    options = etl.RunOptions(
        inputs=tuple(args.inputs or DEFAULT_INPUTS),
        warehouse=args.warehouse,
        date=args.date,
        batch_mb=args.batch_mb,
        max_file_mb=args.max_file_mb,
        lock_wait=args.lock_wait,
    )
    if args.command == "serve":
        return runners.serve(options, args.cron)
    if args.command == "backfill" and args.start > args.end:
        print("bulletins: --start is after --end", file=sys.stderr)
        return 2
    runner = runners.task_runner(args.runner, args.workers, args.dask_address)
    try:
        with runners.shared_api(args.runner):
            if args.command == "backfill" and args.per_month:
                summaries = etl.backfill_by_month(options, args.start, args.end, runner)
            elif args.command == "backfill":
                summaries = [etl.backfill.with_options(task_runner=runner)(options, args.start, args.end)]
            else:
                summaries = [etl.incremental.with_options(task_runner=runner)(options)]
    except LockTimeout as exc:
        print(f"bulletins: {exc}", file=sys.stderr)
        return 3
    print("\n\n".join(runners.describe(s) for s in summaries) or "every month was already done")
    return 0 if all(s.accounted for s in summaries) else 1


if __name__ == "__main__":
    sys.exit(main())
