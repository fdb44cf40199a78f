"""Entity extraction scored on labelled NER sets, side by side with tagger baselines (issue 5).

    python -m bench.eval_ner                                   # the suite below, printed
    python -m bench.eval_ner --format cluener|bio|bmes PATH [PATH ...] [--json OUT]
    python -m bench.eval_ner --store                           # the suite; the best F1 kept as baseline
    python -m bench.eval_ner --speed [--corpus DIR] [--limit N]  # entity stage MB/s on xwlb_daily
    python -m bench.eval_ner --model-speed [--corpus DIR] [--limit N]  # the tagger alone, per article / file
    python -m bench.eval_ner --speed-short                     # characters/s on 30-50 character sentences

The suite (../shared/eval/ner): the CLUENER dev carve (the sentences of cluener/train.jsonl that
`in_dev_carve` picks; bench/train_ner.py never trains on them), People's Daily dev (trained on: shown,
not held out) and test (held out), People's Daily 1998 dev (held out: clause fragments of January
1998 news, filtered against People's Daily test), Resume dev (held out). Every sentence goes through
the pipeline's own path: `transforms.tokens.tokenize` (rjieba with the project dictionary) then
`transforms.entities.extract`. The baselines tag the same sentences: jieba.posseg and rjieba.tag,
nr → PERSON, ns → LOC, nt → ORG.

Scoring is exact span and label. Label mapping, dataset → ours:
    cluener  name → PERSON, position → POSITION, government → GOV, organization and company → ORG,
             address and scene (landmarks) → LOC, book → DOCUMENT; movie and game are not scored
             (no label of ours): those gold spans are dropped, and so is a prediction on exactly such
             a span (a film title in 《》 is a DOCUMENT to us).
    bio      (People's Daily) PER → PERSON, LOC → LOC, ORG → ORG; our GOV counts as ORG.
    bmes     (Resume) NAME → PERSON, TITLE → POSITION, ORG → ORG (our GOV counts as ORG); LOC,
             CONT, EDU, PRO and RACE are not scored.
A POSITION that names its body (`transforms.entities.posts.body_of_post`: 全国人大常委会 + 副委员长, 外交部 +
发言人) is scored as that body, a GOV, and the office, a POSITION: all three sets annotate the two apart
(People's Daily the body alone), while our mentions keep the post whole, as bulletins write it and
issue 5 asks (市人大常委会主任); the body is the organization of the post's roles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NER_DATA = SHARED / "eval" / "ner"
BASELINE_FILE = REPO / "bench" / "ner_baseline.json"
ISSUE_DATE = dt.date(2021, 10, 9)  # any date: the sets carry none, and the scored labels ignore it

Span = tuple[int, int, str]
Sentence = tuple[str, list[Span]]

MAPPINGS: dict[str, dict[str, str | None]] = {
    "cluener": {
        "name": "PERSON",
        "position": "POSITION",
        "government": "GOV",
        "organization": "ORG",
        "company": "ORG",
        "address": "LOC",
        "book": "DOCUMENT",
        "scene": "LOC",
        "movie": None,
        "game": None,
    },
    "bio": {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"},
    "bmes": {"NAME": "PERSON", "TITLE": "POSITION", "ORG": "ORG", "LOC": None, "CONT": None, "EDU": None}
    | {"PRO": None, "RACE": None},
}
# Our labels a dataset does not tell apart, folded into the one it uses.
FOLDS: dict[str, dict[str, str]] = {"cluener": {}, "bio": {"GOV": "ORG"}, "bmes": {"GOV": "ORG"}}
BASELINE_TAGS = {"nr": "PERSON", "ns": "LOC", "nt": "ORG"}
SUITE = (
    ("cluener dev carve", "cluener", "cluener/train.jsonl"),
    ("peoples_daily dev (trained on)", "bio", "peoples_daily/example.dev"),
    ("peoples_daily test", "bio", "peoples_daily/example.test"),
    ("peoples_daily_1998 dev", "bio", "peoples_daily_1998/dev.bio"),
    ("resume dev", "bmes", "resume/dev.char.bmes"),
)


def in_dev_carve(text: str) -> bool:
    """Whether a CLUENER train sentence belongs to the fixed dev carve (about 10%, by content hash).

    >>> in_dev_carve("万通地产设计总监刘克峰；")
    True
    """
    return int(hashlib.sha1(text.encode()).hexdigest(), 16) % 10 == 0


def read_cluener(path: Path, carve: bool | None) -> list[Sentence]:
    """CLUENER jsonl (span ends inclusive) → sentences; `carve` keeps only the dev carve (True) or the
    rest (False), None keeps all."""
    sentences = []
    for line in path.read_text("utf-8").splitlines():
        record = json.loads(line)
        text = record["text"]
        if carve is not None and in_dev_carve(text) != carve:
            continue
        spans = [
            (start, end + 1, label)
            for label, surfaces in record.get("label", {}).items()
            for places in surfaces.values()
            for start, end in places
        ]
        sentences.append((text, sorted(spans)))
    return sentences


def read_columns(path: Path) -> list[Sentence]:
    """One `char tag` per line, blank line between sentences, BIO or BMES tags → sentences."""
    return parse_columns(path.read_text("utf-8-sig"))


def parse_columns(text: str) -> list[Sentence]:
    """Sentences of column text: a character and its tag per line, parted by a tab or spaces (the
    character may be a blank itself), a blank line between sentences; any line ending.

    >>> parse_columns("商\\tB-LOC\\r\\n丘\\tE-LOC\\r\\n\\r\\n  O\\n市 S-LOC\\n")
    [('商丘', [(0, 2, 'LOC')]), (' 市', [(1, 2, 'LOC')])]
    """
    sentences: list[Sentence] = []
    pairs: list[tuple[str, str]] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            pairs.append((line[0], line.split()[-1]))
        elif pairs:
            sentences.append(("".join(char for char, _ in pairs), spans_of_tags([tag for _, tag in pairs])))
            pairs = []
    return sentences


def spans_of_tags(tags: list[str]) -> list[Span]:
    """Spans from BIO or BMES tags.

    >>> spans_of_tags(["B-PER", "I-PER", "O", "S-LOC", "B-ORG", "M-ORG", "E-ORG"])
    [(0, 2, 'PER'), (3, 4, 'LOC'), (4, 7, 'ORG')]
    """
    spans: list[Span] = []
    start, label = None, ""
    for position, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        if start is not None and (prefix in "BSO" or name != label):
            spans.append((start, position, label))
            start = None
        if prefix in "BS" or (prefix in "IME" and start is None):
            start, label = position, name
        if prefix in "ES" and start is not None:
            spans.append((start, position + 1, label))
            start = None
    return spans


def read(fmt: str, path: Path, carve: bool | None = None) -> list[Sentence]:
    """Sentences of a file in one of the three formats."""
    return read_cluener(path, carve) if fmt == "cluener" else read_columns(path)


# --- systems: text → spans with our labels ---------------------------------------------------------


def ours(text: str) -> list[Span]:
    """This project: the pipeline's tokens, then `transforms.entities.extract`; a post that names its
    body is scored as the body and the office (see the label mapping above)."""
    from transforms import entities
    from transforms.entities.posts import body_of_post
    from transforms.segment import tokens

    sentences = [(0, 0, len(text))]
    found = entities.extract(text, sentences, tokens.tokenize(text, sentences), ISSUE_DATE).mentions.data
    spans: list[Span] = []
    for start, end, label in zip(
        found.get("start", []), found.get("end", []), found.get("label", []), strict=True
    ):
        body = body_of_post(text[start:end]) if label == "POSITION" else None
        if body is None:
            spans.append((start, end, label))
        else:
            spans += [(start, start + len(body), "GOV"), (start + len(body), end, "POSITION")]
    return spans


def tagged_spans(words: Iterable[tuple[str, str]]) -> list[Span]:
    """Spans of the words whose POS tag is nr, ns or nt.

    >>> tagged_spans([("市长", "n"), ("摆向阳", "nr")])
    [(2, 5, 'PERSON')]
    """
    spans, position = [], 0
    for word, tag in words:
        if tag in BASELINE_TAGS:
            spans.append((position, position + len(word), BASELINE_TAGS[tag]))
        position += len(word)
    return spans


def jieba_posseg(text: str) -> list[Span]:
    """Baseline: jieba.posseg."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return tagged_spans((pair.word, pair.flag) for pair in jieba.posseg.cut(text))


