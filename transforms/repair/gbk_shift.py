"""GBK byte misalignment: text read one byte out of step after a chunk was cut inside a character.

A scraper decoded a GBK byte stream chunk by chunk. Where a chunk ended after the lead byte of a
two-byte character, that orphan byte became ``?`` and the next chunk was read from the trail byte:
every pair the decoder formed straddled two real characters, until a byte below 0x80 at a lead
position put it back in step (a trail byte in 0x40-0x7E such as ``^`` or ``I``, an ASCII letter
swallowed into a pair, or an unpairable byte shown as ``?``). The seed shows it: ``確?!贝缶种袏^勇``
is ``確保”大局中奮勇`` (``!`` is the full-width ``！`` that a later tool folded to ASCII).

The repair re-encodes the run, shifts it back by one byte and decodes it. The orphan lead byte is
lost: the character it began is one of those whose code ends with the known trail byte, and the
character language model picks it from its neighbours; a lost trail byte at the end of the run is
inferred the same way. When the model is not sure, U+FFFD stands in and the repair says so in its
kind. A run is repaired only when its decoded characters are commoner than the ones shown and the
model finds the shifted reading far more likely than the text as found, so clean text (``你好?我们``,
``生活?购物?享受``) stays.

Text with no full-width form at all may have been width-folded (NFKC-minded tools turn ``！`` into
``!``); there an ASCII character inside a run, ``?`` included, may stand for a full-width form, and
each such character is read both ways (the likelier reading wins).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from transforms.kit.charlm import DocumentCache, Item, char_lm, plausibility
from transforms.kit.edits import repaired
from transforms.kit.gbk import LOST, chars_with_lead, chars_with_trail, gbk_char, gbk_code, is_trail
from transforms.kit.lost_chars import context_after, context_before, fill_lost
from transforms.records import Repair, Repaired

ACCEPT = 8.0
"""Nats the shifted reading must gain over the text as found for the run to be repaired."""
PLAUSIBLE_GAIN = 1.0
"""Nats of mean log character frequency the decoded characters must gain over those they replace."""
HEAD = 8
"""Characters at the start of a run that must read commoner decoded than as shown (`_more_plausible`)."""
LOOKAHEAD = 6
"""Characters compared each way at an ambiguous ASCII character past the first `MAX_CHOICES`."""
MAX_CHOICES = 3
"""ASCII characters inside a run read either way (folded full-width or resynchronising byte)."""
REJECTS_ALLOWED = (8, 256)
"""(n, k): after n + len(text) // k trigger characters that start no run, stop looking. A chunk
boundary falls once per chunk read, so text dense with `?` that reads as nothing shifted (``确?!`` over
and over) is not this damage, and each look costs a tenth of a millisecond."""

TRIGGER = (LOST, "(?=[^\\x00-\\x7f]|[@-~]|[!-?][^\\x00-\\x7f])")
"""(characters, condition): a lost byte followed by what a shifted run can start with."""
_TRIGGER = re.compile(f"[{TRIGGER[0]}]{TRIGGER[1]}")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a run: the repaired characters (a tuple of candidates where a byte was lost)
    and where the run ends in the text."""

    items: tuple[Item, ...]
    end: int


def _folded(char: str) -> bytes:
    """The GBK code of the full-width form an ASCII character was folded from (``!`` → ``！``)."""
    return bytes((0xA3, ord(char) + 0x80))


