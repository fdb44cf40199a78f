"""Fuzzing `transforms.pipeline.process_file`: for any bytes it returns rows or a quarantine reason,
never raises, and takes bounded time per MB.

Inputs: arbitrary bytes, text in any encoding, real bulletins mutated (bytes flipped, cut,
repeated, spliced, laced with BOMs, NULs, markup and annotations), archives of them, and long
runs of the characters the repairs look for.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import multiprocessing
import time
import zipfile
from multiprocessing.connection import Connection

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED, shared_path
from transforms.pipeline import FileRows, process_file
from transforms.records import FileMeta

SECONDS_FIXED = 2.0
SECONDS_PER_MB = 30.0
"""About ten times the rate measured on this 2-core machine (~3 s/MB warm, on real bulletins)."""
RUN_BYTES = 2**17
# Derandomized: the same examples on every run, so that a shared suite never fails at random.
FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
NAMES = ("bulletin.txt", "20240506.md", "page.shtml", "page.html")
SPICE = (
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\r",
    b"\xe5\x9b",
    "國(guó)".encode(),
    "（ｇｕó）".encode(),
    "ㄍㄨㄛˊ".encode(),
    b"<p>",
    b"<br/>",
    b"&nbsp;",
    b"&#x56fd;",
    b"<!--",
    b"<script>",
    "\u3000\xa0".encode(),
    "河南手机报 我要分享\n".encode(),
    "确?!贝缶种袏^".encode(),
    "ç¡®ä¿".encode(),
    "会议".encode("gbk"),
    "會議".encode("big5"),
    b"\n\n",
)


def _run(raw: bytes, name: str) -> FileRows:
    """process_file on `raw`, checked against every invariant that must hold whatever the bytes."""
    began = time.perf_counter()
    rows = process_file(raw, FileMeta(name, dt.date(2024, 5, 6)))
    elapsed = time.perf_counter() - began
    assert elapsed <= SECONDS_FIXED + SECONDS_PER_MB * len(raw) / 1e6, f"{elapsed:.1f} s for {len(raw)} bytes"
    files = rows.tables["files"].data
    for status, error, articles in zip(files["status"], files["error"], files["articles"], strict=True):
        assert status in ("ok", "quarantined")
        assert (status, bool(error)) in (("ok", False), ("quarantined", True)), error
        assert (articles > 0) == (status == "ok")
    texts = dict(
        zip(
            rows.tables["articles"].data.get("article_id", []),
            rows.tables["articles"].data.get("text", []),
            strict=True,
        )
    )
    assert len(texts) == sum(files["articles"])
    for table, column in (("sentences", "text"), ("tokens", "token"), ("mentions", "text")):
        data = rows.tables[table].data
        for article, start, end, text in zip(
            data.get("article_id", []),
            data.get("start", []),
            data.get("end", []),
            data.get(column, []),
            strict=True,
        ):
            assert texts[article][start:end] == text, table
    return rows


def _single(raw: bytes, name: str) -> None:
    assert len(_run(raw, name).tables["files"]) == 1


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """Load lexicons and models once, so that no example is charged for it."""
    process_file(SEED.read_bytes(), FileMeta(str(SEED), dt.date(2024, 5, 6)))


@FUZZ
@given(raw=st.binary(max_size=8192), name=st.sampled_from(NAMES))
def test_arbitrary_bytes(raw: bytes, name: str) -> None:
    _single(raw, name)


@FUZZ
@given(
    text=st.text(st.characters(codec="utf-8"), max_size=3000),
    encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030", "big5", "latin-1")),
    name=st.sampled_from(NAMES),
)
def test_arbitrary_text_in_any_encoding(text: str, encoding: str, name: str) -> None:
    _single(text.encode(encoding, errors="replace"), name)


@st.composite
def mutated(draw: st.DrawFn, bases: tuple[bytes, ...]) -> bytes:
    """One of `bases` after a few random edits."""
    data = bytearray(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(("flip", "insert", "spice", "delete", "repeat", "cut", "splice")))
        if edit == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif edit == "spice":
            data[at:at] = draw(st.sampled_from(SPICE))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 256))]
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 512))] * draw(st.integers(2, 8))
        elif edit == "cut":
            del data[at:]
        elif edit == "splice":
            other = draw(st.sampled_from(bases))
            data[at:] = other[draw(st.integers(0, len(other))) :]
    return bytes(data)


@FUZZ
@given(raw=mutated((SEED.read_bytes(),)), name=st.sampled_from(NAMES))
def test_mutated_seed_bulletin(raw: bytes, name: str) -> None:
    _single(raw, name)


def _shared_bases() -> tuple[bytes, ...]:
    news = sorted(shared_path("corpora", "xwlb_daily", "news").glob("*.md"))[:3]
    pages = sorted(shared_path("corpora", "cctv_html", "dump_htmls").glob("*.shtml"))[:3]
    return tuple(p.read_bytes() for p in news + pages)


def test_mutated_real_bulletins_and_pages() -> None:
    @FUZZ
    @given(raw=mutated(_shared_bases()), name=st.sampled_from(NAMES))
    def check(raw: bytes, name: str) -> None:
        _single(raw, name)

    check()


def _archives(body: bytes) -> tuple[bytes, ...]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2024/20240506.txt", body)
        archive.writestr("page.html", b"<html><body><p>" + body[:400] + b"</p></body></html>")
    return buffer.getvalue(), gzip.compress(body, mtime=0)


ZIP, GZIP = _archives(SEED.read_bytes())


@FUZZ
@example(raw=ZIP[1:], name="bulletins.zip")
@given(raw=mutated((ZIP, GZIP)), name=st.sampled_from(("bulletins.zip", "bulletin.txt.gz")))
def test_mutated_archives(raw: bytes, name: str) -> None:
    # An archive with no member left gives no row at all: see test_badinput's "empty zip".
    _run(raw, name)


def _report(send: Connection, raw: bytes, name: str) -> None:
    try:
        _single(raw, name)
        send.send("")
    except BaseException as error:  # the parent reports whatever went wrong in the child
        send.send(f"{error.__class__.__name__}: {error}")


def _single_within_bound(raw: bytes, name: str) -> None:
    """`_single` in a forked child, killed once over the time bound: a hang fails in bounded time."""
    bound = SECONDS_FIXED + SECONDS_PER_MB * len(raw) / 1e6
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_report, args=(send, raw, name))
    child.start()
    finished = receive.poll(bound)
    problem = receive.recv() if finished else f"still running after {bound:.1f} s on {len(raw):,} bytes"
    child.kill()
    child.join()
    assert not problem, problem


UNITS = (
    "(",
    "（",
    "<",
    "&",
    "&#",
    "国(guó)",
    "國(guó",
    "\u3000",
    "。",
    "a",
    "\r",
    "确?!",
    "ç¡",
    "《",
    "“",
    "-",
    "1",
    "会议",
    "分享\n",
)


@pytest.mark.parametrize(
    "unit",
    UNITS,
)
def test_a_long_run_of_one_pattern_takes_bounded_time(unit: str) -> None:
    _single_within_bound((unit * (RUN_BYTES // len(unit.encode()))).encode(), "bulletin.txt")


def test_a_bulletin_of_a_quarter_megabyte_takes_bounded_time() -> None:
    raw = SEED.read_bytes()
    _single_within_bound(raw * (RUN_BYTES * 2 // len(raw)), "bulletin.txt")