def rjieba_tag(text: str) -> list[Span]:
    """Baseline: rjieba.tag."""
    import rjieba

    return tagged_spans(rjieba.tag(text))


SYSTEMS: dict[str, Callable[[str], list[Span]]] = {
    "ours": ours,
    "jieba.posseg": jieba_posseg,
    "rjieba.tag": rjieba_tag,
}


# --- scoring ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Exact-match counts per label."""

    hits: Counter
    predicted: Counter
    gold: Counter

    def figures(self, label: str) -> dict[str, float | int]:
        hits, predicted, gold = self.hits[label], self.predicted[label], self.gold[label]
        precision = hits / predicted if predicted else 0.0
        recall = hits / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        return {
            "p": round(precision, 4),
            "r": round(recall, 4),
            "f1": round(f1, 4),
            "gold": gold,
            "pred": predicted,
        }


def score(fmt: str, sentences: list[Sentence], system: Callable[[str], list[Span]]) -> dict:
    """Per-label precision, recall and F1 of `system` on `sentences`, with the dataset's mapping."""
    mapping, fold = MAPPINGS[fmt], FOLDS[fmt]
    scored = {label for label in mapping.values() if label}
    tally = Tally(Counter(), Counter(), Counter())
    began = time.perf_counter()
    for text, spans in sentences:
        gold = {(s, e, mapping[label]) for s, e, label in spans if mapping.get(label)}
        unscored = {(s, e) for s, e, label in spans if not mapping.get(label)}
        predicted = {
            (s, e, fold.get(label, label))
            for s, e, label in system(text)
            if fold.get(label, label) in scored and (s, e) not in unscored
        }
        tally.gold.update(label for _, _, label in gold)
        tally.predicted.update(label for _, _, label in predicted)
        tally.hits.update(label for _, _, label in gold & predicted)
    seconds = time.perf_counter() - began
    return {"labels": {label: tally.figures(label) for label in sorted(scored)}, "seconds": round(seconds, 2)}


