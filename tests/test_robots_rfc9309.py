"""robots.txt as RFC 9309 reads it, over real loopback servers and real Scrapy crawls: an unreachable robots.txt
(5xx, or no answer) means nothing on that host is fetched and every page is recorded; a missing one (4xx) allows
all; Crawl-delay spaces the host's requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from loopback_site import ARTICLE, FAST_FAILURE_SETTINGS, RecordingServer

from spiders.runner import CrawlJob, run_crawl

pytestmark = pytest.mark.slow


@pytest.fixture
def site(request: pytest.FixtureRequest) -> Iterator[RecordingServer]:
    server = RecordingServer(request.param)
    yield server
    server.close()


def _crawl(server: RecordingServer, pages: int = 3, **settings: Any):
    urls = [f"{server.base_url}/news/{n}" for n in range(1, pages + 1)]
    return run_crawl(CrawlJob(start_urls=urls, settings={**FAST_FAILURE_SETTINGS, **settings}), timeout=120)


@pytest.mark.parametrize("site", ["500", "503", "hang"], indirect=True)
def test_an_unreachable_robots_txt_means_nothing_is_fetched(site: RecordingServer) -> None:
    result = _crawl(site)
    assert site.article_requests() == []
    assert result.articles == []
    assert len(result.errors) == 3
    assert all(error.error.startswith("robots: robots.txt unreachable") for error in result.errors)


@pytest.mark.parametrize("site", ["404"], indirect=True)
def test_a_missing_robots_txt_allows_everything(site: RecordingServer) -> None:
    result = _crawl(site)
    assert len(result.articles) == 3 and result.errors == []


@pytest.mark.parametrize("site", ["User-agent: *\nCrawl-delay: 1\nDisallow: /news/3\n"], indirect=True)
def test_crawl_delay_spaces_requests_and_disallow_still_applies(site: RecordingServer) -> None:
    result = _crawl(site, pages=4, CONCURRENT_REQUESTS_PER_DOMAIN=4)
    starts = sorted(at for at, _ in site.article_requests())
    assert len(starts) == 3  # /news/3 is disallowed
    # Lower bounds only: a slow machine can only widen the gaps.
    assert all(later - earlier >= 0.9 for earlier, later in zip(starts, starts[1:], strict=False))
    assert [error.error.split(":", 1)[0] for error in result.errors] == ["robots"]
    assert len(result.articles) == 3


def test_non_web_schemes_are_recorded_never_fetched(tmp_path) -> None:
    local_file = tmp_path / "secret.html"
    local_file.write_text(ARTICLE.format(n=1), encoding="utf-8")
    job = CrawlJob(start_urls=[local_file.as_uri(), "ftp://127.0.0.1:9/article.html"], settings=FAST_FAILURE_SETTINGS)
    result = run_crawl(job, timeout=120)
    assert result.articles == []
    assert sorted(error.error.split(":", 1)[0] for error in result.errors) == ["scheme", "scheme"]
