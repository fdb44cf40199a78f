"""Synthetic corruption of clean text, reproducing the defects scrapers and encodings cause.

Pure functions (text and a seeded `random.Random` in, corrupted text out), used by the repair tests
and by ``python -m bench.corrupt`` / ``python -m bench.eval_repair``:

- `inject_pinyin`: flattened ruby, ``國(guó)`` (ASCII or full-width parentheses, spaces inside);
- `split_gbk_chunks`: a GBK byte stream cut into chunks decoded one by one (the seed's ``確?!贝缶种袏^``);
- `utf8_as_gbk` / `utf8_as_latin1`: UTF-8 bytes decoded with the wrong codec;
- `to_traditional`: the text in Traditional characters (OpenCC ``s2t``);
- `fold_width`: full-width ASCII forms folded to ASCII, as NFKC-minded tools do (the seed's ``!``).
"""

from __future__ import annotations

import random
from functools import cache
from itertools import pairwise

import opencc
from pypinyin import Style, pinyin

from transforms.kit.gbk import decode_cp936


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def inject_pinyin(text: str, rng: random.Random, rate: float = 0.05, dense: float = 0.3) -> str:
    """Annotate Han characters with their reading, like a flattened ``<ruby>``.

    Each annotated span is either one character (a rare-character gloss) or, with probability
    `dense`, a run of up to 12 characters annotated one by one. Parentheses are ASCII or full-width,
    sometimes with spaces inside.

    >>> inject_pinyin("中国人民", random.Random(0), rate=1.0, dense=1.0)
    '中(zhōng)国(guó)人(rén)民(mín)'
    """
    readings = pinyin(text, style=Style.TONE, errors=lambda chars: [None] * len(chars))
    out: list[str] = []
    remaining = 0
    style = ("(", ")", "")
    for char, reading in zip(text, readings, strict=True):
        out.append(char)
        if not _is_han(char) or not reading or reading[0] is None:
            remaining = 0
            continue
        if remaining == 0 and rng.random() < rate:
            remaining = rng.randint(2, 12) if rng.random() < dense else 1
            opener, closer = rng.choice([("(", ")"), ("（", "）")])
            style = (opener, closer, " " if rng.random() < 0.1 else "")
        if remaining:
            opener, closer, space = style
            out.append(f"{opener}{space}{reading[0]}{closer}")
            remaining -= 1
    return "".join(out)


def split_gbk_chunks(text: str, rng: random.Random, every: int = 2000) -> str:
    """Encode as GBK, cut the bytes at random points (about one per `every` bytes, always inside a
    two-byte character) and decode each chunk on its own as a cp936 scraper does.

    >>> split_gbk_chunks("兩個確保”大局中奮勇爭先", random.Random(3), every=100)
    '兩個確?！贝缶种袏^勇爭先'
    """
    data = text.encode("gbk", errors="replace")
    inside = _second_bytes(data)
    count = max(1, len(data) // every) if inside else 0
    cuts = sorted(rng.sample(inside, min(count, len(inside))))
    bounds = [0, *cuts, len(data)]
    return "".join(decode_cp936(data[a:b]) for a, b in pairwise(bounds))


def _second_bytes(data: bytes) -> list[int]:
    """Offsets of the second byte of every two-byte GBK character (a cut there splits a character)."""
    offsets = []
    i = 0
    while i < len(data):
        if data[i] >= 0x81 and i + 1 < len(data):
            offsets.append(i + 1)
            i += 2
        else:
            i += 1
    return offsets


def utf8_as_gbk(text: str) -> str:
    """UTF-8 bytes read by a cp936 decoder (``上海市长宁区`` → ``涓婃捣甯傞暱瀹佸尯``).

    >>> utf8_as_gbk("上海市长宁区")
    '涓婃捣甯傞暱瀹佸尯'
    """
    return decode_cp936(text.encode("utf-8"))


def utf8_as_latin1(text: str, rng: random.Random) -> str:
    """UTF-8 bytes read as Latin-1 or as cp1252 (bytes cp1252 lacks become ``?``).

    >>> utf8_as_latin1("年", random.Random(1))
    'å¹´'
    """
    data = text.encode("utf-8")
    if rng.random() < 0.5:
        return data.decode("latin-1")
    return data.decode("cp1252", errors="replace").replace("\ufffd", "?")


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """The text in Traditional characters.

    >>> to_traditional("全国文明城市创建工作推进会")
    '全國文明城市創建工作推進會'
    """
    return _to_traditional().convert(text)


def fold_width(text: str) -> str:
    """Full-width ASCII forms (U+FF01-U+FF5E) folded to ASCII.

    >>> fold_width("！，Ａ1")
    '!,A1'
    """
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)
