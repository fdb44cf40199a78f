"""UTF-8 bytes decoded with the wrong codec: reversed, including bytes the wrong decoder dropped.

- UTF-8 read as GBK (cp936): ``涓婃捣甯傞暱瀹佸尯`` is ``上海市长宁区``. Three UTF-8 bytes per character
  give one and a half GBK pairs; a byte left without a partner before an ASCII byte became ``?``.
- UTF-8 read as Latin-1 or cp1252: ``å¹´`` is ``年``; the five bytes cp1252 lacks became ``?``.

A run of such characters is re-encoded to the bytes the wrong decoder read and decoded as UTF-8; the
longest stretches that decode are repaired, clean text around them is left. A lost byte is a
continuation byte, so the character it ended is one of a few dozen (five for cp1252) and the
character language model picks it from its neighbours in the repaired text (U+FFFD when it is not
sure; see `_written`).

Clean text must stay, so a stretch must decode to CJK text (or, read as Latin-1, to Latin letters:
``×”`` is not Hebrew); a GBK stretch must also stay within the scripts of Chinese news
(`NEWS_SCRIPTS`: GBK text read out of step spells Arabic and Hangul as UTF-8 here and there), decode
to commoner characters than it shows and be far likelier to the model, and one of fewer than two CJK
characters (``脳`` for ``×``) is repaired only beside another repair in its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from transforms.kit.charlm import DocumentCache, char_lm, plausibility
from transforms.kit.edits import repaired
from transforms.kit.gbk import LOST, gbk_code
from transforms.kit.lost_chars import CONFIDENT, LINE_SPAN, context_after, context_before, fill_lost
from transforms.records import Repair, Repaired
from transforms.repair.utf8_stretches import (
    CP1252_EXTRA,
    CP1252_LOST,
    Stretch,
    gbk_bytes,
    latin,
    latin1_bytes,
    news_script,
    non_ascii,
    printable,
    stretches,
    wide,
)

ACCEPT = 8.0
"""Nats the decoded text must gain over the run as found for a GBK run to be repaired."""


FILL_ROUNDS = 4
"""Rounds of choosing the lost characters of the repaired stretches at most (see `_written`)."""


PROBE = 40
"""Characters decoded from a signature character before the whole run around it is searched: a real
run decodes from there on, clean text fails at once."""


def _gbk_readings(leads: Iterable[int]) -> str:
    """The characters a cp936 decoder makes of a UTF-8 lead byte of `leads` and a continuation byte,
    escaped for a character class."""
    chars = {
        code.decode("gb18030")
        for lead in leads
        for trail in range(0x80, 0xC0)
        if (code := bytes((lead, trail))) and _decodes(code)
    }
    return re.escape("".join(sorted(chars)))


@cache
def gbk_trigger() -> tuple[str, str]:
    """(characters, condition) where UTF-8 read as GBK shows: what a cp936 decoder makes of the lead
    byte of a three-byte UTF-8 sequence (most CJK text) and a continuation byte."""
    return _gbk_readings((*range(0xE2, 0xEA), 0xEF)), ""


@cache
def _gbk_signature() -> re.Pattern[str]:
    return re.compile(f"[{gbk_trigger()[0]}]")


@cache
def _two_byte_signature() -> re.Pattern[str]:
    """What a cp936 decoder makes of a two-byte UTF-8 sequence (``脳`` of ``×``, ``掳`` of ``°``): only
    looked for in lines another repair vouches for, as clean text spells these too."""
    return re.compile(f"[{_gbk_readings(range(0xC2, 0xE0))}]")


def _decodes(code: bytes) -> bool:
    try:
        code.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


LATIN1_TRIGGER = ("\u00c2-\u00f4", f"(?=[\u0080-\u00bf{re.escape(CP1252_EXTRA)}])")
"""(characters, condition after one of them) where UTF-8 read as Latin-1 shows: a lead byte and a
continuation byte."""


_LATIN1_SIGNATURE = re.compile(f"[{LATIN1_TRIGGER[0]}]{LATIN1_TRIGGER[1]}")


_LATIN1_RUN = re.compile(
    f"[\u0080-\u00ff{re.escape(CP1252_EXTRA)}](?:[\u0080-\u00ff{re.escape(CP1252_EXTRA)}?\ufffd])*"
)


def _continues(text: str, position: int) -> bool:
    """The character at `position` can finish the UTF-8 sequence a signature character starts: a lost
    byte, ``€`` (the single continuation byte 0x80), or a pair of one continuation byte and then a
    byte that can begin the next character (a signature character holds a three-byte lead and one
    continuation, so exactly one more follows)."""
    char = text[position : position + 1]
    if char in LOST or char == "€":
        return bool(char)
    code = gbk_code(char)
    return code is not None and len(code) == 2 and 0x80 <= code[0] <= 0xBF and not 0x80 <= code[1] <= 0xBF


def _gbk_run(text: str, position: int) -> tuple[int, int]:
    """The maximal run of GBK-pair characters (and lost bytes) around `position`."""

    def member(char: str) -> bool:
        code = gbk_code(char)
        return char in LOST or (char >= "\x80" and code is not None and (len(code) == 2 or char == "€"))

    start = position
    while start > 0 and member(text[start - 1]):
        start -= 1
    end = position
    while end < len(text) and member(text[end]):
        end += 1
    while start < end and text[start] in LOST:
        start += 1
    return start, end


@dataclass(frozen=True, slots=True)
class Accepted:
    """A stretch judged to be UTF-8 read with the wrong codec; `right_known` false when what followed
    its last, lost character is gone too."""

    stretch: Stretch
    right_known: bool


def _accept_gbk_stretch(text: str, stretch: Stretch, alone: bool) -> Accepted | None:
    """Accept one stretch if the model prefers its UTF-8 reading. A stretch with fewer than two CJK
    characters (too short to judge, or a two-byte sequence such as ``脳`` for ``×`` that a clean
    character can spell too) only when another repair in its line vouches for it (`alone` false)."""
    start, end, items = stretch.start, stretch.end, stretch.items
    if (alone and sum(map(wide, items)) < 2) or not printable(items) or not all(map(news_script, items)):
        return None
    left, right = context_before(text, start), context_after(text, end)
    right_known = isinstance(items[-1], str) or right[:1].isascii()
    if not right_known:
        # The ASCII byte that made the decoder drop this one is missing too: nothing known follows.
        right = ""
    known = "".join(item for item in items if isinstance(item, str))
    if plausibility(known) < plausibility(text[start:end]):
        return None
    _, guessed = fill_lost(items, left, right)
    lm = char_lm()
    gain = lm.score(left + guessed + right, len(left)) - lm.score(left + text[start:end] + right, len(left))
    if gain < ACCEPT and (alone or gain < 0):
        return None
    return Accepted(stretch, right_known)


def _window(pieces: list[str], index: int, step: int) -> str:
    """The pieces before (`step` -1) or after (1) pieces[index], joined, as far as `LINE_SPAN`
    characters or the text's end."""
    taken: list[str] = []
    size, j = 0, index + step
    while 0 <= j < len(pieces) and size <= LINE_SPAN:
        taken.append(pieces[j])
        size += len(pieces[j])
        j += step
    return "".join(taken[::step])


