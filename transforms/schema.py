"""The Arrow schema of every output table: the single source of truth.

The writer, the tests and the README data dictionary all read `TABLES`. Every field carries a
description in its metadata; `describe()` renders the data dictionary.

>>> sorted(TABLES)
['articles', 'files', 'mentions', 'roles', 'runs', 'sentences', 'tokens']
>>> TABLES["tokens"].field("pos").type
DictionaryType(dictionary<values=string, indices=int32, ordered=0>)
"""

from __future__ import annotations

import pyarrow as pa

PARTITION_KEY = "issue_month"
PARTITION_DESCRIPTION = (
    "Month of issue_date (YYYY-MM): the hive partition directory, added by pandas on read as a category."
)

_CATEGORY = pa.dictionary(pa.int32(), pa.string())
# Calendar dates are stored as midnight timestamps so that pandas reads them as datetime64, not
# as objects; transforms hand over plain `datetime.date` values and `to_arrow` converts them.
DATE = pa.timestamp("ms")
_REPAIR = pa.struct(
    [
        pa.field("kind", pa.string()),
        pa.field("offset", pa.int64()),
        pa.field("before", pa.string()),
        pa.field("after", pa.string()),
    ]
)


def _field(name: str, type_: pa.DataType, description: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


def _table(description: str, *fields: pa.Field) -> pa.Schema:
    return pa.schema(list(fields), metadata={"description": description})


# Columns every content table shares: they make a partition unit replaceable by file and by date.
def _content_keys(article: str = "Article the row belongs to (articles.article_id).") -> list[pa.Field]:
    return [
        _field("article_id", pa.string(), article, False),
        _field("file_id", _CATEGORY, "Raw file the row came from (files.file_id).", False),
        _field("issue_date", DATE, "Issue date of the bulletin (files.issue_date).", False),
    ]


FILES = _table(
    "One row per raw input file (or archive member) ever discovered: the manifest of the warehouse.",
    _field(
        "file_id", pa.string(), "sha256 of the file's bytes (of the member's bytes inside an archive).", False
    ),
    _field("path", pa.string(), "Path or URL of the file as discovered.", False),
    _field("member", pa.string(), "Member name inside an archive; empty for a plain file.", False),
    _field("size", pa.int64(), "Size in bytes.", False),
    _field("mtime", pa.timestamp("us", tz="UTC"), "Modification time of the file when discovered."),
    _field("issue_date", DATE, "Issue date of the bulletin.", False),
    _field(
        "issue_date_source",
        _CATEGORY,
        "Where issue_date came from: path, document (the date the file states about itself), cli, or"
        " mtime (its modification time: no date found anywhere, check it).",
        False,
    ),
    _field("status", _CATEGORY, "ok, duplicate (same bytes as another file), quarantined or missing.", False),
    _field("error", pa.string(), "Why the file was quarantined; null otherwise."),
    _field("duplicate_of", pa.string(), "file_id of the first file with the same bytes, for duplicates."),
    _field(
        "format",
        _CATEGORY,
        "Format detected from the bytes: text, markdown, html, feed, json, dump, lines (one"
        " label<TAB>text record per line), docx, pdf, eml or mhtml.",
    ),
    _field("encoding", _CATEGORY, "Encoding the bytes were decoded with."),
    _field("encoding_evidence", pa.string(), "Why that encoding was chosen (BOM, strict decode, detector)."),
    _field(
        "repairs",
        pa.list_(_REPAIR),
        "Every repair and boilerplate removal (boilerplate:<kind>) applied to the file's text: kind,"
        " offset (into the text of the document it was made in: the file, a feed item, a record),"
        " before, after.",
    ),
    _field("articles", pa.int32(), "Number of articles found in the file.", False),
    _field("run_id", pa.string(), "Run that last changed this row (runs.run_id).", False),
)

ARTICLES = _table(
    "One row per article (story) in a bulletin.",
    *_content_keys("Stable id of the article: a hash of file_id and seq."),
    _field("seq", pa.int32(), "Position of the article in its file, from 0.", False),
    _field("source", pa.string(), "Publisher named by the bulletin (e.g. 河南手机报), if any."),
    _field("title", pa.string(), "Headline, normalized and Simplified."),
    _field(
        "dateline",
        DATE,
        "The story's own date: its feed item's or record's date, its page's or byline's date"
        " (发布时间), else the date of its dateline (新华社北京12月10日电); null when it states none.",
    ),
    _field("author", pa.string(), "Author or reporter the byline names (作者：, 记者), if any."),
    _field("link", pa.string(), "Address of the story as its source gives it (feed item link, record url)."),
    _field(
        "text", pa.string(), "Body text: repaired, normalized, Simplified. All offsets point into it.", False
    ),
    _field(
        "text_original",
        pa.string(),
        "Body text after repair and normalization, in its original script.",
        False,
    ),
    _field("repairs", pa.int32(), "Number of repairs applied inside this article.", False),
    _field(
        "duplicate_of",
        pa.string(),
        "article_id of the first article of its near-duplicate group (the same story within 7 days),"
        " across all runs.",
    ),
    _field(
        "minhash", pa.binary(), "MinHash signature of the text's character shingles (near-duplicate search)."
    ),
)

SENTENCES = _table(
    "One row per sentence; text equals articles.text[start:end].",
    *_content_keys(),
    _field("paragraph", pa.int32(), "Paragraph index within the article, from 0.", False),
    _field("sentence", pa.int32(), "Sentence index within the article, from 0.", False),
    _field("start", pa.int32(), "Start offset (code points) in articles.text.", False),
    _field("end", pa.int32(), "End offset (exclusive) in articles.text.", False),
    _field("text", pa.string(), "The sentence.", False),
)

TOKENS = _table(
    "One row per word; token equals articles.text[start:end].",
    *_content_keys(),
    _field("sentence", pa.int32(), "Sentence index within the article.", False),
    _field("index", pa.int32(), "Token index within the sentence, from 0.", False),
    _field("start", pa.int32(), "Start offset in articles.text.", False),
    _field("end", pa.int32(), "End offset (exclusive) in articles.text.", False),
    _field("token", pa.string(), "The word.", False),
    _field(
        "pos",
        _CATEGORY,
        "Part-of-speech tag (jieba tag set; the user dictionary's tags and corrections win).",
        False,
    ),
)

MENTIONS = _table(
    "One row per entity mention; text equals articles.text[start:end].",
    *_content_keys(),
    _field("sentence", pa.int32(), "Sentence index within the article.", False),
    _field("start", pa.int32(), "Start offset in articles.text.", False),
    _field("end", pa.int32(), "End offset (exclusive) in articles.text.", False),
    _field("text", pa.string(), "The mention as written.", False),
    _field(
        "label",
        _CATEGORY,
        "PERSON, POSITION, GOV, ORG, LOC, DATE, TIME, DOCUMENT, QUOTE or EVENT.",
        False,
    ),
    _field("normalized", pa.string(), "Canonical form: ISO date, full place name, text inside 《》/“”, …"),
    _field("method", _CATEGORY, "How it was found: lexicon, pattern, model, propagation, …", False),
)

ROLES = _table(
    "One row per person acting in a role (spoke at, chaired, attended, …).",
    *_content_keys(),
    _field("sentence", pa.int32(), "Sentence index within the article where the role is stated.", False),
    _field("start", pa.int32(), "Start offset of the person's mention in articles.text.", False),
    _field("end", pa.int32(), "End offset of the person's mention.", False),
    _field("person", pa.string(), "Person's name.", False),
    _field(
        "positions", pa.list_(pa.string()), "Posts held, in the order stated (e.g. 市委副书记, 市长).", False
    ),
    _field("organization", pa.string(), "Organization the post belongs to, where stated."),
    _field("action", _CATEGORY, "讲话, 主持, 出席, 调研, 会见, 强调, 指出, 部署, …", False),
    _field("event", pa.string(), "Named meeting or campaign, if stated."),
    _field("date", DATE, "Date of the action: from the text, else the issue date."),
)

RUNS = _table(
    "One row per flow run.",
    _field("run_id", pa.string(), "Identifier of the run.", False),
    _field("kind", _CATEGORY, "incremental or backfill.", False),
    _field("parameters", pa.string(), "Run parameters as JSON.", False),
    _field("started_at", pa.timestamp("us", tz="UTC"), "When the run started.", False),
    _field("finished_at", pa.timestamp("us", tz="UTC"), "When the run finished.", False),
    _field("state", _CATEGORY, "completed or failed.", False),
    _field("files_discovered", pa.int64(), "Files seen in the inputs (archive members counted).", False),
    _field("files_unchanged", pa.int64(), "Files skipped because the manifest already had them.", False),
    _field("files_ok", pa.int64(), "Files processed successfully in this run.", False),
    _field("files_duplicate", pa.int64(), "Files whose bytes equal an earlier file's.", False),
    _field("files_quarantined", pa.int64(), "Files that could not be processed.", False),
    _field("files_missing", pa.int64(), "Files in the manifest no longer found in the inputs.", False),
    _field("bytes_processed", pa.int64(), "Raw bytes read and processed.", False),
    _field("rows_written", pa.string(), "Rows written per table, as JSON.", False),
    _field("seconds", pa.string(), "Wall time per stage in seconds, as JSON.", False),
    _field("version", pa.string(), "Pipeline version.", False),
)

TABLES: dict[str, pa.Schema] = {
    "files": FILES,
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "tokens": TOKENS,
    "mentions": MENTIONS,
    "roles": ROLES,
    "runs": RUNS,
}
CONTENT_TABLES = ("articles", "sentences", "tokens", "mentions", "roles")

# Row order inside every written file (invariant 4: deterministic ordering).
SORT_KEYS: dict[str, list[str]] = {
    "files": ["issue_date", "path", "member"],
    "articles": ["issue_date", "file_id", "seq"],
    "sentences": ["issue_date", "file_id", "article_id", "sentence"],
    "tokens": ["issue_date", "file_id", "article_id", "start"],
    "mentions": ["issue_date", "file_id", "article_id", "start", "end", "label"],
    "roles": ["issue_date", "file_id", "article_id", "start", "action"],
    "runs": ["started_at", "run_id"],
}


def to_arrow(table: str, columns: dict[str, list]) -> pa.Table:
    """Build an Arrow table for `table` from column lists; missing nullable columns become nulls.

    >>> to_arrow("sentences", {}).num_rows
    0
    """
    schema = TABLES[table]
    length = len(next(iter(columns.values()), ()))
    arrays = [
        _array(columns[f.name], f.type) if f.name in columns else pa.nulls(length, f.type) for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _array(values: list, type_: pa.DataType) -> pa.Array:
    if type_ == DATE:
        return pa.array(values, pa.date32()).cast(DATE)
    return pa.array(values, type=type_)


def describe(table: str) -> list[tuple[str, str, str]]:
    """(column, type, description) for every column of `table`, for the README data dictionary.

    >>> describe("sentences")[-1]
    ('text', 'string', 'The sentence.')
    >>> describe("tokens")[1][:2]
    ('file_id', 'category')
    """
    return [(f.name, _type_name(f.type), f.metadata[b"description"].decode()) for f in TABLES[table]]


def _type_name(type_: pa.DataType) -> str:
    """A type as an analyst meets it in pandas."""
    if pa.types.is_dictionary(type_):
        return "category"
    if pa.types.is_list(type_):
        return f"list of {_type_name(type_.value_type)}"
    if pa.types.is_struct(type_):
        return "{" + ", ".join(f"{f.name}: {_type_name(f.type)}" for f in type_) + "}"
    if pa.types.is_timestamp(type_) and type_.tz:
        return "timestamp (UTC)"
    return "date" if type_ == DATE else str(type_)


def data_dictionary() -> str:
    """The README's data dictionary, rendered from the schemas (`python -m transforms.schema`)."""
    sections = []
    for table, schema in TABLES.items():
        rows = [f"| `{name}` | {type_} | {description} |" for name, type_, description in describe(table)]
        if table != "runs":
            rows.append(f"| `{PARTITION_KEY}` | partition | {PARTITION_DESCRIPTION} |")
        description = schema.metadata[b"description"].decode()
        sections.append(
            "\n".join(
                [f"#### `{table}`: {description}", "", "| column | type | meaning |", "|---|---|---|", *rows]
            )
        )
    return "\n\n".join(sections)


if __name__ == "__main__":
    print(data_dictionary())
