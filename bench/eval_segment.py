"""Segmentation evidence on the xwlb daily bulletins (../shared/corpora/xwlb_daily/news).

    python -m bench.eval_segment            # the whole corpus (a few minutes)
    python -m bench.eval_segment --every 10 # every 10th bulletin

Prints, beside a naive baseline where one applies: article-boundary precision/recall/F1 and title
exact-match on the original Markdown and on plain-text versions of the same bulletins (the ``###`` story
headings are the ground truth); the sentence case file; the offset property over every sentence and token
of the corpus; the batched APIs (`tokenize_all`, `minhash_all`) against the per-article ones; segmentation
throughput in one process; near-duplicate pairs found by MinHash.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import html
import json
import multiprocessing
import operator
import os
import random
import re
import sys
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import opencc

from transforms import dedupe
from transforms.segment import split_articles, split_sentences, tokenize, tokenize_all
from transforms.segment.tokens import tagger

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "xwlb_daily" / "news"
SENTENCE_CASES = REPO / "tests" / "cases" / "sentences.json"
DAY = dt.date(2024, 1, 1)  # the issue date of both articles of an edited pair

_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_HTML_BREAK = re.compile(r"</?p\b[^>]*>|<br\s*/?>")
_HTML_TAG = re.compile(r"<[^>]+>")
_SHORT_LINE = re.compile(r"^[^\n]{1,40}$", re.MULTILINE)
_BLANK = re.compile(r"\s")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")

# A bulletin as text, with its gold articles: (line index of the story heading, title).
Gold = list[tuple[int, str]]
# Article heads a splitter finds: (offset where the article begins, title).
Heads = list[tuple[int, str | None]]


def markdown_bulletin(markdown: str) -> tuple[str, Gold]:
    """The bulletin as published (Markdown with HTML residue), and its ``###`` stories."""
    gold = [(i, line[4:].strip()) for i, line in enumerate(markdown.split("\n")) if line.startswith("### ")]
    return markdown, gold


def plain_bulletin(markdown: str, links: bool = True) -> tuple[str, Gold]:
    """The same bulletin as plain text: heading marks stripped, HTML residue turned into paragraphs.

    With `links=False` the ``[查看原文](…)`` line closing every story is dropped too (a harder variant).
    """
    lines: list[str] = []
    gold: Gold = []
    for line in markdown.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            if len(heading.group(1)) == 3:
                gold.append((len(lines), heading.group(2).strip()))
            lines.append(heading.group(2))
        elif links or not line.startswith("[查看原文]"):
            pieces = [html.unescape(_HTML_TAG.sub("", piece)).strip() for piece in _HTML_BREAK.split(line)]
            lines.extend(part for piece in pieces if piece for part in (piece, ""))
            if not line.strip():
                lines.append("")
    return "\n".join(lines), gold


def project_heads(text: str) -> Heads:
    """Article heads found by `transforms.segment.split_articles`."""
    return [(article.head, article.title) for article in split_articles(text).articles]


def baseline_heads(text: str) -> Heads:
    """Naive baseline: every line of at most 40 characters not ending in punctuation starts an article."""
    return [
        (match.start(), match.group().strip().lstrip("#").strip())
        for match in _SHORT_LINE.finditer(text)
        if match.group().strip() and match.group().strip()[-1] not in "。！？；：，、”）)>"
    ]


@dataclass
class Score:
    """Article-boundary counts: a predicted head is right when it starts on a gold heading line."""

    gold: int = 0
    predicted: int = 0
    correct: int = 0
    titles: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def title_rate(self) -> float:
        return self.titles / self.gold if self.gold else 0.0


def score_boundaries(bulletins: Iterable[tuple[str, Gold]], splitter: Callable[[str], Heads]) -> Score:
    """Compare the heads `splitter` finds with the gold story headings, line by line."""
    score = Score()
    for text, gold in bulletins:
        line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        predicted = {bisect_right(line_starts, head) - 1: title for head, title in splitter(text)}
        expected = dict(gold)
        found = predicted.keys() & expected.keys()
        score.gold += len(expected)
        score.predicted += len(predicted)
        score.correct += len(found)
        score.titles += sum(predicted[line] == expected[line] for line in found)
    return score


