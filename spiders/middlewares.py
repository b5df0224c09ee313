"""Downloader middlewares for sites that misbehave, and plain-words reasons for every failed request.

Scrapy 2.19's RetryMiddleware re-queues a failed request at once and ignores Retry-After; a server
that is overloaded (503) or rate-limiting us (429) is only made worse by that. `BackoffRetryMiddleware`
waits before each retry: the server's Retry-After when it sends one, else exponential backoff with
jitter. `RedirectGuardMiddleware` turns a redirect loop or an off-site redirect into a recorded failure
(Scrapy would drop either silently, and the page would vanish from the run). `RFC9309RobotsTxtMiddleware`
reads robots.txt as RFC 9309 does (an unreachable file means "disallow") and honours Crawl-delay.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from email.utils import parsedate_to_datetime
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import get_meta_refresh
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater
from twisted.python.failure import Failure

from transforms.ids import CRAWLABLE_SCHEMES, canonicalize_url

# Defaults; spiders/settings.py sets them and tests shorten them.
DEFAULT_BACKOFF_BASE = 1.0  # seconds before the first retry; doubles with each further retry
DEFAULT_BACKOFF_MAX = 30.0
DEFAULT_RETRY_AFTER_MAX = 120.0  # a longer Retry-After means "not today": give up instead of waiting
DEFAULT_CRAWL_DELAY_MAX = 30.0  # a longer Crawl-delay is honoured as this: the page budget bounds the run anyway


async def sleep_in_reactor(seconds: float) -> None:
    """Wait without blocking the crawl: other requests go on meanwhile."""
    if seconds <= 0:
        return
    # Imported here: importing the reactor at module load would install the default one before
    # Scrapy installs the asyncio reactor it is configured for.
    from twisted.internet import reactor

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))  # type: ignore[arg-type]


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
        await sleep_in_reactor(seconds)


class OverPageBudget(IgnoreRequest):
    """A request PageBudgetMiddleware dropped before it was sent: not a failure, the next run finds it again."""


class PageBudgetMiddleware:
    """A hard cap on the pages one crawler (one site) requests in a run: NEWSETL_PAGE_BUDGET (0 = none).

    Scrapy's CLOSESPIDER_PAGECOUNT only starts closing the spider when that many responses arrived, so the
    requests in flight still go out (`--max-pages 10` fetched 20 pages). Retries and redirects of a counted
    request are not counted again. A request over budget is dropped before it is sent; the spider counts it
    (not a failure: it was never requested, and the next run finds it again).
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.sent = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getint("NEWSETL_PAGE_BUDGET", 0))

    def process_request(self, request: Request, spider: Any = None) -> None:
        meta = request.meta
        if not self.budget or meta.get("dont_obey_robotstxt") or meta.get("retry_times") or meta.get("redirect_times"):
            return
        if self.sent >= self.budget:
            raise OverPageBudget(f"over page budget: the page budget of {self.budget} for this run is spent")
        self.sent += 1


