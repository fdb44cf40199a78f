"""Evidence for decode, repair and normalize, printed as tables (run from the repo root):

    python -m bench.eval_repair [--chars N] [--seed S] [--skip-speed]

1. real defects: every line of ../shared/eval/artifacts/*.jsonl whose fix is known, repaired exactly (N/M),
   beside the naive one-line fix (``encode(...).decode("utf-8")``) the samples' own attempted_fix used;
2. synthetic corruption of held-out clean text (bench/corrupt.py): character accuracy per kind and
   corpus, beside the corrupted text left as is;
3. false positives: characters changed on the clean corpora by anything but the documented
   canonicalization (HTML residue, whitespace, punctuation), per repair kind;
4. speed: decode + repair + normalize over every xwlb_daily file in this process (MB/s of input);
5. HTML extraction on cctv_html: pages with a title and a body, mean body length, spot checks.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import time
from collections import Counter

from bench.corrupt import KINDS, SHARED, XWLB, held_out_texts, require_shared
from tests.corruption import fold_width
from transforms.decode.encoding import decode_bytes
from transforms.decode.html import extract_html
from transforms.normalize import normalize_text, to_simplified
from transforms.records import Repair
from transforms.repair.annotations import strip_annotations
from transforms.repair.passes import repair_text

ARTIFACTS = SHARED / "eval" / "artifacts"
CCTV = SHARED / "corpora" / "cctv_html" / "dump_htmls"
DOCUMENTED = {"html", "whitespace", "punctuation"}
MYERS_LIMIT = 300
READING = re.compile(r"\s*[(（]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\s*[)）]")
ZHUYIN = re.compile(r"[｜]|《[ㄅ-ㄩˊˇˋ˙ˉ]+》|[ㄅ-ㄩˊˇˋ˙ˉ]+")


def char_errors(reference: str, output: str) -> int:
    """Characters wrong in `output`: substitutions, insertions and deletions against `reference`,
    lines aligned one to one when both have as many (corruption never changes line breaks)."""
    pairs = (
        zip(reference.split("\n"), output.split("\n"), strict=True)
        if reference.count("\n") == output.count("\n")
        else [(reference, output)]
    )
    return sum(_line_errors(want, got) for want, got in pairs if want != got)


def _line_errors(want: str, got: str) -> int:
    """Edit operations between two lines (a substitution counts once). Myers' O(ND) diff gives the
    insertions plus deletions D exactly while D is small; a heavily damaged line (the "as is" column)
    falls back to difflib with its junk heuristic, an estimate."""
    head = _common(want, got)
    tail = _common(want[head:][::-1], got[head:][::-1])
    want, got = want[head : len(want) - tail], got[head : len(got) - tail]
    steps = _myers(want, got, limit=MYERS_LIMIT)
    if steps is None:
        opcodes = difflib.SequenceMatcher(None, want, got).get_opcodes()
        return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")
    return (steps + abs(len(want) - len(got))) // 2


def _common(a: str, b: str) -> int:
    """Length of the common prefix of two strings."""
    size = min(len(a), len(b))
    return next((i for i in range(size) if a[i] != b[i]), size)


def _myers(a: str, b: str, limit: int) -> int | None:
    """Insertions plus deletions turning `a` into `b` (Myers 1986), or None beyond `limit`."""
    n, m = len(a), len(b)
    frontier = {1: 0}
    for d in range(min(n + m, limit) + 1):
        for k in range(-d, d + 1, 2):
            x = (
                frontier[k + 1]
                if k == -d or (k != d and frontier[k - 1] < frontier[k + 1])
                else frontier[k - 1] + 1
            )
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            frontier[k] = x
            if x >= n and y >= m:
                return d
    return None


def reading_oracle(text: str) -> str:
    """The annotation samples with every parenthesised reading or zhuyin cut out, and the spaces
    the flattening left between CJK characters: a plain regex, right on these samples only."""
    text = ZHUYIN.sub("", READING.sub("", text))
    return re.sub(r"(?<=[\u4e00-\u9fff，。；：！？、】])\s+(?=[\u4e00-\u9fff])", "", text)


def real_defects() -> None:
    print("\n== 1. real defects (../shared/eval/artifacts)")
    exact = naive = lossy = replaced = 0
    lines = [json.loads(line) for line in (ARTIFACTS / "mojibake_samples.jsonl").open(encoding="utf-8")]
    known = [
        d
        for d in lines
        if d["attempted_fix"] is not None and ("exact" in d["fix_method"] or d["fix_method"] == "latin-1")
    ]
    for sample in lines:
        fixed = repair_text(sample["text"]).text
        if sample in known:
            exact += fixed == sample["attempted_fix"]
            naive += _naive_mojibake(sample["text"]) == sample["attempted_fix"]
        elif sample["attempted_fix"] is None:
            exact_clean = fixed == sample["text"]
            print(f"  clean control line left unchanged: {exact_clean}")
        else:
            lossy += 1
            replaced += fixed.count("\ufffd")
    print(f"  mojibake, fix known: {exact}/{len(known)} repaired exactly", end="")
    print(f" (naive round-trip: {naive}/{len(known)})")
    print(f"  mojibake, lossy (fix partly unknown): {lossy} lines, {replaced} U+FFFD for lost bytes")
    samples = [
        json.loads(line) for line in (ARTIFACTS / "pinyin_annotation_samples.jsonl").open(encoding="utf-8")
    ]
    agree = sum(strip_annotations(d["text"]).text == reading_oracle(d["text"]) for d in samples)
    removed = sum(
        sum(r.kind == "pinyin_annotation" for r in strip_annotations(d["text"]).repairs) for d in samples
    )
    print(
        f"  annotations: {agree}/{len(samples)} lines equal the regex oracle; "
        f"{removed} pinyin annotations removed ({sum(d['n_annotations'] for d in samples)} counted)"
    )


def _naive_mojibake(text: str) -> str:
    for codec in ("latin-1", "gb18030"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


def sample_documents(texts: list[str], characters: int, rng: random.Random) -> list[str]:
    """Documents drawn at random until they hold `characters` characters (or all of them): the same
    share of each corpus however long its documents (a THUCNews article is a tenth of a bulletin).

    >>> sample_documents(["aaaa", "bb", "cccccc"], 5, random.Random(0))
    ['bb', 'cccccc']
    """
    taken: list[str] = []
    size = 0
    for text in rng.sample(texts, len(texts)):
        if size >= characters:
            break
        taken.append(text)
        size += len(text)
    return taken


def synthetic(characters: int, seed: int) -> None:
    print(
        f"\n== 2. synthetic corruption of held-out text (character accuracy, documents of {characters:,} "
        "characters a corpus)"
    )
    header = ("kind", "corpus", "characters", "as is", "repaired", "U+FFFD", "seconds")
    print("  {:18s} {:11s} {:>11s} {:>9s} {:>9s} {:>7s} {:>8s}".format(*header))
    corpora = held_out_texts()
    for kind, corrupt in KINDS.items():
        for corpus, texts in corpora.items():
            rng = random.Random(seed)
            sample = sample_documents(texts, characters, rng)
            total = before = after = lost = 0
            began = time.perf_counter()
            for clean in sample:
                damaged = corrupt(clean, rng)
                fixed = to_simplified(damaged) if kind == "traditional" else repair_text(damaged).text
                # What GBK cannot encode (•, emoji) is lost before GBK damage: no repair brings it back.
                # UTF-8 read as GBK lost nothing of the kind: its bytes encode every character.
                gbk_encoded = kind.startswith("gbk")
                reference = clean.encode("gbk", errors="replace").decode("gbk") if gbk_encoded else clean
                if kind == "gbk_split_folded":
                    reference, fixed = fold_width(reference), fold_width(fixed)
                total += len(reference)
                before += char_errors(reference, damaged)
                after += char_errors(reference, fixed)
                lost += fixed.count("\ufffd")
            seconds = time.perf_counter() - began
            print(
                f"  {kind:18s} {corpus:11s} {total:11,d} {1 - before / total:9.4%} {1 - after / total:9.4%} "
                f"{lost:7d} {seconds:8.1f}"
            )


def false_positives() -> None:
    print(
        "\n== 3. false positives on clean corpora (characters changed beyond the documented canonicalization)"
    )
    texts = [p.read_text(encoding="utf-8") for p in sorted(XWLB.glob("*.md"))]
    thucnews = SHARED / "corpora" / "thucnews_sample" / "cnews.sample1000.txt"
    texts += [line.split("\t", 1)[1] for line in thucnews.open(encoding="utf-8")]
    changed: Counter[str] = Counter()
    documented: Counter[str] = Counter()
    examples: list[Repair] = []
    for text in texts:
        repaired = repair_text(text)
        for log in (repaired.repairs, normalize_text(repaired.text).repairs):
            for r in log:
                size = max(len(r.before), len(r.after))
                if set(r.kind.split("+")) <= DOCUMENTED:
                    documented[r.kind] += size
                else:
                    changed[r.kind] += size
                    examples.append(r)
    print(f"  {len(texts):,} clean documents ({sum(map(len, texts)):,} characters)")
    print(f"  undocumented changes: {sum(changed.values())} characters {dict(changed) or ''}")
    for r in examples[:5]:
        print(f"    e.g. {r}")
    print(f"  documented canonicalization: {dict(documented)} characters")


def speed() -> None:
    print("\n== 4. speed: decode + repair + normalize, every xwlb_daily file, one process")
    raws = [p.read_bytes() for p in sorted(XWLB.glob("*.md"))]
    size = sum(map(len, raws))
    wall, cpu = time.perf_counter(), time.process_time()
    for raw in raws:
        normalize_text(repair_text(decode_bytes(raw).text).text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"  {len(raws)} files, {size / 1e6:.1f} MB: {wall:.2f} s wall = {size / wall / 1e6:.1f} MB/s "
        f"({cpu:.2f} s CPU = {size / cpu / 1e6:.1f} MB/s)"
    )


def html_pages(seed: int) -> None:
    print("\n== 5. HTML extraction on cctv_html")
    pages = sorted(CCTV.glob("*.shtml"))
    results = {p.name: extract_html(decode_bytes(p.read_bytes()).text) for p in pages}
    titled = sum(1 for title, _ in results.values() if title)
    bodied = [body for _, body in results.values() if body]
    print(
        f"  {len(pages)} pages: {titled} with a title, {len(bodied)} with a body, "
        f"mean body {sum(map(len, bodied)) / max(1, len(bodied)):.0f} characters"
    )
    for name in random.Random(seed).sample(sorted(results), 3):
        title, body = results[name]
        print(f"  {name}: title {title!r}; body {len(body)} chars, starts {body[:40]!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--chars", type=int, default=360_000, help="held-out characters per corpus and kind (whole documents)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args(argv)
    require_shared()
    real_defects()
    synthetic(args.chars, args.seed)
    false_positives()
    if not args.skip_speed:
        speed()
    html_pages(args.seed)


if __name__ == "__main__":
    main()
