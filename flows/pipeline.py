"""The pipeline flow: crawl -> clean -> extract entities -> load, as batch-sized Prefect tasks.

The flow only wires library functions together; each task is one stage over a batch, never one
article, so a run of thousands of articles stays a few dozen task runs.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from flows import progress
from flows.cache_keys import entities_cache_key
from flows.run_history import close_abandoned_runs
from flows.runners import in_flight_for, task_runner_for, transform_batches
from flows.site_limits import ensure_site_limits, site_slots
from spiders.base import KST
from spiders.runner import CrawlJob, CrawlProcesses
from transforms.clean import clean_article
from transforms.dedupe import link_duplicates, rank, signature
from transforms.entities import get_extractor
from transforms.events import find_events_many
from transforms.health import SiteHealth, health_warnings, tally
from transforms.records import CleanArticle, CrawlResult, FetchError, Mention, ParsedArticle
from transforms.terms import TaggedBatch, batch_terms
from warehouse import LoadCounts, PageState, WarehouseError, WarehouseLockedError, WriterLock
from warehouse import open as open_warehouse

FLOW_NAME = "newsetl"
ENTITY_CACHE_DAYS = 7
# Readers never fail a run: a task kept out of the file by another process (`duckdb -readonly`, a notebook)
# waits this long, with backoff, before it fails; the warning names the process.
READER_WAIT_SECONDS = 600.0
# Test hook (tests/test_orchestration.py), unset in normal use: after the first batch commits, the run
# writes its pid to the file this names and waits, holding the writer lock, until `<file>.resume`
# exists (or PAUSE_LIMIT_SECONDS pass), so a test can SIGKILL it or race it at a known point.
PAUSE_AFTER_FIRST_LOAD_ENV = "NEWSETL_TEST_PAUSE_AFTER_FIRST_LOAD"
PAUSE_LIMIT_SECONDS = 120
# Wire copies run within a day or two of each other; a short window keeps each batch's comparison set
# (and its memory) bounded by a few days of articles however large the archive grows.
DUPLICATE_WINDOW = dt.timedelta(days=3)


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


def worth_retrying(task: Any, task_run: Any, state: Any) -> bool:
    """Retry what may pass on a second try (a busy file, a network hiccup), never a warehouse that is corrupt,
    read-only or on a full disk: another try changes nothing and only delays the one-line error."""
    try:
        state.result()
    except WarehouseLockedError:
        return True
    except WarehouseError:
        return False
    except Exception:  # noqa: BLE001 - anything else may be passing
        return True
    return True


@task(
    name="read-crawl-state",
    cache_policy=NO_CACHE,
    retries=2,
    retry_condition_fn=worth_retrying,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
)
def read_crawl_state(db_path: str, sites: list[str]) -> dict[str, dict[str, Any]]:
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        states = store.page_states(sites)
    return {url: asdict(state) for url, state in states.items()}


@task(name="crawl", cache_policy=NO_CACHE)
def finish_crawl(crawling: CrawlProcesses) -> CrawlResult:
    """Wait for the crawler processes (their articles were streamed into the batches already) and collect
    failures, unchanged pages and per-site stats. A crawler that fails as a whole fails the run; the next
    run picks up where it stopped, since loaded pages are in crawl_state."""
    return crawling.finish()


@task(
    name="record-run-start",
    cache_policy=NO_CACHE,
    retries=3,
    retry_condition_fn=worth_retrying,
    retry_delay_seconds=exponential_backoff(backoff_factor=1),
)
def record_run_start(db_path: str, run_id: str, sites: list[str]) -> list[str]:
    """Close runs a kill left 'running' (we hold the writer lock, so they are dead) and open this one."""
    now = dt.datetime.now(dt.UTC)
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        abandoned = close_abandoned_runs(store, now) if store.exclusive_writer else []
        store.start_run(run_id, now, sites)
    return abandoned


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


@task(
    name="extract-entities",
    cache_key_fn=entities_cache_key,
    cache_expiration=dt.timedelta(days=ENTITY_CACHE_DAYS),
    persist_result=True,
)
def extract_entities(articles: list[CleanArticle]) -> TaggedBatch:
    """Mentions per article, carrying each article's search terms from the same Kiwi analysis."""
    extractor = get_extractor()
    mentions, tokens = extractor.extract_many_with_tokens(
        [a.body for a in articles], [a.published_at for a in articles], also_tokenize=[a.title for a in articles]
    )
    return TaggedBatch(mentions, batch_terms(tokens, len(articles)) if mentions else [])