class RFC9309RobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt read as RFC 9309 says, which Scrapy's middleware does not:

    - 2xx: parsed; its Crawl-delay for our agent spaces the host's requests (capped at NEWSETL_CRAWL_DELAY_MAX);
    - 4xx: no robots.txt, everything allowed;
    - 5xx, a timeout or a connection failure (after the usual retries): unreachable, so nothing on that host is
      fetched in this run; every request to it is recorded as a "robots:" failure and the next run tries again.
    Scrapy parses a 5xx error page as if it were the rules and treats an unreachable file as "allow all".
    Stats: newsetl/robots_unreachable, newsetl/crawl_delay_wait_seconds.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawl_delay_max = crawler.settings.getfloat("NEWSETL_CRAWL_DELAY_MAX", DEFAULT_CRAWL_DELAY_MAX)
        self._unreachable: dict[str, str] = {}  # netloc -> why its robots.txt could not be read
        self._crawl_delays: dict[str, float] = {}  # netloc -> seconds between requests
        self._next_request_at: dict[str, float] = {}  # netloc -> monotonic time its next request may start

    async def process_request(self, request: Request, spider: Any = None) -> None:  # type: ignore[override]
        if urlsplit(request.url).scheme not in CRAWLABLE_SCHEMES:
            return  # no robots.txt to ask: the download handlers refuse the request and it is recorded
        await super().process_request(request)
        if request.meta.get("dont_obey_robotstxt"):
            return
        netloc = urlsplit(request.url).netloc
        delay = self._crawl_delays.get(netloc)
        if delay:
            # Reserve the next free start time, so concurrent requests to the host queue up one delay apart.
            now = time.monotonic()
            start = max(now, self._next_request_at.get(netloc, now))
            self._next_request_at[netloc] = start + delay
            if self.crawler.stats and start > now:
                self.crawler.stats.inc_value("newsetl/crawl_delay_wait_seconds", round(start - now, 3))
            await sleep_in_reactor(start - now)

    def process_request_2(self, rp: Any, request: Request) -> None:
        netloc = urlsplit(request.url).netloc
        why = self._unreachable.get(netloc)
        if why is not None:
            raise IgnoreRequest(f"robots.txt unreachable ({why}): the host is not crawled this run (RFC 9309)")
        if rp is None:
            # Requests that waited for the host's robots.txt share one Deferred, and each waiter's callback
            # returns None to the next: only the first gets the parser, the rest would be let through
            # unchecked (a disallowed start URL among several was fetched). The stored parser is the truth.
            stored = self._parsers.get(netloc)
            rp = None if isinstance(stored, Deferred) else stored
        super().process_request_2(rp, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._mark_unreachable(netloc, f"HTTP {response.status}")
            self._settle(netloc)
            return
        if response.status >= 400:
            self._settle(netloc)  # no robots.txt: everything is allowed
            return
        await super()._parse_robots(response, netloc, request)
        parser = self._parsers.get(netloc)
        agent = self._robotstxt_useragent or self._default_useragent
        delay = parser.crawl_delay(agent) if parser is not None else None
        if delay:
            self._crawl_delays[netloc] = min(float(delay), self.crawl_delay_max)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            self._mark_unreachable(netloc, describe_exception(exc))
        super()._robots_error(exc, netloc)

    def _mark_unreachable(self, netloc: str, why: str) -> None:
        self._unreachable[netloc] = why
        if self.crawler.stats:
            self.crawler.stats.inc_value("newsetl/robots_unreachable")

    def _settle(self, netloc: str) -> None:
        """Resolve the host's pending robots.txt lookup with "no rules"; process_request_2 applies the rest."""
        pending = self._parsers[netloc]
        self._parsers[netloc] = None
        if isinstance(pending, Deferred):
            pending.callback(None)


def describe_exception(exc: BaseException) -> str:
    """A download exception in a few words: its type and the first line of its message."""
    message = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def host_is_allowed(host: str, allowed_domains: list[str]) -> bool:
    """`host` is one of the domains or a subdomain of one (ports play no part, unlike Scrapy's URL helper)."""
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in (d.lower() for d in allowed_domains))


class RedirectGuardMiddleware:
    """Fail a redirect that points back into its own chain, off the spider's allowed domains, or nowhere (a 3xx
    with an empty Location), and the same for a `<meta http-equiv="refresh">` that Scrapy would follow, so the
    page is recorded as failed (order it after RedirectMiddleware and MetaRefreshMiddleware, i.e. a higher
    number, so it sees the response first). Scrapy alone would drop each silently: the dupefilter eats the loop
    and the self-redirect of an empty Location, and the offsite filter drops the redirected request at
    scheduling time without calling its errback."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.meta_refresh = settings.getbool("METAREFRESH_ENABLED")
        self.meta_refresh_max_delay = settings.getfloat("METAREFRESH_MAXDELAY")
        self.meta_refresh_ignore_tags = settings.getlist("METAREFRESH_IGNORE_TAGS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
            location = (response.headers.get("Location") or b"").decode("latin-1").strip()
            if not location:
                self.crawler.stats.inc_value("newsetl/redirect_nowhere")
                raise IgnoreRequest(f"redirect to nowhere: HTTP {response.status} with an empty Location")
            self._check_target(request, urljoin(request.url, location), "redirect")
        elif self.meta_refresh and isinstance(response, HtmlResponse):
            delay, url = get_meta_refresh(response, ignore_tags=self.meta_refresh_ignore_tags)
            if url and delay is not None and delay < self.meta_refresh_max_delay:
                self._check_target(request, url, "meta refresh")
        return response

    def _check_target(self, request: Request, target_url: str, how: str) -> None:
        target = canonicalize_url(target_url)
        stats = self.crawler.stats
        allowed = getattr(self.crawler.spider, "allowed_domains", None)
        if allowed and not host_is_allowed(urlsplit(target).hostname or "", allowed):
            stats.inc_value("newsetl/redirect_offsite")
            raise IgnoreRequest(f"{how} off the allowed domains: {request.url} -> {target} (not requested)")
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {canonicalize_url(url) for url in chain}:
            stats.inc_value("newsetl/redirect_loops")
            raise IgnoreRequest(f"{how} loop: {request.url} -> {target}")


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
    if isinstance(error, NotSupported):
        return f"scheme: {message} (only http and https are fetched)", None
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
    ("refresh loop", "redirect"),
    ("redirect to nowhere", "redirect"),
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
