"""The pipeline flow: crawl -> clean -> extract entities -> load, as batch-sized Prefect tasks.

The flow only wires library functions together; each task is one stage over a batch, never one
article, so a run of thousands of articles stays a few dozen task runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from transforms.clean import clean_article

from spiders.runner import CrawlJob, run_crawl
from transforms.entities import get_extractor
from transforms.records import CleanArticle, CrawlResult, FetchError, Mention, ParsedArticle
from warehouse import LoadCounts, PageState, Warehouse, WriterLock

FLOW_NAME = "newsetl"


@dataclass(slots=True)
class RunSummary:
    run_id: str
    status: str
    db_path: str
    pages_fetched: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    mentions: int = 0
    errors: int = 0
    sites: dict[str, Any] = field(default_factory=dict)
    clean_stats: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@task(name="read-crawl-state", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def read_crawl_state(db_path: str, sites: list[str]) -> dict[str, dict[str, Any]]:
    with Warehouse.open(db_path) as store:
        states = store.page_states(sites)
    return {url: asdict(state) for url, state in states.items()}


@task(
    name="crawl",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=5),
)
def crawl(job: CrawlJob, timeout_seconds: float) -> CrawlResult:
    return run_crawl(job, timeout=timeout_seconds)


@task(name="clean", cache_policy=NO_CACHE)
def clean_batch(parsed: list[ParsedArticle]) -> tuple[list[CleanArticle], list[FetchError]]:
    """Clean each page; a page that cannot be cleaned is recorded and skipped, not fatal."""
    cleaned, failures = [], []
    for page in parsed:
        try:
            article = clean_article(page)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the batch
            failures.append(FetchError(url=page.url, error=f"clean: {exc!r}"[:500], source=page.source))
            continue
        if not article.body.strip():
            failures.append(FetchError(url=page.url, error="clean: empty body after cleaning", source=page.source))
            continue
        cleaned.append(article)
    return cleaned, failures


@task(name="extract-entities", cache_policy=NO_CACHE)
def extract_entities(articles: list[CleanArticle]) -> list[list[Mention]]:
    extractor = get_extractor()
    return extractor.extract_many([a.body for a in articles], [a.published_at for a in articles])


@task(name="load", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=2))
def load_batch(
    db_path: str,
    run_id: str,
    articles: list[CleanArticle],
    mentions: list[list[Mention]],
    unchanged: list[dict[str, Any]],
) -> LoadCounts:
    states = [
        PageState(
            url=page["url"],
            source=page["source"],
            etag=page["etag"],
            last_modified=page["last_modified"],
            content_hash=page["content_hash"],
            last_status=page["status"],
        )
        for page in unchanged
    ]
    with Warehouse.open(db_path) as store:
        return store.load_batch(run_id, articles, mentions, unchanged=states)


def _batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), max(1, size))]


@flow(name=FLOW_NAME, log_prints=True)
def pipeline(
    db_path: str = "newsetl.duckdb",
    sites: dict[str, str | None] | None = None,
    start_urls: list[str] | None = None,
    max_pages: int | None = None,
    since: str | None = None,
    batch_size: int = 200,
    scrapy_settings: dict[str, Any] | None = None,
    crawl_timeout_seconds: float = 3600,
    lock_wait_seconds: float = 0.0,
) -> dict[str, Any]:
    """Crawl `sites` (outlet key -> base URL or None for the real site) and `start_urls`, clean,
    tag entities and load into the DuckDB file at `db_path`. Returns the run summary."""
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or f"local-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}")
    sites = sites or {}
    site_keys = sorted(sites) + (["generic"] if start_urls else [])
    summary = RunSummary(run_id=run_id, status="running", db_path=db_path)
    with WriterLock(db_path, run_id=run_id, wait_seconds=lock_wait_seconds):
        with Warehouse.open(db_path) as store:
            store.start_run(run_id, dt.datetime.now(dt.UTC), site_keys)
        try:
            states = read_crawl_state(db_path, site_keys)
            job = CrawlJob(
                sites=sites,
                start_urls=list(start_urls or []),
                max_pages=max_pages or None,
                since=since or None,
                page_states=states,
                settings=scrapy_settings or {},
            )
            result = crawl(job, crawl_timeout_seconds)
            summary.pages_fetched = result.pages_fetched
            summary.sites = result.stats.get("sites", {})
            errors = list(result.errors)
            counts = LoadCounts()
            unchanged = result.stats.get("unchanged", [])
            for number, batch in enumerate(_batches(result.articles, batch_size) or [[]]):
                cleaned, failures = clean_batch(batch)
                errors.extend(failures)
                for article in cleaned:
                    for step, changed in article.clean_stats.items():
                        summary.clean_stats[step] = summary.clean_stats.get(step, 0) + changed
                mentions = extract_entities(cleaned) if cleaned else []
                # Pages seen unchanged only need their crawl state refreshed: ride with the first batch.
                counts.add(load_batch(db_path, run_id, cleaned, mentions, unchanged if number == 0 else []))
            summary.articles_new = counts.articles_new
            summary.articles_updated = counts.articles_updated
            summary.articles_unchanged = counts.articles_unchanged
            summary.mentions = counts.mentions
            summary.errors = len(errors)
            summary.status = "completed"
        except BaseException:
            summary.status = "failed"
            raise
        finally:
            with Warehouse.open(db_path) as store:
                if summary.status == "completed":
                    store.record_errors(run_id, errors)
                store.finish_run(
                    run_id,
                    status=summary.status,
                    pages_fetched=summary.pages_fetched,
                    counts=LoadCounts(
                        articles_new=summary.articles_new,
                        articles_updated=summary.articles_updated,
                        articles_unchanged=summary.articles_unchanged,
                        mentions=summary.mentions,
                    ),
                    errors=summary.errors,
                    stats={"sites": summary.sites, "clean": summary.clean_stats},
                )
    logger.info(
        "run %s: %d pages, %d new, %d updated, %d unchanged, %d mentions, %d errors",
        run_id,
        summary.pages_fetched,
        summary.articles_new,
        summary.articles_updated,
        summary.articles_unchanged,
        summary.mentions,
        summary.errors,
    )
    return summary.to_dict()
