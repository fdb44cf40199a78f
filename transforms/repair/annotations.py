"""Flattened ruby: readings left inline after the characters they annotate, removed when they fit.

Web pages annotate characters with ``<ruby>``; scrapers flatten it to ``國(guó)``, ``亳（bó）``,
``学生(xuéshēng)``, ``君ㄐㄩㄣ`` or ``｜心《ㄒㄧㄣ》``. An annotation is removed only when its reading
is a reading (pypinyin heteronyms) of the character(s) right before it, so ``（2021）``,
``（试行）``, ``(CPI)``, ``(记者 张三)``, ``华为(Huawei)`` or ``（以下简称“条例”）`` stay.
A reading that matches with its tone is *strong*; one that matches only without tones, or is cut
short (``本(b)``), is *weak* and goes only in a line that has at least `DENSE` strong ones. In such
a line the spaces the flattening left between annotated units (``長(cháng) 信(xìn)``) go too.
Tables: resources/pinyin_annotation.json.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from pypinyin import Style
from pypinyin.constants import PINYIN_DICT
from pypinyin.style import convert

from transforms.kit.edits import repaired
from transforms.kit.lexicons import read_json
from transforms.records import Repair, Repaired

DENSE = 2
"""Strong annotations a line needs before its weak ones are trusted."""
MAX_WORD = 8
"""Longest run of characters one annotation may cover (学生(xuéshēng), 举一反三(jǔyīfǎnsān))."""
WEAK, STRONG = 1, 2
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(frozen=True, slots=True)
class Annotation:
    """A candidate annotation: text[start:end] is removed if accepted; `line` numbers its line."""

    start: int
    end: int
    strength: int
    kind: str
    line: int


@cache
def _table() -> dict:
    return read_json("pinyin_annotation.json")


@cache
def trigger() -> tuple[str, str]:
    """(characters, condition): an opening bracket after a Han character and before a reading, or
    a zhuyin letter after a Han character."""
    table = _table()
    opening = re.escape("".join(table["brackets"]))
    letters = "a-z" + "".join(table["tone_marks"]) + "ü"
    zhuyin = re.escape(table["zhuyin_letters"])
    return (
        opening + zhuyin,
        f"(?:(?<=[{_HAN}][{opening}])(?= *[{letters}{zhuyin}])|(?<=[{_HAN}][{zhuyin}]))",
    )


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(bracketed or ruby-marked annotation, inline zhuyin)."""
    table = _table()
    letters = "a-z" + "".join(table["tone_marks"]) + "ü"
    zhuyin = re.escape(table["zhuyin_letters"] + table["zhuyin_tones"])
    opening = re.escape("".join(table["brackets"]))
    closing = re.escape("".join(table["brackets"].values()))
    reading = f"[{letters}]+(?:['’ ]+[{letters}]+)*|[{zhuyin}]+(?: +[{zhuyin}]+)*"
    bracketed = re.compile(
        f"(?P<open>[{opening}])(?<=[{_HAN}][{opening}]) *(?P<reading>{reading}) *(?P<close>[{closing}])"
    )
    inline = re.compile(f"[{zhuyin}]+(?<=[{_HAN}][{zhuyin}])[{zhuyin}]*")
    return bracketed, inline


@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[str, ...]:
    """The toned pinyin readings of a character (pypinyin heteronyms).

    >>> readings("长")
    ('zhǎng', 'cháng')
    """
    found = PINYIN_DICT.get(ord(char))
    return tuple(found.split(",")) if found else ()


def toneless(syllables: str) -> str:
    """Pinyin with its tone marks taken off (same length, so positions still line up).

    >>> toneless("guó")
    'guo'
    """
    return syllables.translate(_tone_table())


@cache
def _tone_table() -> dict[int, str]:
    return str.maketrans(_table()["tone_marks"])


@lru_cache(maxsize=65536)
def zhuyin_readings(char: str) -> frozenset[str]:
    """The zhuyin letters (tone marks left out) of a character's readings.

    >>> sorted(zhuyin_readings("君"))
    ['ㄐㄩㄣ']
    """
    return frozenset(_letters(convert(r, Style.BOPOMOFO, strict=True)) for r in readings(char))


def _letters(zhuyin: str) -> str:
    return "".join(c for c in zhuyin if c in _table()["zhuyin_letters"])


def pinyin_fit(reading: str, chars: str) -> int:
    """How well `reading` spells `chars`: STRONG (every syllable with its tone), WEAK (some only
    without tones, or the last cut short), else 0.

    >>> pinyin_fit("guó", "國"), pinyin_fit("xuéshēng", "学生"), pinyin_fit("zi", "子"), pinyin_fit("b", "本")
    (2, 2, 2, 1)
    >>> pinyin_fit("shìxíng", "试行"), pinyin_fit("cpi", "数")
    (2, 0)
    """
    spelled = unicodedata.normalize("NFC", reading).replace(" ", "").replace("'", "").replace("’", "")
    plain = toneless(spelled)
    reached = {0: STRONG}
    for index, char in enumerate(chars):
        last = index == len(chars) - 1
        following: dict[int, int] = {}
        for position, strength in reached.items():
            for r in readings(char):
                if spelled.startswith(r, position):
                    step, fit = len(r), strength
                elif plain.startswith(toneless(r), position):
                    step, fit = len(r), min(strength, WEAK)
                elif last and position < len(plain) and toneless(r).startswith(plain[position:]):
                    step, fit = len(plain) - position, WEAK
                else:
                    continue
                following[position + step] = max(following.get(position + step, 0), fit)
        reached = following
    return reached.get(len(spelled), 0)


