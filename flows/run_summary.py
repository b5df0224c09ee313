"""What a run did, as the CLI prints it, the `runs` row stores it and the Prefect artifact shows it.

Pure: no Prefect, no warehouse. The flow fills a RunSummary as batches load and the crawl ends.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from transforms.records import CleanArticle, FetchError
from warehouse import LoadCounts

# Failed URLs listed per kind in the artifact; the rest are counted (all of them are in `fetch_errors`).
ARTIFACT_URLS_PER_KIND = 20


@dataclass(slots=True)
class RunSummary:
    run_id: str
    status: str
    db_path: str
    pages_fetched: int = 0
    counts: LoadCounts = field(default_factory=LoadCounts)  # what the run committed, however it ends
    errors: int = 0
    sites: dict[str, Any] = field(default_factory=dict)
    clean_stats: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None  # why a run that ran to its end is Failed (too many failed pages)

    def add_cleaned(self, articles: list[CleanArticle]) -> None:
        for article in articles:
            for step, changed in article.clean_stats.items():
                self.clean_stats[step] = self.clean_stats.get(step, 0) + changed

    def to_dict(self) -> dict[str, Any]:
        """Flat and JSON-ready: the load counts beside the run's own fields (ids of changed articles left out)."""
        summary = asdict(self)
        counts = summary.pop("counts")
        for ids in ("new_ids", "updated_ids"):
            counts.pop(ids)
        return summary | counts


def error_kind(error: FetchError) -> str:
    """The failure's kind: the word before the colon of its reason ("http 404", "timeout", "clean")."""
    return error.error.split(":", 1)[0].strip() or "unknown"


def error_share_failure(pages_fetched: int, errors: int, max_share: float) -> str | None:
    """Why the run fails for its share of failed pages, or None. The share is failed pages over pages tried,
    where a page that failed without a response was tried too (so 17 failures of 21 responses is 17/21)."""
    tried = max(pages_fetched, errors)
    if not tried or errors / tried <= max_share:
        return None
    return (
        f"{errors} of {tried} pages failed ({errors / tried:.0%}), over the allowed share of {max_share:.0%} "
        "(max_error_share); the articles that did load are stored"
    )


def summary_markdown(summary: RunSummary, errors: list[FetchError]) -> str:
    """The run as markdown: totals, a row per site, and the failed URLs grouped by kind."""
    data = summary.to_dict()
    lines = [f"# newsetl run `{summary.run_id}`: {summary.status}", ""]
    if summary.failure:
        lines += [f"**Failed:** {summary.failure}", ""]
    lines += ["| pages fetched | new | updated | unchanged | mentions | errors |", "|---:|---:|---:|---:|---:|---:|"]
    totals = ("pages_fetched", "articles_new", "articles_updated", "articles_unchanged", "mentions", "errors")
    lines += ["| " + " | ".join(str(data[name]) for name in totals) + " |", ""]
    lines += ["| site | pages | parsed | not modified | errors |", "|---|---:|---:|---:|---:|"]
    for site, stats in sorted(summary.sites.items()):
        unchanged = stats.get("not_modified", 0) + stats.get("same_hash", 0)
        failed = stats.get("fetch_errors", 0) + stats.get("parse_errors", 0)
        lines.append(
            f"| {site} | {stats.get('pages_fetched', 0)} | {stats.get('articles_parsed', 0)} | {unchanged} | {failed} |"
        )
    by_kind: dict[str, list[FetchError]] = defaultdict(list)
    for error in errors:
        by_kind[error_kind(error)].append(error)
    if by_kind:
        lines += ["", "## Failed URLs by kind"]
    for kind, failed in sorted(by_kind.items(), key=lambda item: (-len(item[1]), item[0])):
        lines += ["", f"### {kind} ({len(failed)})", ""]
        lines += [f"- {error.url} ({error.source}): {error.error[:200]}" for error in failed[:ARTIFACT_URLS_PER_KIND]]
        if len(failed) > ARTIFACT_URLS_PER_KIND:
            lines.append(f"- … and {len(failed) - ARTIFACT_URLS_PER_KIND} more (table `fetch_errors`)")
    for warning in summary.warnings:
        lines.append(f"\n> warning: {warning}")
    return "\n".join(lines) + "\n"
