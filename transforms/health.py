"""Per-site extraction health for one run, and the warnings that flag a layout change.

A site whose share of empty bodies, missing dates, missing bylines or generic-extractor fallbacks
jumps from one run to the next has usually changed its page layout: the selectors still match
something, just not the article (or nothing, and the generic extractor stepped in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from transforms.records import FALLBACK_EXTRACTOR, CleanArticle

# A jump of this many percentage points in any share, on at least MIN_ARTICLES articles, is reported.
# Chosen so that one odd article in a 12-article run (8 points) does not warn, but a broken selector does.
SHARE_JUMP = 0.25
MIN_ARTICLES = 3


@dataclass(slots=True)
class SiteHealth:
    source: str
    pages: int = 0
    articles: int = 0
    fetch_errors: int = 0
    empty_body: int = 0
    missing_date: int = 0
    missing_byline: int = 0
    fallback: int = 0  # articles a site spider stored through the generic extractor (layout change)

    def share(self, count: int) -> float:
        return count / self.articles if self.articles else 0.0

    @property
    def shares(self) -> dict[str, float]:
        return {
            "empty_body_share": self.share(self.empty_body),
            "missing_date_share": self.share(self.missing_date),
            "missing_byline_share": self.share(self.missing_byline),
            "fallback_share": self.share(self.fallback),
        }


def tally(
    articles: Iterable[CleanArticle],
    pages: Mapping[str, int] | None = None,
    errors: Mapping[str, int] | None = None,
    into: dict[str, SiteHealth] | None = None,
) -> dict[str, SiteHealth]:
    """Count, per source, the articles lacking a body, a date or a byline (added to `into`, batch by batch)."""
    health = into if into is not None else {}
    for source, count in (pages or {}).items():
        health.setdefault(source, SiteHealth(source)).pages = count
    for source, count in (errors or {}).items():
        health.setdefault(source, SiteHealth(source)).fetch_errors = count
    for article in articles:
        site = health.setdefault(article.source, SiteHealth(article.source))
        site.articles += 1
        site.empty_body += not article.body.strip()
        site.missing_date += article.published_at is None
        site.missing_byline += not article.authors
        site.fallback += article.extractor == FALLBACK_EXTRACTOR
    return health


def health_warnings(current: Mapping[str, SiteHealth], previous: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Warnings for sites whose shares rose by SHARE_JUMP or more since their previous run."""
    warnings = []
    for source, site in sorted(current.items()):
        if site.articles < MIN_ARTICLES:
            continue
        before = previous.get(source, {})
        for name, share in site.shares.items():
            jump = share - float(before.get(name, 0.0) or 0.0)
            if jump >= SHARE_JUMP:
                label = name.removesuffix("_share").replace("_", " ")
                warnings.append(
                    f"{source}: {label} share rose to {share:.0%} (was {before.get(name, 0.0) or 0.0:.0%}); "
                    "has the page layout changed?"
                )
    return warnings
