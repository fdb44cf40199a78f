"""Quality gate (issue 5): entity F1 on the ../shared NER sets must not drop by more than a point.

The figures are those of `python -m bench.eval_ner --store` (bench/ner_baseline.json); this test
scores the same sentences through the same path (pipeline tokens, then `transforms.entities.extract`)
and compares label by label. It skips when ../shared is absent.
"""

from __future__ import annotations

import json

from bench import eval_ner
from tests.conftest import shared_path

TOLERANCE = 0.01


def test_no_label_drops_by_more_than_a_point() -> None:
    shared_path("eval", "ner")
    stored = json.loads(eval_ner.BASELINE_FILE.read_text("utf-8"))
    results = eval_ner.evaluate(eval_ner.suite(), ["ours"])
    assert {name: result["sentences"] for name, result in results.items()} == stored["sentences"]
    current = eval_ner.f1_table(results)
    drops = {
        f"{dataset} {label}": (figure, current[dataset][label])
        for dataset, labels in stored["f1"]["ours"].items()
        for label, figure in labels.items()
        if current[dataset][label] < figure - TOLERANCE
    }
    assert not drops, f"F1 dropped (stored, now): {drops}"
