"""Quality gate (issue 25): story figures on real sources must not get worse, and no mention may be
a URL, e-mail, file-name, hash or markup fragment.

The figures are those of `python -m bench.eval_sources --store` (bench/sources_baseline.json); these
tests score the same files the same way (one evaluation for the module) and compare source by source:
story-boundary F1, title and date accuracy may not drop, boilerplate left and junk mentions may not
rise. They skip when ../shared is absent.
"""

from __future__ import annotations

import json

import pytest

from bench import eval_sources
from tests.conftest import shared_path

RISING = ("f1", "titles", "dates")
FALLING = ("boilerplate_left", "junk_mentions")


@pytest.fixture(scope="module")
def scores() -> tuple[dict, dict]:
    shared_path("corpora", "multisource")
    stored = json.loads(eval_sources.BASELINE_FILE.read_text("utf-8"))
    ours, _ = eval_sources.evaluate(eval_sources.all_cases(stored["xwlb_every"]), trafilatura=False)
    return stored["ours"], {source: score.figures() for source, score in ours.items()}


def test_no_source_gets_worse(scores: tuple[dict, dict]) -> None:
    stored, current = scores
    assert current.keys() == stored.keys()
    worse = {
        f"{source} {name}": (figure, current[source][name])
        for source, figures in stored.items()
        for name, figure in figures.items()
        if figure is not None
        and (
            (name in RISING and current[source][name] < figure)
            or (name in FALLING and current[source][name] > figure)
            or (name in ("files", "gold") and current[source][name] != figure)
        )
    }
    assert not worse, f"worse than stored (stored, now): {worse}"


def test_no_mention_is_a_url_email_hash_or_markup_fragment(scores: tuple[dict, dict]) -> None:
    _, current = scores
    assert {
        source: figures["junk_mentions"] for source, figures in current.items() if figures["junk_mentions"]
    } == {}
