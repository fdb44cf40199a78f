"""Build the character trigram model the repairs use to infer lost characters.

    python -m bench.train_charlm [--min-bigram 2] [--min-trigram 3]

Counts characters, pairs and triples of the training side of the corpus split (see bench/corrupt.py:
real news text) in `model_form` (Simplified, ASCII digits and letters one class each), keeps pairs
and triples seen at least ``--min-*`` times and writes transforms/resources/charlm_trigrams.bin.gz.
Prints the counts and the file size.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

from bench.corrupt import require_shared, training_texts
from transforms.repair_charlm import MODEL, model_form, write_model

OUTPUT = Path(__file__).resolve().parents[1] / "transforms" / "resources" / MODEL


def count_ngrams(texts: list[str]) -> list[Counter[str]]:
    """Counts of every character, pair and triple of the texts."""
    tables: list[Counter[str]] = [Counter(), Counter(), Counter()]
    for text in texts:
        tables[0].update(text)
        tables[1].update(map("".join, pairwise(text)))
        tables[2].update(map("".join, zip(text, text[1:], text[2:], strict=False)))
    return tables


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-bigram", type=int, default=2)
    parser.add_argument("--min-trigram", type=int, default=3)
    args = parser.parse_args(argv)
    require_shared()
    began = time.perf_counter()
    texts = [model_form(text) for text in training_texts()]
    unigrams, bigrams, trigrams = count_ngrams(texts)
    kept = [
        dict(unigrams),
        {k: v for k, v in bigrams.items() if v >= args.min_bigram},
        {k: v for k, v in trigrams.items() if v >= args.min_trigram},
    ]
    OUTPUT.write_bytes(write_model(kept))
    print(f"training text: {sum(map(len, texts)):,} characters in {len(texts):,} documents")
    for name, table, full in zip(
        ("unigrams", "bigrams", "trigrams"), kept, (unigrams, bigrams, trigrams), strict=True
    ):
        print(f"{name:9s} kept {len(table):>9,} of {len(full):>9,}")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
