"""Build the character 4-gram model the repairs use to infer lost characters.

    python -m bench.train_charlm [--min-counts 2,3,2]

Counts the n-grams of one to `ORDER` characters of the training side of the corpus split (see
bench/corrupt.py: real news text) in `model_form` (Simplified, a run of ASCII digits or letters one
symbol), keeps the pairs, triples and 4-grams seen at least ``--min-counts`` times (the default keeps
the triples the trigram model kept, so that its choices on the seed bulletin stay as sure) and writes
transforms/resources/charlm_4grams.bin.gz. Prints the counts and the file size.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from bench.corrupt import require_shared, training_texts
from transforms.kit.charlm import MODEL, ORDER, model_form, write_model

OUTPUT = Path(__file__).resolve().parents[1] / "transforms" / "resources" / MODEL


def count_ngrams(texts: list[str]) -> list[Counter[str]]:
    """Counts of every n-gram of one to `ORDER` characters of the texts."""
    tables: list[Counter[str]] = [Counter() for _ in range(ORDER)]
    for text in texts:
        for size, table in enumerate(tables, start=1):
            table.update(text[i : i + size] for i in range(len(text) - size + 1))
    return tables


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-counts", default="2,3,2", help="least count kept of each order from 2")
    args = parser.parse_args(argv)
    require_shared()
    began = time.perf_counter()
    texts = [model_form(text) for text in training_texts()]
    counts = count_ngrams(texts)
    least = [int(n) for n in args.min_counts.split(",")]
    kept = [dict(counts[0])] + [
        {k: v for k, v in table.items() if v >= floor} for table, floor in zip(counts[1:], least, strict=True)
    ]
    OUTPUT.write_bytes(write_model(kept))
    print(f"training text: {sum(map(len, texts)):,} symbols in {len(texts):,} documents")
    for size, (table, full) in enumerate(zip(kept, counts, strict=True), start=1):
        print(f"{size}-grams kept {len(table):>9,} of {len(full):>9,}")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
