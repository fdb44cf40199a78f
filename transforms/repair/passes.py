"""repair_text: undo what scrapers and wrong codecs did to a text, conservatively, with a replayable log.

Passes, in order (each in its own module):

1. HTML residue (`transforms.repair.html_residue`): ``<p>``, ``<br>``, ``&nbsp;`` … → breaks and characters;
2. UTF-8 read as Latin-1/cp1252, then UTF-8 read as GBK (`transforms.repair.mojibake`);
3. GBK byte misalignment (`transforms.repair.gbk_shift`): ``確?!贝缶种袏^`` → ``確保”大局中奮``;
4. flattened pinyin/zhuyin annotations (`transforms.repair.annotations`): ``國(guó)`` → ``國``.

Mojibake goes first because a reversed run can reveal an annotation (the seed's ``確?!笔聵I(yè)`` is
``確保”事業(yè)``). Lost bytes are inferred with the character model (`transforms.kit.lost_chars`) and
written as U+FFFD when it is unsure (kinds ending in ``_uncertain``). The log of `repair_text` refers to
its input: `replay(text, repaired.repairs) == repaired.text`.

Clean text must be cheap: one scan for the trigger characters of passes 2-4 together decides which of
them run at all (and is repeated only after a pass changed the text). Passes 2-4 run again while a
round of them changes something, so repairing twice changes nothing more.
"""

from __future__ import annotations

import re
from functools import cache

from transforms.kit.edits import Pass, replay, then
from transforms.records import Repaired
from transforms.repair.annotations import strip_annotations
from transforms.repair.annotations import trigger as annotation_trigger
from transforms.repair.gbk_shift import TRIGGER as SHIFT_TRIGGER
from transforms.repair.gbk_shift import fix_gbk_misalignment
from transforms.repair.html_residue import strip_html_residue
from transforms.repair.mojibake import LATIN1_TRIGGER, fix_utf8_as_gbk, fix_utf8_as_latin1, gbk_trigger

PASSES: tuple[Pass, ...] = (
    strip_html_residue,
    fix_utf8_as_latin1,
    fix_utf8_as_gbk,
    fix_gbk_misalignment,
    strip_annotations,
)

ROUNDS = 3
"""Rounds of passes 2-4 at most: a repair can change the context another pass judged by (removing
an annotation next to a shifted run), so they run again until nothing changes."""

__all__ = ["PASSES", "repair_text", "replay"]


@cache
def _trigger_scan() -> re.Pattern[str]:
    """One pattern for the triggers of passes 2-4; the group that matched names the pass (its index
    in `PASSES`). It starts with a character class, so the engine skips clean text fast."""
    triggers = {1: LATIN1_TRIGGER, 2: gbk_trigger(), 3: SHIFT_TRIGGER, 4: annotation_trigger()}
    union = "".join(chars for chars, _ in triggers.values())
    branches = "|".join(f"(?<=[{chars}])(?P<p{i}>){condition}" for i, (chars, condition) in triggers.items())
    return re.compile(f"[{union}](?:{branches})")


def _needed(text: str) -> set[int]:
    """Indices of the passes whose trigger occurs in `text`."""
    found: set[int] = set()
    for match in _trigger_scan().finditer(text):
        found.add(int(match.lastgroup[1:]))  # type: ignore[index]
        if len(found) == len(PASSES) - 1:
            break
    return found


def repair_text(text: str) -> Repaired:
    """Every repair, in order; clean Simplified or Traditional text comes back unchanged.

    >>> repair_text("兩個確?!笔聵I(yè)中<br>涓婃捣甯傞暱瀹佸尯").text
    '兩個確保”事業中\\n上海市长宁区'
    >>> repair_text("上海市长宁区（试行）(2021)").repairs
    ()
    """
    current = then(text, Repaired(text), strip_html_residue)
    for _ in range(ROUNDS):
        before = current
        needed = _needed(current.text)
        for index, step in enumerate(PASSES[1:], start=1):
            if index in needed:
                updated = then(text, current, step)
                if updated is not current:
                    current, needed = updated, _needed(updated.text)
        if current is before:
            break
    return current