def prepared_seed() -> str:
    """The seed bulletin with its pinyin annotations removed and converted to Simplified: a stand-in for
    repair and normalization, so that segmentation is checked on the seed on its own."""
    raw = (REPO / "seeds" / "000_66e55bb73970c7f5.txt").read_text("utf-8")
    return opencc.OpenCC("t2s").convert(_PINYIN.sub("", raw))


def bulletin_bodies(text: str) -> list[str]:
    """The article bodies of a bulletin, as the pipeline cuts them."""
    return [text[article.start : article.end] for article in split_articles(text).articles]


def _names(stems: list[str], bulletins: list[list[str]]) -> list[str]:
    """A name per article: its bulletin's stem and its sequence number."""
    return [
        f"{stem}-{seq:02d}"
        for stem, bodies in zip(stems, bulletins, strict=True)
        for seq in range(len(bodies))
    ]


def _issue_date(name: str) -> dt.date:
    """The issue date in an article's name (``20240303-02``).

    >>> _issue_date("20240303-02")
    datetime.date(2024, 3, 3)
    """
    return dt.datetime.strptime(name[:8], "%Y%m%d").date()


def _segment(text: str) -> None:
    """Everything the pipeline does per bulletin in segmentation: articles, sentences, then the words of
    all articles of the bulletin at once."""
    bodies = bulletin_bodies(text)
    tokenize_all(bodies, [split_sentences(body) for body in bodies])


