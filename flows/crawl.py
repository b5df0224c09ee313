"""The crawl as one Prefect task that spans it, handing article batches to the flow while it runs.

The flow submits `crawl` to its task runner (a thread), so the task run lasts exactly as long as the crawl and
Prefect retries it when the crawler fails; meanwhile the flow takes batches from the `CrawlFeed` and cleans,
tags and loads them. A retried crawl fetches again what its failed try had fetched: pages already loaded come
back unchanged or as the same article, never as duplicates.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import progress
from spiders.jobs import CrawlFailedError, CrawlJob, CrawlTimedOutError
from spiders.runner import POLL_SECONDS, CrawlProcesses
from transforms.records import CrawlResult, ParsedArticle

CRAWL_RETRIES = 2
CRAWL_RETRY_DELAY_SECONDS = 10
# How long the flow waits for a batch before it looks at other work (a finished tagging, the crawl's end).
FEED_POLL_SECONDS = 0.2


class CrawlStoppedError(RuntimeError):
    """The flow stopped taking batches (Ctrl-C, a failed load): the crawl ends without a retry."""


class CrawlFeed:
    """The hand-over of article batches from the crawl task to the flow, one batch at a time, and the flow's
    word to stop.

    The crawl task hands over a batch and waits until the flow has taken it before it reads the next one from
    the crawlers' feed files. So a flow that falls behind leaves those files on disk, where CrawlProcesses.batches
    joins them into full batches ([crawl] batch_size) when the flow comes back for more, and the crawl's backlog
    is never held in the flow's memory: at most one batch waits here."""

    def __init__(self) -> None:
        self._handed_over: list[ParsedArticle] | None = None
        self._changed = threading.Condition()
        self.stopped = threading.Event()

    def put(self, batch: list[ParsedArticle]) -> None:
        """Hand `batch` to the flow; the previous one must have been taken (`wait_taken`)."""
        if self.stopped.is_set():
            raise CrawlStoppedError("the run stopped taking batches")
        with self._changed:
            if self._handed_over is not None:
                raise RuntimeError("a batch was handed over before the flow took the previous one")
            self._handed_over = batch
            self._changed.notify_all()

    def wait_taken(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the flow to take the batch handed over; whether it has (True when
        there is none)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._handed_over is None, timeout)

    def waiting(self) -> int:
        """Batches handed over and not yet taken by the flow: 0 or 1."""
        with self._changed:
            return 0 if self._handed_over is None else 1

    def _take(self, timeout: float) -> list[ParsedArticle] | None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._handed_over is not None, timeout):
                return None
            batch, self._handed_over = self._handed_over, None
            self._changed.notify_all()
        return batch

    def batches(self, crawl_ended: Callable[[], bool], *, idle: bool = False) -> Iterator[list[ParsedArticle]]:
        """Batches as the crawl task hands them over, until it has ended, however it ended (`crawl_ended`:
        e.g. the done() of the task's future, which covers its retries). With `idle`, a poll that found nothing
        yields [] so the caller can hand over finished work meanwhile."""
        while True:
            batch = self._take(FEED_POLL_SECONDS)
            if batch:
                yield batch
                continue
            if crawl_ended():
                # A batch it handed over before it ended (e.g. at its deadline) is still taken.
                if not self.waiting():
                    return
                continue
            if idle:
                yield []


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
    """Run the crawler processes, hand their articles to the flow through `feed` (`hand_over`), and return the
    failures, unchanged pages and stats once the crawlers have exited."""
    logger = get_run_logger()
    with CrawlProcesses(job, timeout=timeout) as crawling:
        hand_over(crawling, batch_size, feed)
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


def hand_over(crawling: CrawlProcesses, batch_size: int, feed: CrawlFeed) -> None:
    """Hand the crawlers' articles to the flow through `feed`, in batches of up to `batch_size`, until the
    crawlers have exited; report per-site progress meanwhile. Each batch is read from the feed files only once
    the flow has taken the previous one: a flow that falls behind leaves them on disk, to go out as full batches.
    """
    reported: dict[str, Any] = {}
    for batch in crawling.batches(batch_size, idle=True):
        if batch:
            feed.put(batch)
            while not feed.wait_taken(POLL_SECONDS):
                reported = _between_polls(crawling, feed, reported)
        else:
            feed.stopped.wait(POLL_SECONDS)  # nothing ready yet: wait a poll (returning early on a stop), not spin
        reported = _between_polls(crawling, feed, reported)


def _between_polls(crawling: CrawlProcesses, feed: CrawlFeed, reported: dict[str, Any]) -> dict[str, Any]:
    """What the crawl task does between polls, also while the flow has not taken its batch yet: end on the
    flow's stop, stop the crawlers at the deadline, report per-site progress when it changed; the counts
    reported."""
    if feed.stopped.is_set():
        raise CrawlStoppedError("the run stopped taking batches")
    crawling.check_deadline()
    counts = crawling.progress()
    if counts != reported:
        progress.emit(progress.CRAWL_PROGRESS, sites=counts)
    return counts