@task(
    name="load",
    cache_policy=NO_CACHE,
    retries=2,
    retry_condition_fn=worth_retrying,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
)
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
            article_id=page.get("article_id"),
            source=page["source"],
            etag=page["etag"],
            last_modified=page["last_modified"],
            content_hash=page["content_hash"],
            last_status=page["status"],
        )
        for page in unchanged
    ]
    signatures = {article.article_id: signature(article.body) for article in articles}
    # Deals and people moves come from the mentions (cached for days) by cheap rules: found here, they are
    # found for cached mentions too, and stored in this batch's transaction.
    found = find_events_many([a.body for a in articles], mentions, [a.published_at for a in articles])
    events = {article.article_id: article_events for article, article_events in zip(articles, found, strict=True)}
    dates = [published for a in articles if (published := _published(a))]
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        # Wire copies appear within days of each other: compare with that window, not the whole archive.
        known = store.signatures_between(
            min(dates) - DUPLICATE_WINDOW if dates else None,
            max(dates) + DUPLICATE_WINDOW if dates else None,
            exclude=list(signatures),
        )
        candidates = [(a.article_id, signatures[a.article_id], rank(a.article_id, _published(a))) for a in articles]
        stored = [(article_id, values, rank(article_id, published)) for article_id, values, published in known]
        links = link_duplicates(candidates, stored)
        duplicates = {link.article_id: (link.duplicate_of, link.similarity) for link in links}
        return store.load_batch(
            run_id,
            articles,
            mentions,
            unchanged=states,
            signatures=signatures,
            duplicates=duplicates,
            events=events,
            terms=getattr(mentions, "terms", None),  # a TaggedBatch from extract_entities
        )


def _published(article: CleanArticle) -> dt.datetime | None:
    if not article.published_at:
        return None
    published = dt.datetime.fromisoformat(article.published_at)
    # A date-only value from an unknown site: read it in KST, like every time without an offset.
    return published if published.tzinfo else published.replace(tzinfo=KST)


@task(
    name="site-health",
    cache_policy=NO_CACHE,
    retries=2,
    retry_condition_fn=worth_retrying,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
)
def record_site_health(db_path: str, run_id: str, health: dict[str, SiteHealth]) -> list[str]:
    """Store this run's per-site health; return warnings for sites whose shares jumped."""
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        warnings = health_warnings(health, store.previous_site_health(run_id))
        rows = [
            {
                "source": site.source,
                "pages": site.pages,
                "articles": site.articles,
                "fetch_errors": site.fetch_errors,
                **site.shares,
                "warning": "; ".join(w for w in warnings if w.startswith(site.source + ":")) or None,
            }
            for site in health.values()
        ]
        store.record_site_health(run_id, rows)
    return warnings


