"""flows.report: the report builds, its charts are drawn (not blank), titled, counted right, and render.

Built from the generated warehouse of cases/sample_warehouse.json; the headless-Chromium check runs
only where /usr/bin/chromium exists.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.image import imread

from flows import report_charts
from flows.report import build_report, gather
from tests.test_load import SAMPLE, write_sample_warehouse

CHROMIUM = Path("/usr/bin/chromium")
CHARTS = {
    "articles_per_day": "Articles per day",
    "top_officials": "Top officials by appearances, split by action",
    "top_documents": "Top cited documents",
    "top_slogans": "Top slogans",
    "co_appearance_network": "Co-appearance network of officials",
    "data_quality": "Data quality",
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture(scope="module")
def page(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(str(warehouse), str(tmp_path_factory.mktemp("report")), None, None)


def inked(png: Path) -> float:
    """Share of pixels that differ from the top-left one: 0.0 for a blank image."""
    pixels = imread(png)
    return float(np.any(pixels != pixels[0, 0], axis=-1).mean())


def test_every_chart_is_written_drawn_and_embedded(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for slug, title in CHARTS.items():
        png = page.parent / f"{slug}.png"
        assert inked(png) > 0.02, f"{slug}.png is nearly blank"
        assert f"<h2>{title}</h2>" in text
        assert base64.b64encode(png.read_bytes()).decode() in text, f"{slug}.png is not embedded"
    assert len(re.findall(r"<img src=\"data:image/png;base64,", text)) == len(CHARTS)


def test_the_counts_match_the_warehouse(warehouse: Path) -> None:
    facts = gather(str(warehouse), None, None)
    files = SAMPLE["files"]
    assert facts.files.status.astype(str).value_counts().to_dict() == Counter(f["status"] for f in files)
    assert int(facts.per_day.sum()) == sum(len(f["articles"]) for f in files)
    articles = [a for f in files for a in f["articles"]]
    documents = Counter(d for a in articles for d in a.get("documents", []))
    assert facts.documents.to_dict() == dict(documents)
    assert facts.slogans.to_dict() == dict(Counter(s for a in articles for s in a.get("slogans", [])))
    appearances = Counter(person for a in articles for person in {r[0] for r in a.get("roles", [])})
    assert facts.appearances.to_dict() == dict(appearances)
    assert facts.officials.sum(axis=1).ge(facts.appearances).all()


def test_a_range_counts_only_its_dates(warehouse: Path) -> None:
    facts = gather(str(warehouse), dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert len(facts.per_day) == 31
    march = [a for f in SAMPLE["files"] if f["issue_date"].startswith("2024-03") for a in f["articles"]]
    assert int(facts.per_day.sum()) == len(march)
    assert set(facts.files.path) == {
        f["path"] for f in SAMPLE["files"] if f["issue_date"].startswith("2024-03")
    }


@pytest.mark.parametrize("source", ["empty range", "no warehouse"])
def test_a_report_with_nothing_to_show_still_builds(warehouse: Path, tmp_path: Path, source: str) -> None:
    if source == "empty range":
        page = build_report(str(warehouse), str(tmp_path / "out"), dt.date(2030, 1, 1), dt.date(2030, 1, 2))
    else:
        page = build_report(str(tmp_path / "nothing"), str(tmp_path / "out"), None, None)
    for slug in CHARTS:
        assert inked(page.parent / f"{slug}.png") > 0, f"{slug}.png is blank"
    assert "<td>Articles</td><td>0</td>" in page.read_text(encoding="utf-8")


def test_the_chart_font_draws_every_chinese_label() -> None:
    family = report_charts.cjk_family()
    if family is None:
        pytest.skip(
            "no CJK font on this machine (apt-get install fonts-noto-cjk): Chinese labels show as boxes"
        )
    font = font_manager.get_font(font_manager.findfont(font_manager.FontProperties(family=family)))
    labels = "".join(
        [*(r[0] + r[1] for f in SAMPLE["files"] for a in f["articles"] for r in a.get("roles", []))]
        + [d for f in SAMPLE["files"] for a in f["articles"] for d in a.get("documents", [])]
    )
    missing = {char for char in labels + "《》" if ord(char) not in font.get_charmap()}
    assert not missing, f"{family} cannot draw {''.join(sorted(missing))}"


def test_without_a_cjk_font_the_report_says_so(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_charts, "CJK_FAMILIES", ())
    monkeypatch.setattr(report_charts, "_fontconfig_chinese", list)
    report_charts.cjk_family.cache_clear()
    try:
        page = build_report(str(warehouse), str(tmp_path), None, None)
    finally:
        report_charts.cjk_family.cache_clear()
    assert "No font that draws Chinese was found" in page.read_text(encoding="utf-8")
    assert inked(tmp_path / "top_officials.png") > 0.02


def _chromium(*arguments: str) -> subprocess.CompletedProcess:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def test_chromium_renders_every_chart(page: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: the headless-browser check runs where Chromium is installed")
    dom = _chromium("--dump-dom", page.resolve().as_uri()).stdout
    assert f'data-charts-rendered="{len(CHARTS)}/{len(CHARTS)}"' in dom
    screenshot = tmp_path / "report.png"
    _chromium(f"--screenshot={screenshot}", "--window-size=1200,4000", page.resolve().as_uri())
    assert inked(screenshot) > 0.02
