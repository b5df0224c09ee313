"""A misbehaving news site on 127.0.0.1 for reliability tests: every fault a real outlet has shown us.

The site uses the ND-Soft layout (`/news/articleView.html?idxno=N`, list page, RSS, robots.txt), so the
`itchosun` spider crawls it when pointed at `FaultServer.base_url`. The list page links to every fault
URL, plus tracking-parameter variants and links to hosts under the reserved `.example` TLD (which must
never be requested). `FAULTS` says what each URL does and what the pipeline must make of it:

    with FaultServer() as site:
        site.base_url          # -> "http://127.0.0.1:PORT"
        site.hits(8)           # how many times idxno=8 was requested
        site.request_log       # every request: (path, status, monotonic time)

Command line: `python tests/fault_site.py` prints the URL and serves until interrupted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

BIND_HOST = "127.0.0.1"
ARTICLE_PATH = "/news/articleView.html"
LIST_PATH = "/news/articleList.html"

STORED = "stored"  # the page must end up in `articles` exactly once
STORED_UNDATED = "stored-undated"  # stored, with published_at NULL
FAILED = "failed"  # the page must end up in `fetch_errors`, never in `articles`

HUGE_PAGE_BYTES = 20 * 1024 * 1024
BOMB_INFLATED_BYTES = 64 * 1024 * 1024  # what the gzip bomb inflates to (from ~64 KB on the wire)
TRUNCATED_DECLARED_BYTES = 50_000


@dataclass(frozen=True, slots=True)
class Fault:
    idxno: int
    kind: str  # short name, used in test ids and the README table
    outcome: str  # STORED, STORED_UNDATED or FAILED
    description: str


FAULTS: tuple[Fault, ...] = (
    Fault(1, "ok", STORED, "a plain, well-formed article"),
    Fault(2, "503-then-200", STORED, "503 on the first request, 200 after"),
    Fault(3, "429-retry-after", STORED, "429 with Retry-After: 1 on the first request, 200 after"),
    Fault(4, "slow", STORED, "answers after a delay shorter than DOWNLOAD_TIMEOUT"),
    Fault(5, "cp949-labelled-utf8", STORED, "CP949 bytes served as text/html; charset=utf-8"),
    Fault(6, "no-charset", STORED, "CP949 bytes, no charset in header or <meta>"),
    Fault(7, "unparseable-date", STORED_UNDATED, "the 입력 line holds no date a parser can read"),
    Fault(8, "tracking-variants", STORED, "linked four times with utm_*/fbclid variants and a fragment"),
    Fault(9, "malformed-html", STORED, "unclosed and misnested tags, stray end tags"),
    Fault(10, "gzip", STORED, "a normal page sent with Content-Encoding: gzip"),
    Fault(11, "hostile-text", STORED, "title and body carry SQL, <script> and template syntax as text"),
    Fault(101, "404", FAILED, "Not Found"),
    Fault(102, "500", FAILED, "Internal Server Error on every request"),
    Fault(103, "timeout", FAILED, "never answers within DOWNLOAD_TIMEOUT"),
    Fault(104, "429-forever", FAILED, "429 with Retry-After: 1 on every request"),
    Fault(105, "redirect-loop", FAILED, "A -> B -> A redirect loop"),
    Fault(106, "redirect-chain", FAILED, "an endless chain of new redirect targets"),
    Fault(107, "redirect-offsite", FAILED, "redirects to a host under .example"),
    Fault(108, "connection-reset", FAILED, "the socket is reset (RST) before any response"),
    Fault(109, "truncated-transfer", FAILED, "Content-Length promises more bytes than are sent"),
    Fault(110, "truncated-html", FAILED, "complete HTTP response, HTML cut off before the article body"),
    Fault(111, "binary-as-html", FAILED, "PNG bytes labelled text/html"),
    Fault(112, "huge-declared", FAILED, "a 20 MB page with Content-Length"),
    Fault(113, "huge-streamed", FAILED, "a 20 MB page without Content-Length (read until close)"),
    Fault(114, "gzip-bomb", FAILED, "64 KB of gzip that inflates to 64 MB"),
    Fault(115, "robots-disallowed", FAILED, "disallowed by robots.txt (never fetched)"),
    Fault(116, "empty-200", FAILED, "200 with an empty body"),
    Fault(117, "429-long-retry-after", FAILED, "429 with Retry-After: 3600: not worth waiting for within a run"),
)
FAULTS_BY_ID: dict[int, Fault] = {fault.idxno: fault for fault in FAULTS}

# Links on the list page that leave the site; a crawler must drop them without a request.
OFFSITE_LINKS: tuple[str, ...] = (
    "http://news.example/news/articleView.html?idxno=1",
    "https://www.partner.example/news/articleView.html?idxno=900",
    "//cdn.example/news/articleView.html?idxno=901",
    "http://127.0.0.1.example/news/articleView.html?idxno=902",
)
OFFSITE_REDIRECT_TARGET = "http://moved.example/news/articleView.html?idxno=107"

# The same article (idxno=8) as real pages link it: from feeds, portals, share buttons.
TRACKING_VARIANTS: tuple[str, ...] = (
    f"{ARTICLE_PATH}?idxno=8&utm_source=naver&utm_medium=referral",
    f"{ARTICLE_PATH}?utm_campaign=weekly&idxno=8",
    f"{ARTICLE_PATH}?idxno=8&fbclid=IwAR0fault#comment-box",
    f"{ARTICLE_PATH}?idxno=8",
)

HOSTILE_TITLE = "결함시험'); DROP TABLE articles; -- <script>alert('x')</script>"
HOSTILE_PARAGRAPH = (
    "본문에 SQL 조각 ' OR 1=1; DELETE FROM mentions; -- 과 템플릿 {{7*7}} ${now} $run_id, "
    "<img src=x onerror=alert(1)> 같은 문자열이 그대로 들어 있다."
)

ROBOTS_TXT = f"User-agent: *\nDisallow: {ARTICLE_PATH}?idxno=115\nDisallow: /admin/\n"

_COMPANIES = ("한빛소프트웨어", "누리클라우드", "다온로보틱스", "세움바이오", "가람모빌리티", "별빛데이터")
_PEOPLE = ("김하늘", "이서준", "박지우", "최민서", "정도윤", "한예린")
_CITIES = ("판교", "서울 성수동", "대전", "부산 센텀", "광주", "인천 송도")


def article_paragraphs(idxno: int) -> list[str]:
    # Each article's sentences carry its own names and figures, so no line repeats across articles
    # (run-level boilerplate removal would otherwise strip them).
    company = _COMPANIES[idxno % len(_COMPANIES)]
    person = _PEOPLE[idxno % len(_PEOPLE)]
    city = _CITIES[idxno % len(_CITIES)]
    amount = 10 + idxno * 7
    return [
        f"{company}가 {city}에 연구개발 거점을 열고 {amount}억원 규모의 투자를 유치했다고 {idxno + 3}일 밝혔다.",
        f'{person} {company} 대표는 "시험 기사 {idxno}번의 목표는 장애에도 데이터를 잃지 않는 것"이라고 말했다.',
        f"회사는 올해 안에 {idxno * 3 + 20}명의 개발자를 추가로 채용하고 {city} 지역 대학과 협력할 계획이다.",
    ]


def article_title(idxno: int) -> str:
    """The headline the fault site prints for article `idxno`."""
    if idxno == 11:
        return HOSTILE_TITLE
    return f"{_COMPANIES[idxno % len(_COMPANIES)]}, 결함 시험 기사 {idxno}번 공개"


def article_html(idxno: int, *, charset_meta: bool = True, date_text: str | None = None) -> str:
    title = escape(article_title(idxno))
    paragraphs = article_paragraphs(idxno) + ([HOSTILE_PARAGRAPH] if idxno == 11 else [])
    body = "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    day = 1 + idxno % 28
    date_line = date_text if date_text is not None else f"2025.11.{day:02d} 09:{idxno % 60:02d}"
    meta = '<meta charset="utf-8">\n' if charset_meta else ""
    return (
        f'<!DOCTYPE html>\n<html lang="ko">\n<head>\n{meta}<title>{title} - 결함일보</title>\n</head>\n<body>\n'
        '<header class="article-view-header">\n'
        f'<h3 class="heading">{title}</h3>\n'
        f'<ul class="infomation"><li>기자명 {_PEOPLE[(idxno + 1) % len(_PEOPLE)]} 기자</li>'
        f"<li>입력 {escape(date_line)}</li></ul>\n</header>\n"
        f'<article id="article-view-content-div">\n{body}\n</article>\n'
        '<footer><p class="copyright">저작권자 ⓒ 결함일보 무단전재 및 재배포 금지</p></footer>\n'
        "</body>\n</html>\n"
    )


def malformed_article_html(idxno: int) -> str:
    """The same article as a sloppy CMS template prints it: lxml must recover title and body."""
    paragraphs = "".join(f"<p><b>{escape(text)}<i></b></i>" for text in article_paragraphs(idxno))
    return (
        f"<html><head><title>{escape(article_title(idxno))}</title><body></div></span>"
        '<header class="article-view-header"><h3 class="heading">'
        f"{escape(article_title(idxno))}</h3>"
        '<ul class="infomation"><li>기자명 김하늘 기자<li>입력 2025.11.09 10:09</ul></header>'
        f'<table><tr><td><article id="article-view-content-div">{paragraphs}</td></tr></div>'
        "</article><footer>저작권자 ⓒ 결함일보"
    )


def list_html(base_url: str) -> str:
    links = [f"{ARTICLE_PATH}?idxno={fault.idxno}" for fault in FAULTS if fault.idxno != 8]
    links += list(TRACKING_VARIANTS) + list(OFFSITE_LINKS)
    items = "\n".join(
        f'<li><h4 class="titles"><a href="{escape(link)}">기사 {number}</a></h4></li>'
        for number, link in enumerate(links)
    )
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8"><title>전체기사 - 결함일보</title>'
        f'<link rel="alternate" type="application/rss+xml" href="{escape(base_url)}/rss/allArticle.xml"></head>\n'
        f'<body><section id="section-list"><ul class="type2">\n{items}\n</ul></section></body></html>\n'
    )


def rss_xml(base_url: str) -> str:
    """The feed lists the stored articles only, with the utm_source=rss variant of each link."""
    stamp = format_datetime(dt.datetime(2025, 11, 20, 0, 0, tzinfo=dt.UTC))
    items = "".join(
        f"<item><title>{escape(article_title(fault.idxno))}</title>"
        f"<link>{escape(base_url)}{ARTICLE_PATH}?idxno={fault.idxno}&amp;utm_source=rss&amp;utm_medium=rss</link>"
        f"<pubDate>{stamp}</pubDate></item>"
        for fault in FAULTS
        if fault.outcome != FAILED
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>결함일보</title>'
        f"<link>{escape(base_url)}/</link>{items}</channel></rss>\n"
    )


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    target: str  # path?query as requested
    idxno: int | None
    status: int  # 0: no HTTP status was sent (reset, hang)
    at: float  # time.monotonic() when the request arrived


class _FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FaultNews/1.0"
    sys_version = ""
    timeout = 20
    site: FaultServer  # set by FaultServer through a subclass

    def do_GET(self) -> None:
        arrived = time.monotonic()
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        idxno: int | None = None
        if parts.path == ARTICLE_PATH and query.get("idxno", [""])[0].isdigit():
            idxno = int(query["idxno"][0])
        attempt = self.site._count(self.path if idxno is None else f"idxno={idxno}")
        status = self._route(parts.path, query, idxno, attempt)
        self.site._log(LoggedRequest(self.path, idxno, status, arrived))

    def _route(self, path: str, query: dict[str, list[str]], idxno: int | None, attempt: int) -> int:
        base = self.site.base_url
        if path == "/robots.txt":
            return self._send(200, "text/plain; charset=utf-8", ROBOTS_TXT.encode())
        if path == "/rss/allArticle.xml":
            return self._send(200, "application/rss+xml; charset=utf-8", rss_xml(base).encode())
        if path == LIST_PATH:
            return self._send(200, "text/html; charset=utf-8", list_html(base).encode())
        if idxno is None or idxno not in FAULTS_BY_ID:
            return self._send(404, "text/html; charset=utf-8", b"<html><body><h1>404</h1></body></html>")
        handler = _ARTICLE_FAULTS.get(idxno, _plain_article)
        return handler(self, idxno, attempt, query)

    # -- helpers used by the fault functions ------------------------------------------------------

    def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> int:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._write(body)
        return status

    def _write(self, data: bytes) -> bool:
        """Write, tolerating a client that hung up (it is allowed to: that is what size limits do)."""
        try:
            self.wfile.write(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return False

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: `FaultServer.request_log` replaces stderr lines."""


