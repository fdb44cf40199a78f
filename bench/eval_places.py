"""How many county-level places the entity stage normalizes to their full name, on real bulletins.

    python -m bench.eval_places [--corpus DIR] [--every 15] [--sample 100] [--out FILE]

Runs the pipeline over every `--every`-th bulletin of the corpus (xwlb by default) and takes each
LOC mention that names a county-level division of the gazetteer (`county_level`: 睢阳区, 河南永城;
`transforms.entities.places.counties`): a county-level mention. It is normalized
when its `normalized` form starts with the full name of a county (河南省商丘市永城市…). Prints the
counts, the share normalized, the names left as written (most frequent first) and writes `--sample`
mentions, spread evenly, with their sentence to `--out` for reading by hand.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bench.eval_ner import ISSUE_DATE, SHARED
from transforms import pipeline
from transforms.entities import places
from transforms.records import FileMeta


def county_level(text: str) -> bool:
    """Whether a place names a county-level division: a county's full name (睢阳区, 兴安县), or a short or
    full one after the names of its province or prefecture (河南永城). A short name alone (西湖, 金山)
    is most often something else of that name, and a name above county level (河南) is no county.

    >>> [county_level(t) for t in ("河南永城", "睢阳区", "商丘", "鼓楼区", "西湖", "河南", "新疆喀什")]
    [True, True, False, True, False, False, False]
    """
    names, above = places.counties(), places.divisions()
    if text in above:
        return False
    for length in range(2, min(len(text), 12) + 1):
        tail, head = text[-length:], text[:-length]
        if tail not in names or tail in above:  # 新疆喀什: the prefecture, not its city 喀什市
            continue
        if _divisions_only(head, above) if head else any(full.endswith(tail) for full in names[tail]):
            return True
    return False


def _divisions_only(text: str, above: dict[str, str]) -> bool:
    """Whether a text is made of names of divisions above county level (河南, 河南商丘).

    >>> _divisions_only("河南商丘", {"河南": "", "商丘": ""}), _divisions_only("旧", {})
    (True, False)
    """
    if not text:
        return True
    return any(
        text[:size] in above and _divisions_only(text[size:], above) for size in range(2, len(text) + 1)
    )


def normalized_to_county(normalized: str) -> bool:
    """Whether a normalized place starts with the full name of a county.

    >>> normalized_to_county("河南省商丘市永城市"), normalized_to_county("鼓楼区")
    (True, False)
    """
    return any(normalized.startswith(full) for full in _full_names(normalized[:2]))


def _full_names(head: str) -> list[str]:
    return [full for names in places.counties().values() for full in names if full.startswith(head)]


def county_mentions(corpus: Path, every: int) -> list[dict]:
    """The county-level LOC mentions of every `every`-th bulletin: text, normalized, sentence, file."""
    found = []
    for path in sorted(corpus.glob("*.md"))[::every]:
        rows = pipeline.process_file(path.read_bytes(), FileMeta(str(path), ISSUE_DATE)).tables
        articles = rows["articles"].data
        texts = dict(zip(articles.get("article_id", []), articles.get("text", []), strict=True))
        mentions = rows["mentions"].data
        for article, start, end, label, normalized in zip(
            *(mentions.get(column, []) for column in ("article_id", "start", "end", "label", "normalized")),
            strict=True,
        ):
            surface = texts[article][start:end]
            if label == "LOC" and county_level(surface):
                context = texts[article][max(0, start - 20) : end + 20].replace("\n", " ")
                found.append(
                    {"file": path.name, "text": surface, "normalized": normalized, "context": context}
                )
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "xwlb_daily" / "news")
    parser.add_argument("--every", type=int, default=15)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("build") / "county_sample.jsonl")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus} is absent: skipped")
        return
    found = county_mentions(args.corpus, args.every)
    done = [m for m in found if normalized_to_county(m["normalized"])]
    share = len(done) / len(found) if found else 0.0
    print(f"{len(found)} county-level mentions, {len(done)} normalized to a county ({share:.1%})")
    left = Counter(m["text"] for m in found if m not in done)
    print("left as written:", ", ".join(f"{text} {n}" for text, n in left.most_common(40)))
    sample = found[:: max(len(found) // args.sample, 1)][: args.sample]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in sample), "utf-8")
    print(f"wrote {len(sample)} mentions to {args.out}")


if __name__ == "__main__":
    main()
