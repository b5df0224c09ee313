"""Downloader middlewares for sites that misbehave, and plain-words reasons for every failed request.

Scrapy 2.19's RetryMiddleware re-queues a failed request at once and ignores Retry-After; a server
that is overloaded (503) or rate-limiting us (429) is only made worse by that. `BackoffRetryMiddleware`
waits before each retry: the server's Retry-After when it sends one, else exponential backoff with
jitter. `RedirectGuardMiddleware` turns a redirect loop or an off-site redirect into a recorded failure
(Scrapy would drop either silently, and the page would vanish from the run).
"""

from __future__ import annotations

import datetime as dt
import random
from email.utils import parsedate_to_datetime
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater
from twisted.python.failure import Failure

from transforms.ids import canonicalize_url

# Defaults; spiders/settings.py sets them and tests shorten them.
DEFAULT_BACKOFF_BASE = 1.0  # seconds before the first retry; doubles with each further retry
DEFAULT_BACKOFF_MAX = 30.0
DEFAULT_RETRY_AFTER_MAX = 120.0  # a longer Retry-After means "not today": give up instead of waiting


def parse_retry_after(value: str | bytes | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds ("120") or an HTTP date; None if absent/bad."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def backoff_delay(retry_number: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter": between half and all of min(cap, base * 2**(n-1))."""
    ceiling = min(cap, base * (2 ** max(0, retry_number - 1)))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before retrying: Retry-After if the server sent one, else backoff.

    Settings: NEWSETL_RETRY_BACKOFF_BASE, NEWSETL_RETRY_BACKOFF_MAX, NEWSETL_RETRY_AFTER_MAX (seconds).
    Stats: newsetl/retry_wait_seconds (total waited), newsetl/retry_after_honoured, newsetl/retry_after_too_long.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("NEWSETL_RETRY_BACKOFF_BASE", DEFAULT_BACKOFF_BASE)
        self.backoff_max = settings.getfloat("NEWSETL_RETRY_BACKOFF_MAX", DEFAULT_BACKOFF_MAX)
        self.retry_after_max = settings.getfloat("NEWSETL_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = parse_retry_after(response.headers.get("Retry-After"))
        stats = self.crawler.stats
        if wait is not None and wait > self.retry_after_max:
            # Waiting hours inside one crawl helps nobody: record the failure, let the next run try.
            if stats:
                stats.inc_value("newsetl/retry_after_too_long")
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        if wait is not None and stats:
            stats.inc_value("newsetl/retry_after_honoured")
        await self._sleep(wait if wait is not None else self._backoff(retry))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await self._sleep(self._backoff(retry))
        return retry

    def _backoff(self, retry: Request) -> float:
        return backoff_delay(retry.meta.get("retry_times", 1), self.backoff_base, self.backoff_max)

    async def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if self.crawler.stats:
            self.crawler.stats.inc_value("newsetl/retry_wait_seconds", round(seconds, 3))
        # Imported here: importing the reactor at module load would install the default one before
        # Scrapy installs the asyncio reactor it is configured for.
        from twisted.internet import reactor

        await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))  # type: ignore[arg-type]


def host_is_allowed(host: str, allowed_domains: list[str]) -> bool:
    """`host` is one of the domains or a subdomain of one (ports play no part, unlike Scrapy's URL helper)."""
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in (d.lower() for d in allowed_domains))


class RedirectGuardMiddleware:
    """Fail a redirect that points back into its own chain or off the spider's allowed domains, so the
    page is recorded as failed (order it after RedirectMiddleware, i.e. a higher number, so it sees the
    3xx response first). Scrapy alone would drop both silently: the dupefilter eats the loop, and the
    offsite filter drops the redirected request at scheduling time without calling its errback."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls()
        middleware.crawler = crawler  # type: ignore[attr-defined]
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = canonicalize_url(urljoin(request.url, location.decode("latin-1")))
        stats = self.crawler.stats  # type: ignore[attr-defined]
        allowed = getattr(self.crawler.spider, "allowed_domains", None)  # type: ignore[attr-defined]
        if allowed and not host_is_allowed(urlsplit(target).hostname or "", allowed):
            stats.inc_value("newsetl/redirect_offsite")
            raise IgnoreRequest(f"redirect off the allowed domains: {request.url} -> {target} (not requested)")
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {canonicalize_url(url) for url in chain}:
            stats.inc_value("newsetl/redirect_loops")
            raise IgnoreRequest(f"redirect loop: {request.url} -> {target}")
        return response


def describe_failure(failure: Failure) -> tuple[str, int | None]:
    """A failed request -> (reason, HTTP status or None). Reasons start with a kind and a colon
    (http, timeout, too-large, truncated, connection, robots, offsite, redirect, ...) for grouping in SQL."""
    error = failure.value
    message = " ".join(str(error).split())
    retries = _retries_note(failure)
    if isinstance(error, HttpError):
        status = error.response.status
        return f"http: HTTP {status}{retries}", status
    if isinstance(error, DownloadTimeoutError) or failure.check("twisted.internet.error.TimeoutError"):
        return f"timeout: {message}{retries}", None
    if isinstance(error, DownloadCancelledError):
        return f"too-large: {message or 'larger than DOWNLOAD_MAXSIZE'}", None
    if isinstance(error, ResponseDataLossError):
        return f"truncated: the connection closed before the whole body arrived{retries}", None
    if isinstance(error, IgnoreRequest):
        for needle, kind in _IGNORE_KINDS:
            if needle in message:
                return f"{kind}: {message}", None
        return f"ignored: {message}", None
    if _is_connection_error(failure):
        # DownloadFailedError's text is a list of Failure reprs; name the inner error instead.
        inner = next((name for name in _CONNECTION_ERRORS if name.rsplit(".", 1)[1] in message), type(error).__name__)
        return f"connection: {inner.rsplit('.', 1)[-1]} before a complete response{retries}", None
    return f"error: {type(error).__name__}: {message}{retries}"[:500], None


_IGNORE_KINDS: tuple[tuple[str, str], ...] = (
    ("robots.txt", "robots"),
    ("offsite", "offsite"),
    ("off the allowed domains", "offsite"),
    ("DOWNLOAD_MAXSIZE", "too-large"),
    ("redirect loop", "redirect"),
    ("max redirections", "redirect"),
)


_CONNECTION_ERRORS: tuple[str, ...] = (
    "twisted.internet.error.ConnectionLost",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionRefusedError",
    "twisted.web._newclient.ResponseFailed",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadConnectionRefusedError",
)


def _is_connection_error(failure: Failure) -> bool:
    return bool(failure.check(*_CONNECTION_ERRORS))


def _retries_note(failure: Failure) -> str:
    request: Any = getattr(failure, "request", None)
    retries = request.meta.get("retry_times", 0) if request is not None else 0
    return f" (gave up after {retries} retries)" if retries else ""
