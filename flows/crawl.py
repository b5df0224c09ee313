"""The crawl as one Prefect task that spans it, handing article batches to the flow while it runs.

The flow submits `crawl` to its task runner (a thread), so the task run lasts exactly as long as the crawl and
Prefect retries it when the crawler fails; meanwhile the flow takes batches from the `CrawlFeed` and cleans,
tags and loads them. A retried crawl fetches again what its failed try had fetched: pages already loaded come
back unchanged or as the same article, never as duplicates.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectConcurrentFuture

from flows import progress
from spiders.jobs import CrawlFailedError, CrawlJob, CrawlTimedOutError
from spiders.runner import CrawlProcesses
from transforms.records import CrawlResult, ParsedArticle

CRAWL_RETRIES = 2
CRAWL_RETRY_DELAY_SECONDS = 10
# How long the flow waits for a batch before it looks at other work (a finished tagging, the crawl's end).
FEED_POLL_SECONDS = 0.2


class CrawlStoppedError(RuntimeError):
    """The flow stopped taking batches (Ctrl-C, a failed load): the crawl ends without a retry."""


class CrawlFeed:
    """Article batches from the crawl task to the flow, and the flow's word to stop."""

    def __init__(self) -> None:
        self._batches: queue.Queue[list[ParsedArticle]] = queue.Queue()
        self.stopped = threading.Event()

    def put(self, batch: list[ParsedArticle]) -> None:
        if self.stopped.is_set():
            raise CrawlStoppedError("the run stopped taking batches")
        self._batches.put(batch)

    def batches(
        self, crawling: PrefectConcurrentFuture[CrawlResult], *, idle: bool = False, max_articles: int = 0
    ) -> Iterator[list[ParsedArticle]]:
        """Batches as the crawl task hands them over, until it has ended (however it ended). With `idle`, a
        poll that found nothing yields [] so the caller can hand over finished work meanwhile.

        Batches queued while the flow was busy go out together, up to `max_articles` (0: as handed over): when
        tagging or loading falls behind the crawl, fewer and larger loads keep the per-load cost (opening the
        warehouse, the duplicate check, the checkpoint on close) from growing with the backlog."""
        carried: list[ParsedArticle] = []
        while True:
            try:
                first = carried or self._batches.get(timeout=FEED_POLL_SECONDS)
            except queue.Empty:
                first = []
            if first:
                batch, carried = self._with_queued(first, max_articles)
                yield batch
                continue
            if crawling.wrapped_future.done():  # the task and all its retries are over
                # The task put every batch before it ended: once the queue is empty, that was all.
                if self._batches.empty():
                    return
                continue
            if idle:
                yield []

    def _with_queued(
        self, first: list[ParsedArticle], max_articles: int
    ) -> tuple[list[ParsedArticle], list[ParsedArticle]]:
        """`first` joined by the batches queued behind it, at most `max_articles` in all; what did not fit."""
        if not max_articles:
            return first, []
        batch = list(first)
        while len(batch) < max_articles:
            try:
                batch.extend(self._batches.get_nowait())
            except queue.Empty:
                break
        return batch[:max_articles], batch[max_articles:]


def crawler_may_recover(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a crawler that failed as a whole (it crashed, a spider did not start); not a crawl that ran out of
    time, one the flow stopped, or a mistake in its input (trying again changes none of those)."""
    try:
        state.result()
    except CrawlTimedOutError:
        return False
    except CrawlFailedError:
        return True
    except Exception:  # noqa: BLE001 - a stop or a bad argument: the same next time
        return False
    return False


@task(
    name="crawl",
    cache_policy=NO_CACHE,
    retries=CRAWL_RETRIES,
    retry_delay_seconds=CRAWL_RETRY_DELAY_SECONDS,
    retry_condition_fn=crawler_may_recover,
)
def crawl(job: CrawlJob, timeout: float, batch_size: int, feed: CrawlFeed) -> CrawlResult:
    """Run the crawler processes, put each ready batch of articles on `feed`, report per-site progress, and
    return the failures, unchanged pages and stats once the crawlers have exited."""
    logger = get_run_logger()
    last: dict[str, Any] = {}
    with CrawlProcesses(job, timeout=timeout) as crawling:
        for batch in crawling.batches(batch_size, idle=True):
            if batch:
                feed.put(batch)
            elif feed.stopped.is_set():
                raise CrawlStoppedError("the run stopped taking batches")
            if (counts := crawling.progress()) != last:
                last = counts
                progress.emit(progress.CRAWL_PROGRESS, sites=counts)
        result = crawling.finish()
    final: dict[str, Any] = {}
    for site, stats in sorted(result.stats.get("sites", {}).items()):
        failed = stats.get("fetch_errors", 0) + stats.get("parse_errors", 0)
        final[site] = {"pages": stats.get("pages_fetched", 0), "articles": stats.get("articles_parsed", 0)}
        final[site]["errors"] = failed
        logger.info(
            "%s: %d pages fetched, %d articles parsed, %d unchanged, %d failed",
            site,
            stats.get("pages_fetched", 0),
            stats.get("articles_parsed", 0),
            stats.get("not_modified", 0) + stats.get("same_hash", 0),
            failed,
        )
    progress.emit(progress.CRAWL_PROGRESS, sites=final)  # the crawlers' own final counts
    return result
