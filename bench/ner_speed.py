"""Speed of the entity stage and of its tagger (`python -m bench.eval_ner --speed | --model-speed |
--speed-short`): on the xwlb bulletins, and on short sentences against the baselines' taggers."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.eval_ner import ISSUE_DATE, NER_DATA, jieba_posseg, read_columns, rjieba_tag


def corpus_files(corpus: Path, limit: int | None) -> list[Path]:
    """The bulletins of `corpus`: every one, or `limit` spread evenly."""
    files = sorted(corpus.glob("*.md"))
    return files[:: max(len(files) // limit, 1)][:limit] if limit else files


def model_speed(corpus: Path, limit: int | None = None, rounds: int = 3) -> dict[str, float]:
    """The tagger alone (`transforms.ner`: features, scores, decoding) on the articles the pipeline
    makes of `corpus`: one call per article (`find_spans`) against one call per file
    (`find_spans_all`), best of `rounds` by wall clock; also checks that the two agree."""
    from transforms import entities, pipeline
    from transforms.entities import ner
    from transforms.records import FileMeta

    trained = ner.model()
    per_file: list[list[tuple[str, ner.Tokens]]] = []
    extract_all = entities.extract_all

    def kept(texts, sentences, tokens, issue_date):
        per_file.append([(t, entities.model_tokens(w, trained)) for t, w in zip(texts, tokens, strict=True)])
        return extract_all(texts, sentences, tokens, issue_date)

    entities.extract_all = kept
    try:
        for path in corpus_files(corpus, limit):
            pipeline.process_file(path.read_bytes(), FileMeta(str(path), ISSUE_DATE))
    finally:
        entities.extract_all = extract_all
    articles = [article for found in per_file for article in found]
    megabytes = sum(len(text.encode()) for text, _ in articles) / 1e6

    def best_of(run: Callable[[], list]) -> tuple[float, list]:
        times, found = [], []
        for _ in range(rounds):
            began = time.perf_counter()
            found = run()
            times.append(time.perf_counter() - began)
        return min(times), found

    alone, one_by_one = best_of(lambda: [ner.find_spans(text, words, trained) for text, words in articles])
    batched, by_file = best_of(
        lambda: [
            spans
            for found in per_file
            for spans in ner.find_spans_all([t for t, _ in found], [w for _, w in found], trained)
        ]
    )
    return {
        "files": len(per_file),
        "articles": len(articles),
        "article_mb": round(megabytes, 2),
        "per_article_s": round(alone, 3),
        "per_file_s": round(batched, 3),
        "per_article_mb_per_s": round(megabytes / alone, 2),
        "per_file_mb_per_s": round(megabytes / batched, 2),
        "equal": one_by_one == by_file,
    }


def short_sentences(count: int = 2000, shortest: int = 30, longest: int = 50) -> list[str]:
    """`count` sentences of `shortest`–`longest` characters from People's Daily test, spread evenly."""
    texts = [
        text
        for text, _ in read_columns(NER_DATA / "peoples_daily" / "example.test")
        if shortest <= len(text) <= longest
    ]
    return texts[:: max(len(texts) // count, 1)][:count]


def short_speed(texts: list[str], rounds: int = 3) -> dict[str, dict[str, float]]:
    """Characters per second on short texts: ours through one batch call (`entities.extract_texts`), the
    baselines one call per text (their API), the three in turn for `rounds` rounds (best round of each,
    and the median)."""
    from transforms import entities

    systems: dict[str, Callable[[], object]] = {
        "ours (batch)": lambda: entities.extract_texts(texts, ISSUE_DATE),
        "jieba.posseg": lambda: [jieba_posseg(text) for text in texts],
        "rjieba.tag": lambda: [rjieba_tag(text) for text in texts],
    }
    for run in systems.values():  # warm up: dictionaries and models loaded
        run()
    times: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(rounds):
        for name, run in systems.items():
            began = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - began)
    characters = sum(map(len, texts))
    return {
        name: {
            "best_chars_per_s": round(characters / min(spent)),
            "median_chars_per_s": round(characters / sorted(spent)[len(spent) // 2]),
        }
        for name, spent in times.items()
    } | {"texts": {"count": len(texts), "characters": characters}}


def entity_speed(corpus: Path, limit: int | None = None) -> dict[str, float]:
    """Run the pipeline over the bulletins of `corpus` (every one, or `limit` spread evenly) and time
    each call of `transforms.entities.extract_all` it makes (the entity stage of a file, model
    included): MB of article text per second, by wall clock and by this process's CPU time (the two
    differ when other processes share the CPUs)."""
    from transforms import entities, pipeline
    from transforms.records import FileMeta

    files = corpus_files(corpus, limit)
    extract_all = entities.extract_all
    spent = {"wall": 0.0, "cpu": 0.0, "bytes": 0, "articles": 0}

    def timed(texts, sentences, tokens, issue_date):
        wall, cpu = time.perf_counter(), time.process_time()
        found = extract_all(texts, sentences, tokens, issue_date)
        spent["wall"] += time.perf_counter() - wall
        spent["cpu"] += time.process_time() - cpu
        spent["bytes"] += sum(len(text.encode()) for text in texts)
        spent["articles"] += len(texts)
        return found

    entities.extract_all = timed
    try:
        for path in files:
            pipeline.process_file(path.read_bytes(), FileMeta(str(path), ISSUE_DATE))
    finally:
        entities.extract_all = extract_all
    megabytes = spent["bytes"] / 1e6
    return {
        "files": len(files),
        "articles": spent["articles"],
        "article_mb": round(megabytes, 2),
        "entity_wall_s": round(spent["wall"], 2),
        "entity_cpu_s": round(spent["cpu"], 2),
        "mb_per_s_wall": round(megabytes / spent["wall"], 2),
        "mb_per_s_cpu": round(megabytes / spent["cpu"], 2),
    }
