"""The words around each character as the entity tagger (`transforms.entities.ner`) sees them: where the
character sits in its word, its word's part of speech, a key of the word, and the word's cluster.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import repeat

import numpy as np

ROLES = 4  # where a character sits in its word: begin, inside, end, single
NO_TOKEN = 0  # part-of-speech id of characters no token covers (blanks)
PRIME = 1_000_003
NO_CLUSTERS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a text as arrays: start and end offsets and part-of-speech ids."""

    starts: np.ndarray
    ends: np.ndarray
    pos: np.ndarray


def tokens_of(starts: list[int], ends: list[int], pos: list[str], pos_ids: dict[str, int]) -> Tokens:
    """`Tokens` from column lists; an unknown tag gets the no-token id.

    >>> tokens_of([0, 2], [2, 3], ["nr", "v"], {"nr": 1}).pos.tolist()
    [1, 0]
    """
    return Tokens(
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.fromiter(map(pos_ids.get, pos, repeat(NO_TOKEN)), dtype=np.int64, count=len(pos)),
    )


@cache
def _powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """PRIME**i and its inverse modulo 2**64 for i < count (int64 arithmetic wraps)."""
    powers = np.ones(count, dtype=np.uint64)
    inverse = np.ones(count, dtype=np.uint64)
    base, back = np.uint64(PRIME), np.uint64(pow(PRIME, -1, 1 << 64))
    np.cumprod(np.full(count - 1, base, dtype=np.uint64), out=powers[1:])
    np.cumprod(np.full(count - 1, back, dtype=np.uint64), out=inverse[1:])
    return powers.view(np.int64), inverse.view(np.int64)


def word_key(char_ids: np.ndarray, word: str) -> int:
    """The key `word_roles` computes for a word: its characters' ids as a polynomial (int64, wraps).

    >>> ids = np.arange(0x110000)  # every code point its own id
    >>> word_key(ids, "商丘") == ord("商") + ord("丘") * PRIME
    True
    """
    key = sum(int(char_ids[ord(char)]) * pow(PRIME, k, 1 << 64) for k, char in enumerate(word)) % (1 << 64)
    return key - (1 << 64) if key >= 1 << 63 else key


def word_roles(
    ids: np.ndarray, tokens: Tokens, clusters: tuple[np.ndarray, np.ndarray] = (NO_CLUSTERS, NO_CLUSTERS)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per character: part-of-speech × role id, a hash of its word × role, and its word's cluster
    (`clusters`: keys and ids; 1 + cluster, 1 for a word in no cluster) × role (all 0 where no token).

    >>> ids = np.array([5, 6, 7, 8])
    >>> pos_role, _, _ = word_roles(ids, Tokens(np.array([0, 2]), np.array([2, 3]), np.array([1, 2])))
    >>> pos_role.tolist()  # 4 × part of speech + role (0 begin, 1 inside, 2 end, 3 single)
    [4, 6, 11, 0]
    """
    length = len(ids)
    if not len(tokens.starts):
        return (np.zeros(length, dtype=np.int64),) * 3
    begins = np.zeros(length + 1, dtype=np.int64)
    finals = np.zeros(length + 1, dtype=np.int64)
    begins[tokens.starts] = 1
    finals[tokens.ends] = 1
    covered = np.cumsum(begins - finals)[:length]
    owner = np.cumsum(begins[:length]) - 1
    begin, final = begins[:length], finals[1:]
    role = 1 - begin + final + 2 * begin * final
    pos_role = (tokens.pos[owner] * ROLES + role) * covered
    powers, inverse = _powers(1 << max(12, length.bit_length()))
    prefix = np.zeros(length + 1, dtype=np.int64)
    np.cumsum(ids * powers[:length], out=prefix[1:])
    words = (prefix[tokens.ends] - prefix[tokens.starts]) * inverse[tokens.starts]
    word_role = (words[owner] * ROLES + role + 1) * covered
    keys, numbers = clusters
    where = np.minimum(np.searchsorted(keys, words), max(len(keys) - 1, 0))
    known = keys[where] == words if len(keys) else np.zeros(len(words), dtype=bool)
    cluster = np.where(known, numbers[where] + 2, 1) if len(keys) else known + 1
    cluster_role = (cluster[owner] * ROLES + role) * covered
    return pos_role, word_role, cluster_role
