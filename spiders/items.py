"""Scrapy-side item types. Articles and failures use the shared records in `transforms.records`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class UnchangedPage:
    """A known page that did not change since the last crawl (304, or the same content hash)."""

    url: str
    source: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    status: int