def _zhuyin_fit(reading: str, chars: str) -> int:
    """STRONG when each space-separated zhuyin syllable spells the matching character."""
    syllables = reading.split()
    if len(syllables) != len(chars):
        return 0
    return (
        STRONG if all(_letters(s) in zhuyin_readings(c) for s, c in zip(syllables, chars, strict=True)) else 0
    )


def _is_zhuyin(reading: str) -> bool:
    return reading[0] in _table()["zhuyin_letters"] + _table()["zhuyin_tones"]


def _fit(text: str, end: int, reading: str) -> int:
    """The best fit of `reading` to the characters ending at text[end-1] (one up to `MAX_WORD`)."""
    run = 0
    while run < min(MAX_WORD, end) and _HAN_CHAR.match(text, end - run - 1):
        run += 1
    fit_of = _zhuyin_fit if _is_zhuyin(reading) else pinyin_fit
    best = 0
    for size in range(1, run + 1):
        best = max(best, fit_of(reading, text[end - size : end]))
        if best == STRONG:
            break
    return best


_HAN_CHAR = re.compile(f"[{_HAN}]")


def _has_zhuyin(text: str) -> bool:
    letters = _table()["zhuyin_letters"]
    return re.search(f"[{min(letters)}-{max(letters)}]", text) is not None


def _candidates(text: str) -> list[Annotation]:
    """Every bracketed, ruby-marked or inline reading that fits the characters before it."""
    bracketed, inline = _patterns()
    found: list[Annotation] = []
    for match in bracketed.finditer(text):
        reading = match.group("reading")
        if _table()["brackets"][match.group("open")] != match.group("close"):
            continue
        fit = _fit(text, match.start(), reading)
        if not fit:
            continue
        kind = "zhuyin_annotation" if _is_zhuyin(reading) else "pinyin_annotation"
        line = text.count("\n", 0, match.start())
        found.append(Annotation(match.start(), match.end(), fit, kind, line))
        base = match.start()
        while base > 0 and match.start() - base < MAX_WORD and _HAN_CHAR.match(text, base - 1):
            base -= 1
        if text[base - 1 : base] == _table()["ruby_marker"]:
            found.append(Annotation(base - 1, base, fit, kind, line))
    for match in inline.finditer(text) if _has_zhuyin(text) else ():
        if _letters(match.group()) and _zhuyin_fit(match.group(), text[match.start() - 1]):
            line = text.count("\n", 0, match.start())
            found.append(Annotation(match.start(), match.end(), STRONG, "zhuyin_annotation", line))
    return sorted(found, key=lambda a: a.start)


def _flattening_spaces(text: str, accepted: list[Annotation], lines: set[int]) -> list[Repair]:
    """Spaces flattening left between two annotated units (``長(cháng) 信(xìn)``, ``色(sè)， 猶(yóu)``), in
    lines full of annotations; a space next to an unannotated character is the text's own."""
    ends = {a.end for a in accepted}
    starts = {a.start for a in accepted}
    edits = []
    for match in re.finditer(" +", text):
        left, right = match.start(), match.end()
        if _PUNCTUATION.match(text, left - 1):
            left -= 1
        if left in ends and right + 1 in starts and text.count("\n", 0, left) in lines:
            edits.append(Repair("annotation_space", match.start(), match.group(), ""))
    return edits


_PUNCTUATION = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f]")


def strip_annotations(text: str) -> Repaired:
    """Remove flattened pinyin and zhuyin annotations that fit their characters (module docstring).

    >>> strip_annotations("全國(guó)文明城市創(chuàng)建").text
    '全國文明城市創建'
    >>> strip_annotations("安徽亳（bó）州，《条例》（试行）(CPI)（2021）(记者 张三)华为(Huawei)").text
    '安徽亳州，《条例》（试行）(CPI)（2021）(记者 张三)华为(Huawei)'
    >>> strip_annotations("長(cháng) 信(xìn) 怨(yuàn)，君ㄐㄩㄣ｜心《ㄒㄧㄣ》").text
    '長信怨，君心'
    """
    if text.isascii():
        return Repaired(text)
    candidates = _candidates(text)
    if not candidates:
        return Repaired(text)
    strong: dict[int, int] = {}
    for a in candidates:
        strong[a.line] = strong.get(a.line, 0) + (a.strength == STRONG)
    dense = {line for line, count in strong.items() if count >= DENSE}
    accepted = [a for a in candidates if a.strength == STRONG or a.line in dense]
    edits = [Repair(a.kind, a.start, text[a.start : a.end], "") for a in accepted]
    return repaired(text, edits + _flattening_spaces(text, accepted, dense))
