"""Byte-level view of text as Windows code page 936 (GBK) decoders produce it, for mojibake reversal.

Scrapers decode GBK with cp936-style decoders: a two-byte code maps to a character (user-defined
codes to the Private Use Area, as GB18030 does), the single byte 0x80 to ``€``, and a byte that
starts no valid pair becomes ``?``. `gbk_code` maps a character back to its bytes; the candidate
tables list the characters that share a known lead or trail byte (what a lost byte could have been).
"""

from __future__ import annotations

from functools import cache

LOST = "?\ufffd"
"""Characters a decoder writes where it dropped a byte."""

EURO_BYTE = 0x80


def is_trail(byte: int) -> bool:
    """True for a byte that can end a two-byte GBK code (0x40-0x7E, 0x80-0xFE).

    >>> is_trail(0x5E), is_trail(0x21), is_trail(0xFF)
    (True, False, False)
    """
    return 0x40 <= byte <= 0xFE and byte != 0x7F


@cache
def _tables() -> tuple[dict[str, bytes], dict[bytes, str]]:
    """Character → two-byte code and back, for every pair a cp936 decoder maps to a character."""
    to_char: dict[bytes, str] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            code = bytes((lead, trail))
            try:
                to_char[code] = code.decode("gbk")
            except UnicodeDecodeError:
                try:
                    to_char[code] = code.decode("gb18030")
                except UnicodeDecodeError:
                    continue
    del to_char[b"\xa2\xe3"]  # GB18030's € ; cp936 has € at 0x80 and nothing here
    to_code = {char: code for code, char in to_char.items() if len(char) == 1}
    to_code["€"] = bytes((EURO_BYTE,))
    return to_code, to_char


def gbk_code(char: str) -> bytes | None:
    """The bytes a cp936 decoder read to produce `char` (ASCII is itself), or None.

    >>> gbk_code("保"), gbk_code("^"), gbk_code("€"), gbk_code("😀")
    (b'\\xb1\\xa3', b'^', b'\\x80', None)
    """
    if char < "\x80":
        return char.encode("ascii")
    return _tables()[0].get(char)


def gbk_char(code: bytes) -> str | None:
    """The character a cp936 decoder makes of a two-byte code, or None when it has none.

    >>> gbk_char(b"\\x8a^"), gbk_char(b"\\xb1\\x20")
    ('奮', None)
    """
    return _tables()[1].get(code)


@cache
def _by_byte() -> tuple[dict[int, tuple[str, ...]], dict[int, tuple[str, ...]]]:
    """Characters by the trail byte and by the lead byte of their two-byte code, grouped in one pass
    (a byte at a time would scan the whole table for each)."""
    trails: dict[int, list[str]] = {}
    leads: dict[int, list[str]] = {}
    for code, char in _tables()[1].items():
        trails.setdefault(code[1], []).append(char)
        leads.setdefault(code[0], []).append(char)
    return {b: tuple(c) for b, c in trails.items()}, {b: tuple(c) for b, c in leads.items()}


def chars_with_trail(trail: int) -> tuple[str, ...]:
    """Every character whose two-byte code ends with `trail` (what a lost lead byte could give).

    >>> "保" in chars_with_trail(0xA3)
    True
    """
    return _by_byte()[0].get(trail, ())


def chars_with_lead(lead: int) -> tuple[str, ...]:
    """Every character whose two-byte code starts with `lead` (what a lost trail byte could give).

    >>> "中" in chars_with_lead(0xD6)
    True
    """
    return _by_byte()[1].get(lead, ())


def decode_cp936(data: bytes) -> str:
    """Decode like a cp936 scraper: pairs by table, 0x80 as ``€``, an unpairable byte as ``?``.

    >>> decode_cp936(b"\\xb1\\xa3\\xb1")
    '保?'
    >>> decode_cp936(b"\\xaf1")
    '?1'
    """
    out: list[str] = []
    i, size = 0, len(data)
    table = _tables()[1]
    while i < size:
        byte = data[i]
        if byte < 0x80:
            out.append(chr(byte))
            i += 1
        elif byte == EURO_BYTE:
            out.append("€")
            i += 1
        else:
            char = table.get(data[i : i + 2]) if i + 1 < size else None
            out.append(char or "?")
            i += 2 if char else 1
    return "".join(out)
