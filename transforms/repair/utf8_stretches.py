"""UTF-8 bytes read with the wrong codec, seen as bytes again: the stretches of a run that decode as UTF-8.

A character of the run is encoded back to the bytes the wrong decoder read (`gbk_bytes`, `latin1_bytes`:
a lost byte is None), and the longest stretches that decode as UTF-8 are found (`stretches`); a lost
byte is a continuation byte, so the character it ended is one of a few dozen (`decoded_prefix`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

from transforms.kit.charlm import Item
from transforms.kit.gbk import LOST, gbk_code

CP1252_LOST = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
"""Bytes cp1252 has no character for: what a ``?`` inside a cp1252 run stood for."""


CP1252_EXTRA = "".join(bytes((b,)).decode("cp1252") for b in range(0x80, 0xA0) if b not in CP1252_LOST)


ByteItem = int | None


def _length(lead: int) -> int:
    """Bytes in the UTF-8 sequence `lead` starts (0 when it cannot start one)."""
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    return 4 if 0xF0 <= lead <= 0xF4 else 0


def decoded_prefix(
    data: list[ByteItem], start: int = 0, lost_values: tuple[int, ...] | None = None
) -> list[tuple[int, Item]]:
    """Decode UTF-8 from data[start:] as far as it is valid: each character (or, where bytes are
    unknown (None), the candidates it could be) with the offset it ends at. A character may miss one
    byte, or several when `lost_values` (what a lost byte can have been) is given.

    >>> [(end, item) for end, item in decoded_prefix(list("上海".encode()) + [0xB0])]
    [(3, '上'), (6, '海')]
    >>> "路" in decoded_prefix([0xE8, 0xB7, None])[0][1]
    True
    """
    items: list[tuple[int, Item]] = []
    i = start
    while i < len(data):
        lead = data[i]
        size = _length(lead) if lead is not None else 0
        body = data[i : i + size]
        if not size or len(body) < size or (body.count(None) > 1 and lost_values is None):
            break
        if None in body:
            candidates = _fill(body, lost_values)
            if not candidates:
                break
            items.append((i + size, candidates))
        else:
            try:
                items.append((i + size, bytes(body).decode("utf-8")))  # type: ignore[arg-type]
            except UnicodeDecodeError:
                break
        i += size
    return items


def _fill(body: list[ByteItem], lost_values: tuple[int, ...] | None) -> tuple[str, ...]:
    """The characters `body` can decode to, its unknown bytes taken from `lost_values` (or from
    every continuation byte)."""
    gaps = [j for j, b in enumerate(body) if b is None]
    options = lost_values or tuple(range(0x80, 0xC0))
    out = []
    for values in product(options, repeat=len(gaps)):
        filled = list(body)
        for gap, value in zip(gaps, values, strict=True):
            filled[gap] = value
        try:
            out.append(bytes(filled).decode("utf-8"))  # type: ignore[arg-type]
        except UnicodeDecodeError:
            continue
    return tuple(out)


def printable(items: list[Item]) -> bool:
    """Decoded characters are assigned characters, not controls. Format and private-use characters
    count: scraped pages carry zero-width joiners (U+200C), and word processors write their symbol-font
    bullets in the private-use area (U+F0D8).

    >>> printable(["。", "\\u200c", "\\uf0d8"]), printable(["。", "\\x07"]), printable(["\\U000e0080"])
    (True, False, False)
    """
    return all(
        unicodedata.category(c) not in ("Cc", "Cn") or c in "\t\n\r"
        for item in items
        if isinstance(item, str)
        for c in item
    )


@dataclass(frozen=True, slots=True)
class Stretch:
    """text[start:end] decodes as UTF-8 to `items` (candidates where a byte was lost)."""

    start: int
    end: int
    items: list[Item]

    @property
    def lossy(self) -> bool:
        """A character of the stretch lost a byte."""
        return not all(isinstance(item, str) for item in self.items)


def wide(item: Item) -> bool:
    """A decoded character only mojibake of CJK text explains: three UTF-8 bytes or more (a clean
    character whose code happens to spell a two-byte sequence, such as 模 → ģ, does not count)."""
    return not isinstance(item, str) or item >= "\u0800"


def non_ascii(item: Item) -> bool:
    return not isinstance(item, str) or item >= "\x80"


NEWS_SCRIPTS = (
    ("\u0000", "\u045f"),  # ASCII, Latin-1, Latin Extended, IPA, Greek, Cyrillic
    ("\u1e00", "\u1eff"),  # Latin Extended Additional
    ("\u2000", "\u2bff"),  # punctuation, symbols, arrows, shapes
    ("\u2e80", "\u9fff"),  # CJK radicals, punctuation, kana, bopomofo, ideographs
    ("\ue000", "\ufaff"),  # private use (symbol-font bullets), compatibility ideographs
    ("\ufe30", "\ufe4f"),  # CJK compatibility forms
    ("\uff00", "\ufffd"),  # full-width forms, the replacement character
    ("\U00020000", "\U0003ffff"),  # ideograph extensions
)
"""Ranges of the characters a UTF-8 reading of Chinese news may give. GBK text read out of step also
decodes as UTF-8 here and there, to the scripts left out (鼗 is the bytes of Arabic ػ, 椋⒒ with a
private-use character between them those of Hangul)."""


def news_script(item: Item) -> bool:
    """A decoded character (or a lost one) within `NEWS_SCRIPTS`.

    >>> [news_script(c) for c in ("上", "×", "β", "\\uf0d8", ("上", "下"), "ػ", "뢻")]
    [True, True, True, True, True, False, False]
    """
    return not isinstance(item, str) or any(low <= item <= high for low, high in NEWS_SCRIPTS)


def latin(item: Item) -> bool:
    """A decoded character of mojibake'd Latin text (é from Ã©), beside CJK."""
    return wide(item) or "\u00c0" <= item <= "\u024f"  # type: ignore[operator]


def stretches(
    text: str,
    start: int,
    end: int,
    encode: Callable[[str], list[ByteItem]],
    counts: Callable[[Item], bool],
    lost_values: tuple[int, ...] | None = None,
) -> list[Stretch]:
    """The longest stretches of text[start:end] that decode as UTF-8 once each character is encoded
    back to the bytes the wrong decoder read, each holding a character `counts` accepts; clean text
    around them is left out. Without `lost_values` a lost byte is one a GBK decoder dropped before an
    ASCII byte, so the stretch ends after its character (its right-hand context is that text)."""
    data: list[ByteItem] = []
    boundary: dict[int, int] = {0: start}
    for index in range(start, end):
        data += encode(text[index])
        boundary[len(data)] = index + 1
    offsets = sorted(boundary)
    found = []
    first = 0
    while first < len(offsets) - 1:
        best = None
        items: list[Item] = []
        for stop, item in decoded_prefix(data, offsets[first], lost_values):
            items.append(item)
            if stop in boundary and any(map(counts, items)):
                best = (stop, list(items))
            if lost_values is None and not isinstance(item, str):
                break
        if best is None:
            first += 1
            continue
        found.append(Stretch(boundary[offsets[first]], boundary[best[0]], best[1]))
        first = offsets.index(best[0])
    return found


def gbk_bytes(char: str) -> list[ByteItem]:
    return [None] if char in LOST else list(gbk_code(char) or b"")


def latin1_bytes(char: str) -> list[ByteItem]:
    if char in LOST:
        return [None]
    return [char.encode("cp1252")[0] if char in CP1252_EXTRA else ord(char)]
