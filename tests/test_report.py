"""`newsetl report`: one HTML file, charts that render in headless Chromium, scraped text escaped."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_views import filled_warehouse

from newsetl import cli
from newsetl.report import CHART_FONT_PX, format_krw, krw_unit, render_report, write_report
from warehouse import Warehouse
from warehouse.analytics import ReportData
from warehouse.store import QueryResult

pytestmark = pytest.mark.slow

HOSTILE_TITLE = "<script>alert('title')</script>삼성전자 </table><img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = "투자액은 999조 원이다 <script>document.title='pwned'</script>."
CHART_SECTIONS = ("trending", "source-daily", "cooccurrence", "money", "site-health")


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.skip("chromium not found (Debian: apt-get install -y chromium; .ci/run installs it)")
    return found


def _chromium_run(html_file: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        html_file.resolve().as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _console_lines(stderr: str) -> list[str]:
    # Chromium logs page console output, CSP violations and uncaught errors as ":CONSOLE" lines.
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, mirror_server, prefect_harness) -> Path:
    """A copy of the mirror warehouse plus one article whose scraped text tries to inject markup."""
    source = filled_warehouse(tmp_path_factory, mirror_server)
    db_path = tmp_path_factory.mktemp("report") / "hostile.duckdb"
    shutil.copy(source, db_path)
    with Warehouse.open(db_path) as store:
        store.con.execute(
            "INSERT INTO articles BY NAME SELECT 'ffff000000000001' AS article_id, "
            "'http://127.0.0.1/evil' AS url, 'itchosun' AS source, ? AS title, "
            "TIMESTAMPTZ '2026-11-24 10:00:00+09' AS published_at, ? AS body, 'x' AS body_hash, 1 AS version, "
            "now() AS first_seen_at, now() AS updated_at, 'test' AS run_id",
            [HOSTILE_TITLE, HOSTILE_SENTENCE],
        )
        store.con.execute(
            "INSERT INTO entities BY NAME SELECT 'ffff0000000000e1' AS entity_id, '999조 원' AS name, "
            "'MONEY' AS type, '999000000000000' AS normalized, now() AS first_seen_at"
        )
        store.con.execute(
            "INSERT INTO mentions BY NAME SELECT 'ffff000000000001' AS article_id, 'ffff0000000000e1' AS entity_id, "
            "'999조 원' AS surface, 5 AS start_char, 11 AS end_char, 'MONEY' AS type, "
            "'999000000000000' AS normalized"
        )
    return db_path


@pytest.fixture(scope="module")
def report_file(hostile_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report-out") / "report.html"
    written = write_report(hostile_db, out)
    assert written.charts == len(CHART_SECTIONS)
    return out


def test_format_krw_reads_like_korean_copy():
    assert format_krw(9_500_000_000_000) == "9조 5,000억 원"
    assert format_krw(320_000_000_000) == "3,200억 원"
    assert format_krw(15_000_000) == "1,500만 원"
    assert format_krw(999) == "999 원"


def test_render_escapes_every_scraped_string():
    hostile = "<script>alert(1)</script>"
    data = ReportData(None)
    empty = QueryResult([], [])
    for name in ("trending", "source_daily", "cooccurrence_matrix", "cooccurrence_pairs", "site_health"):
        data.sections[name] = empty
    data.sections["overview"] = QueryResult(
        ["articles", "sources", "first_day", "last_day", "mentions", "runs"], [(1, 1, None, None, 1, 1)]
    )
    data.sections["money"] = QueryResult(
        ["day", "source", "article_title", "url", "copies", "surface", "amount_krw", "entities", "sentence"],
        [
            (None, hostile, hostile, "javascript:alert(1)", 1, hostile, 5 * 10**8, [hostile], hostile),
            (None, "dt", "제목", 'https://example.test/a?x=1&y="2"><script>', 2, "1억 원", 10**8, [], "문장"),
        ],
    )
    document = render_report(data, generated_at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC))
    assert "<script" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "Content-Security-Policy" in document and "default-src 'none'" in document
    # a scraped URL is a link only when it is http(s), and its quotes cannot close the attribute
    assert "javascript:" not in document.split("<table>")[-1].split("</table>")[0].replace("<td>javascript", "")
    assert 'href="javascript' not in document
    assert (
        '<a href="https://example.test/a?x=1&amp;y=&quot;2&quot;&gt;&lt;script&gt;" target="_blank" '
        'rel="noopener noreferrer">제목</a>' in document
    )
    # the generated time is Korean time and says so (23:30 UTC is 08:30 the next day in Seoul)
    assert "generated 2026-12-02 08:30 KST (Asia/Seoul)" in document


def test_krw_unit_picks_the_biggest_unit_that_fits():
    assert krw_unit(30 * 10**12) == (10**12, "조 원")
    assert krw_unit(9_999 * 10**8) == (10**8, "억 원")
    assert krw_unit(15_000_000) == (10**4, "만 원")
    assert krw_unit(999) == (1, "원")


def test_report_is_one_file_with_every_chart(report_file):
    document = report_file.read_text(encoding="utf-8")
    assert document.count('class="chart-svg"') == len(CHART_SECTIONS)
    for section in CHART_SECTIONS:
        assert f'data-chart="{section}"' in document
    # no script, no external resource: the file shows the same offline
    assert "<script" not in document
    assert "http://" not in document.replace("http://www.w3.org/", "").replace("http://127.0.0.1", "")
    assert "과학기술정보통신부" in document  # Hangul stays text (the browser draws it)
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in document
    assert "999조 원" in document


def _chart(document: str, name: str) -> str:
    start = document.index(f'data-chart="{name}"')
    return document[start : document.index("</svg>", start)]


def test_chart_text_is_readable(report_file):
    document = report_file.read_text(encoding="utf-8")
    charts = document.split('class="chart-svg"')[1:]
    sizes = [
        float(size) for chart in charts for size in re.findall(r"font-size: ([0-9.]+)px", chart.split("</svg>")[0])
    ]
    assert sizes and min(sizes) >= CHART_FONT_PX >= 11
    # in SVG user units; the page never shrinks a chart (1pt = 4/3 px, within the 1100px column), so 11 stays 11+ px
    widths = [float(width) for width in re.findall(r'<svg class="chart-svg"[^>]* width="([0-9.]+)pt"', document)]
    assert len(widths) == len(CHART_SECTIONS) and max(widths) * 4 / 3 <= 1068


def test_heatmap_has_no_self_pairs(hostile_db):
    from warehouse.analytics import open_for_reading, report_data

    with open_for_reading(hostile_db) as store:
        data = report_data(store)
    rows = data["cooccurrence_matrix"].as_dicts()
    assert rows and all(row["rank_a"] != row["rank_b"] for row in rows)
    size = len({row["rank_a"] for row in rows})
    assert len(rows) == size * (size - 1)  # every other pair is there, 0 when they never meet
    # the pairs are symmetric, and the colour scale's top is the busiest real pair
    together = {(row["rank_a"], row["rank_b"]): row["articles"] for row in rows}
    assert all(together[(b, a)] == count for (a, b), count in together.items())
    assert max(together.values()) >= 2


def test_money_chart_is_linear_with_korean_units(report_file):
    chart = _chart(report_file.read_text(encoding="utf-8"), "money")
    assert "log scale" not in chart
    assert "KRW, 조 원" in chart  # the hostile 999조 원 is the biggest amount
    assert "999조 원" in chart  # each bar says its amount
    ticks = re.findall(r'<g id="xtick_\d+">', chart)
    assert len(ticks) >= 3


def test_listed_articles_are_links(report_file):
    document = report_file.read_text(encoding="utf-8")
    money = document.split('id="money"')[1].split("</section>")[0]
    links = re.findall(r'<a href="([^"]+)" target="_blank" rel="noopener noreferrer">', money)
    assert links and all(link.startswith("http://127.0.0.1") for link in links)
    assert "<th>copies</th>" in money


def test_report_since_filters_days(hostile_db, tmp_path):
    out = tmp_path / "recent.html"
    write_report(hostile_db, out, since=dt.date(2026, 11, 20))
    document = out.read_text(encoding="utf-8")
    assert "since 2026-11-20" in document
    assert "2026-10-0" not in document.split('id="articles"')[1].split("</section>")[0]


def test_report_renders_in_headless_chromium(report_file, tmp_path):
    screenshot = tmp_path / "report.png"
    shot = _chromium_run(
        report_file, tmp_path / "profile-shot", "--window-size=1200,3000", f"--screenshot={screenshot}"
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert not _console_lines(shot.stderr), _console_lines(shot.stderr)
    from PIL import Image

    with Image.open(screenshot) as image:
        assert image.size == (1200, 3000)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # charts, not a blank page

    dom = _chromium_run(report_file, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _console_lines(dom.stderr), _console_lines(dom.stderr)
    rendered = dom.stdout
    assert rendered.count('class="chart-svg"') == len(CHART_SECTIONS)
    assert rendered.count("<path") > 100 and rendered.count("<text") > 50
    assert "<script" not in rendered and "<img" not in rendered
    assert "pwned" in rendered and "<title>newsetl report</title>" in rendered  # title untouched


def test_cli_report_and_export(hostile_db, tmp_path, capsys):
    out = tmp_path / "cli.html"
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["report", "--db", str(hostile_db), "--out", str(out), "--since", "2026-10-01"])
    assert exit_info.value.code == 0
    assert out.is_file() and "5 charts" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["export", "--format", "parquet", str(tmp_path / "parquet"), "--db", str(hostile_db)])
    assert exit_info.value.code == 0
    assert "one folder per month" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["report", "--db", str(hostile_db), "--since", "yesterday"])
    assert exit_info.value.code == 2