def evaluate(datasets: list[tuple[str, str, list[Sentence]]], systems: Iterable[str]) -> dict:
    """Every system on every dataset: {dataset: {"sentences": n, "systems": {system: score}}}."""
    results = {}
    for name, fmt, sentences in datasets:
        results[name] = {
            "format": fmt,
            "sentences": len(sentences),
            "systems": {system: score(fmt, sentences, SYSTEMS[system]) for system in systems},
        }
    return results


def suite() -> list[tuple[str, str, list[Sentence]]]:
    """The standard evaluation sets, read from ../shared/eval/ner."""
    return [(name, fmt, read(fmt, NER_DATA / relative, carve=True)) for name, fmt, relative in SUITE]


def render(results: dict) -> str:
    """A table per dataset: F1 (P/R) of every system per label, and our margin over the best baseline."""
    lines = []
    for name, result in results.items():
        systems = result["systems"]
        lines.append(f"\n{name} ({result['sentences']} sentences, {result['format']})")
        lines.append(
            f"{'label':<10}{'gold':>6}  " + "".join(f"{system:>26}" for system in systems) + "   margin"
        )
        for label, figures in systems["ours"]["labels"].items():
            cells = "".join(
                "{f1:>12.3f} ({p:.3f}/{r:.3f})".format(**systems[system]["labels"][label])
                for system in systems
            )
            others = [systems[s]["labels"][label]["f1"] for s in systems if s != "ours"]
            margin = f"{figures['f1'] - max(others):+.3f}" if others else ""
            lines.append(f"{label:<10}{figures['gold']:>6}  {cells}   {margin}")
        lines.append(f"{'seconds':<18}" + "".join(f"{systems[s]['seconds']:>26}" for s in systems))
    return "\n".join(lines)


