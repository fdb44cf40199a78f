"""Quality gate (issue 25): story figures on real sources must not get worse.

The figures are those of `python -m bench.eval_sources --store` (bench/sources_baseline.json); this
test scores the same files the same way and compares source by source: story-boundary F1, title and
date accuracy may not drop, boilerplate left and junk mentions may not rise. It skips when ../shared
is absent.
"""

from __future__ import annotations

import json

from bench import eval_sources
from tests.conftest import shared_path

RISING = ("f1", "titles", "dates")
FALLING = ("boilerplate_left", "junk_mentions")


def test_no_source_gets_worse() -> None:
    shared_path("corpora", "multisource")
    stored = json.loads(eval_sources.BASELINE_FILE.read_text("utf-8"))
    ours, _ = eval_sources.evaluate(eval_sources.all_cases(stored["xwlb_every"]), trafilatura=False)
    current = {source: score.figures() for source, score in ours.items()}
    assert current.keys() == stored["ours"].keys()
    worse = {
        f"{source} {name}": (figure, current[source][name])
        for source, figures in stored["ours"].items()
        for name, figure in figures.items()
        if figure is not None
        and (
            (name in RISING and current[source][name] < figure)
            or (name in FALLING and current[source][name] > figure)
            or (name in ("files", "gold") and current[source][name] != figure)
        )
    }
    assert not worse, f"worse than stored (stored, now): {worse}"
