"""A small loopback site for crawl tests: article pages at any path, robots.txt as a test wants it, extra
responses per path, and a log of every request with its time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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

    def __init__(
        self,
        robots: str = "404",
        responses: dict[str, tuple[int, dict[str, str], str]] | None = None,
        route: Callable[[str], tuple[int, dict[str, str], str] | None] | None = None,
    ) -> None:
        self.robots = robots
        self.responses = responses or {}  # path -> (status, headers, body) served instead of an article
        self.route = route  # path -> (status, headers, body), or None for the default article
        self.requests: list[tuple[float, str]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append((time.monotonic(), self.path))
                if self.path == "/robots.txt":
                    server.answer_robots(self)
                    return
                if self.path in server.responses:
                    server.answer(self, *server.responses[self.path])
                    return
                routed = server.route(self.path) if server.route else None
                if routed is not None:
                    server.answer(self, *routed)
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
        self.answer(handler, status, {"Content-Type": "text/plain"}, text)

    @staticmethod
    def answer(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], text: str) -> None:
        body = text.encode()
        handler.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def article_requests(self) -> list[tuple[float, str]]:
        return [(at, path) for at, path in self.requests if path != "/robots.txt"]

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
