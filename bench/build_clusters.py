"""Word clusters for the entity tagger, learnt here from the unlabelled news in ../shared/corpora.

    python -m bench.build_clusters [--clusters 256] [--out PATH]

The text of the xwlb bulletins and of the THUCNews sample is cut into words by the pipeline's own
tokenizer (`transforms.segment.tokens.tagger`). Each word seen `MIN_COUNT` times is described by the words
written right before and right after it (counts over the `CONTEXTS` most frequent words, each side
apart, log-scaled and length-normalized), reduced to `DIMENSIONS` dimensions (randomized SVD) and put
in one of `--clusters` clusters (k-means): names of people fall together, so do places, posts and
organizations' endings, whatever the labelled sets hold. `bench/train_ner.py` reads the file this writes
(word, tab, cluster per line; build/ner_clusters.tsv by default) and stores the clusters in the model.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from bench.eval_ner import REPO, SHARED
from transforms.segment.tokens import tagger

OUT = REPO / "build" / "ner_clusters.tsv"
MIN_COUNT = 5
CONTEXTS = 2000
DIMENSIONS = 64
_MARKUP = re.compile(r"<[^>]*>|^#.*$|[A-Za-z]+://\S+", re.MULTILINE)
_CLAUSE = re.compile(r"[^\n。！？；]+")


def texts() -> Iterator[str]:
    """Clauses of the unlabelled corpora: xwlb bulletins without markup, THUCNews articles."""
    for path in sorted((SHARED / "corpora" / "xwlb_daily" / "news").glob("*.md")):
        yield from _CLAUSE.findall(_MARKUP.sub(" ", path.read_text("utf-8")))
    sample = SHARED / "corpora" / "thucnews_sample" / "cnews.sample1000.txt"
    for line in sample.read_text("utf-8").splitlines():
        yield from _CLAUSE.findall(line.partition("\t")[2])


def cooccurrences(sentences: Iterator[list[str]]) -> tuple[list[str], np.ndarray]:
    """The words seen `MIN_COUNT` times and, per word, counts of the frequent words before and after it."""
    cut = [words for words in sentences if words]
    counts = Counter(word for words in cut for word in words)
    vocabulary = [word for word, n in counts.most_common() if n >= MIN_COUNT and word.strip()]
    index = {word: number for number, word in enumerate(vocabulary)}
    context = {word: number for number, word in enumerate(vocabulary[:CONTEXTS])}
    table = np.zeros((len(vocabulary), 2 * CONTEXTS), dtype=np.float32)
    for words in cut:
        numbers = [index.get(word, -1) for word in words]
        sides = [context.get(word, -1) for word in words]
        for position, number in enumerate(numbers):
            if number < 0:
                continue
            if position and sides[position - 1] >= 0:
                table[number, sides[position - 1]] += 1
            if position + 1 < len(words) and sides[position + 1] >= 0:
                table[number, CONTEXTS + sides[position + 1]] += 1
    return vocabulary, table


def embedded(table: np.ndarray, seed: int = 0) -> np.ndarray:
    """Rows of positive pointwise mutual information with the contexts, reduced to `DIMENSIONS`
    (randomized SVD), unit length."""
    contexts = table.sum(axis=0, keepdims=True) ** 0.75  # smoothed: rare contexts weigh less
    expected = table.sum(axis=1, keepdims=True) * contexts / contexts.sum()
    with np.errstate(divide="ignore"):
        scaled = np.maximum(np.log(table / np.maximum(expected, 1e-9)), 0).astype(np.float32)
    scaled /= np.linalg.norm(scaled, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(scaled.T @ (scaled @ rng.standard_normal((scaled.shape[1], 2 * DIMENSIONS))))
    low = scaled @ basis
    _, _, right = np.linalg.svd(low, full_matrices=False)
    vectors = low @ right[:DIMENSIONS].T
    return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)


def kmeans(vectors: np.ndarray, clusters: int, rounds: int = 20, seed: int = 0) -> np.ndarray:
    """Cluster of every row (spherical k-means from the most frequent rows)."""
    centres = vectors[np.random.default_rng(seed).choice(min(len(vectors), 20 * clusters), clusters, False)]
    owners = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(rounds):
        owners = np.argmax(vectors @ centres.T, axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, owners, vectors)
        empty = ~sums.any(axis=1)
        sums[empty] = centres[empty]
        centres = sums / (np.linalg.norm(sums, axis=1, keepdims=True) + 1e-9)
    return owners


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clusters", type=int, default=256)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    cut = tagger()
    vocabulary, table = cooccurrences(cut(text)[0] for text in texts())
    print(f"{len(vocabulary)} words, {time.perf_counter() - began:.0f} s", flush=True)
    owners = kmeans(embedded(table), args.clusters)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(f"{w}\t{c}\n" for w, c in zip(vocabulary, owners, strict=True)), "utf-8")
    print(f"wrote {args.out}: {args.clusters} clusters, {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
