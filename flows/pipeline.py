"""The pipeline flow: crawl -> clean -> extract entities -> load, as batch-sized Prefect tasks.

`pipeline()` wires the stages; each task is one stage over a batch, never one article, so a run of thousands of
articles stays a few dozen task runs. The crawl is one task that spans the crawl (flows/crawl.py) and hands its
batches over while it runs, so batches are cleaned, tagged and loaded while the crawler fetches the next ones.
Run parameters are resolved before the flow starts (newsetl.config.run_parameters); only a deployment's run,
which is given its config file's path, resolves them as its first step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run
from prefect.states import Failed, State
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from flows import progress, storage
from flows.cache_keys import entities_cache_key
from flows.crawl import CrawlFeed, crawl
from flows.run_summary import RunSummary, error_share_failure, summary_markdown
from flows.runners import in_flight_for, task_runner_for, transform_batches
from flows.site_limits import ensure_site_limits, site_slots
from newsetl.config import RunParameters
from spiders.jobs import CrawlJob
from transforms.clean import clean_article
from transforms.entities import get_extractor
from transforms.health import SiteHealth, tally
from transforms.records import CleanArticle, CrawlResult, FetchError, Mention, PageState, ParsedArticle
from transforms.terms import TaggedBatch, batch_terms
from warehouse import LoadCounts, WarehouseError, WarehouseLockedError, WriterLock

FLOW_NAME = "newsetl"
ARTIFACT_KEY = "newsetl-run-summary"
ENTITY_CACHE_DAYS = 7
# Seconds the flow waits, on its way out of a failed or stopped run, for the crawl task to stop its crawlers.
CRAWL_STOP_WAIT_SECONDS = 15


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


WAREHOUSE_RETRIES = dict(
    cache_policy=NO_CACHE,
    retries=2,
    retry_condition_fn=worth_retrying,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
)


@task(name="record-run-start", **WAREHOUSE_RETRIES)
def record_run_start(db_path: str, run_id: str, sites: list[str]) -> list[str]:
    """Open this run's `runs` row, closing as abandoned the runs a kill left 'running'."""
    abandoned = storage.open_run(db_path, run_id, sites)
    if abandoned:
        get_run_logger().warning("runs killed before they finished, now marked abandoned: %s", ", ".join(abandoned))
    return abandoned


@task(name="read-crawl-state", **WAREHOUSE_RETRIES)
def read_crawl_state(db_path: str, sites: list[str]) -> dict[str, PageState]:
    states = storage.crawl_state(db_path, sites)
    get_run_logger().info("%d pages known from earlier runs", len(states))
    return states


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
    get_run_logger().info("cleaned %d articles, %d failed", len(cleaned), len(failures))
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
    get_run_logger().info("tagged %d articles: %d mentions", len(articles), sum(map(len, mentions)))
    return TaggedBatch(mentions, batch_terms(tokens, len(articles)) if mentions else [])


@task(name="load", **WAREHOUSE_RETRIES)
def load_batch(
    db_path: str,
    run_id: str,
    articles: list[CleanArticle],
    mentions: list[list[Mention]],
    unchanged: list[PageState],
) -> LoadCounts:
    """One warehouse transaction: the batch's articles with their mentions, or the pages seen unchanged."""
    counts = storage.load(db_path, run_id, articles, mentions, unchanged)
    get_run_logger().info(
        "loaded: %d new, %d updated, %d unchanged, %d mentions, %d unchanged pages",
        counts.articles_new,
        counts.articles_updated,
        counts.articles_unchanged,
        counts.mentions,
        len(unchanged),
    )
    return counts


@task(name="site-health", **WAREHOUSE_RETRIES)
def record_site_health(db_path: str, run_id: str, health: dict[str, SiteHealth]) -> list[str]:
    """Store this run's per-site health; return warnings for sites whose shares jumped."""
    warnings = storage.site_health(db_path, run_id, health)
    get_run_logger().info("site health of %d sites stored, %d warnings", len(health), len(warnings))
    return warnings


@flow(name=FLOW_NAME, log_prints=True)
def pipeline(
    parameters: dict[str, Any] | None = None, config_path: str | None = None, db_path: str | None = None
) -> dict[str, Any] | State:
    """Crawl, clean, tag entities and load, as `parameters` (RunParameters.to_dict(), plain JSON as Prefect shows
    and stores flow parameters) say; return the run summary (a Failed state carrying it when too many pages
    failed). A deployment's run passes only `config_path` (and `db_path`): the config file is read now, so an
    edited newsetl.toml applies from the next run without redeploying."""
    if parameters is None:
        from newsetl.config import run_parameters

        run = run_parameters(config_path=config_path, db=db_path, lock_wait_seconds=None)
    else:
        run = RunParameters(**parameters)
    run_id = str(flow_run.get_id() or f"local-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}")
    summary = RunSummary(run_id=run_id, status="running", db_path=run.db_path)
    errors: list[FetchError] = []
    progress.emit(progress.RUN_STARTED, run_id=run_id, sites=run.site_keys)
    with WriterLock(run.db_path, run_id=run_id, wait_seconds=run.lock_wait_seconds):
        record_run_start(run.db_path, run_id, run.site_keys)
        try:
            health = crawl_and_load(run, summary, errors)
            summary.warnings = record_site_health(run.db_path, run_id, health)
            summary.failure = error_share_failure(summary.pages_fetched, summary.errors, run.max_error_share)
            summary.status = "failed" if summary.failure else "completed"
        except BaseException as exc:
            # Ctrl-C or SIGTERM (Prefect turns the latter into TerminationSignal): stopped on purpose, not broken.
            summary.status = "interrupted" if isinstance(exc, KeyboardInterrupt | TerminationSignal) else "failed"
            raise
        finally:
            # Not a task: it runs on the way out of a stopped run too, when no new task run should start.
            storage.close_run(run.db_path, summary, errors)
            if summary.status == "interrupted":
                progress.emit(progress.RUN_INTERRUPTED, summary=summary.to_dict())
    publish_summary(summary, errors)
    progress.emit(progress.RUN_FINISHED, summary=summary.to_dict())
    if summary.failure:
        return Failed(message=summary.failure, data=summary.to_dict())
    return summary.to_dict()


