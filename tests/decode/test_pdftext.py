"""pdftext and office: PDF text layers and .docx files made at test time (reportlab's built-in CJK font,
python-docx): page furniture removed, broken lines joined, columns read in order, a bulletin of several
items split into its stories, scans and encrypted files refused with their reason."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from tests.decode import pdfmaker
from transforms.decode.formats import detect_format
from transforms.decode.office import docx_documents
from transforms.decode.pdftext import pdf_documents
from transforms.pipeline import read_articles
from transforms.records import FileMeta, Quarantined

FIRST = "为进一步做好冬季安全生产工作，切实保障人民群众生命财产安全，" * 3 + "现将有关事项通知如下。"
SECOND = "各单位要压实安全生产责任，开展隐患排查整治，" * 4 + "确保不发生重大事故。"
THIRD = "各区县要加强值班值守，严格执行领导带班制度，" * 4 + "及时报送突发事件信息。"


def test_multi_page_notice_keeps_paragraphs_and_drops_headers_and_page_numbers() -> None:
    raw = pdfmaker.pages([[FIRST, "一、压实责任", SECOND], [THIRD]], header="某某市人民政府办公室文件")
    [document] = pdf_documents(raw)
    assert document.text.split("\n\n") == [FIRST, "一、压实责任", SECOND, THIRD]


def test_two_column_page_is_read_column_by_column() -> None:
    left, right = (
        ["左栏第一段，讲述会议情况，" * 6 + "完。", "左栏第二段。"],
        ["右栏的段落，讲述工作部署，" * 6 + "完。"],
    )
    [document] = pdf_documents(pdfmaker.two_columns(left, right))
    assert document.text.split("\n\n") == [*left, *right]


def test_a_bulletin_of_several_items_gives_one_article_per_item() -> None:
    items = [
        ("全市冬季安全生产工作会议召开", "本报讯 " + FIRST),
        ("各区县开展隐患排查整治", "本报讯 " + SECOND),
        ("春运值班值守工作部署", "本报讯 " + THIRD),
    ]
    raw = pdfmaker.pages([[line for item in items for line in item]], header="安全生产工作简报")
    assert detect_format("简报.pdf", raw) == "pdf"
    reading = read_articles(raw, FileMeta("简报.pdf", dt.date(2024, 1, 5)), "pdf")
    assert [(a.title, a.body[:12]) for a in reading.articles] == [(t, b[:12]) for t, b in items]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (pdfmaker.scanned(), "scanned PDF without a text layer"),
        (pdfmaker.encrypted("内部通知"), "encrypted PDF"),
        (b"%PDF-1.4\n%broken", "unreadable PDF"),
    ],
    ids=["scan", "encrypted", "damaged"],
)
def test_pdfs_without_usable_text_are_refused_with_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        pdf_documents(raw)


def _docx(*blocks: tuple[str, str]) -> bytes:
    made = docx.Document()
    for style, text in blocks:
        if style == "table":
            table = made.add_table(rows=1, cols=2)
            table.rows[0].cells[0].text, table.rows[0].cells[1].text = text.split("|")
        else:
            made.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


def test_docx_title_paragraphs_and_tables_in_order() -> None:
    raw = _docx(
        ("Title", "关于做好冬季安全生产工作的通知"),
        ("Normal", FIRST),
        ("Heading 2", "一、压实责任"),
        ("table", "责任单位|市应急局"),
        ("Normal", SECOND),
    )
    assert detect_format("通知.docx", raw) == "docx"
    [document] = docx_documents(raw)
    assert document.title == "关于做好冬季安全生产工作的通知"
    assert document.text.split("\n\n") == [FIRST, "一、压实责任", "责任单位 市应急局", SECOND]


def test_a_report_with_subheads_stays_one_article() -> None:
    raw = _docx(
        ("Normal", "2025年政府工作报告"),
        ("Normal", "各位代表："),
        ("Normal", FIRST),
        ("Normal", "一、工作回顾"),
        ("Normal", SECOND),
    )
    reading = read_articles(raw, FileMeta("报告.docx", dt.date(2025, 1, 14)), "docx")
    assert [a.title for a in reading.articles] == ["2025年政府工作报告"]


def test_damaged_docx_is_refused() -> None:
    raw = _docx(("Normal", FIRST))[:-200]
    with pytest.raises(Quarantined, match="docx"):
        docx_documents(raw)
