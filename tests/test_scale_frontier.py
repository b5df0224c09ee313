"""The shared crawl frontier: two crawler processes on one Redis queue and duplicate filter crawl the mirror.

A real `redis-server` on a free loopback port (Debian's package; the tests skip without it), real Scrapy
child processes, the loopback mirror's request log as the witness that no page was fetched twice.
"""

from __future__ import annotations

import collections
import dataclasses
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
from prefect_procs import free_port

from mirror.catalog import article_path, load_outlet
from newsetl import api
from spiders.runner import CrawlJob, run_crawl
from transforms.ids import canonicalize_url
from warehouse import Warehouse

pytestmark = pytest.mark.slow

ARTICLES_PER_OUTLET = 12  # the flow test's outlets (platum, the WordPress one, has 8)
# A delay per request and two requests in flight per process keep one process from draining the whole
# queue into its own downloader before the other has started (a real crawl is long enough by itself).
FRONTIER_SCRAPY_SETTINGS = dict(
    api.MIRROR_SCRAPY_SETTINGS, DOWNLOAD_DELAY=0.3, AUTOTHROTTLE_ENABLED=False, CONCURRENT_REQUESTS=2
)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _pages_fetched_twice(requests: list) -> list[tuple[str, str]]:
    """Pages requested more than once. robots.txt is each process's own (Scrapy fetches it per process)."""
    counts = collections.Counter(
        (entry.outlet, entry.target) for entry in requests if entry.method == "GET" and entry.target != "/robots.txt"
    )
    return sorted(page for page, count in counts.items() if count > 1)


def _keys(redis_url: str) -> list[bytes]:
    import redis

    with redis.Redis.from_url(redis_url) as client:
        return client.keys("*")


def test_two_crawler_processes_split_the_mirror_and_fetch_no_page_twice(mirror_server, redis_url):
    first_request = len(mirror_server.request_log)
    job = CrawlJob(
        sites=dict(mirror_server.base_urls),
        settings=FRONTIER_SCRAPY_SETTINGS,
        frontier=redis_url,
        crawler_processes=2,
        frontier_key="test-split",
    )
    result = run_crawl(job, timeout=120)
    requests = mirror_server.request_log[first_request:]

    urls = [article.url for article in result.articles]
    expected = sum(len(load_outlet(outlet).articles) for outlet in mirror_server.base_urls)
    assert len(urls) == len(set(urls)) == expected
    assert result.errors == []
    assert _pages_fetched_twice(requests) == []
    # Both processes did part of the work, and together all of it.
    per_process = [sum(site["articles_parsed"] for site in sites.values()) for sites in result.stats["processes"]]
    assert len(per_process) == 2 and all(count > 0 for count in per_process), per_process
    assert sum(per_process) == len(urls)
    assert result.pages_fetched == sum(site["pages_fetched"] for site in result.stats["sites"].values())
    # The run's keys (queue, duplicate filter, busy set) are gone: the next run starts from nothing.
    assert _keys(redis_url) == []


def test_an_article_a_peer_has_claimed_is_neither_emitted_from_a_feed_nor_fetched(mirror_server, redis_url):
    # Articles read from data instead of a page (Digital Times' full-text feeds, Platum's REST posts) are claimed
    # in the shared duplicate filter. Here a peer has already claimed one of each: the race, made certain. dt's
    # two feeds (latest, ict) share the ict articles; when two processes each took one feed, both emitted them.
    import redis
    from scrapy import Request
    from scrapy_redis.dupefilter import RFPDupeFilter

    sites = {key: mirror_server.base_urls[key] for key in ("dt", "platum")}
    claimed = {}
    for key, section in (("dt", "ict"), ("platum", "global")):
        article = next(article for article in load_outlet(key).articles if article.section == section)
        claimed[key] = canonicalize_url(sites[key] + article_path(key, article))
    with redis.Redis.from_url(redis_url) as server:
        for key, url in claimed.items():
            assert not RFPDupeFilter(server, f"newsetl:test-claimed:{key}:seen").request_seen(Request(url))
    first_request = len(mirror_server.request_log)
    job = CrawlJob(sites=sites, settings=FRONTIER_SCRAPY_SETTINGS, frontier=redis_url, frontier_key="test-claimed")
    result = run_crawl(job, timeout=120)
    requests = mirror_server.request_log[first_request:]

    urls = [article.url for article in result.articles]
    assert not set(claimed.values()) & set(urls)
    assert len(urls) == len(set(urls)) == sum(len(load_outlet(key).articles) for key in sites) - len(claimed)
    fetched = {(entry.outlet, entry.target) for entry in requests}
    assert not {(key, url.removeprefix(sites[key])) for key, url in claimed.items()} & fetched
    assert _keys(redis_url) == []


def test_a_flow_run_on_the_shared_frontier_stores_every_article_exactly_once(
    tmp_path, mirror_server, redis_url, prefect_harness
):
    sites = ["itchosun", "bloter", "zdnet"]
    first_request = len(mirror_server.request_log)
    parameters = api.run_parameters(
        db=tmp_path / "frontier.duckdb",
        sites=sites,
        base_urls=dict(mirror_server.base_urls),
        scrapy_settings=FRONTIER_SCRAPY_SETTINGS,
    )
    from flows.pipeline import run_pipeline

    summary = run_pipeline(dataclasses.replace(parameters, frontier=redis_url, crawler_processes=2))
    requests = mirror_server.request_log[first_request:]

    assert summary["status"] == "completed"
    assert summary["articles_new"] == ARTICLES_PER_OUTLET * len(sites)
    assert _pages_fetched_twice(requests) == []
    with Warehouse.open(summary["db_path"], read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM articles") == ARTICLES_PER_OUTLET * len(sites)
        assert store.scalar("SELECT count(DISTINCT url) FROM articles") == ARTICLES_PER_OUTLET * len(sites)
        # Every article page the mirror served is an article in the warehouse.
        fetched = {entry.target for entry in requests if entry.outlet in sites and entry.method == "GET"}
        stored = store.query("SELECT url FROM articles").rows
    assert all(any(url.endswith(target) for target in fetched) for (url,) in stored)
    assert _keys(redis_url) == []
