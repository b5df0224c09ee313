"""A real Prefect flow run crawling the fault site (tests/fault_site.py) over loopback into DuckDB.

One crawl serves every test here: 0 crashes, 0 duplicates, every good page stored once, every bad one
in `fetch_errors` with a reason of the right kind, and a run summary that counts the failures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fault_site import (
    FAILED,
    FAULTS,
    HOSTILE_PARAGRAPH,
    HOSTILE_TITLE,
    STORED_UNDATED,
    FaultServer,
    article_paragraphs,
)

from newsetl import api
from warehouse import Warehouse

pytestmark = pytest.mark.slow

# Short limits keep the crawl to ~10 s: a 2 s timeout (the hanging page costs 3 x 2 s), small backoff.
FAULT_SCRAPY_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 1.0,
    "DOWNLOAD_TIMEOUT": 2,
    "RETRY_TIMES": 2,
    "NEWSETL_RETRY_BACKOFF_BASE": 0.2,
    "NEWSETL_RETRY_BACKOFF_MAX": 0.5,
    "NEWSETL_RETRY_AFTER_MAX": 5,
}
BACKOFF_FLOOR = 0.1  # the first retry waits at least half of NEWSETL_RETRY_BACKOFF_BASE

# What `fetch_errors.error` must start with for each failing page.
EXPECTED_REASON: dict[str, str] = {
    "404": "http: HTTP 404",
    "500": "http: HTTP 500 (gave up after 2 retries)",
    "timeout": "timeout:",
    "429-forever": "http: HTTP 429 (gave up after 2 retries)",
    "429-long-retry-after": "http: HTTP 429",
    "redirect-loop": "redirect: redirect loop",
    "redirect-chain": "redirect: max redirections",
    "redirect-offsite": "offsite: redirect off the allowed domains",
    "connection-reset": "connection:",
    "truncated-transfer": "truncated:",
    # The site selectors miss the body, the generic fallback finds only page furniture, cleaning rejects it.
    "truncated-html": "clean: empty body after cleaning",
    "binary-as-html": "parse: not an HTML page (a PNG image)",
    "huge-declared": "too-large:",
    "huge-streamed": "too-large:",
    "gzip-bomb": "too-large:",
    "robots-disallowed": "robots:",
    "empty-200": "parse: no title found",
}
GOOD = [fault for fault in FAULTS if fault.outcome != FAILED]
BAD = [fault for fault in FAULTS if fault.outcome == FAILED]


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory, prefect_harness):
    db_path = tmp_path_factory.mktemp("faults") / "faults.duckdb"
    with FaultServer(slow_seconds=0.5, hang_seconds=20) as site:
        summary = api.run(
            db=db_path,
            sites=["itchosun"],
            base_urls={"itchosun": site.base_url},
            scrapy_settings=FAULT_SCRAPY_SETTINGS,
        )
        yield db_path, summary, site


def _query(db_path: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with Warehouse.open(db_path, read_only=True) as store:
        return store.query(sql, params).rows


def test_run_runs_to_its_end_and_its_summary_counts_the_failures(fault_run):
    db_path, summary, _ = fault_run
    # Most of this site's pages fail, over the default max_error_share (0.5): the run loads every good page and
    # records every failure, then ends Failed and says why instead of passing for a plain "completed".
    assert summary["status"] == "failed"
    assert f"{len(BAD)} of {max(summary['pages_fetched'], len(BAD))} pages failed" in summary["failure"]
    assert summary["errors"] == len(BAD)
    assert summary["articles_new"] == len(GOOD)
    site_stats = summary["sites"]["itchosun"]
    assert site_stats["finish_reason"] == "finished"
    assert site_stats["undated"] == 2  # the unparseable date, and the truncated page (parsed, then rejected)
    assert site_stats["retries"] > 0
    assert sum(site_stats["errors_by_kind"].values()) == site_stats["fetch_errors"]
    runs = _query(db_path, "SELECT status, errors, articles_new FROM runs")
    assert runs == [("failed", len(BAD), len(GOOD))]


def test_every_good_page_is_stored_exactly_once(fault_run):
    db_path, _, site = fault_run
    rows = _query(db_path, "SELECT url, title, body FROM articles")
    assert len(rows) == len({url for url, _, _ in rows}) == len(GOOD)
    stored = {url: (title, body) for url, title, body in rows}
    for fault in GOOD:
        title, body = stored[site.article_url(fault.idxno)]
        for paragraph in article_paragraphs(fault.idxno):
            # Also proves the CP949 pages (labelled UTF-8, or unlabelled) were decoded right.
            assert paragraph in body, (fault.kind, paragraph)


@pytest.mark.parametrize("fault", BAD, ids=[fault.kind for fault in BAD])
def test_every_bad_page_is_in_fetch_errors_with_its_reason(fault_run, fault):
    db_path, _, site = fault_run
    url = site.article_url(fault.idxno)
    rows = _query(db_path, "SELECT error, source FROM fetch_errors WHERE url = ?", [url])
    assert len(rows) == 1, rows
    error, source = rows[0]
    assert error.startswith(EXPECTED_REASON[fault.kind]), error
    assert source == "itchosun"
    assert not _query(db_path, "SELECT 1 FROM articles WHERE url = ?", [url])


def test_unparseable_date_is_stored_with_null_published_at(fault_run):
    db_path, _, site = fault_run
    undated = [fault for fault in FAULTS if fault.outcome == STORED_UNDATED]
    rows = _query(db_path, "SELECT url FROM articles WHERE published_at IS NULL")
    assert sorted(url for (url,) in rows) == sorted(site.article_url(fault.idxno) for fault in undated)


def test_retries_wait_and_honour_retry_after(fault_run):
    _, _, site = fault_run

    def arrivals(idxno: int) -> list[float]:
        return sorted(entry.at for entry in site.request_log if entry.idxno == idxno)

    first, second = arrivals(3)  # 429 with Retry-After: 1, then 200
    assert second - first >= 0.95
    first, second = arrivals(2)  # 503, then 200 after backoff
    assert second - first >= BACKOFF_FLOOR
    assert len(arrivals(104)) == 3  # 429 every time: first try + RETRY_TIMES
    assert len(arrivals(117)) == 1  # Retry-After: 3600 is not waited for
    assert site.hits(102) == 3


def test_tracking_variants_are_fetched_once_and_offsite_hosts_never(fault_run):
    db_path, summary, site = fault_run
    assert site.hits(8) == 1  # four list links + one RSS link, one request
    assert site.hits(115) == 0  # robots.txt said no
    assert summary["sites"]["itchosun"]["offsite_filtered"] == 0  # dropped before Scrapy had to filter any
    # Nothing ever tried to resolve or connect to a .example host.
    errors = [error for (error,) in _query(db_path, "SELECT error FROM fetch_errors")]
    assert all(".example" not in error or error.startswith("offsite:") for error in errors)
    assert not _query(db_path, "SELECT url FROM fetch_errors WHERE url LIKE '%.example%'")


def test_scraped_text_is_stored_verbatim_never_executed(fault_run):
    db_path, _, site = fault_run
    rows = _query(db_path, "SELECT title, body FROM articles WHERE url LIKE '%idxno=11'")
    assert rows[0][0] == HOSTILE_TITLE
    assert HOSTILE_PARAGRAPH in rows[0][1]
    tables = {name for (name,) in _query(db_path, "SELECT table_name FROM information_schema.tables")}
    assert {"articles", "mentions", "fetch_errors", "runs"} <= tables
    assert _query(db_path, "SELECT count(*) FROM articles")[0][0] == len(GOOD)


def test_html_report_over_the_fault_warehouse_escapes_scraped_text(fault_run, tmp_path):
    from newsetl.report import write_report

    db_path, _, _ = fault_run
    document = write_report(db_path, tmp_path / "report.html").path.read_text(encoding="utf-8")
    assert "<script" not in document
    assert "<img src=x" not in document
