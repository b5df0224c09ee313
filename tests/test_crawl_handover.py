"""The crawl task hands the flow one batch at a time (flows/crawl.py): while the flow lags, the crawlers' feed files
wait on disk and then go out as full batches; the deadline and the flow's stop still end a crawl task that waits
for the flow; and every article the crawlers wrote is handed over once. Real Scrapy crawls of the synthetic
mirror on loopback, in the thread layout of a run (the crawl's hand-over in a thread of its own)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from synth import write_synthetic_mirror

from flows.crawl import CrawlFeed, CrawlStoppedError, hand_over
from mirror.server import LoggedRequest, MirrorServer
from newsetl.api import MIRROR_SCRAPY_SETTINGS
from spiders.jobs import CrawlJob, CrawlTimedOutError
from spiders.runner import FEED_FILE_ARTICLES, CrawlProcesses
from transforms.records import ParsedArticle

pytestmark = pytest.mark.slow

BATCH_SIZE = 2 * FEED_FILE_ARTICLES
SITE = "zdnet"


@pytest.fixture(scope="module")
def synth_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One outlet of the synthetic mirror with a few hundred articles: many feed files per crawl."""
    data_dir = write_synthetic_mirror(tmp_path_factory.mktemp("synth"), 7 * 300, seed=11)
    with MirrorServer(data_dir, outlets=[SITE]) as server:
        yield dict(server.base_urls)


# zdnet's article pages (its list pages are /news/...).
ARTICLE_PATH = "/view/"
# Longer than any hold: a held page is slow, never a failed fetch.
HOLD_LIMIT_SECONDS = 120


