"""formats: every format told from its bytes, unsupported ones refused with a reason a user can act on,
each listed format read into documents on real samples (../shared multisource, skipped when absent)."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.case_files import Case, load
from tests.conftest import shared_path
from transforms.decode.formats import detect_format, read_documents
from transforms.records import Quarantined


@pytest.mark.parametrize("case", load("decode", "formats_detect"))
def test_detect_format(case: Case) -> None:
    assert detect_format(case.given["name"], case.input.encode()) == case.wanted


def _raw(given: dict) -> bytes:
    if "zip" in given:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for member, text in given["zip"].items():
                archive.writestr(member, text)
        return buffer.getvalue()
    return bytes.fromhex(given["hex"])


@pytest.mark.parametrize("case", load("decode", "formats_unsupported"))
def test_unsupported_formats_are_refused_with_an_actionable_reason(case: Case) -> None:
    raw, name = _raw(case.input), case.given["name"]
    kind = detect_format(name, raw)
    assert kind == "unsupported"
    with pytest.raises(Quarantined) as refused:
        read_documents(raw, name, kind)
    assert str(refused.value) == case.wanted


SAMPLES = {
    "wechat_feeds_rss": ("feed", 90),
    "daily60s_digest_json": ("json", 105),
    "sogoucs_dump_gbk": ("dump", 200),
    "sogoucs_dump_utf8": ("dump", 200),
    "gov_report_docx": ("docx", 7),
    "gov_report_pdf": ("pdf", 1),
}


@pytest.mark.parametrize("folder", sorted(SAMPLES))
def test_real_samples_are_read_not_quarantined(folder: str) -> None:
    kind, documents = SAMPLES[folder]
    found = 0
    for path in sorted(shared_path("corpora", "multisource", folder).iterdir()):
        raw = path.read_bytes()
        assert detect_format(path.name, raw) == kind
        found += len(read_documents(raw, path.name, kind).documents)
    assert found == documents


def test_eml_with_an_html_part_is_read_as_a_page() -> None:
    raw = (
        "Subject: =?utf-8?b?566A5oql?=\nDate: Fri, 05 Jan 2024 09:00:00 +0800\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/plain; charset=utf-8\n\n"
        "纯文本\n--b\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>1月5日，全市召开经济工作会议，"
        "总结去年工作，部署今年的重点任务。</p></body></html>\n--b--\n"
    ).encode()
    read = read_documents(raw, "x.eml", detect_format("x.eml", raw))
    [document] = read.documents
    assert document.title == "简报" and str(document.date) == "2024-01-05"
    assert document.text.startswith("1月5日") and read.date == document.date


def test_mhtml_page_is_read_as_its_html_part() -> None:
    page = (
        "<html><head><title>会议召开_新闻</title></head><body><div class='article'><h1>会议召开</h1>"
        "<p>1月5日，全市召开经济工作会议，总结去年工作，部署今年的重点任务。</p></div></body></html>"
    )
    raw = (
        'From: <Saved by Blink>\nMIME-Version: 1.0\nContent-Type: multipart/related;\n\ttype="text/html";\n'
        f'\tboundary="b"\n\n--b\nContent-Type: text/html; charset=utf-8\n\n{page}\n--b--\n'
    ).encode()
    kind = detect_format("page.mht", raw)
    [document] = read_documents(raw, "page.mht", kind).documents
    assert kind == "mhtml" and document.title == "会议召开" and document.text.startswith("1月5日")
