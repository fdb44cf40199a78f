"""Choosing what a lost character was: the candidate the character model (`transforms.kit.charlm`) and
the text's own pairs (`DocumentCache`) find likeliest between its neighbours, judged also by the
brackets of its line (``resources/charlm_brackets.json``): a closing bracket gains `BRACKET_BIAS`
where its opening bracket is the innermost one left open, and loses as much elsewhere. U+FFFD when
the best does not lead by `CONFIDENT` nats.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from transforms.kit.charlm import CONTEXT, DocumentCache, Item, char_lm, model_form
from transforms.kit.lexicons import read_json
from transforms.kit.script import simplified_char

CONFIDENT = 2.5
"""Nats a lost character's best candidate must lead the runner-up by to be written; else U+FFFD."""


LINE_SPAN = 120
"""Characters before a position, back to its line break, that `context_before` gives (brackets open
in them are judged)."""


BRACKET_BIAS = 5.0
"""Nats for a closing bracket that closes the innermost bracket open in its line, and against one
that closes none."""


@dataclass(frozen=True, slots=True)
class Choice:
    """The best candidate for a lost character and how far ahead of the runner-up it is (nats)."""

    char: str
    margin: float


@cache
def _brackets() -> dict[str, str]:
    """Closing bracket → its opening bracket."""
    return read_json("charlm_brackets.json")


def open_bracket(line: str) -> str:
    """The innermost bracket `line` leaves open ('' when none).

    >>> open_bracket("（1）《条例（试行"), open_bracket("“好”")
    ('（', '')
    """
    closing = _brackets()
    opening = set(closing.values())
    stack: list[str] = []
    for char in line:
        if char in opening:
            stack.append(char)
        elif char in closing and closing[char] in stack:
            del stack[len(stack) - 1 - stack[::-1].index(closing[char]) :]
    return stack[-1] if stack else ""


def _bracket_bias(opened: str, candidate: str) -> float:
    """`BRACKET_BIAS` for a closing bracket that closes `opened`, minus it for one that does not."""
    expected = _brackets().get(candidate)
    if expected is None:
        return 0.0
    return BRACKET_BIAS if expected == opened else -BRACKET_BIAS


def choose(
    left: str,
    candidates: Iterable[str],
    right: str,
    traditional: bool | None = None,
    cache: DocumentCache | None = None,
) -> Choice | None:
    """The candidate that best fits between `left` and `right` (the model reads `CONTEXT` characters
    each side; the brackets left open in all of `left` count too, see `open_bracket`).

    Candidates the model has never seen are dropped unless nothing else is left, and so are
    Traditional-only ones in Simplified text (`traditional` false; by default judged from the
    context). Candidates with the same Simplified form score alike and count once: the one in the
    script of the text wins.

    >>> choose("确", ["保", "宝", "饱"], "”大").char
    '保'
    >>> choose("（全体会议通过", ["。", "、", "）", "》"], "\\n").char
    '）'
    """
    lm = char_lm()
    pool = list(candidates)
    pool = [c for c in pool if simplified_char(c) in lm.unigrams] or pool
    if traditional is None:
        traditional = any(simplified_char(c) != c for c in left[-CONTEXT:] + right[:CONTEXT])
    if not traditional:
        pool = [c for c in pool if simplified_char(c) == c] or pool
    if not pool:
        return None
    forms: dict[str, str] = {}
    for candidate in pool:
        form = simplified_char(candidate)
        if form not in forms or (candidate != form) == traditional:
            forms[form] = candidate
    near, after = model_form(left)[-CONTEXT:], model_form(right)[:CONTEXT]
    opened = open_bracket(left)
    scored = sorted(
        (
            (lm.score(near + form + after, len(near), cache) + _bracket_bias(opened, form), form)
            for form in forms
        ),
        reverse=True,
    )
    runner_up = scored[1][0] if len(scored) > 1 else -math.inf
    return Choice(forms[scored[0][1]], scored[0][0] - runner_up)


def context_before(text: str, start: int) -> str:
    """The text before text[start] back to its line break (at most `LINE_SPAN` characters): the model
    conditions on its end, `open_bracket` reads all of it. A line break stands for the text start
    (the model learnt paragraphs separated by line breaks).

    >>> context_before("ab\\ncd", 5), context_before("abc", 2), context_before("abc", 0)
    ('\\ncd', '\\nab', '\\n')
    """
    head = text[max(0, start - LINE_SPAN) : start]
    cut = head.rfind("\n")
    if cut >= 0:
        return head[cut:]
    return head if start > LINE_SPAN else "\n" + head


_SYMBOL = re.compile(r"[0-9]+|[A-Za-z]+|.", re.DOTALL)
"""What `model_form` makes one symbol of."""


def context_after(text: str, end: int) -> str:
    """The characters the model conditions on after text[:end] (`CONTEXT` symbols of `model_form`);
    a line break at the text end.

    >>> context_after("日23时25分", 1), context_after("abc", 3)
    ('23时25', '\\n')
    """
    if end >= len(text):
        return "\n"
    stop = end
    for _, symbol in zip(range(CONTEXT), _SYMBOL.finditer(text, end), strict=False):
        stop = symbol.end()
    return text[end:stop]


def fill_lost(
    items: Sequence[Item],
    left: str,
    right: str,
    confident: float = CONFIDENT,
    draft: str = "",
    cache: DocumentCache | None = None,
) -> tuple[str, str]:
    """Choose every lost character of `items` (text `left` before them, `right` after), left to right;
    a lost character not chosen yet reads as its `draft` guess (one character per item), or as
    unknown (U+FFFD) without one.

    Returns the text as it should be written (U+FFFD where the best candidate does not lead by
    `confident` nats) and the text with the model's best guess everywhere (to score the repair).

    >>> fill_lost(["確", ("保", "宝"), "”"], "兩個", "大局")
    ('確保”', '確保”')
    """
    guesses = list(draft) if draft else [item if isinstance(item, str) else "\ufffd" for item in items]
    written = list(guesses)
    traditional = any(simplified_char(c) != c for c in left[-CONTEXT:] + "".join(guesses) + right)
    for index, item in enumerate(items):
        if isinstance(item, str):
            continue
        before = left + "".join(guesses[:index])
        after = "".join(guesses[index + 1 :]) + right
        choice = choose(before, item, after, traditional, cache)
        guesses[index] = choice.char if choice else "\ufffd"
        written[index] = guesses[index] if choice and choice.margin >= confident else "\ufffd"
    return "".join(written), "".join(guesses)
