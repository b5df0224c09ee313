"""Every requested URL ends as an article or a recorded failure: redirects to nowhere and meta refreshes off the
site are recorded, not dropped (real Scrapy crawls of a loopback site)."""

from __future__ import annotations

import pytest
from loopback_site import ARTICLE, FAST_FAILURE_SETTINGS, RecordingServer

from spiders.runner import CrawlJob, run_crawl

pytestmark = pytest.mark.slow


def test_redirects_to_nowhere_and_off_site_refreshes_are_recorded() -> None:
    refresh_page = "<html><head><meta http-equiv='refresh' content='0; url=http://elsewhere.invalid/a'></head></html>"
    server = RecordingServer(
        responses={
            "/empty-location": (302, {"Location": ""}, ""),
            "/refresh-offsite": (200, {}, refresh_page),
            "/refresh-self": (
                200,
                {},
                "<html><head><meta http-equiv='refresh' content='0; url=/refresh-self'></head></html>",
            ),
        }
    )
    try:
        paths = ["/empty-location", "/refresh-offsite", "/refresh-self", "/news/1"]
        job = CrawlJob(start_urls=[server.base_url + path for path in paths], settings=FAST_FAILURE_SETTINGS)
        result = run_crawl(job, timeout=120)
    finally:
        server.close()
    reasons = {error.url.rsplit("/", 1)[-1]: error.error for error in result.errors}
    assert reasons["empty-location"].startswith("redirect: redirect to nowhere")
    assert reasons["refresh-offsite"].startswith("offsite: meta refresh off the allowed domains")
    assert reasons["refresh-self"].startswith("redirect: meta refresh loop")
    assert [article.title for article in result.articles] == [ARTICLE.format(n=1).split("<title>")[1].split("<")[0]]