def _run_bytes(text: str, start: int, choices: tuple[bool, ...]) -> tuple[list[int | None], int, int]:
    """Bytes of the run after the lost lead byte (None for a lost byte), where the run ends, and how
    many ambiguous ASCII characters it met. An ASCII character that could be either a folded
    full-width form or the byte that resynchronised the decoder is read as `choices` says; past them,
    the way whose next characters read as commoner text wins (`_folding_reads_better`)."""
    data: list[int | None] = []
    position, asked = start, 0
    while position < len(text):
        char = text[position]
        code = gbk_code(char)
        if char in LOST and not (char == "?" and _foldable(text, position)):
            data.append(None)
            return data, position + 1, asked
        if code is None:
            return data, position, asked
        if char >= "\x80":
            if len(code) != 2:
                return data, position, asked
            data += code
            position += 1
            if code[1] < 0x80:
                return data, position, asked
            continue
        foldable = _foldable(text, position)
        resyncs = is_trail(code[0]) or char == "?"  # either way the run ends here (``?``: a lost byte)
        fold = foldable
        if foldable and resyncs:
            fold = choices[asked] if asked < len(choices) else _folding_reads_better(text, position, data)
            asked += 1
        position += 1
        if fold:
            data += _folded(char)
            continue
        if char == "?":
            data.append(None)
        elif resyncs:
            data.append(code[0])
        else:
            position -= 1
        return data, position, asked
    return data, position, asked


@lru_cache(maxsize=8)
def width_folded(text: str) -> bool:
    """No full-width ASCII form anywhere: a tool may have folded them all to ASCII (the seed's ``!`` is
    a folded ``！``). Text that has one was not folded, and its ASCII is what it seems.

    >>> width_folded("確?!贝缶种袏^勇"), width_folded("確?！贝缶种袏^勇")
    (True, False)
    """
    return _FULL_WIDTH.search(text) is None


_FULL_WIDTH = re.compile("[\uff01-\uff5e]")


def _foldable(text: str, position: int) -> bool:
    """text[position] is printable ASCII that a full-width form can have been folded to: the text was
    folded, and the character starts a run of printable ASCII that a character of the shifted run
    follows."""
    if not width_folded(text):
        return False
    end = position
    while end < len(text) and "!" <= text[end] <= "~":
        end += 1
    following = text[end : end + 1]
    return end > position and following >= "\x80" and gbk_code(following) is not None


def _folding_reads_better(text: str, position: int, data: list[int | None]) -> bool:
    """Whether the ASCII character at `position` reads better as a folded full-width form (the run
    goes on) than as the byte that resynchronised the decoder (the text after it is in step): the
    next `LOOKAHEAD` characters each way, by `plausibility`."""
    if not data:
        return False
    after = text[position + 1 : position + 1 + LOOKAHEAD]
    stream = [data[-1], *_folded(text[position])]
    for char in after:
        stream += gbk_code(char) or b""
    pairs = (
        gbk_char(bytes(stream[i : i + 2]))
        for i in range(0, len(stream) - 1, 2)
        if None not in stream[i : i + 2]
    )
    shifted = "".join(c or "\ufffd" for c in pairs)
    return plausibility(shifted) > plausibility(after)


def _read(text: str, start: int, choices: tuple[bool, ...]) -> tuple[Reading | None, int]:
    """Decode the run starting at `start` one byte back in step; None when no GBK text comes out.
    Also returns how many ambiguous characters the reading met."""
    data, end, asked = _run_bytes(text, start, choices)
    if not data or data[0] is None or not is_trail(data[0]):
        return None, asked
    items: list[Item] = [chars_with_trail(data[0])]
    i = 1
    while i < len(data):
        lead = data[i]
        if lead is not None and lead < 0x80:
            items.append(chr(lead))
            i += 1
            continue
        trail = data[i + 1] if i + 1 < len(data) else None
        if lead is None:
            return None, asked
        char = chars_with_lead(lead) if trail is None else gbk_char(bytes((lead, trail)))
        if char is None:
            return None, asked
        items.append(char)
        i += 2
    return Reading(tuple(items), end), asked


def _readings(text: str, start: int) -> list[Reading]:
    """Every reading of the run, one per way of taking its first `MAX_CHOICES` ambiguous characters."""
    found: list[Reading] = []

    def explore(choices: tuple[bool, ...]) -> None:
        reading, asked = _read(text, start, choices)
        if reading is not None and reading not in found:
            found.append(reading)
        for point in range(len(choices), min(asked, MAX_CHOICES)):
            explore(choices + (False,) * (point - len(choices)) + (True,))

    explore(())
    return found


