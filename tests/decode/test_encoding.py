"""decode: encodings and their evidence, binary input quarantined, formats, archives opened in memory."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable

import pytest

from tests.case_files import Case, load
from transforms.decode.encoding import archive_members, decode_bytes, sniff_format
from transforms.records import Quarantined


def _raw(recipe: dict) -> bytes:
    """The bytes a case describes: hex, lines each in its codec, or a text in a codec (maybe truncated)."""
    if "hex" in recipe:
        return bytes.fromhex(recipe["hex"])
    if "lines" in recipe:
        return b"\n".join(text.encode(codec) for text, codec in recipe["lines"])
    raw = recipe["text"].encode(recipe.get("codec", "utf-8"))
    return raw[: len(raw) - recipe.get("truncate", 0)]


@pytest.mark.parametrize("case", load("decode", "bytes"))
def test_decode_bytes(case: Case) -> None:
    raw, expected = _raw(case.input), case.wanted
    if "quarantined" in expected:
        with pytest.raises(Quarantined, match=expected["quarantined"]):
            decode_bytes(raw)
        return
    decoded = decode_bytes(raw)
    assert decoded.encoding == expected["encoding"]
    assert expected["evidence"] in decoded.evidence
    assert decoded.text == expected.get("decoded", case.input.get("text", "").lstrip("\ufeff"))


@pytest.mark.parametrize("case", load("decode", "formats"))
def test_sniff_format(case: Case) -> None:
    assert sniff_format(case.given["name"], _raw(case.input)) == case.wanted


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_gzip_member_is_named_after_the_archive() -> None:
    raw = gzip.compress("会议召开".encode())
    assert archive_members(raw, "gzip", "raw/2021/10/09/seed.txt.gz") == [("seed.txt", "会议召开".encode())]


def test_gzip_with_several_members_is_one_stream() -> None:
    raw = gzip.compress(b"first ") + gzip.compress(b"second")
    assert archive_members(raw, "gzip", "x.txt.gz") == [("x.txt", b"first second")]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (gzip.compress(b"x" * 1000)[:-8], "truncated"),
        (gzip.compress(b"abc" * 100)[:12] + b"\xff" * 8 + gzip.compress(b"abc" * 100)[20:], "corrupt"),
        (gzip.compress(_zip({"a.txt": b"a"})), "nested archive"),
        (gzip.compress(b"\0" * 50_000), "size limit"),
    ],
    ids=["truncated", "corrupt", "nested", "over the limit"],
)
def test_gzip_problems_give_one_quarantined_entry(raw: bytes, reason: str) -> None:
    [(name, member)] = archive_members(raw, "gzip", "x.txt.gz", limit=10_000)
    assert name == "x.txt"
    assert isinstance(member, Quarantined)
    assert reason in str(member)


def test_zip_members_are_accounted_for_one_by_one() -> None:
    raw = _zip(
        {
            "a.txt": "甲".encode(),
            "dir/b.md": b"# b",
            "../escape.txt": b"x",
            "/etc/passwd": b"x",
            "inner.zip": _zip({"c.txt": b"c"}),
            "big.txt": b"\0" * 50_000,
        }
    )
    members = dict(archive_members(raw, "zip", "bulletins.zip", limit=10_000))
    assert members["a.txt"] == "甲".encode()
    assert members["dir/b.md"] == b"# b"
    reasons = {name: str(m) for name, m in members.items() if isinstance(m, Quarantined)}
    assert reasons == {
        "../escape.txt": "unsafe member path (absolute or with ..)",
        "/etc/passwd": "unsafe member path (absolute or with ..)",
        "inner.zip": "nested archive",
        "big.txt": "member over the size limit (10,000 bytes)",
    }


def test_truncated_zip_gives_one_quarantined_entry() -> None:
    raw = _zip({"a.txt": b"a" * 100, "b.txt": b"b" * 100})
    [(name, member)] = archive_members(raw[: len(raw) // 2], "zip", "data/bulletins.zip")
    assert name == "bulletins.zip"
    assert isinstance(member, Quarantined)
    assert "truncated or corrupt archive" in str(member)


def _unsupported_compression(raw: bytes) -> bytes:
    """`raw` with the compression method of its first central directory entry set to an unknown one."""
    data = bytearray(raw)
    data[data.index(b"PK\x01\x02") + 10] = 99
    return bytes(data)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda raw: raw[1:], "unreadable member: ValueError"),
        (_unsupported_compression, "unreadable member: NotImplementedError"),
    ],
    ids=["first byte missing", "unsupported compression"],
)
def test_a_damaged_zip_member_gives_a_quarantined_entry(
    damage: Callable[[bytes], bytes], reason: str
) -> None:
    raw = _zip({"a.txt": b"a" * 100, "b.txt": b"b" * 100})
    members = dict(archive_members(damage(raw), "zip", "bulletins.zip"))
    assert list(members) == ["a.txt", "b.txt"]
    assert str(members["a.txt"]).startswith(reason)


@pytest.mark.parametrize("members", [{}, {"empty/": b""}], ids=["no member", "only a folder"])
def test_a_zip_with_no_file_member_gives_one_quarantined_entry(members: dict[str, bytes]) -> None:
    [(name, member)] = archive_members(_zip(members), "zip", "data/nothing.zip")
    assert (name, type(member), str(member)) == (
        "nothing.zip",
        Quarantined,
        "archive has no file member (empty archive)",
    )
