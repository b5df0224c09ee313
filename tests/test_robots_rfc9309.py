"""robots.txt as RFC 9309 reads it, over real loopback servers and real Scrapy crawls: an unreachable robots.txt
(5xx, or no answer) means nothing on that host is fetched and every page is recorded; a missing one (4xx) allows
all; Crawl-delay spaces the host's requests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from spiders.runner import CrawlJob, run_crawl

pytestmark = pytest.mark.slow

ARTICLE = (
    "<html><head><title>{n}번째 시험 기사</title>"
    "<meta property='article:published_time' content='2026-11-30T09:00:00+09:00'></head><body><article>"
    "<h1>{n}번째 시험 기사</h1>"
    + "<p>시험용 기사 본문 문단입니다. 로봇 배제 표준을 지키는지 확인하려고 만든 문장이 이어집니다.</p>" * 6
    + "</article></body></html>"
)
FAST_FAILURE_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_TIMEOUT": 1,
    "RETRY_TIMES": 1,
    "NEWSETL_RETRY_BACKOFF_BASE": 0.1,
    "NEWSETL_RETRY_BACKOFF_MAX": 0.2,
    "AUTOTHROTTLE_START_DELAY": 0.0,
}


class RecordingServer:
    """A loopback site whose robots.txt answers as `robots` says; records every request with its time."""

    def __init__(self, robots: str) -> None:
        self.robots = robots
        self.requests: list[tuple[float, str]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append((time.monotonic(), self.path))
                if self.path == "/robots.txt":
                    server.answer_robots(self)
                    return
                body = ARTICLE.format(n=self.path.rsplit("/", 1)[-1]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer_robots(self, handler: BaseHTTPRequestHandler) -> None:
        if self.robots == "hang":
            self.release.wait(10)
            return
        status, text = {
            "500": (500, "<html>server error</html>"),
            "503": (503, "busy"),
            "404": (404, "not found"),
        }.get(self.robots, (200, self.robots))
        body = text.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def article_requests(self) -> list[tuple[float, str]]:
        return [(at, path) for at, path in self.requests if path != "/robots.txt"]

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


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