@flow(name=FLOW_NAME, log_prints=True)
def pipeline(
    db_path: str | None = None,
    sites: dict[str, str | None] | None = None,
    start_urls: list[str] | None = None,
    max_pages: int | None = None,
    since: str | None = None,
    batch_size: int | None = None,
    scrapy_settings: dict[str, Any] | None = None,
    crawl_timeout_seconds: float | None = None,
    lock_wait_seconds: float | None = None,
    crawls_per_site: int | None = None,
    config_path: str | None = None,
    frontier: str | None = None,
    crawler_processes: int | None = None,
    task_runner: str | None = None,
    dask_address: str | None = None,
    dask_workers: int | None = None,
) -> dict[str, Any]:
    """Crawl `sites` (outlet key -> base URL or None for the real site) and `start_urls`, clean,
    tag entities and load into the DuckDB file at `db_path`. Returns the run summary.

    With neither `sites` nor `start_urls` (a scheduled or `prefect deployment run`), everything not
    given is read from the config file (`config_path`, $NEWSETL_CONFIG, ./newsetl.toml) at start,
    so an edited newsetl.toml applies from the next run without redeploying.
    """
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or f"local-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}")
    if sites is None and not start_urls:
        from newsetl.api import run_parameters

        given = {
            "max_pages": max_pages,
            "since": since,
            "batch_size": batch_size,
            "scrapy_settings": scrapy_settings,
            "crawl_timeout_seconds": crawl_timeout_seconds,
            "crawls_per_site": crawls_per_site,
            "frontier": frontier,
            "crawler_processes": crawler_processes,
            "task_runner": task_runner,
            "dask_address": dask_address,
            "dask_workers": dask_workers,
        }
        resolved = run_parameters(db=db_path, config_path=config_path, lock_wait_seconds=lock_wait_seconds)
        resolved |= {name: value for name, value in given.items() if value is not None}
        db_path, sites, start_urls = resolved["db_path"], resolved["sites"], resolved["start_urls"]
        max_pages, since, batch_size = resolved["max_pages"], resolved["since"], resolved["batch_size"]
        scrapy_settings, crawl_timeout_seconds = resolved["scrapy_settings"], resolved["crawl_timeout_seconds"]
        lock_wait_seconds, crawls_per_site = resolved["lock_wait_seconds"], resolved["crawls_per_site"]
        frontier, crawler_processes = resolved.get("frontier"), resolved.get("crawler_processes")
        task_runner, dask_address = resolved.get("task_runner"), resolved.get("dask_address")
        dask_workers = resolved.get("dask_workers")
    db_path = db_path or "newsetl.duckdb"
    sites = sites or {}
    site_keys = sorted(sites) + (["generic"] if start_urls else [])
    summary = RunSummary(run_id=run_id, status="running", db_path=db_path)
    progress.emit(progress.RUN_STARTED, run_id=run_id, sites=site_keys)
    with WriterLock(db_path, run_id=run_id, wait_seconds=lock_wait_seconds or 0.0):
        abandoned = record_run_start(db_path, run_id, site_keys)
        if abandoned:
            logger.warning("runs killed before they finished, now marked abandoned: %s", ", ".join(abandoned))
        counts = LoadCounts()  # what this run has committed so far, recorded however it ends
        errors: list[FetchError] = []
        try:
            states = read_crawl_state(db_path, site_keys)
            job = CrawlJob(
                sites=sites,
                start_urls=list(start_urls or []),
                max_pages=max_pages or None,
                since=since or None,
                page_states=states,
                settings=scrapy_settings or {},
                # Scaling out (README "Scaling out"): crawler processes sharing a Redis frontier, keyed by run.
                frontier=frontier or "",
                crawler_processes=crawler_processes or 1,
                frontier_key=run_id,
            )
            progress.emit(progress.CRAWL_STARTED, sites=site_keys)
            limits = ensure_site_limits(sites, crawls_per_site if crawls_per_site is not None else 1)
            timeout = crawl_timeout_seconds or 3600
            health: dict[str, SiteHealth] = {}
            done = 0
            # Clean here and tag in a thread of this process, or both on a Dask cluster (flows/runners.py);
            # loads stay here.
            runner = task_runner_for(task_runner or "default", dask_address or "", dask_workers or 2)
            # Batches are cleaned, tagged and loaded while the crawler is still fetching the next ones: the
            # stages overlap, and a long crawl never sits whole in memory. A site's slot is held meanwhile.
            with (
                site_slots(limits, timeout, crawls_per_site or 1, run_id),
                CrawlProcesses(job, timeout=timeout) as crawling,
            ):
                transformed = transform_batches(
                    crawling.batches(batch_size or 200, idle=runner is None),
                    clean_batch,
                    extract_entities,
                    runner,
                    in_flight_for(task_runner or "default", dask_workers or 2),
                    # The entity model (Kiwi + CRF, ~1.5 s) is built while the crawler starts, not at batch one.
                    warm_up=get_extractor,
                )
                for number, (cleaned, failures, mentions) in enumerate(transformed):
                    errors.extend(failures)
                    tally(cleaned, into=health)
                    for article in cleaned:
                        for step, changed in article.clean_stats.items():
                            summary.clean_stats[step] = summary.clean_stats.get(step, 0) + changed
                    # quote: Prefect would otherwise walk every article and mention looking for futures.
                    counts.add(load_batch(db_path, run_id, quote(cleaned), quote(mentions), []))
                    done += len(cleaned) + len(failures)
                    progress.emit(
                        progress.BATCH_LOADED,
                        done=done,
                        total=None,
                        new=counts.articles_new,
                        updated=counts.articles_updated,
                    )
                    _pause_for_tests(number)
                result = finish_crawl(crawling)
            progress.emit(
                progress.CRAWL_FINISHED,
                pages=result.pages_fetched,
                articles=done,
                errors=len(result.errors),
            )
            summary.pages_fetched = result.pages_fetched
            summary.sites = result.stats.get("sites", {})
            errors.extend(result.errors)
            # The crawler reports unchanged pages without their article id: keep the one on record,
            # or the crawl-state upsert would blank it.
            unchanged = [
                dict(page, article_id=states.get(page["url"], {}).get("article_id"))
                for page in result.stats.get("unchanged", [])
            ]
            if unchanged:
                counts.add(load_batch(db_path, run_id, [], [], unchanged))
            summary.errors = len(errors)
            error_counts: dict[str, int] = {}
            for error in errors:
                error_counts[error.source] = error_counts.get(error.source, 0) + 1
            pages = {site: stats.get("pages_fetched", 0) for site, stats in summary.sites.items()}
            summary.warnings = record_site_health(db_path, run_id, tally((), pages, error_counts, into=health))
            summary.status = "completed"
        except BaseException as exc:
            # Ctrl-C or SIGTERM (Prefect turns the latter into TerminationSignal): stopped on purpose, not broken.
            stopped = isinstance(exc, KeyboardInterrupt | TerminationSignal)
            summary.status = "interrupted" if stopped else "failed"
            raise
        finally:
            summary.articles_new = counts.articles_new
            summary.articles_updated = counts.articles_updated
            summary.articles_unchanged = counts.articles_unchanged
            summary.mentions = counts.mentions
            with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
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
            if summary.status == "interrupted":
                progress.emit(progress.RUN_INTERRUPTED, summary=summary.to_dict())
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
    progress.emit(progress.RUN_FINISHED, summary=summary.to_dict())
    return summary.to_dict()


def _pause_for_tests(batch_number: int) -> None:
    marker = os.environ.get(PAUSE_AFTER_FIRST_LOAD_ENV)
    if not marker or batch_number != 0:
        return
    with open(marker, "w", encoding="utf-8") as handle:
        handle.write(str(os.getpid()))
    deadline = time.monotonic() + PAUSE_LIMIT_SECONDS
    while not os.path.exists(marker + ".resume") and time.monotonic() < deadline:
        time.sleep(0.1)
