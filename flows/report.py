"""`bulletins report`: one self-contained HTML page of charts over a warehouse and a date range.

    build_report("data/warehouse", "report", start=None, end=None)  # → report/index.html

The page embeds every chart as a PNG (so the HTML file alone can be mailed or archived) and the
same PNGs are written beside it. Charts: articles per day, top officials by appearances split by
action, top cited documents, top slogans, the co-appearance network of officials, and a data-quality
panel (files by status, repairs applied by kind, quarantine reasons).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flows import report_charts as charts
from flows.load import load

TOP = 15
NETWORK_SIZE = 20
TOP_ACTIONS = 7
OTHER = "其他"
REASON_WIDTH = 48


@dataclass(frozen=True)
class Chart:
    """One section of the report: a titled PNG, what it shows, and its numbers as a table."""

    slug: str
    title: str
    caption: str
    png: bytes
    numbers: pd.DataFrame | None = None


@dataclass(frozen=True)
class Facts:
    """Everything the report shows, counted from the warehouse for the date range."""

    files: pd.DataFrame
    per_day: pd.Series
    appearances: pd.Series
    officials: pd.DataFrame
    pairs: pd.Series
    documents: pd.Series
    slogans: pd.Series
    runs: pd.DataFrame


def build_report(warehouse: str, out: str, start: dt.date | None = None, end: dt.date | None = None) -> Path:
    """Write `out`/index.html and one PNG per chart for the issue dates in [start, end]; return the page."""
    facts = gather(warehouse, start, end)
    sections = draw(facts)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for chart in sections:
        (folder / f"{chart.slug}.png").write_bytes(chart.png)
    page = folder / "index.html"
    page.write_text(render(facts, sections, warehouse, start, end), encoding="utf-8")
    return page


# --- counting --------------------------------------------------------------------------------


def gather(warehouse: str, start: dt.date | None, end: dt.date | None) -> Facts:
    """Read only the columns the report needs and count them."""
    articles = load("articles", warehouse, start, end, columns=["article_id", "issue_date"])
    roles = load("roles", warehouse, start, end, columns=["article_id", "person", "action"])
    mentions = load("mentions", warehouse, start, end, columns=["label", "normalized"])
    appearances = ranked(roles.groupby("person").article_id.nunique(), TOP)
    return Facts(
        files=load("files", warehouse, start, end, columns=["path", "status", "error", "repairs"]),
        per_day=articles_per_day(articles.issue_date, start, end),
        appearances=appearances,
        officials=actions_of(roles, appearances.index),
        pairs=co_appearances(roles),
        documents=ranked(mentions.normalized[mentions.label == "DOCUMENT"].value_counts(), TOP),
        slogans=ranked(mentions.normalized[mentions.label == "QUOTE"].value_counts(), TOP),
        runs=load("runs", warehouse, columns=["run_id", "kind", "started_at", "state", "version"]),
    )


def ranked(counts: pd.Series, top: int) -> pd.Series:
    """The `top` largest counts, ties broken by label so the order never depends on row order.

    >>> ranked(pd.Series({"乙": 2, "甲": 2, "丙": 5}), 2).to_dict()
    {'丙': 5, '乙': 2}
    """
    frame = pd.DataFrame({"label": counts.index.astype(str), "count": counts.to_numpy()}, index=counts.index)
    order = frame.sort_values(["count", "label"], ascending=[False, True]).index[:top]
    return counts.loc[order].astype("int64")


def articles_per_day(days: pd.Series, start: dt.date | None, end: dt.date | None) -> pd.Series:
    """Articles per issue date over the whole range, days without articles counted as 0.

    >>> days = pd.Series(pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-04"]))
    >>> articles_per_day(days, None, None).tolist()
    [2, 0, 1]
    """
    if days.empty and (start is None or end is None):
        return pd.Series(dtype="int64")
    first = pd.Timestamp(start) if start is not None else days.min()
    last = pd.Timestamp(end) if end is not None else days.max()
    return days.value_counts().reindex(pd.date_range(first, last, freq="D"), fill_value=0).astype("int64")


def actions_of(roles: pd.DataFrame, people: pd.Index) -> pd.DataFrame:
    """For each of `people` (in order), the articles in which they performed each action.

    The most frequent actions get a column each; the rest are summed under 其他.
    """
    acted = roles[roles.person.isin(people)].drop_duplicates(["person", "article_id", "action"])
    counts = pd.crosstab(acted.person, acted.action.astype(str)).reindex(people, fill_value=0)
    if counts.empty:
        return counts
    totals = counts.sum().sort_values(ascending=False, kind="stable")
    kept = list(totals.index[:TOP_ACTIONS])
    rest = counts.drop(columns=kept).sum(axis=1)
    counts = counts[kept]
    return counts.assign(**{OTHER: rest}) if rest.any() else counts


def co_appearances(roles: pd.DataFrame) -> pd.Series:
    """Articles shared by each pair of officials (pairs of distinct people, each pair once)."""
    people = roles[["article_id", "person"]].drop_duplicates()
    pairs = people.merge(people, on="article_id", suffixes=("", "_with"))
    pairs = pairs[pairs.person < pairs.person_with]
    return pairs.groupby(["person", "person_with"]).size().sort_values(ascending=False, kind="stable")


def repairs_by_kind(files: pd.DataFrame) -> pd.Series:
    """Repairs applied, by kind, over every file."""
    kinds = files.repairs.list.flatten().struct.field("kind").astype(str)
    return ranked(kinds.value_counts(), TOP)


def quarantine_reasons(files: pd.DataFrame) -> pd.DataFrame:
    """Quarantined files per reason, with one example path each, most frequent first."""
    quarantined = files[files.status == "quarantined"]
    reasons = quarantined.groupby("error").agg(files=("path", "size"), example=("path", "first"))
    return reasons.sort_values(["files"], ascending=False, kind="stable")


# --- drawing ---------------------------------------------------------------------------------


def draw(facts: Facts) -> list[Chart]:
    """Every chart of the report, in page order."""
    statuses = facts.files.status.astype(str).value_counts()
    repairs = repairs_by_kind(facts.files)
    reasons = quarantine_reasons(facts.files)
    short_reasons = reasons.files.head(8).rename(index=lambda reason: _shorten(str(reason), REASON_WIDTH))
    network = facts.appearances.head(NETWORK_SIZE)
    documents = facts.documents.rename(index=lambda title: f"《{title}》")
    return [
        Chart(
            "articles_per_day",
            "Articles per day",
            "Articles by issue date; days without a bulletin count 0.",
            charts.daily_chart(facts.per_day, "Articles per day"),
        ),
        Chart(
            "top_officials",
            "Top officials by appearances, split by action",
            f"The people acting in most articles (up to {TOP}); each bar counts the articles in which they "
            "performed an action (讲话, 主持, 出席, …), so one article may count under several actions.",
            charts.stacked_bar_chart(
                facts.officials, "Top officials by appearances, split by action", "articles"
            ),
            facts.appearances.rename("articles").to_frame().join(facts.officials),
        ),
        Chart(
            "top_documents",
            "Top cited documents",
            "DOCUMENT mentions (titles in 《》), counted once per citation.",
            charts.bar_chart(documents, "Top cited documents", "citations"),
            documents.rename("citations").to_frame(),
        ),
        Chart(
            "top_slogans",
            "Top slogans",
            "QUOTE mentions (phrases in “”), counted once per use.",
            charts.bar_chart(facts.slogans, "Top slogans", "uses"),
            facts.slogans.rename("uses").to_frame(),
        ),
        Chart(
            "co_appearance_network",
            "Co-appearance network of officials",
            f"The {len(network)} most active officials; a line joins two who act in the same article, "
            "thicker the more articles they share; a dot grows with the person's articles.",
            charts.network_chart(network, facts.pairs, "Co-appearance network of officials"),
            _pairs_table(facts.pairs, network.index),
        ),
        Chart(
            "data_quality",
            "Data quality",
            "Files by status, repairs applied by kind (from files.repairs), and why files were quarantined.",
            charts.panel_chart(
                [
                    ("Files by status", statuses, "files"),
                    ("Repairs applied by kind", repairs, "repairs"),
                    ("Quarantine reasons", short_reasons, "files"),
                ],
                "Data quality",
            ),
            reasons,
        ),
    ]


def _pairs_table(pairs: pd.Series, people: pd.Index) -> pd.DataFrame:
    among = pairs[[a in people and b in people for a, b in pairs.index]]
    return among.head(TOP).rename("articles").to_frame()


def _shorten(text: str, width: int) -> str:
    """
    >>> _shorten("internal error: ValueError: bad", 20)
    'internal error: Val…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the page --------------------------------------------------------------------------------

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.meta td { padding: 0.1em 1em 0.1em 0; } .caption { color: #555; } .notice { color: #a33; }
img { max-width: 100%; } table.numbers { border-collapse: collapse; font-size: 0.9em; }
table.numbers td, table.numbers th { padding: 0.15em 0.6em; border-bottom: 1px solid #eee; text-align: left; }
"""

# Marks the page once every chart has decoded, so a headless browser can tell that the charts rendered.
CHECK_SCRIPT = """
window.addEventListener("load", () => {
  const drawn = [...document.images].filter((image) => image.complete && image.naturalWidth > 0);
  document.body.dataset.chartsRendered = `${drawn.length}/${document.images.length}`;
});
"""


def render(
    facts: Facts, sections: list[Chart], warehouse: str, start: dt.date | None, end: dt.date | None
) -> str:
    """The HTML page: a summary of what was read, then one section per chart."""
    days = facts.per_day.index
    covered = f"{days.min():%Y-%m-%d} – {days.max():%Y-%m-%d}" if len(days) else "no issue dates"
    requested = f"{start or 'first'} – {end or 'last'}"
    runs = facts.runs.sort_values("started_at")
    last = runs.iloc[-1] if len(runs) else None
    last_run = (
        f"{last.run_id} ({last.kind}, {last.state}, started {last.started_at:%Y-%m-%d %H:%M} UTC)"
        if last is not None
        else "none recorded"
    )
    summary = [
        ("Warehouse", warehouse),
        ("Range requested", requested),
        ("Days shown", covered),
        ("Files", f"{len(facts.files):,}"),
        ("Articles", f"{int(facts.per_day.sum()):,}"),
        ("Pipeline versions", ", ".join(sorted(runs.version.unique())) or "unknown"),
        ("Last run", last_run),
    ]
    notice = (
        ""
        if charts.cjk_family()
        else '<p class="notice">No font that draws Chinese was found, so Chinese labels in the charts show '
        "as boxes; install one (e.g. <code>apt-get install fonts-noto-cjk</code>) and build again.</p>"
    )
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in summary)
    body = "".join(_section(chart) for chart in sections)
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>Bulletins report {html.escape(covered)}</title><style>{STYLE}</style></head>"
        f'<body><h1>Bulletins report</h1><table class="meta">{rows}</table>{notice}{body}'
        f"<script>{CHECK_SCRIPT}</script></body></html>\n"
    )


def _section(chart: Chart) -> str:
    image = base64.b64encode(chart.png).decode("ascii")
    numbers = (
        "<details><summary>Numbers</summary>"
        + chart.numbers.to_html(classes="numbers", border=0)
        + "</details>"
        if chart.numbers is not None and len(chart.numbers)
        else ""
    )
    return (
        f'<section id="{chart.slug}"><h2>{html.escape(chart.title)}</h2>'
        f'<p class="caption">{html.escape(chart.caption)}</p>'
        f'<img src="data:image/png;base64,{image}" alt="{html.escape(chart.title)}">{numbers}</section>'
    )
