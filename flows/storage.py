"""What the pipeline's tasks ask of the warehouse, each as one call: the tasks wire stages and log counts, and
keep no storage details (opening the file, waiting for readers, the duplicate window, page-state records).

Plain functions, no Prefect: the flow's tasks call them, and so does the flow on its way out of a stopped run.
"""

from __future__ import annotations

import datetime as dt

from flows.run_history import close_abandoned_runs
from flows.run_summary import RunSummary
from spiders.base import KST
from transforms.dedupe import link_duplicates, rank, signature
from transforms.events import find_events_many
from transforms.health import SiteHealth, health_warnings
from transforms.records import CleanArticle, FetchError, Mention, PageState
from warehouse import LoadCounts, Warehouse
from warehouse import open as open_warehouse

# Readers never fail a run: a write kept out of the file by another process (`duckdb -readonly`, a notebook)
# waits this long, with backoff, before it fails; the warning names the process.
READER_WAIT_SECONDS = 600.0
# Wire copies run within a day or two of each other; a short window keeps each batch's comparison set
# (and its memory) bounded by a few days of articles however large the archive grows.
DUPLICATE_WINDOW = dt.timedelta(days=3)


def open_run(db_path: str, run_id: str, sites: list[str]) -> list[str]:
    """Close runs a kill left 'running' (the caller holds the writer lock, so they are dead), open this one;
    return the ids of the runs closed as abandoned."""
    now = dt.datetime.now(dt.UTC)
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        abandoned = close_abandoned_runs(store, now) if store.exclusive_writer else []
        store.start_run(run_id, now, sites)
    return abandoned


def crawl_state(db_path: str, sites: list[str]) -> dict[str, PageState]:
    """What earlier runs know of each page of `sites` (etag, last-modified, hash, article id), by URL."""
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        return store.page_states(sites)


def load(
    db_path: str,
    run_id: str,
    articles: list[CleanArticle],
    mentions: list[list[Mention]],
    unchanged: list[PageState],
) -> LoadCounts:
    """One warehouse transaction: the articles (wire copies linked to their earlier copy), their mentions, and
    the crawl state of the pages seen unchanged."""
    signatures = {article.article_id: signature(article.body) for article in articles}
    # Deals and people moves come from the mentions (cached for days) by cheap rules: found here, they are
    # found for cached mentions too, and stored in this batch's transaction.
    found = find_events_many([a.body for a in articles], mentions, [a.published_at for a in articles])
    events = {article.article_id: article_events for article, article_events in zip(articles, found, strict=True)}
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        duplicates = _duplicates(store, articles, signatures)
        return store.load_batch(
            run_id,
            articles,
            mentions,
            unchanged=unchanged,
            signatures=signatures,
            duplicates=duplicates,
            events=events,
            terms=getattr(mentions, "terms", None),  # a TaggedBatch from extract_entities
        )


def _duplicates(
    store: Warehouse, articles: list[CleanArticle], signatures: dict[str, list[int]]
) -> dict[str, tuple[str, float]]:
    """Each article that copies an earlier one (in this batch, or stored near its date): id -> (that copy,
    similarity)."""
    dates = [published for a in articles if (published := _published(a))]
    # Wire copies appear within days of each other: compare with that window, not the whole archive.
    known = store.signatures_between(
        min(dates) - DUPLICATE_WINDOW if dates else None,
        max(dates) + DUPLICATE_WINDOW if dates else None,
        exclude=list(signatures),
    )
    candidates = [(a.article_id, signatures[a.article_id], rank(a.article_id, _published(a))) for a in articles]
    stored = [(article_id, values, rank(article_id, published)) for article_id, values, published in known]
    return {link.article_id: (link.duplicate_of, link.similarity) for link in link_duplicates(candidates, stored)}


def _published(article: CleanArticle) -> dt.datetime | None:
    if not article.published_at:
        return None
    published = dt.datetime.fromisoformat(article.published_at)
    # A date-only value from an unknown site: read it in KST, like every time without an offset.
    return published if published.tzinfo else published.replace(tzinfo=KST)


def site_health(db_path: str, run_id: str, health: dict[str, SiteHealth]) -> list[str]:
    """Store this run's per-site health; return warnings for sites whose shares jumped since earlier runs."""
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


def close_run(db_path: str, summary: RunSummary, errors: list[FetchError]) -> None:
    """Write the run's `runs` row, and its failed pages when the crawl ran to its end."""
    with open_warehouse(db_path, wait_seconds=READER_WAIT_SECONDS) as store:
        if summary.status == "completed" or summary.failure:
            store.record_errors(summary.run_id, errors)
        store.finish_run(
            summary.run_id,
            status=summary.status,
            pages_fetched=summary.pages_fetched,
            counts=summary.counts,
            errors=summary.errors,
            stats={"sites": summary.sites, "clean": summary.clean_stats, "failure": summary.failure},
        )
