"""transforms.kit.edits: composed logs replay."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.kit.edits import compose, repaired
from transforms.records import Repair, Repaired
from transforms.repair.passes import replay

EDIT = st.tuples(
    st.integers(0, 12), st.integers(0, 3), st.text(alphabet="xyz", max_size=3), st.sampled_from("ab")
)


def _edits(text: str, wanted: list[tuple[int, int, str, str]]) -> Repaired:
    """Non-overlapping repairs built from (offset, length, after, kind) wishes."""
    edits, end = [], 0
    for offset, length, after, kind in sorted(wanted):
        if offset >= end and offset + length <= len(text) and (length or after):
            edits.append(Repair(kind, offset, text[offset : offset + length], after))
            end = offset + length + 1
    return repaired(text, edits)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789", max_size=12), st.lists(EDIT, max_size=5), st.lists(EDIT, max_size=5))
def test_composed_logs_replay(text: str, first: list, second: list) -> None:
    one = _edits(text, first)
    two = _edits(one.text, second)
    log = compose(text, one, two.repairs)
    assert replay(text, log) == two.text
    spans = sorted((r.offset, r.offset + len(r.before)) for r in log)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))
