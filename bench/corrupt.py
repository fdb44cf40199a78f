"""Synthetic corruption of real clean text, and the train / held-out split of the clean corpora.

    python -m bench.corrupt KIND [--docs N] [--seed S] [--out DIR]

writes N held-out documents corrupted with KIND (one of `KINDS`) beside their clean reference, as
``DIR/<kind>/<n>.clean.txt`` and ``DIR/<kind>/<n>.corrupt.txt`` (default DIR: bench/out/corrupt).

The split keeps the character language model (bench/train_charlm.py) away from the evaluation text:
``xwlb_daily`` bulletins before 2025-07-01, the even lines of ``thucnews_sample``, CLUENER train
sentences and the People's Daily NER sentences train it; later bulletins and odd THUCNews lines are
held out for bench/eval_repair.py.
Clean text is the corpus text with its HTML residue removed and whitespace normalized.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from tests import corruption
from transforms.normalize import normalize_text
from transforms.repair.html_residue import strip_html_residue

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
XWLB = SHARED / "corpora" / "xwlb_daily" / "news"
THUCNEWS = SHARED / "corpora" / "thucnews_sample" / "cnews.sample1000.txt"
CLUENER = SHARED / "eval" / "ner" / "cluener" / "train.jsonl"
PEOPLES_DAILY = SHARED / "eval" / "ner" / "peoples_daily"
HELD_OUT_FROM = "20250701"

Corrupt = Callable[[str, random.Random], str]
KINDS: dict[str, Corrupt] = {
    "pinyin": lambda text, rng: corruption.inject_pinyin(text, rng),
    "gbk_split": lambda text, rng: corruption.split_gbk_chunks(text, rng),
    "gbk_split_folded": lambda text, rng: corruption.fold_width(corruption.split_gbk_chunks(text, rng)),
    "utf8_as_gbk": lambda text, rng: corruption.utf8_as_gbk(text),
    "utf8_as_latin1": lambda text, rng: corruption.utf8_as_latin1(text, rng),
    "traditional": lambda text, rng: corruption.to_traditional(text),
}


def require_shared() -> None:
    """Exit with a message when the evaluation data beside the repo is absent."""
    if not SHARED.exists():
        sys.exit(f"{SHARED} is absent: the corpora live beside the repo on dev and CI machines only")


def clean(text: str) -> str:
    """Corpus text as the pipeline would leave it before Traditional conversion."""
    return normalize_text(strip_html_residue(text).text).text


def _thucnews(parity: int) -> Iterator[str]:
    with THUCNEWS.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number % 2 == parity:
                yield line.split("\t", 1)[1]


def xwlb_files(held_out: bool) -> list[Path]:
    """The bulletins of one side of the split, in date order."""
    return [p for p in sorted(XWLB.glob("*.md")) if (p.stem >= HELD_OUT_FROM) == held_out]


def training_texts() -> Iterator[str]:
    """Clean text the language model learns from."""
    for path in xwlb_files(held_out=False):
        yield clean(path.read_text(encoding="utf-8"))
    yield from map(clean, _thucnews(0))
    with CLUENER.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)["text"]
    for name in ("example.dev", "example.test"):
        text = (PEOPLES_DAILY / name).read_text(encoding="utf-8")
        for sentence in text.split("\n\n"):
            yield "".join(line.split(" ", 1)[0] for line in sentence.splitlines())


def held_out_texts() -> dict[str, list[str]]:
    """Clean held-out documents by corpus."""
    return {
        "xwlb_daily": [clean(p.read_text(encoding="utf-8")) for p in xwlb_files(held_out=True)],
        "thucnews": [clean(text) for text in _thucnews(1)],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("bench/out/corrupt"))
    args = parser.parse_args(argv)
    require_shared()
    rng = random.Random(args.seed)
    documents = [text for texts in held_out_texts().values() for text in texts]
    folder = args.out / args.kind
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(rng.sample(documents, min(args.docs, len(documents)))):
        (folder / f"{number}.clean.txt").write_text(text, encoding="utf-8")
        (folder / f"{number}.corrupt.txt").write_text(KINDS[args.kind](text, rng), encoding="utf-8")
    print(f"wrote {min(args.docs, len(documents))} pairs to {folder}")


if __name__ == "__main__":
    main()