def _written(text: str, accepted: list[Accepted], kind: str) -> list[Repair]:
    """The repairs (of `kind`) of the accepted stretches, in text order. Their lost characters are
    chosen in the draft, the text with every stretch repaired, so the model reads repaired text on
    both sides and the brackets open in the line. Rounds go left to right, each best guess entering
    the draft at once (U+FFFD, unknown, before its first round), until a round changes nothing: lost
    characters near each other settle together (``（1）``, ``1月13日``). U+FFFD is written where the
    model is not sure in the last round (twice as sure is needed when nothing known follows)."""
    pieces: list[str] = []
    position = 0
    for a in accepted:
        unknown = "".join(item if isinstance(item, str) else "\ufffd" for item in a.stretch.items)
        pieces += [text[position : a.stretch.start], unknown]
        position = a.stretch.end
    pieces.append(text[position:])
    written = pieces[1::2]
    lossy = [index for index, a in enumerate(accepted) if a.stretch.lossy]
    # The document's pairs are read with every lost character unknown: a guess never vouches for itself.
    cache = DocumentCache.of("".join(pieces)) if lossy else None
    for _ in range(FILL_ROUNDS):
        changed = False
        for index in lossy:
            a = accepted[index]
            before = _window(pieces, 2 * index + 1, -1)
            right = context_after(_window(pieces, 2 * index + 1, 1), 0) if a.right_known else ""
            confident = CONFIDENT if a.right_known else 2 * CONFIDENT
            draft = pieces[2 * index + 1]
            written[index], guessed = fill_lost(
                a.stretch.items, context_before(before, len(before)), right, confident, draft, cache
            )
            changed |= guessed != draft
            pieces[2 * index + 1] = guessed
        if not changed:
            break
    return [
        Repair(
            kind + ("_uncertain" if "\ufffd" in after else ""),
            a.stretch.start,
            text[a.stretch.start : a.stretch.end],
            after,
        )
        for a, after in zip(accepted, written, strict=True)
    ]


