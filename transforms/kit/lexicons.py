"""The one way to read the package's tables (resources/), and to compile a word list into a regex.

Tables are package data read once by the caller's cached loader: `read_json` for a JSON table,
`read_lines` for a list (one entry a line, ``#`` comments and blank lines skipped), `read_pairs` for a
two-column TSV. The word lists compile to tries (`alternation`, `scanner`): the longest word wins where
several match, and the regex engine tries only the words that share what it has read so far.

>>> read_json("lexicons/places_pairs.json")["cues"][:2]
['两国', '关系']
>>> [m.group() for m in scanner(["商丘", "商丘市", "河南"]).finditer("河南商丘市")]
['河南', '商丘市']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib.resources import files
from typing import Any


def read_text(name: str) -> str:
    """The text of resources/`name` (UTF-8)."""
    return files("transforms").joinpath(f"resources/{name}").read_text("utf-8")


def read_bytes(name: str) -> bytes:
    """The bytes of resources/`name` (a model file)."""
    return files("transforms").joinpath(f"resources/{name}").read_bytes()


def read_json(name: str) -> Any:
    """The JSON table resources/`name`."""
    return json.loads(read_text(name))


def read_lines(name: str) -> list[str]:
    """The entries of a list: its lines, but for blank ones and ``#`` comments."""
    return [line for line in read_text(name).splitlines() if line and not line.startswith("#")]


def read_pairs(name: str) -> dict[str, str]:
    """A two-column TSV as a mapping from the first column to the second."""
    return dict(line.split("\t") for line in read_lines(name))


def alternation(words: list[str]) -> str:
    """A regex matching any of `words`, the longest where several match, built as a trie so that
    the engine tries only the words sharing what it has read so far.

    >>> alternation(["市委", "市长", "市"])
    '(?:市(?:委|长)?)'
    >>> re.fullmatch(alternation(["市委副书记", "市长"]), "市委副书记") is not None
    True
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return f"(?:{_branches(trie)})"


def _branches(node: dict) -> str:
    choices = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not choices:
        return ""
    if "" not in node:
        return choices[0] if len(choices) == 1 else "(?:" + "|".join(choices) + ")"
    if len(choices) == 1 and len(choices[0]) == 1:
        return choices[0] + "?"
    return "(?:" + "|".join(choices) + ")?"


def classes(words: list[str], depth: int) -> str:
    """One character class per position up to `depth` (no word is shorter): the characters the words
    have there. In a lookahead, they let the engine skip most positions fast.

    >>> classes(["市委", "省长"], 2)
    '[市省][委长]'
    """
    return "".join(charset(word[i] for word in words) for i in range(depth))


def charset(chars: Iterable[str]) -> str:
    """A character class of `chars`.

    >>> charset("长市长")
    '[市长]'
    """
    return "[" + "".join(sorted({re.escape(char) for char in chars})) + "]"


def scanner(words: list[str]) -> re.Pattern[str]:
    """A pattern finding the words in a text, the longest where several start at the same place."""
    return re.compile(f"(?={classes(words, min(map(len, words)))})" + alternation(words))
