"""flows.load: every column of every table comes back with its declared dtype; ranges prune months.

Also home of the two warehouses the analyst-facing tests share: the generated one described by
cases/sample_warehouse.json (every table filled, known answers) and the seed's, built with the
real pipeline when it imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.load import load
from flows.warehouse import VERSION, Warehouse, month_of
from tests.conftest import SEED
from transforms.records import Columns, FileMeta
from transforms.schema import CONTENT_TABLES, DATE, PARTITION_KEY, TABLES, to_arrow

SAMPLE = json.loads((Path(__file__).parent / "cases" / "sample_warehouse.json").read_text(encoding="utf-8"))
SAMPLE_RUN = "sample-run"
SEED_DATE = dt.date(2021, 10, 9)


# --- the generated warehouse --------------------------------------------------------------------


def write_sample_warehouse(root: Path) -> Path:
    """Write the warehouse of cases/sample_warehouse.json under `root`: every table, three months."""
    units: dict[tuple[str, str], Columns] = {}
    for spec in SAMPLE["files"]:
        month = month_of(dt.date.fromisoformat(spec["issue_date"]))
        for table, columns in _file_rows(spec).items():
            units.setdefault((table, month), Columns()).extend(**columns.data)
    wh = Warehouse(str(root))
    for (table, month), columns in units.items():
        wh.write_unit(table, month, to_arrow(table, columns.data), SAMPLE_RUN)
    wh.write_run(to_arrow("runs", {name: [value] for name, value in _run_row().items()}))
    return root


def _file_id(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()


def _file_rows(spec: dict) -> dict[str, Columns]:
    day = dt.date.fromisoformat(spec["issue_date"])
    file_id = _file_id(spec["path"])
    rows = {table: Columns() for table in ("files", *CONTENT_TABLES)}
    for seq, article in enumerate(spec["articles"]):
        _add_article(rows, file_id, day, seq, article)
    ok = spec["status"] == "ok"
    rows["files"].extend(
        file_id=[file_id],
        path=[spec["path"]],
        member=[""],
        size=[len(spec["path"]) * 100],
        mtime=[dt.datetime.combine(day, dt.time(6), dt.UTC)],
        issue_date=[day],
        issue_date_source=["path"],
        status=[spec["status"]],
        error=[spec.get("error")],
        duplicate_of=[_file_id(spec["duplicate_of"]) if "duplicate_of" in spec else None],
        format=["text"],
        encoding=[spec.get("encoding")],
        encoding_evidence=["strict decode" if ok else None],
        repairs=[
            [
                {"kind": kind, "offset": 10 * i, "before": before, "after": after}
                for i, (kind, before, after) in enumerate(spec.get("repairs", []))
            ]
        ],
        articles=[len(spec["articles"])],
        run_id=[SAMPLE_RUN],
    )
    return rows


def _sentences(article: dict) -> list[tuple[str, list[tuple[str, str, str]], tuple | None]]:
    """Each sentence of a sample article: its text, its (label, text, normalized) mentions, its role."""
    parts = [
        (
            "、".join(positions) + person + action + "。",
            [*(("POSITION", p, p) for p in positions), ("PERSON", person, person)],
            (person, action, positions),
        )
        for person, action, positions in article.get("roles", [])
    ]
    parts += [
        (f"会议学习《{d}》。", [("DOCUMENT", f"《{d}》", d)], None) for d in article.get("documents", [])
    ]
    parts += [(f"倡导“{s}”。", [("QUOTE", f"“{s}”", s)], None) for s in article.get("slogans", [])]
    parts += [(f"活动在{p}举行。", [("LOC", p, full)], None) for p, full in article.get("places", [])]
    parts += [(f"{text}。", [(label, text, norm)], None) for label, text, norm in article.get("mentions", [])]
    return parts


def _add_article(rows: dict[str, Columns], file_id: str, day: dt.date, seq: int, article: dict) -> None:
    article_id = f"{file_id[:14]}{seq:02d}"
    text = ""
    for number, (sentence, mentions, role) in enumerate(_sentences(article)):
        begin = cursor = len(text)
        text += sentence
        keys = {"article_id": [article_id], "file_id": [file_id], "issue_date": [day], "sentence": [number]}
        rows["sentences"].extend(**keys, paragraph=[0], start=[begin], end=[len(text)], text=[sentence])
        for index, char in enumerate(sentence):
            rows["tokens"].extend(
                **keys,
                index=[index],
                start=[begin + index],
                end=[begin + index + 1],
                token=[char],
                pos=["x" if char in "。、《》“”" else "n"],
            )
        for label, surface, normalized in mentions:
            cursor = text.index(surface, cursor)
            rows["mentions"].extend(
                **keys,
                start=[cursor],
                end=[cursor + len(surface)],
                text=[surface],
                label=[label],
                normalized=[normalized],
                method=["lexicon"],
            )
            if role and label == "PERSON":
                rows["roles"].extend(
                    **keys,
                    start=[cursor],
                    end=[cursor + len(surface)],
                    person=[surface],
                    positions=[role[2]],
                    organization=["商丘市委"],
                    action=[role[1]],
                    event=[article["title"]],
                    date=[day],
                )
            cursor += len(surface)
    rows["articles"].extend(
        article_id=[article_id],
        file_id=[file_id],
        issue_date=[day],
        seq=[seq],
        source=["商丘日报"],
        title=[article["title"]],
        dateline=[day - dt.timedelta(days=1)],
        text=[text],
        text_original=[text],
        repairs=[0],
        duplicate_of=[None],
        minhash=[hashlib.sha256(text.encode()).digest()],
    )


def _run_row() -> dict:
    statuses = [spec["status"] for spec in SAMPLE["files"]]
    return {
        "run_id": SAMPLE_RUN,
        "kind": "backfill",
        "parameters": json.dumps({"start": "2024-01-01", "end": "2024-03-31"}),
        "started_at": dt.datetime(2024, 4, 1, 6, tzinfo=dt.UTC),
        "finished_at": dt.datetime(2024, 4, 1, 6, 1, tzinfo=dt.UTC),
        "state": "completed",
        "files_discovered": len(statuses),
        "files_unchanged": 0,
        **{f"files_{s}": statuses.count(s) for s in ("ok", "duplicate", "quarantined", "missing")},
        "bytes_processed": 4096,
        "rows_written": "{}",
        "seconds": "{}",
        "version": VERSION,
    }


# --- the seed's warehouse, from the real pipeline -----------------------------------------------


def write_seed_warehouse(root: Path) -> Path:
    """The seed bulletin through the real pipeline into a warehouse; skips until the pipeline imports."""
    try:
        from transforms import pipeline
    except ImportError as exc:
        pytest.skip(f"transforms.pipeline does not import yet: {exc}")

    rows = pipeline.process_file(SEED.read_bytes(), FileMeta(str(SEED), SEED_DATE, "cli"))
    rows.tables["files"].extend(run_id=["seed-run"])
    wh = Warehouse(str(root))
    for table, columns in rows.tables.items():
        wh.write_unit(table, month_of(SEED_DATE), to_arrow(table, columns.data), "seed-run")
    return root


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_warehouse(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_seed_warehouse(tmp_path_factory.mktemp("seed"))


# --- dtypes --------------------------------------------------------------------------------------


def _is_declared_dtype(type_: pa.DataType, dtype: object, lists_as_arrow: bool) -> bool:
    """Whether a pandas dtype is what an analyst should get for a column of Arrow type `type_`."""
    if pa.types.is_dictionary(type_):
        return isinstance(dtype, pd.CategoricalDtype)
    if pa.types.is_string(type_):
        return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    if type_ == DATE:
        return dtype == np.dtype("datetime64[ms]")
    if pa.types.is_timestamp(type_):
        return isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC"
    if pa.types.is_list(type_):
        return dtype == pd.ArrowDtype(type_) if lists_as_arrow else dtype == np.dtype(object)
    if pa.types.is_binary(type_):
        return dtype == np.dtype(object)
    return dtype == np.dtype(type_.to_pandas_dtype())


def _check_dtypes(table: str, frame: pd.DataFrame, lists_as_arrow: bool) -> None:
    schema = TABLES[table]
    expected = [*schema.names, *([PARTITION_KEY] if table != "runs" else [])]
    assert list(frame.columns) == expected
    wrong = {
        f.name: str(frame[f.name].dtype)
        for f in schema
        if not _is_declared_dtype(f.type, frame[f.name].dtype, lists_as_arrow)
    }
    assert not wrong, f"{table}: columns with the wrong dtype: {wrong}"
    if table != "runs":
        assert isinstance(frame[PARTITION_KEY].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize("table", list(TABLES))
def test_load_gives_every_column_its_declared_dtype(sample: Path, table: str) -> None:
    frame = load(table, str(sample))
    assert len(frame), f"the sample warehouse has no {table} rows"
    _check_dtypes(table, frame, lists_as_arrow=True)


@pytest.mark.parametrize("table", list(TABLES))
def test_read_parquet_gives_the_same_dtypes_with_no_conversion(sample: Path, table: str) -> None:
    frame = pd.read_parquet(sample / table)
    _check_dtypes(table, frame, lists_as_arrow=False)


@pytest.mark.parametrize("table", list(TABLES))
def test_a_table_not_written_yet_loads_empty_with_the_same_dtypes(tmp_path: Path, table: str) -> None:
    frame = load(table, str(tmp_path))
    assert frame.empty
    _check_dtypes(table, frame, lists_as_arrow=True)


@pytest.mark.parametrize("table", [t for t in TABLES if t != "runs"])
def test_the_seed_loads_with_declared_dtypes(seed: Path, table: str) -> None:
    _check_dtypes(table, load(table, str(seed)), lists_as_arrow=True)


def test_list_cells_are_python_lists(sample: Path) -> None:
    roles = load("roles", str(sample))
    assert roles.positions.tolist()[0] == ["市委书记"]
    repairs = load("files", str(sample)).repairs.list.flatten()
    assert sorted(repairs.struct.field("kind").unique()) == [
        "gbk_misalignment",
        "html_residue",
        "pinyin_annotation",
    ]


# --- date ranges ---------------------------------------------------------------------------------


def _titles_between(first: str, last: str) -> list[str]:
    return [
        article["title"]
        for spec in SAMPLE["files"]
        if first <= spec["issue_date"] <= last
        for article in spec["articles"]
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-01-05", "2024-03-01"),
        ("2024-01-06", "2024-03-19"),
        ("2024-03-01", "2024-03-01"),
        ("2024-02-11", None),
    ],
)
def test_a_range_keeps_exactly_the_issue_dates_inside_it(sample: Path, start: str, end: str | None) -> None:
    articles = load("articles", str(sample), start=start, end=end, columns=["issue_date", "title"])
    assert sorted(articles.title) == sorted(_titles_between(start, end or "9999"))


def test_dates_and_timestamps_are_accepted_and_times_of_day_ignored(sample: Path) -> None:
    by_text = load("roles", str(sample), start="2024-03-01", end="2024-03-20")
    by_date = load("roles", str(sample), start=dt.date(2024, 3, 1), end=pd.Timestamp("2024-03-20 23:59"))
    pd.testing.assert_frame_equal(by_text, by_date)


def test_months_outside_the_range_are_never_opened(tmp_path: Path) -> None:
    write_sample_warehouse(tmp_path)
    Path(Warehouse(str(tmp_path)).unit_path("mentions", "2024-01")).write_bytes(b"not parquet")
    later = load("mentions", str(tmp_path), start="2024-02-15")
    assert set(later.issue_date.dt.strftime("%Y-%m-%d")) == {"2024-03-01", "2024-03-20"}
    with pytest.raises(pa.ArrowInvalid):
        load("mentions", str(tmp_path))


def test_columns_are_selected_and_nothing_is_joined(sample: Path) -> None:
    frame = load("mentions", str(sample), columns=["label", "normalized"])
    assert list(frame.columns) == ["label", "normalized"]
    assert len(frame) == len(load("mentions", str(sample)))


@pytest.mark.parametrize(
    ("table", "options", "message"),
    [
        ("people", {}, "no table 'people'"),
        ("roles", {"columns": ["person", "rank"]}, "no column rank"),
        ("roles", {"start": "2024-03-02", "end": "2024-03-01"}, "is after end"),
        ("runs", {"start": "2024-03-01"}, "has no issue_date"),
    ],
)
def test_bad_requests_say_what_is_wrong(sample: Path, table: str, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load(table, str(sample), **options)


def test_every_file_describes_its_table_columns_version_and_run(sample: Path) -> None:
    for path in sorted(sample.rglob("*.parquet")):
        schema = pq.read_schema(path)
        table = path.relative_to(sample).parts[0]
        assert schema.metadata[b"description"] == TABLES[table].metadata[b"description"], path
        assert schema.metadata[b"pipeline_version"] == VERSION.encode(), path
        assert schema.metadata[b"run_id"] == SAMPLE_RUN.encode(), path
        for declared in TABLES[table]:
            assert schema.field(declared.name).metadata == declared.metadata, f"{path}: {declared.name}"