def _two_byte_stretches(text: str, vouched: set[int], found: list[Stretch]) -> list[Stretch]:
    """Stretches of two-byte UTF-8 sequences read as GBK (``3648脳2736``: ``×``) in the `vouched` lines,
    outside the stretches `found` already. Such a run holds no signature character of its own.

    >>> [(s.start, s.items) for s in _two_byte_stretches("3648脳2736\\n脳", {0}, [])]
    [(4, ['×'])]
    """
    if not vouched:
        return []  # most texts: nothing accepted, no line to look in
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    taken = bytearray(len(text))
    for s in found:
        taken[s.start : s.end] = b"\x01" * (s.end - s.start)
    out: list[Stretch] = []
    for number in sorted(vouched):
        for hit in _two_byte_signature().finditer(text, starts[number], starts[number] + len(lines[number])):
            if taken[hit.start()]:
                continue
            start, end = _gbk_run(text, hit.start())
            taken[start:end] = b"\x01" * (end - start)
            out += stretches(text, start, end, gbk_bytes, non_ascii)
    return out


def fix_utf8_as_gbk(text: str) -> Repaired:
    """Reverse UTF-8 text read as GBK, each stretch logged.

    >>> fix_utf8_as_gbk("鍏ㄥ浗浜烘皯浠ｈ〃澶т細銆?\\n").text
    '全国人民代表大会。\\n'
    >>> fix_utf8_as_gbk("作者：鑳℃尟浼? 鐜板湪").text  # the end of a name: the model is not sure
    '作者：胡振� 现在'
    >>> fix_utf8_as_gbk("上海市长宁区恪守承诺").text
    '上海市长宁区恪守承诺'
    """
    if text.isascii():
        return Repaired(text)
    found: list[Stretch] = []
    covered = 0
    for hit in _gbk_signature().finditer(text):
        if hit.start() < covered or not _continues(text, hit.end()):
            continue
        start, covered = _gbk_run(text, hit.start())
        probe = min(covered, hit.start() + PROBE)
        if stretches(text, hit.start(), probe, gbk_bytes, wide):
            found += stretches(text, start, covered, gbk_bytes, non_ascii)
    accepted = [a for s in found if (a := _accept_gbk_stretch(text, s, alone=True)) is not None]
    vouched = {text.count("\n", 0, a.stretch.start) for a in accepted}
    found += _two_byte_stretches(text, vouched, found)
    done = {a.stretch.start for a in accepted}
    accepted += [
        a
        for s in found
        if s.start not in done
        and text.count("\n", 0, s.start) in vouched
        and (a := _accept_gbk_stretch(text, s, alone=False)) is not None
    ]
    return repaired(text, _written(text, sorted(accepted, key=lambda a: a.stretch.start), "utf8_as_gbk"))


def fix_utf8_as_latin1(text: str) -> Repaired:
    """Reverse UTF-8 text read as Latin-1 or cp1252, each run logged.

    >>> fix_utf8_as_latin1("2024å¹´æ\\x9c\\x80å\\x80¼å¾\\x97å\\x85³æ³¨").text
    '2024年最值得关注'
    >>> fix_utf8_as_latin1("cafÃ© ×” 2, 25°C").text
    'café ×” 2, 25°C'
    """
    if text.isascii() or not _LATIN1_SIGNATURE.search(text):
        return Repaired(text)
    accepted = [
        Accepted(s, right_known=True)
        for run in _LATIN1_RUN.finditer(text)
        for s in stretches(text, run.start(), run.end(), latin1_bytes, latin, CP1252_LOST)
        if printable(s.items)
    ]
    return repaired(text, _written(text, accepted, "utf8_as_latin1"))