class HoldingMirror(MirrorServer):
    """The mirror, except that once `hold_after` article pages have been served, every further one waits for
    `release` (or HOLD_LIMIT_SECONDS) before its answer goes out: a crawl stays mid-fetch, waiting on the
    server, however long the flow takes over its first batch, instead of racing it at a throttled pace."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hold_after: int | None = None
        self.release = threading.Event()
        self._served = 0
        self.held = 0  # answers that waited
        self._count_lock = threading.Lock()

    def log(self, entry: LoggedRequest) -> None:
        # Called by the request's handler thread before it answers: waiting here holds that answer.
        super().log(entry)
        if self.hold_after is None or not entry.target.startswith(ARTICLE_PATH):
            return
        with self._count_lock:
            self._served += 1
            held = self._served > self.hold_after
            self.held += held
        if held:
            self.release.wait(HOLD_LIMIT_SECONDS)


@pytest.fixture
def small_held_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HoldingMirror]:
    """One outlet of the synthetic mirror with ~60 articles: two feed files and a bit, enough for a first load
    while the crawler still fetches, without tagging hundreds of articles twice."""
    data_dir = write_synthetic_mirror(tmp_path_factory.mktemp("synth-small"), 8 * 60, seed=11)
    with HoldingMirror(data_dir, outlets=[SITE]) as server:
        try:
            yield server
        finally:
            server.release.set()  # no handler thread left waiting


def _until_exited(crawling: CrawlProcesses) -> None:
    """Wait for the crawler processes to end (the crawl's own timeout bounds the wait)."""
    while crawling.running():
        time.sleep(0.1)


def _whole_lines_written(workdir: Path) -> list[str]:
    """URLs of the articles the crawlers wrote, whole lines only, as the feed files hold them now."""
    urls = []
    for path in workdir.glob("newsetl-crawl-*/process-*/articles-*.jsonl"):
        data = path.read_bytes()
        urls += [json.loads(line)["url"] for line in data[: data.rfind(b"\n") + 1].decode("utf-8").splitlines()]
    return urls


def _taken_urls(batches: list[list[ParsedArticle]]) -> list[str]:
    return [article.url for batch in batches for article in batch]


def test_a_lagging_flow_leaves_the_crawl_on_disk_and_takes_it_in_full_batches(tmp_path: Path, synth_site) -> None:
    job = CrawlJob(sites=synth_site, settings=MIRROR_SCRAPY_SETTINGS)
    feed = CrawlFeed()
    with CrawlProcesses(job, workdir=tmp_path, timeout=300) as crawling, ThreadPoolExecutor(1) as pool:
        handing: Future[None] = pool.submit(hand_over, crawling, BATCH_SIZE, feed)
        batches = feed.batches(handing.done)
        taken = [next(batches)]
        # The flow lags: it takes nothing more until the crawlers have written everything.
        _until_exited(crawling)
        # What the crawl task read and the flow has not taken is at most the one batch handed over.
        assert crawling.articles_read - len(taken[0]) <= BATCH_SIZE
        assert feed.waiting() <= 1
        taken += list(batches)
        handing.result()
        parsed = crawling.finish().stats["sites"][SITE]["articles_parsed"]
    urls = _taken_urls(taken)
    assert len(urls) == len(set(urls)) == parsed > 4 * BATCH_SIZE
    # The batch handed over as the flow took the first was read while the crawl ran; every later one was read
    # from the files left on disk: full, but for the last.
    assert all(len(batch) == BATCH_SIZE for batch in taken[2:-1])
    assert 0 < len(taken[-1]) <= BATCH_SIZE
    assert len(taken[2:]) == -(-(parsed - len(taken[0]) - len(taken[1])) // BATCH_SIZE)


def test_the_deadline_stops_crawlers_while_the_flow_lags_and_what_they_wrote_is_handed_over(
    tmp_path: Path, synth_site
) -> None:
    # At most ~20 pages a second: the crawl would take over 15 s, so it is still fetching at the deadline.
    job = CrawlJob(sites=synth_site, settings={**MIRROR_SCRAPY_SETTINGS, "DOWNLOAD_DELAY": 0.05})
    feed = CrawlFeed()
    with CrawlProcesses(job, workdir=tmp_path, timeout=6) as crawling, ThreadPoolExecutor(1) as pool:
        handing: Future[None] = pool.submit(hand_over, crawling, BATCH_SIZE, feed)
        batches = feed.batches(handing.done)
        # The flow takes nothing until the crawl task, waiting on it, has stopped the crawlers at the deadline.
        _until_exited(crawling)
        written = _whole_lines_written(tmp_path)
        taken = list(batches)
        with pytest.raises(CrawlTimedOutError):
            handing.result()
    assert sorted(_taken_urls(taken)) == sorted(written)


def test_a_stop_ends_a_crawl_task_that_waits_for_the_flow(tmp_path: Path, synth_site) -> None:
    job = CrawlJob(sites=synth_site, settings=MIRROR_SCRAPY_SETTINGS)
    feed = CrawlFeed()
    with CrawlProcesses(job, workdir=tmp_path, timeout=300) as crawling, ThreadPoolExecutor(1) as pool:
        handing: Future[None] = pool.submit(hand_over, crawling, BATCH_SIZE, feed)
        batches = feed.batches(handing.done)
        next(batches)
        feed.stopped.set()  # as the flow does on Ctrl-C or a failed load
        with pytest.raises(CrawlStoppedError):
            handing.result(timeout=60)


def test_a_crawler_killed_mid_crawl_is_retried_and_every_article_is_stored_once(
    tmp_path: Path, small_held_site: HoldingMirror, prefect_harness
) -> None:
    import psutil

    from flows import progress
    from newsetl import api
    from warehouse import Warehouse

    def stored_urls(db_path: Path) -> list[str]:
        with Warehouse.open(db_path, read_only=True) as store:
            return [row[0] for row in store.query("SELECT url FROM articles").rows]

    site = dict(small_held_site.base_urls)
    reference = api.run(
        db=tmp_path / "reference.duckdb", sites=list(site), base_urls=site, scrapy_settings=MIRROR_SCRAPY_SETTINGS
    )
    killed: list[int] = []

    def kill_the_crawler_once(event: str, data: dict) -> None:
        # After the first load, while the crawler still fetches (the mirror holds its later article pages until
        # the kill): a crawler that dies as a whole, which the crawl task retries.
        if event != progress.BATCH_LOADED or killed:
            return
        for child in psutil.Process().children(recursive=True):
            try:
                if "spiders.runner" in child.cmdline():
                    child.kill()
                    killed.append(child.pid)
            except psutil.Error:
                continue  # ended meanwhile
        small_held_site.release.set()  # the retried crawler fetches at full speed

    # One feed file (FEED_FILE_ARTICLES) is the first batch; the crawler fetches a few more, then waits.
    small_held_site.hold_after = FEED_FILE_ARTICLES + 5
    with progress.listening(kill_the_crawler_once):
        summary = api.run(
            db=tmp_path / "killed.duckdb",
            sites=list(site),
            base_urls=site,
            scrapy_settings={**MIRROR_SCRAPY_SETTINGS, "DOWNLOAD_TIMEOUT": HOLD_LIMIT_SECONDS + 30},
        )
    small_held_site.release.set()
    assert killed and small_held_site.held  # killed while it waited on the mirror: mid-crawl
    assert summary["status"] == reference["status"] == "completed"
    urls = stored_urls(tmp_path / "killed.duckdb")
    assert len(urls) == len(set(urls)) > FEED_FILE_ARTICLES + 5
    assert sorted(urls) == sorted(stored_urls(tmp_path / "reference.duckdb"))
    assert summary["articles_new"] == len(urls)
