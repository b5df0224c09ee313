"""Start URLs are checked before any work: each bad one is named on one line, exit 2, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from transforms.ids import start_url_problem

NEWSETL = str(Path(sys.executable).with_name("newsetl"))


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/a.html",
        "file:///etc/passwd",
        "http://[::1",
        "http://127.0.0.1:99999/",
        "example.com/a",
        "http:///nohost",
        "http://127.0.0.1/a b",
        "",
    ],
)
def test_bad_start_urls_have_a_reason(url: str) -> None:
    assert start_url_problem(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/news/1", "https://www.example.co.kr/a?b=1#c"])
def test_web_urls_pass(url: str) -> None:
    assert start_url_problem(url) is None


def test_one_bad_start_url_stops_the_run_before_any_work(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = subprocess.run(
        [
            NEWSETL,
            "run",
            "--db",
            str(db),
            "--start-url",
            "http://127.0.0.1:9/a",
            "--start-url",
            "http://[::1",
            "--start-url",
            "file:///etc/passwd",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "http://[::1" in lines[0] and "file:///etc/passwd" in lines[0]
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_since_applies_to_start_urls_and_stored_pages_count_as_parsed() -> None:
    from loopback_site import RecordingServer

    from spiders.runner import CrawlJob, run_crawl

    site = RecordingServer()  # its articles are dated 2026-11-30 09:00 KST
    try:
        urls = [f"{site.base_url}/news/{n}" for n in (1, 2)]
        kept = run_crawl(CrawlJob(start_urls=urls, since="2026-11-30"), timeout=120)
        skipped = run_crawl(CrawlJob(start_urls=urls, since="2026-12-01"), timeout=120)
    finally:
        site.close()
    assert len(kept.articles) == 2 and kept.stats["sites"]["generic"]["articles_parsed"] == 2
    assert skipped.articles == [] and skipped.errors == []
