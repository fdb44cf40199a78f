"""Bytes → text: which encoding, and why; archives opened member by member; binary input refused.

`decode_bytes` tries, in order: a byte order mark; strict UTF-8 (the fast path); UTF-8 whose last
character was cut off; UTF-16 without a BOM (NUL bytes in step); a file mixing UTF-8 and legacy lines
(decoded line by line); GB18030 or Big5, whichever reads as more plausible Chinese; charset-normalizer
for anything else. Binary (known magic bytes, control characters) and NUL-heavy input raises
`Quarantined`. `sniff_format` tells text, Markdown, HTML, gzip and zip apart; `archive_members` opens
gzip and zip archives in memory only. Tables: resources/decode_formats.json.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from functools import cache
from pathlib import PurePosixPath

from charset_normalizer import from_bytes

from transforms.kit.charlm import plausibility
from transforms.kit.lexicons import read_json
from transforms.records import Decoded, Quarantined

ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    ValueError,
    struct.error,
    OSError,
    EOFError,
    zlib.error,
    NotImplementedError,
)
"""What zipfile raises on a damaged, truncated, encrypted or unsupported archive or member."""
MEMBER_LIMIT = 64 * 1024 * 1024
"""Largest archive member read (bytes): a zip bomb stops here."""
NUL_SHARE = 0.01
"""Share of NUL bytes above which input that is not UTF-16 is refused."""
CONTROL_SHARE = 0.05
"""Share of control characters above which decoded text is taken for binary."""
PLAUSIBLE = -11.0
"""`plausibility` a legacy decoding needs to be trusted without charset-normalizer."""
SNIFF = 2048
"""Bytes looked at to tell HTML from plain text."""


@cache
def _table() -> dict:
    return read_json("decode_formats.json")


def _magic(raw: bytes, kind: str) -> str | None:
    for signature, name in _table()[kind].items():
        if raw.startswith(bytes.fromhex(signature)):
            return name
    return None


def sniff_format(name: str, raw: bytes) -> str:
    """One of text, markdown, html, gzip, zip, or unsupported: data, code, office and media files are
    never bulletins (a .docx is a zip inside); otherwise by magic bytes, then by file name, then content.

    >>> sniff_format("a.txt", b"\\x1f\\x8b\\x08"), sniff_format("20240209.md", b"# x")
    ('gzip', 'markdown')
    >>> sniff_format("x", b"<!DOCTYPE html>"), sniff_format("x", "会议召开".encode())
    ('html', 'text')
    >>> sniff_format("data/feed.JSON", b"{}")
    'unsupported'
    """
    lower = name.lower()
    if lower.endswith(tuple(_table()["unsupported_extensions"])):
        return "unsupported"
    archive = _magic(raw, "archive_magic")
    if archive:
        return archive
    for extension, kind in _table()["extensions"].items():
        if lower.endswith(extension):
            return kind
    head = raw[:SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head else "text"


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    if not _CONTROL.search(text):
        return 0.0
    return len(_CONTROL.findall(text)) / max(1, len(text))


def _checked(text: str, encoding: str, evidence: str) -> Decoded:
    """The decoding, unless it reads as binary."""
    share = _control_share(text[:65536])
    if share > CONTROL_SHARE:
        raise Quarantined(f"binary content: {share:.0%} control characters as {encoding}")
    return Decoded(text, encoding, evidence)


def _bom(raw: bytes) -> Decoded | None:
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if raw.startswith(bom):
            body = raw[len(bom) :]
            text = body.decode(codec.replace("-sig", ""), errors="replace")
            lost = text.count("\ufffd") - body.decode(codec.replace("-sig", ""), errors="ignore").count(
                "\ufffd"
            )
            evidence = "BOM" if not lost else f"BOM ({lost} undecodable sequences replaced)"
            return _checked(text, codec, evidence)
    return None


def _utf16(raw: bytes) -> Decoded | None:
    """UTF-16 without a BOM: ASCII shows as NUL bytes all at odd (LE) or all at even (BE) offsets."""
    if len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if max(even, odd) < len(raw) // 8 or min(even, odd) > max(even, odd) // 20:
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        return _checked(
            raw.decode(codec), codec, f"no BOM, NUL bytes at {'odd' if odd > even else 'even'} offsets"
        )
    except UnicodeDecodeError:
        return None


def _candidates(raw: bytes) -> list[tuple[str, str, float]]:
    """Strict decodings by the legacy codecs (and UTF-16 when the length allows), most plausible first."""
    codecs = list(_table()["legacy_codecs"]) + (["utf-16-le", "utf-16-be"] if len(raw) % 2 == 0 else [])
    found = []
    for codec in codecs:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        found.append((codec, text, plausibility(text[:20000])))
    return sorted(found, key=lambda f: -f[2])


def _mixed(raw: bytes) -> Decoded | None:
    """A file whose lines are partly UTF-8 and partly a legacy codec, decoded line by line."""
    lines = raw.split(b"\n")
    utf8: list[str | None] = []
    for line in lines:
        try:
            utf8.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            utf8.append(None)
    wide = "".join(text for text in utf8 if text and not text.isascii())
    if not wide or plausibility(wide) < PLAUSIBLE:
        return None
    decoded: list[str] = []
    legacy_lines: dict[str, int] = {}
    for line, text in zip(lines, utf8, strict=True):
        if text is None:
            best = next(iter(_candidates(line)), None)
            codec, text = (
                (best[0], best[1]) if best else ("gb18030", line.decode("gb18030", errors="replace"))
            )
            legacy_lines[codec] = legacy_lines.get(codec, 0) + 1
        decoded.append(text)
    counts = ", ".join(f"{n} lines {c}" for c, n in sorted(legacy_lines.items()))
    utf8_count = sum(1 for text in utf8 if text is not None and not text.isascii())
    return _checked(
        "\n".join(decoded),
        "utf-8+" + "+".join(sorted(legacy_lines)),
        f"mixed, line by line: {utf8_count} lines utf-8, {counts}",
    )


def decode_bytes(raw: bytes) -> Decoded:
    """Decode a file's bytes, recording the encoding chosen and the evidence for it.

    >>> decode_bytes("全国文明城市".encode("gb18030")).encoding
    'gb18030'
    >>> decode_bytes("全國文明城市創建".encode("big5")).encoding
    'big5'
    >>> decode_bytes("会议召开".encode()[:-1]).evidence
    'utf-8, truncated last character replaced'
    """
    if not raw.strip():
        raise Quarantined("empty file")
    found = _bom(raw)
    if found:
        return found
    binary = _magic(raw, "binary_magic") or _magic(raw, "archive_magic")
    if binary:
        raise Quarantined(f"binary content: {binary}")
    nul = raw.count(0)
    found = _utf16(raw) if nul else None
    if found:
        return found
    if nul > NUL_SHARE * len(raw):
        wide = [c for c in _candidates(raw) if c[0].startswith("utf-16") and c[2] >= PLAUSIBLE]
        if not wide:
            raise Quarantined(f"binary content: {nul / len(raw):.0%} NUL bytes")
        codec, text, score = wide[0]
        return _checked(text, codec, f"no BOM, strict {codec}, plausibility {score:.1f}")
    try:
        return _checked(raw.decode("utf-8"), "utf-8", "strict utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            return _checked(
                raw[: error.start].decode("utf-8") + "\ufffd",
                "utf-8",
                "utf-8, truncated last character replaced",
            )
    return _guess(raw)


def _guess(raw: bytes) -> Decoded:
    """Not UTF-8: mixed lines, a plausible legacy codec, or whatever charset-normalizer finds."""
    found = _mixed(raw) if raw.count(b"\n") else None
    if found:
        return found
    for codec, text, score in _candidates(raw)[:1]:
        if score >= PLAUSIBLE:
            return _checked(text, codec, f"strict {codec}, plausibility {score:.1f}")
    match = from_bytes(raw).best()
    if match is None:
        raise Quarantined("undecodable: no encoding reads these bytes as text")
    return _checked(
        str(match), match.encoding, f"charset-normalizer: {match.encoding} (chaos {match.chaos:.2f})"
    )


def _nested(member: str, data: bytes) -> bool:
    return (
        member.lower().endswith(tuple(_table()["archive_extensions"]))
        or _magic(data, "archive_magic") is not None
    )


def _gunzip(raw: bytes, limit: int) -> bytes:
    """The whole stream of a (possibly multi-member) gzip file, at most `limit` bytes."""
    out = bytearray()
    data = raw
    while data:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out += inflater.decompress(data, limit + 1 - len(out))
        except zlib.error as error:
            raise Quarantined(f"truncated or corrupt archive: {error}") from None
        if len(out) > limit:
            raise Quarantined(f"member over the size limit ({limit:,} bytes)")
        if not inflater.eof:
            raise Quarantined("truncated archive: gzip stream ends early")
        data = inflater.unused_data
    return bytes(out)


def _safe_name(member: str) -> bool:
    path = PurePosixPath(member.replace("\\", "/"))
    return not (path.is_absolute() or ".." in path.parts or (len(member) > 1 and member[1] == ":"))


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | Quarantined:
    if not _safe_name(info.filename):
        return Quarantined("unsafe member path (absolute or with ..)")
    if info.flag_bits & 0x1:
        return Quarantined("encrypted member")
    if info.file_size > limit:
        return Quarantined(f"member over the size limit ({limit:,} bytes)")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (*ARCHIVE_ERRORS, RuntimeError) as error:
        return Quarantined(f"unreadable member: {error.__class__.__name__}: {error}")
    if len(data) > limit:
        return Quarantined(f"member over the size limit ({limit:,} bytes)")
    return Quarantined("nested archive") if _nested(info.filename, data) else data


def archive_members(
    raw: bytes, kind: str, name: str, limit: int = MEMBER_LIMIT
) -> list[tuple[str, bytes | Quarantined]]:
    """Members of a gzip or zip archive (name and bytes, or the reason it cannot be used), read in
    memory only; a truncated or corrupt archive, or one with no file member, gives a single entry
    carrying the reason.

    >>> import gzip
    >>> archive_members(gzip.compress(b"abc"), "gzip", "data/x.txt.gz")
    [('x.txt', b'abc')]
    >>> archive_members(gzip.compress(b"abc")[:-6], "gzip", "x.txt.gz")
    [('x.txt', Quarantined('truncated archive: gzip stream ends early'))]
    """
    base = PurePosixPath(name.replace("\\", "/")).name
    if kind == "gzip":
        member = base[: -len(".gz")] if base.lower().endswith(".gz") else base
        try:
            data = _gunzip(raw, limit)
        except Quarantined as reason:
            return [(member, reason)]
        return [(member, Quarantined("nested archive") if _nested(member, data) else data)]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [
                (info.filename, _zip_member(archive, info, limit))
                for info in archive.infolist()
                if not info.is_dir()
            ]
    except ARCHIVE_ERRORS as error:
        return [(base, Quarantined(f"truncated or corrupt archive: {error.__class__.__name__}: {error}"))]
    return members or [(base, Quarantined("archive has no file member (empty archive)"))]
