"""What the segment tests share: the characters their generated texts are made of, and a sample of the
xwlb bulletins."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path

ALPHABET = (
    "市委副书记全国文明城市创建推进会李国胜讲话摆向阳"
    + "。！？；…，、：“”‘’《》（）()【】「」"
    + "0123456789.%:abXY \n\u3000\t"
)


@pytest.fixture(scope="module")
def xwlb_sample() -> list[str]:
    news = shared_path("corpora", "xwlb_daily", "news")
    return [path.read_text("utf-8") for path in sorted(news.glob("*.md"))[::20]]
