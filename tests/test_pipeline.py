"""process_file end to end on the seed (the golden test) and the offset invariant on every table."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import zipfile

from tests.conftest import SEED
from transforms.pipeline import FileRows, article_id_of, final_positions, process_file
from transforms.records import FileMeta, Repair

ISSUE_DATE = dt.date(2021, 10, 9)
TITLE = "全市深化全国文明城市创建工作推进会召开 李国胜讲话 摆向阳主持 吴祖明周树群出席"


def _rows(raw: bytes, path: str = "seeds/seed.txt") -> FileRows:
    return process_file(raw, FileMeta(path=path, issue_date=ISSUE_DATE, issue_date_source="cli"))


def _records(rows: FileRows, table: str) -> list[dict]:
    data = rows.tables[table].data
    return [dict(zip(data, values, strict=True)) for values in zip(*data.values(), strict=True)]


def assert_offsets_hold(rows: FileRows) -> None:
    texts = {a["article_id"]: a["text"] for a in _records(rows, "articles")}
    for table, column in (("sentences", "text"), ("tokens", "token"), ("mentions", "text")):
        for row in _records(rows, table):
            assert texts[row["article_id"]][row["start"] : row["end"]] == row[column], (table, row)
    for role in _records(rows, "roles"):
        assert texts[role["article_id"]][role["start"] : role["end"]] == role["person"]


def test_seed_is_one_clean_simplified_article() -> None:
    rows = _rows(SEED.read_bytes())
    [file] = _records(rows, "files")
    [article] = _records(rows, "articles")
    assert (file["status"], file["articles"], file["encoding"]) == ("ok", 1, "utf-8")
    assert article["title"] == TITLE
    assert article["source"] == "河南手机报"
    text = article["text"]
    assert not re.search(r"\([a-zü\u0101-\u01dc ]+\)", text), "a pinyin annotation survived"
    assert not text.rstrip().endswith("分享") and "我要分享" not in text
    assert "確" not in text and "国" in text and "全国文明城市" in text
    assert "确保”大局中奋勇争先" in text and "确保”事业中更加出彩" in text
    assert "\u00a0" not in text and "，" in text and "," not in text
    assert article["text_original"].startswith("10月8日下午，全市深化全國文明城市創建工作推進會召開")
    assert article["article_id"] == article_id_of(file["file_id"], 0)
    assert article["repairs"] > 0 and file["repairs"]
    assert_offsets_hold(rows)


def test_seed_sentences_tokens_and_mentions() -> None:
    rows = _rows(SEED.read_bytes())
    sentences = _records(rows, "sentences")
    assert sentences[0]["text"].startswith("10月8日下午，全市深化全国文明城市创建工作推进会召开")
    assert len({s["paragraph"] for s in sentences}) == 6
    tokens = {t["token"] for t in _records(rows, "tokens")}
    assert {"摆向阳", "市委副书记", "全国文明城市"} <= tokens
    mentions = _records(rows, "mentions")
    documents = {m["normalized"] for m in mentions if m["label"] == "DOCUMENT"}
    assert {"商丘市民文明行为促进条例", "商丘市民文明公约", "全国文明城市测评体系"} <= documents
    assert "我为群众办实事" in {m["normalized"] for m in mentions if m["label"] == "QUOTE"}


def test_gbk_and_utf16_and_archives_give_the_same_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    expected = _records(_rows(SEED.read_bytes()), "articles")[0]["text"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/seed.txt", SEED.read_bytes())
    for raw, path in (
        (text.encode("gb18030"), "a.txt"),
        (b"\xff\xfe" + text.encode("utf-16-le"), "b.txt"),
        (gzip.compress(SEED.read_bytes()), "c.txt.gz"),
        (buffer.getvalue(), "d.zip"),
    ):
        rows = _rows(raw, path)
        [article] = _records(rows, "articles")
        assert article["text"] == expected, path
    [member] = _records(_rows(buffer.getvalue(), "d.zip"), "files")
    assert member["member"] == "inner/seed.txt"


def test_undecodable_file_comes_back_quarantined_with_a_reason() -> None:
    rows = _rows(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "x.txt")
    [file] = _records(rows, "files")
    assert file["status"] == "quarantined" and file["error"]
    assert not rows.tables["articles"].data


def test_final_positions_follow_later_steps() -> None:
    steps = [
        [Repair("pinyin", 2, "(guó)", "")],
        [Repair("punct", 0, ",", "，"), Repair("space", 1, "  ", "")],
    ]
    assert final_positions(steps) == [0, 0, 1]