def crawl_and_load(parameters: RunParameters, summary: RunSummary, errors: list[FetchError]) -> dict[str, SiteHealth]:
    """The crawl task fetching while each batch it hands over is cleaned, tagged and loaded; then the pages it
    saw unchanged. Fills `summary` and `errors`; returns each site's health."""
    p = parameters
    states = read_crawl_state(p.db_path, p.site_keys)
    job = CrawlJob(
        sites=p.sites,
        start_urls=p.start_urls,
        max_pages=p.max_pages,
        since=p.since,
        page_states=states,
        settings=p.scrapy_settings,
        # Scaling out (README "Scaling out"): crawler processes sharing a Redis frontier, keyed by run.
        frontier=p.frontier,
        crawler_processes=p.crawler_processes,
        frontier_key=summary.run_id,
    )
    # Clean here and tag in a thread of this process, or both on a Dask cluster (flows/runners.py).
    runner = task_runner_for(p.task_runner, p.dask_address, p.dask_workers)
    health: dict[str, SiteHealth] = {}
    feed = CrawlFeed()
    progress.emit(progress.CRAWL_STARTED, sites=p.site_keys, max_pages=p.max_pages)
    limits = ensure_site_limits(p.sites, p.crawls_per_site)
    with site_slots(limits, p.crawl_timeout_seconds, p.crawls_per_site, summary.run_id):
        crawling = crawl.submit(quote(job), p.crawl_timeout_seconds, p.batch_size, quote(feed))
        done = 0
        try:
            transformed = transform_batches(
                feed.batches(crawling.wrapped_future.done, idle=runner is None),
                clean_batch,
                extract_entities,
                runner,
                in_flight_for(p.task_runner, p.dask_workers),
                # The entity model (Kiwi + CRF, ~1.5 s) is built while the crawler starts, not at batch one.
                warm_up=get_extractor,
            )
            for cleaned, failures, mentions in transformed:
                errors.extend(failures)
                tally(cleaned, into=health)
                summary.add_cleaned(cleaned)
                # quote: Prefect would otherwise walk every article and mention looking for futures.
                summary.counts.add(load_batch(p.db_path, summary.run_id, quote(cleaned), quote(mentions), []))
                done += len(cleaned) + len(failures)
                counts = summary.counts
                progress.emit(
                    progress.BATCH_LOADED, done=done, new=counts.articles_new, updated=counts.articles_updated
                )
        finally:
            feed.stopped.set()  # a failed load or Ctrl-C: the crawl task stops its crawlers without a retry
            crawling.wait(CRAWL_STOP_WAIT_SECONDS)
        result = crawling.result()
    progress.emit(progress.CRAWL_FINISHED, pages=result.pages_fetched, articles=done, errors=len(result.errors))
    if result.unchanged:
        # Each carries the article id on record (the spider had it from `states`): the upsert keeps it.
        summary.counts.add(load_batch(p.db_path, summary.run_id, [], [], result.unchanged))
    _add_crawl_totals(summary, result, errors, health)
    return health


def _add_crawl_totals(
    summary: RunSummary, result: CrawlResult, errors: list[FetchError], health: dict[str, SiteHealth]
) -> None:
    summary.pages_fetched = result.pages_fetched
    summary.sites = result.stats.get("sites", {})
    errors.extend(result.errors)
    summary.errors = len(errors)
    error_counts: dict[str, int] = {}
    for error in errors:
        error_counts[error.source] = error_counts.get(error.source, 0) + 1
    pages = {site: stats.get("pages_fetched", 0) for site, stats in summary.sites.items()}
    tally((), pages, error_counts, into=health)


def publish_summary(summary: RunSummary, errors: list[FetchError]) -> None:
    """Log the run's totals and publish them, with the failed URLs by kind, as the run's markdown artifact."""
    get_run_logger().info(
        "run %s %s: %d pages, %d new, %d updated, %d unchanged, %d mentions, %d errors%s",
        summary.run_id,
        summary.status,
        summary.pages_fetched,
        summary.counts.articles_new,
        summary.counts.articles_updated,
        summary.counts.articles_unchanged,
        summary.counts.mentions,
        summary.errors,
        f" ({summary.failure})" if summary.failure else "",
    )
    create_markdown_artifact(
        key=ARTIFACT_KEY,
        markdown=summary_markdown(summary, errors),
        description=f"newsetl run {summary.status}: {summary.counts.articles_new} new, {summary.errors} errors",
    )


def run_pipeline(parameters: RunParameters) -> dict[str, Any]:
    """Run the flow in this process and return its summary, also when it ended Failed for its error share (the
    summary's `failure` says why); any other failure is raised."""
    state = pipeline(parameters=parameters.to_dict(), return_state=True)
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome
