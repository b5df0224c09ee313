"""`newsetl report`: one self-contained HTML file with charts over the analytics views.

Charts are drawn with matplotlib as SVG and inlined, so the file needs no script, no network and no
other file to show. Every string from the warehouse (scraped titles, names, sentences) is escaped, and
a Content-Security-Policy forbids scripts altogether, so a hostile page cannot inject one.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import warnings
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsetl.config import is_lake_target
from warehouse.analytics import ReportData

# Korean fonts first: whichever the viewer has draws the Hangul; DejaVu is the last resort.
KOREAN_FONTS = [
    "NanumGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "UnDotum",
    "DejaVu Sans",
]

# Scripts off; inline styles and data: images are all the page uses.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

PAGE_STYLE = """
body { font-family: 'NanumGothic', 'Noto Sans CJK KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif;
       margin: 2rem auto; max-width: 1100px; color: #1d2329; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.3rem; }
.meta { color: #57606a; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; }
figure.chart { margin: 0.5rem 0; }
figure.chart svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85rem; margin-top: 0.5rem; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.empty { color: #57606a; font-style: italic; }
dl.overview { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.overview dt { color: #57606a; }
dl.overview dd { margin: 0; font-weight: bold; }
"""

# Readers are in Korea: the "generated" time is Korean time, and says so.
REPORT_TIMEZONE = zoneinfo.ZoneInfo("Asia/Seoul")

# Chart text size in px (matplotlib points are SVG px at its 72 dpi): 11 px stays legible at 100% zoom.
CHART_FONT_PX = 11

_OUTLET_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


@dataclass(slots=True)
class ReportFile:
    path: Path
    bytes: int
    charts: int


def format_krw(amount: int) -> str:
    """Won the way Korean copy writes it: 9조 5,000억 원, 3,200억 원, 1,500만 원."""
    if amount < 10_000:
        return f"{amount:,} 원"
    parts = []
    rest = amount
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4)):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{unit}")
    if rest:
        parts.append(f"{rest:,}")
    return " ".join(parts) + " 원"


# -- charts ------------------------------------------------------------------------------------


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display: render to SVG text only
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: the browser draws Hangul with its own fonts
            "font.family": "sans-serif",
            "font.sans-serif": KOREAN_FONTS,
            "text.parse_math": False,  # a $ in a scraped name is a dollar sign, not TeX
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": CHART_FONT_PX,
            "xtick.labelsize": CHART_FONT_PX,
            "ytick.labelsize": CHART_FONT_PX,
            "legend.fontsize": CHART_FONT_PX,
            "axes.titlesize": CHART_FONT_PX + 1,
            "axes.labelsize": CHART_FONT_PX,
        }
    )
    return plt


def _svg(figure: Any, name: str) -> str:
    """The figure as an inline <svg> element, ids salted by chart name so charts never share one."""
    plt = _pyplot()
    plt.rcParams["svg.hashsalt"] = name
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # Without a Korean font installed matplotlib measures Hangul with DejaVu and warns per glyph.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib repeats each text in an XML comment; drop them (smaller, and nothing left to escape).
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    # The RDF metadata block (creator, date) is noise in a page and makes two reports differ.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    return svg.replace("<svg ", f'<svg class="chart-svg" data-chart="{html.escape(name)}" role="img" ', 1)


def _chart_trending(rows: list[dict[str, Any]]) -> str:
    plt = _pyplot()
    rows = list(reversed(rows))  # biggest rise at the top of a horizontal bar chart
    labels = [f"{row['name']} ({row['type']})" for row in rows]
    positions = range(len(rows))
    figure, axes = plt.subplots(figsize=(7, 0.32 * len(rows) + 1.2))
    axes.barh([p + 0.2 for p in positions], [row["recent_mentions"] for row in rows], 0.4, label="latest 7 days")
    axes.barh([p - 0.2 for p in positions], [row["previous_mentions"] for row in rows], 0.4, label="7 days before")
    axes.set_yticks(list(positions), labels)
    axes.set_xlabel("mentions")
    axes.legend(loc="lower right", frameon=False)
    return _svg(figure, "trending")


def _chart_source_daily(rows: list[dict[str, Any]]) -> str:
    plt = _pyplot()
    days = sorted({row["day"] for row in rows})
    sources = sorted({row["source"] for row in rows})
    counts = {(row["day"], row["source"]): row["articles"] for row in rows}
    figure, axes = plt.subplots(figsize=(10, 3.6))
    bottom = [0] * len(days)
    for index, source in enumerate(sources):
        heights = [counts.get((day, source), 0) for day in days]
        axes.bar(days, heights, 0.8, bottom=bottom, label=source, color=_OUTLET_COLOURS[index % 8])
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel("stories")
    axes.legend(ncol=min(len(sources), 8), loc="upper left", frameon=False, bbox_to_anchor=(0, 1.15))
    figure.autofmt_xdate()
    return _svg(figure, "source-daily")


def _chart_cooccurrence(rows: list[dict[str, Any]]) -> str:
    plt = _pyplot()
    names = {row["rank_a"]: row["name_a"] for row in rows} | {row["rank_b"]: row["name_b"] for row in rows}
    ranks = sorted(names)
    index = {rank: position for position, rank in enumerate(ranks)}
    size = len(ranks)
    # NaN on the diagonal: an entity with itself is no pair, drawn as an empty cell outside the colour scale.
    matrix = [[0.0 if i != j else float("nan") for j in range(size)] for i in range(size)]
    for row in rows:
        matrix[index[row["rank_a"]]][index[row["rank_b"]]] = row["articles"]
    labels = [names[rank] for rank in ranks]
    peak = max((row["articles"] for row in rows), default=0)
    colours = plt.get_cmap("Blues").with_extremes(bad="#eef1f4")
    figure, axes = plt.subplots(figsize=(0.55 * size + 3, 0.55 * size + 2.2))
    image = axes.imshow(matrix, cmap=colours, vmin=0, vmax=max(peak, 1))
    axes.set_xticks(range(size), labels, rotation=60, ha="right")
    axes.set_yticks(range(size), labels)
    for i, line in enumerate(matrix):
        for j, value in enumerate(line):
            if i != j and value:
                colour = "white" if value > peak / 2 else "black"
                axes.text(j, i, str(int(value)), ha="center", va="center", color=colour)
    figure.colorbar(image, ax=axes, label="stories together")
    return _svg(figure, "cooccurrence")


# Chart units for won: the largest unit under which the biggest amount is still at least 1.
_KRW_UNITS = ((10**12, "조 원"), (10**8, "억 원"), (10**4, "만 원"), (1, "원"))


def krw_unit(amount: int) -> tuple[int, str]:
    """The unit (size, name) to draw amounts up to `amount` in: 조 원 from 1조, else 억 원, 만 원, 원."""
    for size, name in _KRW_UNITS:
        if amount >= size:
            return size, name
    return _KRW_UNITS[-1]


def _chart_money(rows: list[dict[str, Any]]) -> str:
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    rows = list(reversed(rows))  # biggest amount at the top of a horizontal bar chart
    # Who the amount is about (the names in its sentence, else the headline), the amount itself is beside the bar.
    labels = [
        _shorten(f"{', '.join(row['entities'][:2]) or row['article_title']}", 26) + f" · {row['source']}"
        for row in rows
    ]
    size, unit = krw_unit(max(int(row["amount_krw"]) for row in rows))
    values = [int(row["amount_krw"]) / size for row in rows]
    figure, axes = plt.subplots(figsize=(8, 0.38 * len(rows) + 1.4))
    bars = axes.barh(range(len(rows)), values, color="#2ca02c")
    axes.set_yticks(range(len(rows)), labels)
    # A linear axis in one Korean unit, so bar lengths compare honestly; each bar also says its amount.
    axes.xaxis.set_major_locator(MaxNLocator(nbins=6))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.4g}"))
    axes.set_xlabel(f"KRW, {unit}")
    axes.bar_label(bars, [format_krw(int(row["amount_krw"])) for row in rows], padding=3)
    axes.set_xlim(0, max(max(values), 1) * 1.3)  # room for the amount beside the longest bar
    return _svg(figure, "money")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_HEALTH_MEASURES = (
    ("empty_body_share", "empty body"),
    ("missing_date_share", "missing date"),
    ("missing_byline_share", "missing byline"),
)


def _chart_site_health(rows: list[dict[str, Any]]) -> str:
    plt = _pyplot()
    from matplotlib.dates import DateFormatter

    sources = sorted({row["source"] for row in rows})
    days = sorted({row["day"] for row in rows})
    figure, all_axes = plt.subplots(1, len(_HEALTH_MEASURES), figsize=(10, 3), sharey=True)
    for axes, (column, label) in zip(all_axes, _HEALTH_MEASURES, strict=True):
        for index, source in enumerate(sources):
            points = [(row["day"], row[column]) for row in rows if row["source"] == source and row[column] is not None]
            if points:
                axes.plot(*zip(*points, strict=True), marker="o", label=source, color=_OUTLET_COLOURS[index % 8])
        axes.set_title(f"share with {label}")
        axes.set_ylim(-0.05, 1.05)
        axes.xaxis.set_major_formatter(DateFormatter("%m-%d"))
        # a few days of margin, so a single crawl day is a point in a week, not in a decade
        axes.set_xlim(days[0] - dt.timedelta(days=3), days[-1] + dt.timedelta(days=3))
        axes.tick_params(axis="x", labelrotation=30)
    all_axes[-1].legend(loc="upper right", frameon=False)
    return _svg(figure, "site-health")


# -- HTML --------------------------------------------------------------------------------------


def _escape(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return html.escape(", ".join(str(item) for item in value))
    if isinstance(value, float):
        return html.escape(f"{value:.2f}")
    if isinstance(value, int):
        return f"{value:,}"
    return html.escape(str(value))


def _link(text: str, url: Any) -> str:
    """`text` (already escaped) as a link to a scraped URL; only http(s) links, so a javascript: URL stays text."""
    if not isinstance(url, str) or not re.match(r"https?://", url, flags=re.IGNORECASE):
        return text
    return f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{text}</a>'


def _table(
    rows: list[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    formatters: dict[str, Callable] = {},  # noqa: B006 - read only
    links: dict[str, str] = {},  # noqa: B006 - read only; column -> the column holding its URL
) -> str:
    if not rows:
        return '<p class="empty">No rows.</p>'
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    lines = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row[key]
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            text = html.escape(formatters[key](value)) if key in formatters and value is not None else _escape(value)
            if key in links:
                text = _link(text, row[links[key]])
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _section(anchor: str, title: str, note: str, body: str) -> str:
    return (
        f'<section id="{anchor}"><h2>{html.escape(title)}</h2><p class="meta">{html.escape(note)}</p>{body}</section>'
    )


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="chart">{svg}<figcaption class="meta">{html.escape(caption)}</figcaption></figure>'


def _kst(moment: dt.datetime) -> str:
    """A moment as Korean time, labelled: 2026-12-02 07:45 KST (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(REPORT_TIMEZONE).strftime("%Y-%m-%d %H:%M KST (Asia/Seoul)")


NO_ROWS = '<p class="empty">No rows for this period.</p>'
# The columns each section's table shows: (result column, header).
TRENDING_COLUMNS = [
    ("name", "entity"),
    ("type", "type"),
    ("recent_mentions", "latest 7 days"),
    ("previous_mentions", "7 days before"),
    ("rise", "rise"),
    ("rise_ratio", "ratio (+1 smoothed)"),
    ("recent_sources", "outlets"),
]

PAIR_COLUMNS = [
    ("name_a", "entity"),
    ("type_a", "type"),
    ("name_b", "with"),
    ("type_b", "type"),
    ("articles", "stories"),
    ("first_day", "first"),
    ("last_day", "last"),
]

MONEY_COLUMNS = [
    ("amount_krw", "amount"),
    ("surface", "as written"),
    ("source", "outlet"),
    ("day", "day"),
    ("article_title", "article"),
    ("copies", "copies"),
    ("entities", "entities in the sentence"),
    ("sentence", "sentence"),
]

HEALTH_COLUMNS = [
    ("day", "day"),
    ("source", "outlet"),
    ("runs", "runs"),
    ("pages", "pages"),
    ("articles", "articles"),
    ("fetch_errors", "fetch errors"),
    ("empty_body_share", "empty body"),
    ("missing_date_share", "no date"),
    ("missing_byline_share", "no byline"),
    ("last_warning", "warning"),
]


def _trending_section(trending: list[dict[str, Any]]) -> str:
    window = f"{trending[0]['window_start']} – {trending[0]['window_end']}" if trending else "no data"
    return _section(
        "trending",
        "Trending entities",
        f"People, organisations and places whose mentions rose most in the latest 7 days of data ({window}) "
        "against the 7 days before (view entity_trending).",
        (_figure(_chart_trending(trending), "mentions in the two windows") if trending else NO_ROWS)
        + _table(trending, TRENDING_COLUMNS),
    )


def _rows(data: ReportData, name: str) -> list[dict[str, Any]]:
    """A section's rows; none for data gathered without it."""
    return data.sections[name].as_dicts() if name in data.sections else []


def _deals_section(data: ReportData) -> str:
    deals = _rows(data, "deals")
    return _section(
        "deals",
        "Deals",
        "Investments, funds formed, acquisitions, listings and grants read from the articles' sentences, newest "
        "first; a wire story counts once (views deal_facts, deals_monthly, investor_activity).",
        _table(
            deals,
            [
                ("day", "day"),
                ("company", "company"),
                ("kind", "kind"),
                ("round", "round"),
                ("amount_krw", "amount"),
                ("investors", "investors"),
                ("source", "outlet"),
                ("article_title", "article"),
            ],
            {"amount_krw": format_krw},
            {"article_title": "url"},
        ),
    )


def _people_section(data: ReportData) -> str:
    moves = _rows(data, "people_moves")
    return _section(
        "people-moves",
        "People moves",
        "Appointments and departures (선임, 취임, 영입, 내정, 사임, 퇴임), newest first; a wire story counts once "
        "(view people_moves).",
        _table(
            moves,
            [
                ("day", "day"),
                ("person", "person"),
                ("kind", "move"),
                ("title", "post"),
                ("org", "organisation"),
                ("source", "outlet"),
                ("article_title", "article"),
            ],
            links={"article_title": "url"},
        ),
    )


def _sections(data: ReportData) -> list[str]:
    """The report's sections as HTML, in page order: each a note, a chart and its rows."""
    trending = data["trending"].as_dicts()
    source_daily = data["source_daily"].as_dicts()
    matrix = data["cooccurrence_matrix"].as_dicts()
    pairs = data["cooccurrence_pairs"].as_dicts()
    money = data["money"].as_dicts()
    health = data["site_health"].as_dicts()
    return [
        _trending_section(trending),
        _section(
            "articles",
            "Stories per outlet per day",
            "By publication day in Asia/Seoul; a wire story counts once, under its earliest copy (view source_daily).",
            _figure(_chart_source_daily(source_daily), "stories per day, stacked by outlet")
            if source_daily
            else NO_ROWS,
        ),
        _section(
            "cooccurrence",
            "Entities seen together",
            "The named entities in the most stories, and how many stories each pair of them shares; "
            "a wire story counts once (view entity_cooccurrence).",
            (_figure(_chart_cooccurrence(matrix), "stories shared by each pair") if matrix else NO_ROWS)
            + _table(pairs, PAIR_COLUMNS),
        ),
        _section(
            "money",
            "Biggest money mentions",
            "Amounts in won, once per story and amount, with the entities named in the same sentence and the "
            "stored copies of the story (view money_mentions).",
            (_figure(_chart_money(money), "amount per mention") if money else NO_ROWS)
            + _table(
                money,
                MONEY_COLUMNS,
                {"amount_krw": format_krw},
                {"article_title": "url"},
            ),
        ),
        _deals_section(data),
        _people_section(data),
        _section(
            "site-health",
            "Site health",
            "Per outlet and day: share of stored articles with an empty body, no date or no byline, and fetch "
            "errors (view site_health_daily).",
            (_figure(_chart_site_health(health), "extraction health per outlet over time") if health else NO_ROWS)
            + _table(health[-30:], HEALTH_COLUMNS),
        ),
    ]


def render_report(data: ReportData, *, generated_at: dt.datetime | None = None, db_name: str = "") -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    overview = data["overview"].as_dicts()[0]
    sections = _sections(data)
    since = f" since {data.since.isoformat()}" if data.since else ""
    summary = [
        ("stories (a wire story once)", overview["articles"]),
        ("stored articles (with copies)", overview.get("copies")),
        ("outlets", overview["sources"]),
        ("days", f"{overview['first_day'] or '–'} – {overview['last_day'] or '–'}"),
        ("entity mentions", overview["mentions"]),
        ("pipeline runs", overview["runs"]),
    ]
    summary_html = "".join(f"<dt>{html.escape(label)}</dt><dd>{_escape(value)}</dd>" for label, value in summary)
    title = f"newsetl report{since}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="ko"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CONTENT_SECURITY_POLICY, quote=False)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{PAGE_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="meta">{html.escape(db_name)} · generated {html.escape(_kst(generated_at))}</p>'
        f'<dl class="overview">{summary_html}</dl>' + "".join(sections) + "</body></html>\n"
    )


def write_report(db_path: str | Path, out_path: str | Path, *, since: dt.date | None = None) -> ReportFile:
    """Read the warehouse (read-only), render the report, write it to `out_path`."""
    from warehouse.analytics import open_for_reading, report_data

    with open_for_reading(db_path) as store:
        data = report_data(store, since)
    # A lake target names a catalog (and may carry its credentials): the page names only the kind.
    document = render_report(data, db_name="DuckLake" if is_lake_target(db_path) else Path(db_path).name)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document, encoding="utf-8")
    return ReportFile(out, len(document.encode("utf-8")), document.count('class="chart-svg"'))
