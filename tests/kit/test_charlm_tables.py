"""transforms.kit.charlm_tables: the packed n-gram tables of the character model."""

from __future__ import annotations

import gzip
import random
import struct
from array import array
from collections.abc import Iterator
from importlib.resources import files

import pytest

from transforms.kit.charlm import MODEL, ORDER, CharLM, char_lm, write_model


def _plain_tables() -> Iterator[tuple[int, dict[str, int]]]:
    """Every table of the shipped model file as a plain dict of its keys (and their width), the way the
    model was loaded before it was packed (issue #8)."""
    data = gzip.decompress((files("transforms") / "resources" / MODEL).read_bytes())
    position = 0
    for width in (*range(1, ORDER + 1), *range(1, ORDER), *range(1, ORDER)):
        count, size = struct.unpack_from("<II", data, position)
        text = data[position + 8 : position + 8 + size].decode("utf-32-le")
        values = array("I", data[position + 8 + size : position + 8 + size + 4 * count])
        position += 8 + size + 4 * count
        yield width, dict(zip((text[i : i + width] for i in range(0, len(text), width)), values, strict=True))


def test_packed_tables_count_as_plain_dicts_of_the_model_file() -> None:
    packed = char_lm().ngrams
    rng = random.Random(8)
    characters = [*sorted(packed.ids), "\U0001f600"]
    ngrams: dict[int, dict[str, int]] = {}
    kept: dict[int, dict[str, int]] = {}
    compared = absent = 0
    for index, (width, plain) in enumerate(_plain_tables()):
        keys = rng.sample(list(plain), min(2000, len(plain)))
        keys += [key[:-1] + rng.choice(characters) for key in keys[:500]] + [key[::-1] for key in keys[:100]]
        if index < ORDER:
            ngrams[width] = plain
            assert [packed.count(key) for key in keys] == [plain.get(key, 0) for key in keys]
        elif index < 2 * ORDER - 1:
            kept[width] = plain
            continue
        else:
            # A history that is not a kept n-gram is not stored: the model backs off before reading it.
            want = [(kept[width][k], plain[k]) if k in plain and k in ngrams[width] else (0, 0) for k in keys]
            assert [packed.following(key) for key in keys] == want
        compared += len(keys)
        absent += sum(key not in plain for key in keys)
    assert compared > 10_000 and absent > 1_000


def test_packed_tables_are_compact() -> None:
    tables = char_lm().ngrams.tables
    arrays = [
        getattr(t, name)
        for t in tables
        for name in ("keys", "counts", "starts", "kept", "types", "extensions")
    ]
    assert sum(a.itemsize * len(a) for a in arrays) < 30 * 2**20


def test_a_model_whose_ngram_has_an_unknown_character_is_refused() -> None:
    with pytest.raises(ValueError, match="character table lacks"):
        CharLM.from_bytes(write_model([{"a": 1}, {"ab": 1}, {}, {}]))