def f1_table(results: dict, system: str = "ours") -> dict[str, dict[str, float]]:
    """F1 of one system per dataset and label (the gate test compares ours with the stored figures)."""
    return {
        name: {label: figures["f1"] for label, figures in result["systems"][system]["labels"].items()}
        for name, result in results.items()
        if system in result["systems"]
    }


def stored_figures(results: dict, before: dict | None = None) -> dict:
    """What bench/ner_baseline.json holds: F1 per dataset and label of every system, sentences scored.
    Ours is the better of this run's figure and the one stored `before`, so the gate's bar only rises.

    >>> labels = {"ORG": {"f1": 0.7}, "LOC": {"f1": 0.5}}
    >>> run = {"set": {"sentences": 9, "systems": {"ours": {"labels": labels}}}}
    >>> stored_figures(run, {"f1": {"ours": {"set": {"ORG": 0.6, "LOC": 0.6}}}})["f1"]["ours"]
    {'set': {'ORG': 0.7, 'LOC': 0.6}}
    """
    systems = next(iter(results.values()))["systems"]
    figures = {system: f1_table(results, system) for system in systems}
    best = before["f1"]["ours"] if before else {}
    for dataset, labels in figures["ours"].items():
        for label, figure in labels.items():
            labels[label] = max(figure, best.get(dataset, {}).get(label, 0.0))
    return {"sentences": {name: result["sentences"] for name, result in results.items()}, "f1": figures}


def main(argv: list[str] | None = None) -> None:
    from bench import ner_speed

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path, help="files to score (default: the suite)")
    parser.add_argument("--format", choices=sorted(MAPPINGS), help="format of PATH")
    parser.add_argument("--all", action="store_true", help="score every sentence of a cluener train.jsonl")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument(
        "--store", action="store_true", help=f"write our F1 per label to {BASELINE_FILE.name}"
    )
    parser.add_argument("--speed", action="store_true", help="measure the entity stage instead")
    parser.add_argument(
        "--model-speed", action="store_true", help="measure the tagger alone, per article and per file"
    )
    parser.add_argument(
        "--speed-short",
        action="store_true",
        help="chars/s on short sentences, ours and the baselines",
    )
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "xwlb_daily" / "news")
    parser.add_argument("--limit", type=int, help="with --speed: this many files, spread over the corpus")
    args = parser.parse_args(argv)
    if args.speed_short:
        print(json.dumps(ner_speed.short_speed(ner_speed.short_sentences()), indent=2))
        return
    if args.speed or args.model_speed:
        measure = ner_speed.model_speed if args.model_speed else ner_speed.entity_speed
        print(json.dumps(measure(args.corpus, args.limit), indent=2))
        return
    if args.paths:
        if not args.format:
            parser.error("--format is required with PATH")
        carve = True if args.format == "cluener" and not args.all else None
        datasets = [
            (str(path), args.format, read(args.format, path, carve if path.name == "train.jsonl" else None))
            for path in args.paths
        ]
    else:
        datasets = suite()
    results = evaluate(datasets, SYSTEMS)
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if args.store:
        before = json.loads(BASELINE_FILE.read_text("utf-8")) if BASELINE_FILE.exists() else None
        BASELINE_FILE.write_text(
            json.dumps(stored_figures(results, before), ensure_ascii=False, indent=2) + "\n", "utf-8"
        )


if __name__ == "__main__":
    main()
