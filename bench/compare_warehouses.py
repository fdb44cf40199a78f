"""Tell whether two warehouses hold the same tables, run ids and timings aside.

    python -m bench.compare_warehouses A B

For a change that must not change any output (a refactoring): build a warehouse from the same inputs
before and after it, then compare. Every Parquet file of every table is read as it lies on disk (no
code of the project is used, so warehouses written by different versions compare), partition by
partition; a table is identical when both hold the same partitions and each holds the same rows in
the same order with the same schema. What differs between any two runs is left out: the `run_id`
column and schema metadata, the run's timestamps, wall times and parameters (they name the
warehouse), so the `runs` table compares its counts and version only. Prints one line per table and
exits 1 when any table differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

VOLATILE = frozenset({"run_id", "started_at", "finished_at", "seconds", "parameters"})
"""Columns that differ between two runs over the same inputs."""


def partitions(warehouse: Path, table: str) -> dict[str, Path]:
    """The Parquet files of one table, by their path relative to the table's folder (hidden files,
    a writer's drafts, left out). The runs table has one file per run, named by its run: its files
    are keyed by their order instead."""
    found = sorted(
        path
        for path in (warehouse / table).rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in path.relative_to(warehouse).parts)
    )
    if table == "runs":
        return {f"run {number}": path for number, path in enumerate(found)}
    return {str(path.relative_to(warehouse / table)): path for path in found}


def content(path: Path) -> pa.Table:
    """A Parquet file's rows without the columns and metadata that name the run."""
    rows = pq.read_table(path, partitioning=None)
    kept = [name for name in rows.column_names if name not in VOLATILE]
    return rows.select(kept).replace_schema_metadata(None)


def compare_table(first: Path, second: Path, table: str) -> str | None:
    """None when `table` holds the same content in both warehouses, else what differs."""
    ours, theirs = partitions(first, table), partitions(second, table)
    if ours.keys() != theirs.keys():
        only = sorted(ours.keys() ^ theirs.keys())
        return f"partitions differ: {', '.join(only[:5])}{' …' if len(only) > 5 else ''}"
    for key in ours:
        one, other = content(ours[key]), content(theirs[key])
        if one.schema != other.schema:
            return f"{key}: schemas differ"
        if one.num_rows != other.num_rows:
            return f"{key}: {one.num_rows:,} rows against {other.num_rows:,}"
        for name in one.column_names:
            if not one.column(name).equals(other.column(name)):
                return f"{key}: column {name} differs"
    return None


def tables(warehouse: Path) -> list[str]:
    """The tables of a warehouse: its folders that are no state or lock."""
    return sorted(
        path.name for path in warehouse.iterdir() if path.is_dir() and not path.name.startswith("_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    names = sorted(set(tables(args.first)) | set(tables(args.second)))
    different = 0
    for table in names:
        rows = sum(pq.read_metadata(path).num_rows for path in partitions(args.first, table).values())
        difference = compare_table(args.first, args.second, table)
        different += difference is not None
        verdict = "identical" if difference is None else f"DIFFERENT: {difference}"
        print(f"{table:<10} {rows:>10,} rows  {verdict}")
    print("all tables identical" if not different else f"{different} of {len(names)} tables differ")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
