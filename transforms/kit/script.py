"""The Simplified script: OpenCC ``t2s``, for a whole text or one character."""

from __future__ import annotations

from functools import cache, lru_cache

import opencc


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified_char(char: str) -> str:
    """The Simplified form of one character (itself when OpenCC has no single-character mapping).

    >>> simplified_char("國"), simplified_char("国"), simplified_char("a")
    ('国', '国', 'a')
    """
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC ``t2s`` (phrase-aware), keeping ``len(text)``.

    Spans are mapped between the original and the Simplified text by position, so when OpenCC
    changes the length of an input the text is converted character by character instead.

    >>> to_simplified("全國文明城市創建工作推進會")
    '全国文明城市创建工作推进会'
    >>> to_simplified("乾隆年間")
    '乾隆年间'
    """
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(map(simplified_char, text))
