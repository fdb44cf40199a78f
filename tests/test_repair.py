"""repair: fixes as data, clean text untouched, the seed bulletin golden test, real defects, properties."""

from __future__ import annotations

import gzip
import json
import random
import re
import struct
from array import array
from collections.abc import Iterator
from importlib.resources import files
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED, shared_path
from transforms.kit.charlm import MODEL, ORDER, CharLM, DocumentCache, char_lm, choose, write_model
from transforms.kit.edits import compose, repaired
from transforms.normalize import normalize_text, strip_boilerplate, to_simplified
from transforms.records import Repair, Repaired
from transforms.repair.annotations import strip_annotations
from transforms.repair.passes import repair_text, replay

CASES = Path(__file__).parent / "cases"
DOCUMENTED = {"html", "whitespace", "punctuation"}


def _cases(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


@pytest.mark.parametrize("case", _cases("repair_fixes.json"), ids=lambda c: c["note"])
def test_repair_fixes(case: dict) -> None:
    result = repair_text(case["input"])
    assert result.text == case["expected"]
    assert replay(case["input"], result.repairs) == result.text
    assert repair_text(result.text).text == result.text


@pytest.mark.parametrize("case", _cases("repair_unchanged.json"), ids=lambda c: c["note"])
def test_clean_text_stays(case: dict) -> None:
    assert repair_text(case["input"]).repairs == ()


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


@settings(max_examples=300, deadline=None)
@given(MESSY)
def test_repair_never_raises_is_idempotent_and_replays(text: str) -> None:
    once = repair_text(text)
    assert replay(text, once.repairs) == once.text
    assert repair_text(once.text).text == once.text


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


def _plain_tables() -> Iterator[tuple[int, dict[str, int]]]:
    """Every table of the shipped model file as a plain dict of its keys (and their width), the way the
    model was loaded before it was packed (issue #8)."""
    data = gzip.decompress((files("transforms") / "resources" / MODEL).read_bytes())
    position = 0
    for width in (*range(1, ORDER + 1), *range(1, ORDER), *range(1, ORDER)):
        count, size = struct.unpack_from("<II", data, position)
        text = data[position + 8 : position + 8 + size].decode("utf-32-le")
        values = array("I", data[position + 8 + size : position + 8 + size + 4 * count])
        position += 8 + size + 4 * count
        yield width, dict(zip((text[i : i + width] for i in range(0, len(text), width)), values, strict=True))


def test_packed_tables_count_as_plain_dicts_of_the_model_file() -> None:
    packed = char_lm().ngrams
    rng = random.Random(8)
    characters = [*sorted(packed.ids), "\U0001f600"]
    ngrams: dict[int, dict[str, int]] = {}
    kept: dict[int, dict[str, int]] = {}
    compared = absent = 0
    for index, (width, plain) in enumerate(_plain_tables()):
        keys = rng.sample(list(plain), min(2000, len(plain)))
        keys += [key[:-1] + rng.choice(characters) for key in keys[:500]] + [key[::-1] for key in keys[:100]]
        if index < ORDER:
            ngrams[width] = plain
            assert [packed.count(key) for key in keys] == [plain.get(key, 0) for key in keys]
        elif index < 2 * ORDER - 1:
            kept[width] = plain
            continue
        else:
            # A history that is not a kept n-gram is not stored: the model backs off before reading it.
            want = [(kept[width][k], plain[k]) if k in plain and k in ngrams[width] else (0, 0) for k in keys]
            assert [packed.following(key) for key in keys] == want
        compared += len(keys)
        absent += sum(key not in plain for key in keys)
    assert compared > 10_000 and absent > 1_000


def test_packed_tables_are_compact() -> None:
    tables = char_lm().ngrams.tables
    arrays = [
        getattr(t, name)
        for t in tables
        for name in ("keys", "counts", "starts", "kept", "types", "extensions")
    ]
    assert sum(a.itemsize * len(a) for a in arrays) < 30 * 2**20


def test_a_model_whose_ngram_has_an_unknown_character_is_refused() -> None:
    with pytest.raises(ValueError, match="character table lacks"):
        CharLM.from_bytes(write_model([{"a": 1}, {"ab": 1}, {}, {}]))


def test_a_lost_character_is_read_with_the_pairs_of_its_document() -> None:
    candidates = [bytes((0xE9, 0xAD, last)).decode() for last in range(0x80, 0xC0)]  # 魔 less its last byte
    left, right = "\n产品介绍：蓝", " 音悦"
    assert choose(left, candidates, right).char == "魂"
    document = DocumentCache.of("蓝魔是国内知名的播放器品牌。 蓝魔推出了新款。 \ufffd")
    assert choose(left, candidates, right, cache=document).char == "魔"
