"""Typed records passed between stages: parsed page -> clean article -> entities.

Every stage takes and returns these plain dataclasses; only `warehouse/` turns them into Arrow
tables, and only `spiders/` builds a ParsedArticle from a response.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The extractor of an article a site spider could only parse with the generic extractor.
FALLBACK_EXTRACTOR = "generic-fallback"


@dataclass(slots=True)
class ParsedArticle:
    """What a spider extracted from one article page, before any cleaning.

    `body_html` is the article's body container as HTML (for a known outlet) or the whole page
    (for the generic spider, `extractor == "generic"`): cleaning needs the structure (figures,
    captions, intertitles) that plain text would lose.
    """

    url: str
    source: str
    title: str
    body_html: str
    published_at: str | None = None  # ISO 8601 with offset, e.g. 2025-12-12T15:43:00+09:00
    modified_at: str | None = None
    authors: list[str] = field(default_factory=list)
    subtitle: str = ""
    section: str = ""
    # "site": body_html is the body container; "generic": whole page (or the body extract_generic
    # found); "generic-fallback": a site spider whose selectors missed the body used extract_generic.
    extractor: str = "site"
    fetched_at: str | None = None
    http_status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str = ""  # hash of the fetched page bytes, for change detection

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedArticle:
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(slots=True)
class ImageRecord:
    src: str
    caption: str = ""
    credit: str = ""


@dataclass(slots=True)
class CleanArticle:
    """An article ready to store: clean body text, images with their captions split off."""

    article_id: str
    url: str
    source: str
    title: str
    body: str  # paragraphs joined by a blank line
    published_at: str | None = None
    modified_at: str | None = None
    authors: list[str] = field(default_factory=list)
    subtitle: str = ""
    section: str = ""
    images: list[ImageRecord] = field(default_factory=list)
    content_hash: str = ""
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    extractor: str = "site"  # "site", "generic" or "generic-fallback" (the site's selectors missed the body)
    # How many lines/blocks each cleaning step removed or changed, for run stats.
    clean_stats: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Mention:
    """One entity mention in a text; offsets are character offsets, end exclusive."""

    start: int
    end: int
    surface: str
    type: str  # PERSON, ORG, LOC, MONEY, DATE
    canonical: str  # resolved full name (alias resolution), else the surface
    normalized: str | None = None  # KRW value for MONEY, ISO date for DATE
    attrs: dict[str, str] = field(default_factory=dict)  # e.g. {"title": "대표", "org": "네이버"}

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.surface,
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
            "normalized": self.normalized,
            **({"attrs": self.attrs} if self.attrs else {}),
        }


@dataclass(slots=True)
class FetchError:
    url: str
    error: str
    http_status: int | None = None
    source: str = ""
    at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class PageState:
    """What a crawl saw at a URL, one record from the spider to the warehouse: the spider yields it for a known
    page that did not change (304, or the same content hash) with the article id on record, the warehouse stores
    it for every page, and reads it back so the next crawl sends a conditional request."""

    url: str
    article_id: str | None = None
    source: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    last_status: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageState:
        return cls(**data)


@dataclass(slots=True)
class CrawlResult:
    """What one crawl produced: parsed articles, failures, and pages seen unchanged."""

    articles: list[ParsedArticle] = field(default_factory=list)
    errors: list[FetchError] = field(default_factory=list)
    unchanged: list[PageState] = field(default_factory=list)
    pages_fetched: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
