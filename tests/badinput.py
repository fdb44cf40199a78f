"""Inputs for the reliability tests: above all the bad files a nightly run meets.

Small functions return the bytes (or the path) of one file. `CONTENT` lists the files that are
bad by their bytes alone, with the outcome each must get in the `files` table; `place_*`
functions build the ones that are bad by where or how they sit on disk (links, permissions, size,
a writer still appending). `three_months` writes a good landing folder for the crash and
concurrency tests.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import SEED


def bulletin(title: str, *paragraphs: str) -> str:
    """A small well-formed bulletin: a headline, a blank line, indented paragraphs.

    >>> bulletin("标题", "第一段。").splitlines()
    ['标题', '', '  第一段。']
    """
    return "\n".join([title, "", *(f"  {p}" for p in paragraphs)]) + "\n"


GOOD = bulletin(
    "全市安全生产工作会议召开",
    "5月6日上午，全市安全生产工作会议召开。市委书记王建国出席会议并讲话，市长李明主持会议。",
    "会议强调，要深入贯彻落实《安全生产法》，压实各方责任，坚决遏制重特大事故发生。",
)


def good(tag: str) -> bytes:
    """A distinct well-formed bulletin (its own bytes, so never a duplicate of another).

    >>> good("甲") != good("乙")
    True
    """
    return bulletin(f"{tag}：全市经济运行分析会召开", f"会议听取了{tag}的工作汇报，市长李明讲话。").encode()


def three_months(inputs: Path, version: str = "") -> Path:
    """Three months of bulletins under `inputs`: the seed, a near-copy of it a month later, small
    ones and an empty file; `version` appended to each text makes every file new."""
    seed = SEED.read_text(encoding="utf-8")
    files = {
        "2024/01/05/henan.txt": seed + version,
        "2024/01/20/notice.txt": good(f"一月{version}").decode(),
        "2024/02/03/henan-again.txt": seed + "\n  会议要求，各级各部门要持续巩固创建成果。\n" + version,
        "2024/02/14/notice.txt": good(f"二月{version}").decode(),
        "2024/03/09/notice.txt": good(f"三月{version}").decode(),
        "2024/03/10/empty.txt": "",
    }
    for name, text in files.items():
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_text(text, encoding="utf-8")
    return inputs


def png() -> bytes:
    """The first bytes of a PNG image: signature, IHDR chunk, then compressed noise."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + random.Random(1).randbytes(2048)


def noise() -> bytes:
    """Random bytes, the same on every call.

    >>> noise() == noise(), len(noise())
    (True, 4096)
    """
    return random.Random(7).randbytes(4096)


def pdf() -> bytes:
    """A minimal PDF: text header, binary marker line, an object and a compressed stream."""
    stream = random.Random(3).randbytes(1024)
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + b"4 0 obj\n<< /Length 1024 /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def with_nul_bytes() -> bytes:
    """Text with NUL bytes spread through it, as left by a broken copy or a padded record."""
    return GOOD.encode().replace("。".encode(), "。".encode() + b"\x00\x00")


def truncated_multibyte() -> bytes:
    """UTF-8 text whose last character lost its final byte.

    >>> truncated_multibyte()[-2:] == "会".encode()[:2]
    True
    """
    return (GOOD + "会").encode()[:-1]


def utf16_without_bom() -> bytes:
    """UTF-16 (little endian) without a byte order mark."""
    return GOOD.encode("utf-16-le")


def mixed_utf8_gbk() -> bytes:
    """Lines alternately in UTF-8 and GBK, as when two sources were concatenated."""
    lines = GOOD.splitlines(keepends=True)
    return b"".join(line.encode("utf-8" if i % 2 else "gbk") for i, line in enumerate(lines))


def only_boilerplate() -> bytes:
    """Nothing but the widgets and editor lines the pipeline strips."""
    return "河南手机报 我要分享\n\n分享\n\n责任编辑：张三\n".encode()


def only_punctuation() -> bytes:
    """Punctuation and whitespace only."""
    return "。，、；：？！……——\n\n《》“”（）【】\n  ，，。。\n".encode()


