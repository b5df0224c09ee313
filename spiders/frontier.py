"""A crawl frontier shared by several crawler processes: scrapy-redis on a Redis server.

With `[crawl] frontier = "redis://host:port/db"` every crawler process of a run uses one Redis request queue
and one Redis duplicate filter per outlet, so N processes (on one machine or many) split the pages between
them and no page is fetched twice. Empty `frontier` keeps Scrapy's in-process scheduler (the default).

Keys are prefixed with the run's frontier key (`newsetl:<run id>:<outlet>:requests|seen|busy`), so two runs
never share a queue; the parent deletes them when the crawl ends. SCHEDULER_PERSIST is on: a process that
runs out of work closes without flushing the queue and the filter from under the processes still working.

Scrapy 2.13+ compatibility: scrapy-redis 0.9.1's Scheduler still fits the engine's scheduler interface
(open/close/enqueue_request/next_request/has_pending_requests, start requests go through enqueue_request),
so no shim is needed for that; the subclass below only adds the "busy" bookkeeping the idle wait needs.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy.spiders import Spider
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from spiders.jobs import CrawlFailedError, CrawlJob
from transforms.records import CrawlResult

PREFIX_SETTING = "NEWSETL_FRONTIER_PREFIX"
WORKER_SETTING = "NEWSETL_FRONTIER_WORKER"
PEER_WAIT_SETTING = "NEWSETL_FRONTIER_PEER_WAIT"
# An idle process waits for busy peers (their pages may queue more work) at most this long: a peer that
# died without leaving the busy set must not keep the others open for ever.
DEFAULT_PEER_WAIT_SECONDS = 60.0
PEER_POLL_SECONDS = 0.5


def frontier_settings(redis_url: str, prefix: str, worker: str) -> dict[str, Any]:
    """Scrapy settings that put one crawler process on the shared frontier under `prefix`."""
    return {
        "SCHEDULER": "spiders.frontier.SharedFrontierScheduler",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:seen",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # Never flush on close: the other processes still pop from this queue. The parent deletes the keys.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "REDIS_URL": redis_url,
        "EXTENSIONS": {"spiders.frontier.PeerIdleWait": 500},
        PREFIX_SETTING: prefix,
        WORKER_SETTING: worker,
    }


class SharedFrontierScheduler(RedisScheduler):
    """scrapy-redis's scheduler, plus: a process that pops a request joins the outlet's busy set."""

    def next_request(self) -> Request | None:
        request = super().next_request()
        if request is not None:
            self.server.sadd(_busy_key(self.spider), self.spider.settings.get(WORKER_SETTING, ""))
        return request


def _busy_key(spider: Spider) -> str:
    return f"{spider.settings.get(PREFIX_SETTING)}:{spider.name}:busy"


class PeerIdleWait:
    """Keep an idle crawler open while a peer is still working on the same outlet.

    A busy peer's pages may queue more requests: waiting lets this process take its share of them instead
    of leaving the tail to one process. When every process is idle the busy set is empty and all close.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.worker = crawler.settings.get(WORKER_SETTING, "")
        self.max_wait = crawler.settings.getfloat(PEER_WAIT_SETTING, DEFAULT_PEER_WAIT_SECONDS)
        self.idle_since: float | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PeerIdleWait:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        self.server.sadd(_busy_key(spider), self.worker)

    def spider_idle(self, spider: Spider) -> None:
        key = _busy_key(spider)
        self.server.srem(key, self.worker)
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if self.server.scard(key) > 0 and now - self.idle_since < self.max_wait:
            # The engine only looks at an idle spider's scheduler again on its 5 s heartbeat; poll the shared
            # queue sooner so requests a peer queues are taken while the peer is still on its own share.
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None:
                from twisted.internet import reactor

                reactor.callLater(PEER_POLL_SECONDS, slot.nextcall.schedule)
            raise DontCloseSpider("peers on the shared frontier are still busy")
        self.idle_since = None

    def spider_closed(self, spider: Spider) -> None:
        self.server.srem(_busy_key(spider), self.worker)


def new_frontier_key() -> str:
    return uuid.uuid4().hex


def open_frontier(job: CrawlJob) -> tuple[list[CrawlJob], Callable[[], None]]:
    """The child jobs for `job.crawler_processes` crawlers sharing the Redis frontier `job.frontier`, and a
    cleanup that deletes the run's keys (called by `spiders.runner.CrawlProcesses` however the crawl ends)."""
    import redis

    prefix = f"newsetl:{job.frontier_key or new_frontier_key()}"
    server = redis.Redis.from_url(job.frontier)
    try:
        server.ping()
    except redis.RedisError as exc:
        server.close()
        raise CrawlFailedError(f"crawl frontier {job.frontier} is unreachable: {exc}") from exc
    children = [
        replace(
            job,
            settings=dict(job.settings) | frontier_settings(job.frontier, prefix, f"{prefix}:{number}"),
            frontier="",
            crawler_processes=1,
        )
        for number in range(max(1, job.crawler_processes))
    ]

    def delete_run_keys() -> None:
        for key in server.scan_iter(match=f"{prefix}:*"):
            server.delete(key)
        server.close()

    return children, delete_run_keys


def merge_results(results: list[CrawlResult]) -> CrawlResult:
    """One CrawlResult from the crawler processes' results: lists joined, per-site counters summed."""
    sites: dict[str, dict[str, Any]] = {}
    for result in results:
        for site, values in result.stats.get("sites", {}).items():
            merged = sites.setdefault(site, {})
            for name, value in values.items():
                if name == "errors_by_kind":
                    kinds = merged.setdefault(name, {})
                    for kind, count in value.items():
                        kinds[kind] = kinds.get(kind, 0) + count
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    merged[name] = merged.get(name, 0) + value
                else:
                    merged.setdefault(name, value)
    return CrawlResult(
        articles=[article for result in results for article in result.articles],
        errors=[error for result in results for error in result.errors],
        unchanged=[page for result in results for page in result.unchanged],
        pages_fetched=sum(result.pages_fetched for result in results),
        stats={
            "sites": sites,
            # Per process, to see how the frontier split the work.
            "processes": [result.stats.get("sites", {}) for result in results],
        },
    )
