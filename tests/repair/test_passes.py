"""transforms.repair.passes: repair_text on case files, the seed, real mojibake and annotations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.case_files import Case, load
from tests.conftest import SEED, shared_path
from transforms.normalize import normalize_text, strip_boilerplate, to_simplified
from transforms.repair.annotations import strip_annotations
from transforms.repair.passes import repair_text, replay

DOCUMENTED = {"html", "whitespace", "punctuation"}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


FRAGMENTS = st.sampled_from(
    [
        "上海市长宁区",
        "全國(guó)文明",
        "確?!贝缶种袏^勇",
        "確?!笔聵I(yè)中",
        "涓婃捣甯傞暱瀹佸尯",
        "鍏ㄥ浗浜烘皯銆?",
        "å¹´æœ€å€¼",
        "2024å¹´",
        "亳（bó）州",
        "君ㄐㄩㄣ",
        "｜心《ㄒㄧㄣ》",
        "<p>",
        "</p>",
        "<br>",
        "&amp;",
        "&nbsp;",
        "&lt;p&gt;",
        "(CPI)",
        "（试行）",
        "?",
        "\ufffd",
        "!",
        "I",
        "^",
        " ",
        "\n",
        "\u00a0",
        "，",
        "a",
        "1",
        "(",
        ")",
        "是(shì)",
        "本(b)",
        "<script>x</script>",
        "&#60;",
    ]
)


MESSY = st.lists(FRAGMENTS, max_size=12).map("".join) | st.text(
    alphabet=st.sampled_from(list("上海市國確保?!^I(guó)（）贝缶种涓婃捣<>/p&;amp å¹´æ\ufffd\n")), max_size=30
)


@pytest.mark.parametrize("case", load("repair", "fixes"))
def test_repair_fixes(case: Case) -> None:
    result = repair_text(case.input)
    assert result.text == case.wanted
    assert replay(case.input, result.repairs) == result.text
    assert repair_text(result.text).text == result.text


@pytest.mark.parametrize("case", load("repair", "unchanged"))
def test_clean_text_stays(case: Case) -> None:
    result = repair_text(case.input)
    assert (result.text, result.repairs) == (case.wanted, ())


def test_seed_bulletin_comes_out_clean() -> None:
    raw = SEED.read_text(encoding="utf-8")
    repaired_ = repair_text(raw)
    normalized = normalize_text(repaired_.text)
    stripped = strip_boilerplate(normalized.text)
    text = stripped.text
    assert replay(raw, repaired_.repairs) == repaired_.text
    assert replay(repaired_.text, normalized.repairs) == normalized.text
    assert replay(normalized.text, stripped.repairs) == text
    assert not re.search(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+[)）]", text), "a pinyin annotation is left"
    assert "確保”大局中奮勇" in text
    assert "確保”事業中" in text
    simplified = to_simplified(text)
    assert "确保”大局中奋勇" in simplified
    assert "确保”事业中" in simplified
    assert stripped.source == "河南手机报"
    assert text.startswith(
        "全市深化全國文明城市創建工作推進會召開 李國勝講話 擺向陽主持 吳祖明周樹群出席\n\n10月8日下午，"
    )
    assert text.endswith("會上，王全周對深化全國文明城市創建工作進行了安排部署。")
    assert "手機報" not in text
    assert "分享" not in text
    assert "\u00a0" not in text
    assert not re.search(r"(?<=[\u4e00-\u9fff]),|,(?=[\u4e00-\u9fff])", text)
    assert "\n\n\n" not in text


def test_real_mojibake_with_a_known_fix_is_repaired_exactly() -> None:
    samples = _jsonl(shared_path("eval", "artifacts", "mojibake_samples.jsonl"))
    known = [
        s
        for s in samples
        if s["attempted_fix"] and ("exact" in s["fix_method"] or s["fix_method"] == "latin-1")
    ]
    assert len(known) == 18
    assert [repair_text(s["text"]).text for s in known] == [s["attempted_fix"] for s in known]
    control = [s for s in samples if s["kind"] == "clean_utf8_control_line"]
    assert [repair_text(s["text"]).repairs for s in control] == [()]


def test_real_annotations_are_removed() -> None:
    samples = _jsonl(shared_path("eval", "artifacts", "pinyin_annotation_samples.jsonl"))
    readings = re.compile(r"[(（]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\s*[)）]|[ㄅ-ㄩ]")
    for sample in samples:
        text = strip_annotations(sample["text"]).text
        assert not readings.search(text), text
        assert "(red color)" in text or "(red color)" not in sample["text"]
    removed = sum(
        r.kind == "pinyin_annotation" for s in samples for r in strip_annotations(s["text"]).repairs
    )
    assert removed >= sum(s["n_annotations"] for s in samples)


def test_clean_corpus_subset_changes_only_by_documented_canonicalization() -> None:
    news = sorted(shared_path("corpora", "xwlb_daily", "news").glob("*.md"))[::60]
    lines = (
        shared_path("corpora", "thucnews_sample", "cnews.sample1000.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    texts = [p.read_text(encoding="utf-8") for p in news] + [line.split("\t", 1)[1] for line in lines[::5]]
    kinds = {r.kind for text in texts for r in repair_text(text).repairs}
    assert kinds <= DOCUMENTED


@settings(max_examples=300, deadline=None)
@given(MESSY)
def test_repair_never_raises_is_idempotent_and_replays(text: str) -> None:
    once = repair_text(text)
    assert replay(text, once.repairs) == once.text
    assert repair_text(once.text).text == once.text