def truncated_gzip() -> bytes:
    """A gzip stream cut in the middle."""
    whole = gzip.compress(GOOD.encode() * 20, mtime=0)
    return whole[: len(whole) // 2]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 5, 6, 8, 0, 0)), data)
    return buffer.getvalue()


def truncated_zip() -> bytes:
    """A zip archive cut in the middle: its central directory is gone."""
    whole = _zip({"20240506.txt": GOOD.encode() * 20})
    return whole[: len(whole) // 2]


ESCAPING_MEMBERS = ("../escaped.txt", "sub/../../escaped.txt", "/escaped.txt")


def zip_with_parent_paths() -> bytes:
    """A zip whose member names climb out of the archive (`..`, absolute), beside one honest member.

    >>> sorted(zipfile.ZipFile(io.BytesIO(zip_with_parent_paths())).namelist())
    ['../escaped.txt', '/escaped.txt', 'honest.txt', 'sub/../../escaped.txt']
    """
    members = {name: good(f"越界{i}") for i, name in enumerate(ESCAPING_MEMBERS)}
    return _zip({**members, "honest.txt": good("压缩包")})


def empty_zip() -> bytes:
    """A valid zip archive with no member at all."""
    return _zip({})


def zip_bomb() -> bytes:
    """A 100 KB zip whose one member inflates to 100 MB of zeros."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.txt", "w") as member,
    ):
        block = bytes(2**20)
        for _ in range(100):
            member.write(block)
    return buffer.getvalue()


SECRET = "外部实体机密内容XYZ"


def html_with_external_entity(target: Path) -> bytes:
    """An HTML page declaring an external entity that names a local file, and using it."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY secret SYSTEM "file://{target}">]>\n'
        "<html><head><title>全市安全生产工作会议召开</title></head><body>"
        f"<p>&secret;</p><p>{GOOD.splitlines()[2].strip()}</p></body></html>\n"
    ).encode()


def html_with_entity_expansion() -> bytes:
    """An HTML page declaring nested internal entities ("billion laughs"): must never be expanded."""
    levels = ['<!ENTITY lol0 "哈哈">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        f"<!DOCTYPE html [{''.join(levels)}]>\n<html><body><p>&lol9;</p>"
        f"<p>{GOOD.splitlines()[2].strip()}</p></body></html>\n"
    ).encode()


@dataclass(frozen=True)
class BadInput:
    """One kind of bad file: its name in the landing folder, the outcome it must get, its bytes.

    `explains` must match the `error` of a quarantined row, or for an accepted file its encoding
    evidence and the kinds of the repairs logged (what was done about the defect). Kinds without
    `make` are bad by where or how they sit on disk: a `place_*` function below builds them.
    """

    kind: str
    name: str
    status: str
    explains: str
    make: Callable[[], bytes] | None = None


CONTENT: tuple[BadInput, ...] = (
    BadInput("empty file", "empty.txt", "quarantined", r"(?i)empty", lambda: b""),
    BadInput("PNG image", "image.txt", "quarantined", r"(?i)binary|image|png", png),
    BadInput("random bytes", "noise.txt", "quarantined", r"(?i)binary|not text|undecodable", noise),
    BadInput("PDF document", "document.txt", "quarantined", r"(?i)binary|pdf", pdf),
    BadInput("text with NUL bytes", "nul.txt", "quarantined", r"(?i)nul|binary", with_nul_bytes),
    BadInput("truncated multibyte", "truncated.txt", "ok", r"truncated last character", truncated_multibyte),
    BadInput("UTF-16 without BOM", "utf16.txt", "ok", r"no BOM, strict utf-16", utf16_without_bom),
    BadInput("UTF-8 and GBK lines", "mixed.txt", "ok", r"mixed, line by line", mixed_utf8_gbk),
    BadInput("only boilerplate", "boilerplate.txt", "quarantined", r"no article text", only_boilerplate),
    BadInput("only punctuation", "punctuation.txt", "quarantined", r"no article text", only_punctuation),
    BadInput("truncated gzip", "bulletin.txt.gz", "quarantined", r"(?i)truncat|gzip", truncated_gzip),
    BadInput("truncated zip", "bulletins.zip", "quarantined", r"(?i)zip|truncat", truncated_zip),
    BadInput("empty zip", "nothing.zip", "quarantined", r"(?i)no member|empty", empty_zip),
    BadInput("zip bomb", "bomb.zip", "quarantined", r"member over the size limit", zip_bomb),
    BadInput("entity expansion", "laughs.html", "ok", r"strict utf-8", html_with_entity_expansion),
)
PLACED: tuple[BadInput, ...] = (
    BadInput("link to a file outside", "outside-file.txt", "quarantined", r"outside the input root"),
    BadInput("link to a folder outside", "outside-folder", "quarantined", r"outside the input root"),
    BadInput("unreadable file", "unreadable.txt", "quarantined", r"unreadable: PermissionError"),
    BadInput("file growing while read", "growing.txt", "quarantined", r"changed while the run was reading"),
    BadInput("200 MB file", "large.txt", "quarantined", r"200\.0 MB, over the 16 MB limit"),
    BadInput("20 MB single line", "long-line.txt", "quarantined", r"20\.0 MB, over the 16 MB limit"),
)


# --- files that are bad by where or how they sit on disk ------------------------------------------


def place_odd_names(folder: Path) -> list[Path]:
    """Good bulletins under names with spaces, Chinese characters and leading dashes."""
    names = ("morning bulletin 01.txt", "河南手机报 第1期.txt", "-n.txt", "--help.txt", "- -.txt")
    for i, name in enumerate(names):
        (folder / name).write_bytes(good(f"第{i}期"))
    return [folder / name for name in names]


def place_duplicate(folder: Path) -> tuple[Path, Path]:
    """The same bytes under two names; in path order `a copy.txt` comes first."""
    first, second = folder / "a copy.txt", folder / "b copy.txt"
    for path in (first, second):
        path.write_bytes(good("同一内容"))
    return first, second


def place_outside_links(folder: Path, outside: Path) -> tuple[Path, Path]:
    """Links from the landing folder to a file and to a folder outside the input root."""
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_bytes(bulletin("外部文件", SECRET + "。").encode())
    to_file, to_folder = folder / "outside-file.txt", folder / "outside-folder"
    to_file.symlink_to(outside / "secret.txt")
    to_folder.symlink_to(outside, target_is_directory=True)
    return to_file, to_folder


def place_parent_path_bait(folder: Path) -> Path:
    """A real file where a `..` member of an archive in `folder` would land if it were extracted."""
    bait = folder.parent / "escaped.txt"
    bait.write_bytes(bulletin("越界读取", SECRET + "。").encode())
    return bait


def place_unreadable(folder: Path) -> Path:
    """A file with no read permission (root still reads it: the tests then deny it another way)."""
    path = folder / "unreadable.txt"
    path.write_bytes(good("无权限"))
    path.chmod(0)
    return path


def place_repeated(path: Path, unit: bytes, size: int) -> Path:
    """A file of `size` bytes made of `unit` repeated, written in 1 MiB blocks (never whole in memory)."""
    block = unit * (2**20 // len(unit) + 1)
    with path.open("wb") as handle:
        left = size
        while left > 0:
            left -= handle.write(block[: min(left, len(block))])
    return path


def place_large(folder: Path, megabytes: int = 200) -> Path:
    """A file of `megabytes` MB of bulletin text."""
    return place_repeated(folder / "large.txt", GOOD.encode(), megabytes * 10**6)


def place_long_line(folder: Path, megabytes: int = 20) -> Path:
    """A single line of `megabytes` MB: bulletin text with no newline anywhere."""
    line = "".join(GOOD.split()).encode()
    return place_repeated(folder / "long-line.txt", line, megabytes * 10**6)


def place_fifo(folder: Path) -> Path:
    """A named pipe: opening it for reading blocks until someone writes."""
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def place_growing(folder: Path) -> Path:
    """A bulletin that a writer is still appending to (call `grow` while the run reads it)."""
    path = folder / "growing.txt"
    path.write_bytes(good("写入中"))
    return path


def grow(path: Path) -> None:
    """Append a paragraph, as a writer still filling the file would."""
    with path.open("ab") as handle:
        handle.write("  又一段正文，仍在写入。\n".encode())