def _table(header: tuple[str, ...], rows: list[tuple]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in (header, tuple("-" * width for width in widths), *rows):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()


def _figures(score: Score) -> list[str]:
    return [f"{value:.4f}" for value in (score.precision, score.recall, score.f1, score.title_rate)]


def report_boundaries(markdowns: list[str]) -> None:
    variants = {
        "Markdown (original)": [markdown_bulletin(m) for m in markdowns],
        "plain text": [plain_bulletin(m) for m in markdowns],
        "plain text, no [查看原文] lines": [plain_bulletin(m, links=False) for m in markdowns],
    }
    rows = []
    for variant, bulletins in variants.items():
        for method, splitter in (
            ("split_articles", project_heads),
            ("baseline: short lines", baseline_heads),
        ):
            score = score_boundaries(bulletins, splitter)
            rows.append((variant, method, score.gold, score.predicted, *_figures(score)))
    print(
        f"Article boundaries on {len(markdowns)} bulletins (targets: F1 ≥ 0.97 plain text, ≥ 0.995 Markdown)"
    )
    _table(("input", "method", "gold", "predicted", "precision", "recall", "F1", "title exact"), rows)


def report_seed() -> None:
    articles = split_articles(prepared_seed()).articles
    print(f"Seed (pinyin removed, Simplified): {len(articles)} article(s), title {articles[0].title!r}\n")


def report_sentence_cases() -> None:
    cases = json.loads(SENTENCE_CASES.read_text("utf-8"))
    passed = sum(
        [[p, case["input"][s:e]] for p, s, e in split_sentences(case["input"])] == case["expected"]
        for case in cases
    )
    print(f"Sentence cases ({SENTENCE_CASES.relative_to(REPO)}): {passed}/{len(cases)} pass\n")


def _offset_violations(body: str) -> tuple[int, int, int]:
    """(sentences, tokens, violations) of one body. Every row must equal body[start:end]; sentences must
    cover each non-blank character once; the words of a sentence must spell it, blanks aside."""
    sentences = split_sentences(body)
    columns = tokenize(body, sentences).data
    violations = 0
    previous_end = 0
    for _, start, end in sentences:
        text = body[start:end]
        violations += start < previous_end or not text or text != text.strip()
        violations += bool(body[previous_end:start].strip())
        previous_end = end
    violations += bool(body[previous_end:].strip())
    spelled = [""] * len(sentences)
    for number, start, end, token in zip(
        columns["sentence"], columns["start"], columns["end"], columns["token"], strict=True
    ):
        violations += body[start:end] != token or token.isspace()
        spelled[number] += token
    violations += sum(
        words != _BLANK.sub("", body[start:end])
        for words, (_, start, end) in zip(spelled, sentences, strict=True)
    )
    return len(sentences), len(columns["token"]), violations


def report_offsets(bodies: list[str]) -> None:
    sentences = tokens = violations = 0
    for body in bodies:
        counts = _offset_violations(body)
        sentences, tokens, violations = sentences + counts[0], tokens + counts[1], violations + counts[2]
    print(
        f"Offsets: {len(bodies)} article bodies, {sentences} sentences, {tokens} tokens: "
        f"{violations} violations of text[start:end] == row text, coverage or spelling\n"
    )


def report_tagger(bodies: list[str]) -> None:
    tag = tagger()
    words = differences = 0
    for body in bodies:
        expected = [(word, tag.fixed_tags.get(word, pos)) for word, pos in tag.jieba.tag(body)]
        words += len(expected)
        differences += expected != list(zip(*tag(body), strict=True))
    print(f"Tagger (cut + tag memo) against rjieba.tag: {words} words, {differences} bodies differ\n")


def report_batched(bulletins: list[list[str]]) -> None:
    """The batched APIs against their one-article-at-a-time counterparts, bulletin by bulletin."""
    differences = signatures = 0
    for bodies in bulletins:
        sentences = [split_sentences(body) for body in bodies]
        batched = tokenize_all(bodies, sentences)
        differences += sum(
            columns.data != tokenize(body, spans).data
            for columns, body, spans in zip(batched, bodies, sentences, strict=True)
        )
        expected = [dedupe.minhash(body) if body.strip() else None for body in bodies]
        signatures += sum(map(operator.ne, dedupe.minhash_all(bodies), expected))
    print(
        f"Batched APIs on {len(bulletins)} bulletins: tokenize_all differs from"
        f" tokenize on {differences} articles; minhash_all differs from minhash on {signatures} articles\n"
    )


def report_speed(texts: list[str], bodies: list[str]) -> None:
    """Segmentation throughput, and the steps it is made of alone. Every rate is MB of bulletins over the
    step's seconds, so the seconds of the steps add up: the last line sets them against the target's."""
    megabytes = sum(len(text.encode()) for text in texts) / 1e6
    tag = tagger()
    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    rows, floor = [], 0.0
    for name, work, items, step in (
        ("split_articles + split_sentences + tokenize_all (cold)", _segment, texts, False),
        ("split_articles + split_sentences + tokenize_all", _segment, texts, False),
        ("split_articles only", split_articles, texts, True),
        ("split_sentences only, every body", split_sentences, bodies, True),
        ("rjieba.cut + tag memo per body: words and tags, no offsets", tag, bodies, True),
        ("reference: rjieba.cut per line, no offsets", tag.jieba.cut, lines, False),
        ("reference: rjieba.tag per line, no offsets", tag.jieba.tag, lines, False),
    ):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        for item in items:
            work(item)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        floor += wall if step else 0.0
        rows.append((name, f"{wall:.2f}", f"{megabytes / wall:.1f}", f"{megabytes / cpu:.1f}"))
    print(
        f"Segmentation throughput, one process, {megabytes:.1f} MB of plain-text bulletins"
        f" (target ≥ 10 MB/s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    _table(("stage", "s wall", "MB/s wall", "MB/s CPU"), rows)
    print(
        f"At 10 MB/s segmentation may take {megabytes / 10:.2f} s; articles, sentences and the words with"
        f" their tags alone take {floor:.2f} s ({megabytes / floor:.1f} MB/s), leaving"
        f" {megabytes / 10 - floor:.2f} s for the offsets, sentence numbers and blanks of every word."
    )
    report_processes(texts, megabytes)


def report_processes(texts: list[str], megabytes: float) -> None:
    """The same segmentation in one worker process per core, as `--runner process` runs it. The clock
    starts once every worker has loaded the dictionary; their tag memos start empty, as in the cold row."""
    workers = os.cpu_count() or 1
    ready = multiprocessing.Barrier(workers + 1)
    with multiprocessing.Pool(workers, initializer=_load_dictionary, initargs=(ready,)) as pool:
        ready.wait()
        wall = time.perf_counter()
        pool.map(_segment_all, [texts[worker::workers] for worker in range(workers)])
        wall = time.perf_counter() - wall
    print(
        f"The same in {workers} worker processes, first pass, bulletins sent to them included:"
        f" {wall:.2f} s, {megabytes / wall:.1f} MB/s\n"
    )


def _load_dictionary(ready: threading.Barrier) -> None:
    tagger()
    ready.wait()


def _segment_all(texts: list[str]) -> None:
    for text in texts:
        _segment(text)


def _edits(bodies: list[str], rng: random.Random) -> dict[str, Callable[[str], str]]:
    """Edits an editor makes when re-publishing a story (each keeps most of the text)."""

    def sentences(body: str) -> list[str]:
        return [body[start:end] for _, start, end in split_sentences(body)]

    def drop_sentence(body: str) -> str:
        kept = sentences(body)
        del kept[rng.randrange(len(kept))]
        return "".join(kept)

    def replace_words(body: str) -> str:
        characters = list(body)
        for _ in range(3):
            spot = rng.randrange(len(characters) - 1)
            characters[spot : spot + 2] = rng.sample(characters, 2)
        return "".join(characters)

    return {
        "lead added (据新华社报道，…)": lambda body: "据新华社报道，" + body,
        "3 words replaced": replace_words,
        "one sentence dropped": drop_sentence,
        "one sentence added": lambda body: body + rng.choice(sentences(rng.choice(bodies))),
        "every digit changed": lambda body: re.sub(r"\d", lambda _: str(rng.randrange(10)), body),
    }


def report_dedupe(bulletins: list[list[str]], names: list[str]) -> None:
    bodies = [body for bulletin in bulletins for body in bulletin]
    megabytes = sum(len(body.encode()) for body in bodies) / 1e6
    began = time.perf_counter()
    signatures = [dedupe.minhash(body) for body in bodies]
    one_by_one = time.perf_counter() - began
    began = time.perf_counter()
    for bulletin in bulletins:
        dedupe.minhash_all(bulletin)
    signing = time.perf_counter() - began
    items = [(name, _issue_date(name), signature) for name, signature in zip(names, signatures, strict=True)]
    began = time.perf_counter()
    duplicates = dedupe.first_occurrences(items)
    searching = time.perf_counter() - began
    print(
        f"Near-duplicates ({dedupe.BANDS} bands × {dedupe.PERMUTATIONS // dedupe.BANDS} rows, threshold"
        f" {dedupe.THRESHOLD}): minhash one body at a time {megabytes / one_by_one:.1f} MB/s, minhash_all"
        f" per bulletin {megabytes / signing:.1f} MB/s; first_occurrences over {len(items)}"
        f" articles in {searching:.2f} s; {len(duplicates)} articles point to an earlier one"
    )
    counts = ", ".join(
        f"{threshold}: {len(dedupe.first_occurrences(items, threshold))}" for threshold in (0.6, 0.7, 0.9)
    )
    print(f"  at other thresholds: {counts}; a random sample of the pairs found, for a hand check:")
    by_name = dict(zip(names, bodies, strict=True))
    signature_of = {name: signature for name, _, signature in items}
    pairs = sorted(
        duplicates.items(), key=lambda pair: -dedupe.similarity(signature_of[pair[0]], signature_of[pair[1]])
    )
    for name, first in random.Random(4).sample(pairs, min(12, len(pairs))):
        similarity = dedupe.similarity(signature_of[name], signature_of[first])
        print(f"  {similarity:.2f}  {name} → {first}  {by_name[name][:36]!r} | {by_name[first][:36]!r}")
    rng = random.Random(7)
    sample = rng.sample([body for body in bodies if len(body) >= 200], 400)
    rows = []
    for edit, change in _edits(sample, rng).items():
        found = sum(
            bool(
                dedupe.first_occurrences(
                    [("a", DAY, dedupe.minhash(body)), ("b", DAY, dedupe.minhash(change(body)))]
                )
            )
            for body in sample
        )
        rows.append((edit, f"{found}/{len(sample)}"))
    print(f"\nRecall on {len(sample)} articles of 200+ characters, each edited once")
    _table(("edit", "found as near-duplicate"), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=int, default=1, help="use every n-th bulletin (default: all)")
    arguments = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent: this benchmark needs the shared evaluation data beside the repo")
    paths = sorted(CORPUS.glob("*.md"))[:: arguments.every]
    markdowns = [path.read_text("utf-8") for path in paths]
    texts = [plain_bulletin(markdown)[0] for markdown in markdowns]
    stems = [path.stem for path in paths]
    report_boundaries(markdowns)
    report_seed()
    report_sentence_cases()
    bulletins = [bulletin_bodies(text) for text in texts]
    bodies = [body for bulletin in bulletins for body in bulletin]
    report_offsets(bodies + [body for markdown in markdowns for body in bulletin_bodies(markdown)])
    report_tagger(bodies)
    report_batched(bulletins)
    report_speed(texts, bodies)
    report_dedupe(bulletins, _names(stems, bulletins))


if __name__ == "__main__":
    main()