def _decoded(reading: Reading) -> str:
    """The non-ASCII characters a reading decodes outright (lost ones aside)."""
    return "".join(item for item in reading.items if isinstance(item, str) and item >= "\x80")


def _more_plausible(text: str, at: int, reading: Reading) -> bool:
    """The characters a reading decodes are clearly commoner than those it replaces, in all and in their
    first `HEAD`: a shifted run turns rare characters, kana and symbols into ordinary text from its
    lost byte on, while shifting clean text (``生活?购物?享受``, where ``?`` stands for a character the
    source could not encode) does not, even where the reading runs on into a shifted run after it. A
    reading that decodes nothing but lost characters (``?钕?``) passes here; it needs all of them
    inferred with confidence later."""
    decoded = _decoded(reading)
    shown = "".join(c for c in text[at : reading.end] if c >= "\x80" and c not in LOST)
    if not shown:
        return False  # ``?`` and one ASCII byte: too little to tell a lost character from a question mark
    return not decoded or all(
        plausibility(decoded[:size]) >= plausibility(shown[:size]) + PLAUSIBLE_GAIN for size in (HEAD, None)
    )


def _repair_at(text: str, at: int, document: Callable[[], DocumentCache]) -> Repair | None:
    """The repair of the run whose lost lead byte shows as text[at], or None to leave it; `document`
    gives the pairs of the text its lost characters are chosen with."""
    readings = [r for r in _readings(text, at + 1) if _more_plausible(text, at, r)]
    if not readings:
        return None
    cache = document()
    end = max(r.end for r in readings)
    left, right = context_before(text, at), context_after(text, end)
    lm = char_lm()
    found = lm.score(left + text[at:end] + right, len(left))
    best: tuple[float, str, Reading] | None = None
    for reading in readings:
        written, guessed = fill_lost(reading.items, left, context_after(text, reading.end), cache=cache)
        gain = lm.score(left + guessed + text[reading.end : end] + right, len(left)) - found
        if best is None or gain > best[0]:
            best = (gain, written, reading)
    gain, after, reading = best  # type: ignore[misc]
    sure = "\ufffd" not in after
    if gain < ACCEPT or (not sure and not _decoded(reading)):
        return None
    return Repair("gbk_shift" if sure else "gbk_shift_uncertain", at, text[at : reading.end], after)


def fix_gbk_misalignment(text: str) -> Repaired:
    """Re-read runs decoded one byte out of step (see the module docstring), each repair logged.

    >>> fix_gbk_misalignment("堅決做到商丘在全省“兩個確?!贝缶种袏^勇爭先").text
    '堅決做到商丘在全省“兩個確保”大局中奮勇爭先'
    >>> fix_gbk_misalignment("你好?我们是朋友").text
    '你好?我们是朋友'
    >>> dense = "确?!" * 100 + "確?!贝缶种袏^勇"  # past `REJECTS_ALLOWED` looks: given up on
    >>> fix_gbk_misalignment(dense).text == dense
    True
    """
    if "?" not in text and "\ufffd" not in text:
        return Repaired(text)
    edits: list[Repair] = []
    position = 0
    rejects_left = REJECTS_ALLOWED[0] + len(text) // REJECTS_ALLOWED[1]
    document = lru_cache(maxsize=1)(lambda: DocumentCache.of(text))  # only once a run needs it
    for match in _TRIGGER.finditer(text):
        if match.start() < position:
            continue
        repair = _repair_at(text, match.start(), document)
        if repair is not None:
            edits.append(repair)
            position = repair.offset + len(repair.before)
        elif (rejects_left := rejects_left - 1) < 0:
            break
    return repaired(text, edits)
