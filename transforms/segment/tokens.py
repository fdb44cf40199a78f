"""Sentences → words with part-of-speech tags, as offsets into the article body.

Words come from rjieba (HMM on, so unknown names and numbers like ``0.7%`` stay whole) with the project
user dictionary (resources/userdict.txt, jieba's ``word freq tag`` format: official posts tagged ``nnt``,
government bodies ``nt``, places ``ns``, policy terms ``nz``, names ``nr``), loaded once.

Speed: rjieba's ``tag`` is its ``cut`` plus a tag per word that does not depend on the context, returned
as one tuple per word (half again the time of ``cut``). `Tagger` cuts and looks the tags up in a memo
filled from rjieba's own tags; bench/eval_segment.py checks that the result equals ``rjieba.tag`` on the
whole xwlb corpus, but for the fixed tags, which take precedence: the user dictionary's (rjieba keeps
its own tag for a word it already knows: ``市长`` n) and the corrections of jieba's dictionary
(resources/tags_corrected.tsv: ``台风`` ns → n, ``普京`` ns → nr).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from functools import cache
from itertools import accumulate

import rjieba

from transforms.kit.lexicons import read_pairs, read_text
from transforms.records import Columns
from transforms.segment.sentences import Sentence

_BLANKS = re.compile(r"\s\s*")  # not \s+: re skips ahead fast only to a pattern starting with one class
_MEMO_LIMIT = 1 << 20  # distinct words remembered before the memo starts over (bounds memory)


@cache
def user_dictionary() -> dict[str, tuple[int, str]]:
    """The project user dictionary: word → (frequency, tag).

    >>> user_dictionary()["市委副书记"]
    (20000, 'nnt')
    """
    entries = read_text("userdict.txt").split("\n")
    return {word: (int(freq), tag) for word, freq, tag in (entry.split() for entry in entries if entry)}


@cache
def corrected_tags() -> dict[str, str]:
    """Words whose tag in jieba's dictionary is wrong in news → the right tag (the cut is unchanged).

    >>> corrected_tags()["台风"], corrected_tags()["普京"]
    ('n', 'nr')
    """
    return read_pairs("tags_corrected.tsv")


class Tagger:
    """rjieba with the user dictionary: text → (words, tags), equal to ``rjieba.tag`` but faster, and
    with the fixed tags (`fixed_tags`) where they differ.

    The memo only caches tags that do not depend on context, so results never depend on what was tagged
    before.

    >>> words, tags = Tagger()("市委副书记、市长摆向阳主持，增长0.7%")
    >>> list(zip(words, tags))  # doctest: +NORMALIZE_WHITESPACE
    [('市委副书记', 'nnt'), ('、', 'x'), ('市长', 'nnt'), ('摆向阳', 'nr'), ('主持', 'v'), ('，', 'x'),
     ('增长', 'v'), ('0.7%', 'm')]
    >>> Tagger()("第11号台风")[1]
    ['m', 'm', 'm', 'n']
    """

    def __init__(self) -> None:
        self.jieba = rjieba.Jieba()
        for word, (freq, tag) in user_dictionary().items():
            self.jieba.add_word(word, freq, tag)
        self.fixed_tags = {word: tag for word, (_, tag) in user_dictionary().items()} | corrected_tags()
        self.memo = dict(self.fixed_tags)

    def __call__(self, text: str) -> tuple[list[str], list[str]]:
        words = self.jieba.cut(text)
        return words, self.tags(text, words)

    def frequency(self, word: str) -> int:
        """How often the dictionary counts `word` (the user dictionary's count for its words), 0 if absent.

        rjieba does not expose the count; ``suggest_freq`` of a word the dictionary holds is its count,
        or one more when rounding its probability back loses nothing.

        >>> tagger().frequency("摆向阳") // 10, tagger().frequency("何报翔")
        (500, 0)
        """
        return self.jieba.suggest_freq(word) if self.jieba.has_word(word) else 0

    def tags(self, text: str, words: list[str]) -> list[str]:
        """The tag of each of `words`, words of `text` as rjieba cuts it.

        >>> Tagger().tags("摆向阳主持", ["摆向阳", "主持"])
        ['nr', 'v']
        """
        tags = list(map(self.memo.get, words))
        if not all(tags):  # a tag is a non-empty string, so only a missing one is false: faster than `in`
            self._learn(text, words, tags)
        return tags

    def _learn(self, text: str, words: list[str], tags: list[str | None]) -> None:
        """Fill in the tags (None) of the words missing from the memo with rjieba's, and remember them.

        Only the missing words are visited (found by `list.index`, in C): nearly every article holds a
        few new words (names, figures), so a pass over all its words here would cost as much as the
        lookups themselves.
        """
        if len(self.memo) > _MEMO_LIMIT:
            self.memo = dict(self.fixed_tags)
        in_context: dict[str, str] = {}
        index = -1
        while (index := _index_of_none(tags, index + 1)) >= 0:
            word = words[index]
            tag = self.memo.get(word)
            if tag is None:
                alone = self.jieba.tag(word)
                if len(alone) != 1:  # rjieba would cut this word differently on its own: tag it in context
                    in_context = in_context or dict(self.jieba.tag(text))
                # Interned: the pos column then holds a few dozen tag objects, not one per distinct word.
                tag = self.memo[word] = sys.intern(in_context.get(word, alone[0][1]))
            tags[index] = tag


def _index_of_none(values: list, start: int) -> int:
    """The index of the first None in `values` from `start`, or -1.

    >>> _index_of_none(["v", None, "n", None], 2), _index_of_none(["v"], 0)
    (3, -1)
    """
    try:
        return values.index(None, start)
    except ValueError:
        return -1


@cache
def tagger() -> Tagger:
    """The process-wide `Tagger` (the user dictionary is loaded once)."""
    return Tagger()


def tokenize(body: str, sentences: list[Sentence]) -> Columns:
    """Words of every sentence of `body`: columns sentence, index, start, end, token, pos; no whitespace.

    `sentences` are (paragraph, start, end) offsets into `body` covering all its non-blank characters, as
    from `split_sentences`. Words never cross a sentence end (sentences end at punctuation or a line
    break, where rjieba always cuts), so the text is cut once and the words dealt out to sentences.

    >>> columns = tokenize("全国文明城市 创建。\\n  增长0.7%", [(0, 0, 10), (1, 13, 19)]).data
    >>> list(zip(columns["sentence"], columns["index"], columns["token"], columns["pos"], columns["start"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    [(0, 0, '全国文明城市', 'nz', 0), (0, 1, '创建', 'v', 7), (0, 2, '。', 'x', 9), (1, 0, '增长', 'v', 13),
     (1, 1, '0.7%', 'm', 15)]
    """
    first = sentences[0][1] if sentences else 0
    text = body[first : sentences[-1][2]] if sentences else ""
    tag = tagger()
    words = tag.jieba.cut(text)
    starts = list(accumulate(map(len, words), initial=first))
    ends = starts[1:]
    del starts[-1]
    for blank in reversed(list(_BLANKS.finditer(body, first, first + len(text)))):
        low, high = bisect_left(starts, blank.start()), bisect_left(starts, blank.end())
        del words[low:high], starts[low:high], ends[low:high]
    numbers: list[int] = []
    indexes: list[int] = []
    low = 0
    for number, (_, _, end) in enumerate(sentences):
        # Whole runs per sentence: faster than chaining one repeat or range per sentence.
        high = bisect_left(starts, end, low)
        numbers += [number] * (high - low)
        indexes += range(high - low)
        low = high
    return Columns(
        {
            "sentence": numbers,
            "index": indexes,
            "start": starts,
            "end": ends,
            "token": words,
            "pos": tag.tags(text, words),
        }
    )


def tokenize_all(bodies: list[str], sentences: list[list[Sentence]]) -> list[Columns]:
    """`tokenize` of every body (with its sentences) of one file.

    One call per file, like the other stages. Neither threads nor NumPy offsets pay here: rjieba releases
    the GIL while it cuts, but each body's words come back to this thread under the GIL, and rjieba's cut
    and the tag lookups are most of the time (the runs that showed it: bench/README.md).

    >>> bodies = ["市委副书记讲话。", "", "增长0.7%"]
    >>> sentences = [[(0, 0, 8)], [], [(0, 0, 6)]]
    >>> [columns.data["token"] for columns in tokenize_all(bodies, sentences)]
    [['市委副书记', '讲话', '。'], [], ['增长', '0.7%']]
    """
    return [tokenize(body, spans) for body, spans in zip(bodies, sentences, strict=True)]
