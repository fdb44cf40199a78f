"""The report's charts: matplotlib figures rendered to PNG bytes, with a font that draws Chinese.

Every chart function takes already-counted pandas data and returns PNG bytes; an empty input
draws a labelled empty chart rather than failing, so a report over a quiet range still builds.
"""

from __future__ import annotations

import functools
import io
import math
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Families that draw Simplified Chinese, best first, for machines without fontconfig (macOS, Windows);
# fontconfig's own answer (`fc-list :lang=zh`) is added after them.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
)
NO_DATA = "none in this range"
BAR_COLOR = "#3b6ea5"
PALETTE = ("#3b6ea5", "#e07b39", "#5a9e5a", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")


@functools.cache
def cjk_family() -> str | None:
    """A font family on this machine that draws Simplified Chinese, or None when there is none."""
    fontconfig = _fontconfig_chinese()
    for path in sorted({path for path, _ in fontconfig}):
        font_manager.fontManager.addfont(path)
    known = set(font_manager.get_font_names())
    candidates = [*CJK_FAMILIES, *sorted({family for _, family in fontconfig})]
    return next((family for family in candidates if family in known), None)


def _fontconfig_chinese() -> list[tuple[str, str]]:
    """(font file, family) for every font fontconfig says covers Chinese; empty without fontconfig."""
    if shutil.which("fc-list") is None:
        return []
    listing = subprocess.run(
        ["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True, check=False, timeout=30
    ).stdout
    pairs = []
    for line in listing.splitlines():
        path, _, families = line.partition(": ")
        if families:
            pairs += [(path, family.strip()) for family in families.split(",")]
    return pairs


@contextmanager
def chart_style() -> Iterator[None]:
    """Matplotlib settings for every chart: the CJK font first, quiet about glyphs it cannot draw."""
    family = cjk_family()
    style = {
        "font.family": "sans-serif",
        "font.sans-serif": [*([family] if family else []), "DejaVu Sans"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
    }
    with mpl.rc_context(style), warnings.catch_warnings():
        # Without a CJK font, Chinese labels show as boxes; the report says so once instead.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        yield


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _empty(axes: Axes) -> None:
    axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", color="#777777", transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def _barh(axes: Axes, counts: pd.Series, title: str, xlabel: str) -> None:
    """Horizontal bars, largest on top."""
    axes.set_title(title, loc="left")
    if counts.empty:
        _empty(axes)
        return
    ordered = counts.iloc[::-1]
    axes.barh([str(label) for label in ordered.index], ordered.to_numpy(), color=BAR_COLOR)
    axes.set_xlabel(xlabel)
    axes.xaxis.get_major_locator().set_params(integer=True)


def bar_chart(counts: pd.Series, title: str, xlabel: str) -> bytes:
    """Horizontal bar chart of counts by label, in the order given (largest first)."""
    with chart_style():
        figure = Figure(figsize=(9, 0.8 + 0.32 * max(len(counts), 4)))
        _barh(figure.subplots(), counts, title, xlabel)
        return _png(figure)


def daily_chart(per_day: pd.Series, title: str) -> bytes:
    """Counts per day (a DatetimeIndex, one entry per day, zeros included) as a line."""
    with chart_style():
        figure = Figure(figsize=(11, 3.6))
        axes = figure.subplots()
        axes.set_title(title, loc="left")
        if per_day.empty:
            _empty(axes)
        else:
            axes.plot(
                per_day.index, per_day.to_numpy(), color=BAR_COLOR, marker="o" if len(per_day) <= 62 else None
            )
            axes.set_ylim(bottom=0)
            axes.set_ylabel("articles")
            figure.autofmt_xdate()
        return _png(figure)


def stacked_bar_chart(counts: pd.DataFrame, title: str, xlabel: str) -> bytes:
    """Horizontal bars per row label (largest first), split by column (e.g. officials by action)."""
    with chart_style():
        figure = Figure(figsize=(9, 0.8 + 0.34 * max(len(counts), 4)))
        axes = figure.subplots()
        axes.set_title(title, loc="left")
        if counts.empty:
            _empty(axes)
            return _png(figure)
        ordered = counts.iloc[::-1]
        labels = [str(label) for label in ordered.index]
        left = pd.Series(0, index=ordered.index)
        for number, column in enumerate(ordered.columns):
            values = ordered[column]
            axes.barh(
                labels, values.to_numpy(), left=left.to_numpy(), label=str(column), color=PALETTE[number % 8]
            )
            left += values
        axes.set_xlabel(xlabel)
        axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
        return _png(figure)


def network_chart(nodes: pd.Series, edges: pd.Series, title: str) -> bytes:
    """People on a circle, sized by appearances (`nodes`), joined by lines as thick as `edges` counts.

    `edges` is indexed by (person, person) pairs; pairs naming a person not in `nodes` are left out.
    """
    with chart_style():
        figure = Figure(figsize=(9, 9))
        axes = figure.subplots()
        axes.set_title(title, loc="left")
        axes.set_axis_off()
        if nodes.empty:
            _empty(axes)
            return _png(figure)
        place = circle_layout(list(nodes.index))
        heaviest = max(edges.max(), 1) if len(edges) else 1
        for (a, b), weight in edges.items():
            if a in place and b in place:
                (xa, ya), (xb, yb) = place[a], place[b]
                width = 0.5 + 5 * weight / heaviest
                axes.plot([xa, xb], [ya, yb], color="#8c8c8c", linewidth=width, alpha=0.6, zorder=1)
        largest = nodes.max()
        for person, count in nodes.items():
            x, y = place[person]
            axes.scatter([x], [y], s=150 + 1200 * count / largest, color=BAR_COLOR, zorder=2, alpha=0.9)
            axes.annotate(
                str(person), (x, y), xytext=(1.16 * x, 1.16 * y), ha="center", va="center", zorder=3
            )
        axes.set_xlim(-1.35, 1.35)
        axes.set_ylim(-1.35, 1.35)
        axes.set_aspect("equal")
        return _png(figure)


def circle_layout(names: list[str]) -> dict[str, tuple[float, float]]:
    """Positions on the unit circle, first name on top, going clockwise.

    >>> {n: (round(x, 3), round(y, 3)) for n, (x, y) in circle_layout(["a", "b"]).items()}
    {'a': (0.0, 1.0), 'b': (0.0, -1.0)}
    """
    step = 2 * math.pi / max(len(names), 1)
    return {name: (math.sin(i * step), math.cos(i * step)) for i, name in enumerate(names)}


def panel_chart(panels: list[tuple[str, pd.Series, str]], title: str) -> bytes:
    """Several bar charts side by side under one title: (panel title, counts, x label) each."""
    with chart_style():
        figure = Figure(figsize=(5 * len(panels), 4.2), layout="constrained")
        figure.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=13)
        for axes, (panel_title, counts, xlabel) in zip(figure.subplots(1, len(panels)), panels, strict=True):
            _barh(axes, counts, panel_title, xlabel)
        return _png(figure)
