"""transforms.dedupe: MinHash signatures and first occurrences of near-duplicate articles."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.dedupe import (
    PERMUTATIONS,
    THRESHOLD,
    WINDOW,
    first_occurrences,
    minhash,
    minhash_all,
    similarity,
)

STORY = (
    "10月8日下午，全市深化全国文明城市创建工作推进会召开，深入学习贯彻习近平总书记关于文明创建工作的重要论述精神，"
    "进一步提升认识、统一思想、凝聚力量，坚持常态长效，巩固创建成果，提升创建质量。市委书记李国胜讲话，"
    "市委副书记、市长摆向阳主持，市委副书记吴祖明、市人大常委会主任周树群出席。"
)
OTHER_STORY = (
    "国家统计局今天发布数据，前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好，"
    "高质量发展扎实推进，就业物价总体稳定，国际收支基本平衡，主要预期目标有望顺利完成。"
)

# SHA-256 of signatures as warehouses store them, measured with the first release of `minhash` (one body at
# a time): a short text (one shingle), a story, and a long text spanning several hashing chunks.
STORED = {
    "推进会": "facfd898b04d5e69712d32ec80cc7ead5eee2c921b067ceb3a78ccde0768c92b",
    STORY: "082f99ed5acf71f0dbaded093ad7330b6457d544588e4dd46bbb7632f8b53000",
    OTHER_STORY * 20: "21c7eb2af35970a76506ad8fc6a28ccb523ded7f5f6d19bbc97d40e3cc94ea1c",
}


def _shingles(text: str) -> set[str]:
    return {text[i : i + 5] for i in range(len(text) - 4)}


def test_signatures_are_the_same_in_another_process() -> None:
    code = "import sys; from transforms.dedupe import minhash; sys.stdout.write(minhash(sys.argv[1]).hex())"
    other = subprocess.run([sys.executable, "-c", code, STORY], capture_output=True, text=True, check=True)
    assert other.stdout == minhash(STORY).hex()


def test_signatures_have_a_fixed_size_and_ignore_blanks() -> None:
    assert {len(minhash(text)) for text in ("", "短", STORY, STORY * 20)} == {PERMUTATIONS * 4}
    assert minhash(STORY) == minhash(STORY.replace("，", "，\n  "))
    assert minhash("") == minhash(" \n") == b"\xff" * (PERMUTATIONS * 4)


@pytest.mark.parametrize(
    "edited", [STORY[20:], STORY + "会上，王全周对创建工作进行了安排部署。", STORY[:80] + STORY[100:]]
)
def test_similarity_estimates_the_jaccard_index_of_shingles(edited: str) -> None:
    exact = len(_shingles(STORY) & _shingles(edited)) / len(_shingles(STORY) | _shingles(edited))
    assert similarity(minhash(STORY), minhash(edited)) == pytest.approx(exact, abs=0.1)


def _dated(*articles: tuple[str, str]) -> list[tuple[str, dt.date, bytes]]:
    """(article_id, issue_date, signature) of articles given as ("YYYY-MM-DD/x", text)."""
    return [
        (article_id, dt.date.fromisoformat(article_id[:10]), minhash(text)) for article_id, text in articles
    ]


def test_a_near_duplicate_points_to_the_first_occurrence() -> None:
    items = _dated(
        ("2024-01-01/a", STORY),
        ("2024-01-01/b", OTHER_STORY),
        ("2024-01-02/a", "据商丘日报报道，" + STORY),
        ("2024-01-03/a", STORY.replace("李国胜", "李某")),
    )
    assert first_occurrences(items) == {"2024-01-02/a": "2024-01-01/a", "2024-01-03/a": "2024-01-01/a"}


def test_a_chain_of_edits_points_to_the_first_article_of_the_group() -> None:
    second = STORY[:-10] + OTHER_STORY[:10]  # the end rewritten
    third = OTHER_STORY[-10:] + second[10:]  # then the beginning too
    assert similarity(minhash(STORY), minhash(third)) < THRESHOLD
    items = _dated(("2024-01-01/first", STORY), ("2024-01-02/second", second), ("2024-01-03/third", third))
    assert first_occurrences(items) == {
        "2024-01-02/second": "2024-01-01/first",
        "2024-01-03/third": "2024-01-01/first",
    }


def test_articles_from_earlier_runs_come_first() -> None:
    earlier_run = _dated(("2023-12-31/a", STORY))
    this_run = _dated(("2024-01-05/a", OTHER_STORY), ("2024-01-05/b", STORY + "（完）"))
    assert first_occurrences(earlier_run + this_run) == {"2024-01-05/b": "2023-12-31/a"}


def test_an_article_older_than_the_window_is_not_a_first_occurrence() -> None:
    notice = (
        "全国政协十四届二次会议将于3月4日下午3时在北京开幕，全国政协主席王沪宁将作全国政协常委会工作报告。"
        "届时，中央广播电视总台所属中央电视台综合频道、新闻频道、中文国际频道将进行现场直播。"
    )
    next_year = notice.replace("二次会议", "三次会议")
    items = _dated(("2024-03-03/a", notice), ("2025-03-03/a", next_year), ("2025-03-09/a", next_year))
    assert first_occurrences(items) == {"2025-03-09/a": "2025-03-03/a"}
    assert first_occurrences(items, window=dt.timedelta(days=400)) == {
        "2025-03-03/a": "2024-03-03/a",
        "2025-03-09/a": "2024-03-03/a",
    }
    late = _dated(("2024-03-03/a", notice), ("2024-03-10/a", notice), ("2024-03-11/a", notice))
    assert first_occurrences(late) == {"2024-03-10/a": "2024-03-03/a", "2024-03-11/a": "2024-03-03/a"}


VERSIONS = [
    minhash(text) for text in (STORY, STORY + "（完）", "据报道，" + STORY, OTHER_STORY, OTHER_STORY[5:])
]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, len(VERSIONS) - 1)), max_size=30),
    st.integers(0, 45),
)
def test_linking_from_a_change_on_equals_linking_the_whole_history(
    articles: list[tuple[int, int]], changed_from: int
) -> None:
    start = dt.date(2024, 1, 1)
    items = sorted(
        (start + dt.timedelta(days=day), f"{day:02d}/{n}", VERSIONS[version])
        for n, (day, version) in enumerate(articles)
    )
    whole = first_occurrences((article_id, day, signature) for day, article_id, signature in items)
    since = start + dt.timedelta(days=changed_from)
    settled = {article_id: whole.get(article_id) for day, article_id, _ in items if day < since}
    recent = [(article_id, day, signature) for day, article_id, signature in items if day >= since - WINDOW]
    assert first_occurrences(recent, settled=settled) == {
        article_id: first for article_id, first in whole.items() if article_id in {a for a, _, _ in recent}
    }


def test_different_stories_and_blank_texts_are_not_duplicates() -> None:
    items = _dated(
        ("2024-01-01/a", STORY), ("2024-01-01/b", OTHER_STORY), ("2024-01-01/c", ""), ("2024-01-01/d", " ")
    )
    assert first_occurrences(items) == {}


def test_the_threshold_can_be_lowered() -> None:
    items = _dated(("2024-01-01/a", STORY), ("2024-01-01/b", STORY[:-20] + OTHER_STORY[:20]))  # Jaccard 0.76
    assert first_occurrences(items) == {}
    assert first_occurrences(items, threshold=0.7) == {"2024-01-01/b": "2024-01-01/a"}


@pytest.mark.parametrize("text", STORED, ids=lambda text: f"{len(text)} characters")
def test_signatures_stored_by_earlier_releases_stay_valid(text: str) -> None:
    assert hashlib.sha256(minhash(text)).hexdigest() == STORED[text]
    assert hashlib.sha256(minhash_all(["", text, STORY])[1]).hexdigest() == STORED[text]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="推进会召开全市文明 \n\u3000\x00a。", max_size=1500), max_size=6))
def test_signing_a_file_at_once_equals_signing_each_body(bodies: list[str]) -> None:
    expected = [minhash_all([body])[0] for body in bodies]
    assert minhash_all(bodies) == expected
    assert [signature is None for signature in expected] == [not body.strip() for body in bodies]
    assert [signature or minhash("") for signature in expected] == [minhash(body) for body in bodies]
