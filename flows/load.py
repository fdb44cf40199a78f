"""Load one warehouse table into pandas, for a date range, with the dtypes the schema declares.

    from flows.load import load
    roles = load("roles", start="2024-01-01", end="2024-03-31")

Only the month partitions that overlap the range are opened (partition pruning on `issue_month`),
then rows are kept whose `issue_date` lies in the range, both ends included. Nothing is joined.

Dtypes match `pd.read_parquet` on the same folder: dates are datetime64, labels and statuses
categoricals, text pyarrow-backed strings, `issue_month` a categorical; list columns (`positions`,
`files.repairs`) come back as `pd.ArrowDtype` lists, so each cell is a Python list and the
`.list` accessor works (`pd.read_parquet` gives numpy arrays in an object column there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from flows.warehouse import month_of
from transforms.schema import DATE, PARTITION_KEY, TABLES

DEFAULT_WAREHOUSE = "data/warehouse"
PARTITION_FIELD = pa.field(PARTITION_KEY, pa.string())


def load(
    table: str,
    warehouse: str = DEFAULT_WAREHOUSE,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of `table` whose issue date is in [start, end] (either end open when None).

    `start` and `end` take anything `pd.Timestamp` reads ("2024-01-05", a date, a Timestamp); a
    time of day is ignored. `columns` selects columns (all by default, `issue_month` included).
    A table the warehouse does not hold yet comes back empty, with the same dtypes.
    """
    schema = read_schema(table)
    if (start is not None or end is not None) and PARTITION_KEY not in schema.names:
        raise ValueError(f"table {table!r} has no issue_date: load it whole")
    names = list(columns) if columns is not None else schema.names
    unknown = [name for name in names if name not in schema.names]
    if unknown:
        raise ValueError(f"table {table!r} has no column {', '.join(unknown)}; it has {schema.names}")
    fs, root = fsspec.core.url_to_fs(warehouse)
    folder = f"{root.rstrip('/')}/{table}"
    if not fs.exists(folder):
        return to_pandas(schema.empty_table().select(names))
    dataset = ds.dataset(
        folder,
        filesystem=fs,
        format="parquet",
        schema=schema,
        partitioning=ds.partitioning(pa.schema([PARTITION_FIELD]), flavor="hive")
        if PARTITION_KEY in schema.names
        else None,
    )
    return to_pandas(dataset.to_table(columns=names, filter=date_filter(start, end)))


def read_schema(table: str) -> pa.Schema:
    """The schema `load` reads `table` with: the declared one plus the partition key, if any.

    >>> read_schema("roles").names[-1]
    'issue_month'
    >>> "issue_month" in read_schema("runs").names
    False
    """
    if table not in TABLES:
        raise ValueError(f"no table {table!r}; tables: {', '.join(TABLES)}")
    schema = TABLES[table]
    return schema if table == "runs" else schema.append(PARTITION_FIELD)


def date_filter(start: dt.date | str | None, end: dt.date | str | None) -> ds.Expression | None:
    """The row filter for an issue-date range; its `issue_month` terms prune whole partitions.

    >>> print(date_filter(None, None))
    None
    >>> date_filter("2024-01-05", None)
    <pyarrow.compute.Expression ((issue_month >= "2024-01") and (issue_date >= 2024-01-05 00:00:00.000))>
    """
    first, last = _day(start), _day(end)
    if first is not None and last is not None and first > last:
        raise ValueError(f"start {first:%Y-%m-%d} is after end {last:%Y-%m-%d}")
    terms = []
    if first is not None:
        terms += [
            ds.field(PARTITION_KEY) >= month_of(first),
            ds.field("issue_date") >= pa.scalar(first, DATE),
        ]
    if last is not None:
        terms += [ds.field(PARTITION_KEY) <= month_of(last), ds.field("issue_date") <= pa.scalar(last, DATE)]
    if not terms:
        return None
    expression = terms[0]
    for term in terms[1:]:
        expression &= term
    return expression


def _day(value: dt.date | str | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value).normalize()


def to_pandas(rows: pa.Table) -> pd.DataFrame:
    """Arrow rows as pandas the way `pd.read_parquet` converts them, lists as Arrow-backed lists.

    >>> rows = pa.table({"positions": pa.array([["市长"]]), "issue_month": ["2024-01"]})
    >>> to_pandas(rows).positions[0]
    ['市长']
    >>> to_pandas(rows).issue_month.dtype
    CategoricalDtype(categories=['2024-01'], ordered=False, categories_dtype=str)
    """
    if PARTITION_KEY in rows.column_names:
        index = rows.column_names.index(PARTITION_KEY)
        rows = rows.set_column(index, PARTITION_KEY, rows.column(index).dictionary_encode())
    return rows.to_pandas(types_mapper=_list_dtype)


def _list_dtype(type_: pa.DataType) -> pd.ArrowDtype | None:
    return pd.ArrowDtype(type_) if pa.types.is_list(type_) else None
