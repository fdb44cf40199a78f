"""transforms.kit.charlm: a lost character read with its document."""

from __future__ import annotations

from transforms.kit.charlm import DocumentCache
from transforms.kit.lost_chars import choose


def test_a_lost_character_is_read_with_the_pairs_of_its_document() -> None:
    candidates = [bytes((0xE9, 0xAD, last)).decode() for last in range(0x80, 0xC0)]  # 魔 less its last byte
    left, right = "\n产品介绍：蓝", " 音悦"
    assert choose(left, candidates, right).char == "魂"
    document = DocumentCache.of("蓝魔是国内知名的播放器品牌。 蓝魔推出了新款。 \ufffd")
    assert choose(left, candidates, right, cache=document).char == "魔"