def _html_utf8(handler: _FaultHandler, html: str, headers: dict[str, str] | None = None) -> int:
    return handler._send(200, "text/html; charset=utf-8", html.encode("utf-8"), headers)


def _plain_article(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    return _html_utf8(handler, article_html(idxno))


def _first_503(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    if attempt == 1:
        return handler._send(503, "text/html; charset=utf-8", b"<h1>503 Service Unavailable</h1>")
    return _html_utf8(handler, article_html(idxno))


def _first_429(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    if idxno == 117:
        return handler._send(429, "text/plain; charset=utf-8", b"come back later", {"Retry-After": "3600"})
    if attempt == 1 or idxno == 104:
        return handler._send(429, "text/plain; charset=utf-8", b"slow down", {"Retry-After": "1"})
    return _html_utf8(handler, article_html(idxno))


def _slow(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    handler.site._stopping.wait(handler.site.slow_seconds)
    return _html_utf8(handler, article_html(idxno))


def _hang(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    # Hold the connection without a byte of response until the client gives up (or the server stops).
    handler.site._stopping.wait(handler.site.hang_seconds)
    handler.close_connection = True
    return 0


def _cp949(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    if idxno == 5:
        return handler._send(200, "text/html; charset=utf-8", article_html(idxno).encode("cp949"))
    page = article_html(idxno, charset_meta=False).encode("cp949")
    return handler._send(200, "text/html", page)


def _bad_date(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    return _html_utf8(handler, article_html(idxno, date_text="어제 오후 늦게 (시각 미상)"))


def _malformed(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    return _html_utf8(handler, malformed_article_html(idxno))


def _gzipped(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    body = gzip.compress(article_html(idxno).encode("utf-8"))
    return handler._send(200, "text/html; charset=utf-8", body, {"Content-Encoding": "gzip"})


def _redirect(handler: _FaultHandler, location: str) -> int:
    return handler._send(302, "text/html; charset=utf-8", b"", {"Location": location})


def _redirect_loop(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    if "via" in query:
        return _redirect(handler, f"{ARTICLE_PATH}?idxno={idxno}")
    return _redirect(handler, f"{ARTICLE_PATH}?idxno={idxno}&via=loop")


def _redirect_chain(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    hop = int(query.get("hop", ["0"])[0]) + 1
    return _redirect(handler, f"{ARTICLE_PATH}?idxno={idxno}&hop={hop}")


def _redirect_offsite(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    return _redirect(handler, OFFSITE_REDIRECT_TARGET)


def _reset(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()
    return 0


def _truncated_transfer(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    page = article_html(idxno).encode("utf-8")[:1000]
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(TRUNCATED_DECLARED_BYTES))
    handler.end_headers()
    handler._write(page)
    handler.close_connection = True
    return 200


def _truncated_html(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    page = article_html(idxno)
    return _html_utf8(handler, page[: page.index('<ul class="infomation">') - 20])


def _binary(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64 + b"\x00IEND\xaeB`\x82"
    return handler._send(200, "text/html; charset=utf-8", png)


def _huge(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    chunk = ("<p>" + "가나다라마바사아자차카타파하 " * 60 + "</p>\n").encode("utf-8")
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    if idxno == 112:
        handler.send_header("Content-Length", str(HUGE_PAGE_BYTES))
    else:
        handler.send_header("Connection", "close")  # no length: the body ends when the socket closes
    handler.end_headers()
    handler.close_connection = True
    sent = 0
    while sent < HUGE_PAGE_BYTES and not handler.site._stopping.is_set():
        part = chunk[: HUGE_PAGE_BYTES - sent]
        if not handler._write(part):
            break
        sent += len(part)
    return 200


def _gzip_bomb(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    return handler._send(200, "text/html; charset=utf-8", handler.site.gzip_bomb(), {"Content-Encoding": "gzip"})


def _empty(handler: _FaultHandler, idxno: int, attempt: int, query: dict[str, list[str]]) -> int:
    return handler._send(200, "text/html; charset=utf-8", b"")


_FaultFunction = Callable[[_FaultHandler, int, int, dict[str, list[str]]], int]
_ARTICLE_FAULTS: dict[int, _FaultFunction] = {
    2: _first_503,
    3: _first_429,
    4: _slow,
    5: _cp949,
    6: _cp949,
    7: _bad_date,
    9: _malformed,
    10: _gzipped,
    101: lambda handler, idxno, attempt, query: handler._send(404, "text/html; charset=utf-8", b"<h1>404</h1>"),
    102: lambda handler, idxno, attempt, query: handler._send(500, "text/html; charset=utf-8", b"<h1>500</h1>"),
    103: _hang,
    104: _first_429,
    105: _redirect_loop,
    106: _redirect_chain,
    107: _redirect_offsite,
    108: _reset,
    109: _truncated_transfer,
    110: _truncated_html,
    111: _binary,
    112: _huge,
    113: _huge,
    114: _gzip_bomb,
    116: _empty,
    117: _first_429,
}


class FaultServer:
    """The fault site on a free port of 127.0.0.1; `slow_seconds` must stay under the crawler's
    DOWNLOAD_TIMEOUT and `hang_seconds` above it."""

    def __init__(self, *, slow_seconds: float = 0.5, hang_seconds: float = 30.0) -> None:
        self.slow_seconds = slow_seconds
        self.hang_seconds = hang_seconds
        self.base_url = ""
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._attempts: Counter[str] = Counter()
        self._log_entries: list[LoggedRequest] = []
        self._bomb: bytes | None = None

    def start(self) -> FaultServer:
        if self._httpd is not None:
            return self
        handler = type("BoundFaultHandler", (_FaultHandler,), {"site": self})
        self._httpd = ThreadingHTTPServer((BIND_HOST, 0), handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://{BIND_HOST}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fault-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hanging and slow handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def article_url(self, idxno: int) -> str:
        return f"{self.base_url}{ARTICLE_PATH}?idxno={idxno}"

    def gzip_bomb(self) -> bytes:
        with self._lock:
            if self._bomb is None:
                buffer = io.BytesIO()
                with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as packed:
                    zeros = bytes(1024 * 1024)
                    for _ in range(BOMB_INFLATED_BYTES // len(zeros)):
                        packed.write(zeros)
                self._bomb = buffer.getvalue()
            return self._bomb

    def _count(self, key: str) -> int:
        with self._lock:
            self._attempts[key] += 1
            return self._attempts[key]

    def _log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log_entries.append(entry)

    @property
    def request_log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log_entries)

    def hits(self, idxno: int) -> int:
        """Requests that reached article `idxno` (any URL variant, retries included)."""
        with self._lock:
            return self._attempts[f"idxno={idxno}"]


def main() -> int:
    with FaultServer() as site:
        print(site.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
