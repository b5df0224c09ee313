"""What a crawl is asked to do (`CrawlJob`) and how a whole crawl fails: shared by the runner, which starts the
crawler processes, and the frontier, which splits one job over several of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transforms.records import PageState


class CrawlFailedError(RuntimeError):
    """The crawler process itself failed (not a page: pages fail into `CrawlResult.errors`)."""


class CrawlTimedOutError(CrawlFailedError):
    """The crawl outlasted its time limit: trying again would only take as long."""


@dataclass(slots=True)
class CrawlJob:
    sites: dict[str, str | None] = field(default_factory=dict)  # outlet key -> base URL (None: the real site)
    start_urls: list[str] = field(default_factory=list)  # article pages of unknown sites (generic spider)
    max_pages: int | None = None
    since: str | None = None  # ISO date: skip articles published before it
    page_states: dict[str, PageState] = field(default_factory=dict)  # canonical url -> what the last crawl saw
    settings: dict[str, Any] = field(default_factory=dict)  # Scrapy setting overrides (politeness...)
    # Shared Redis frontier (spiders/frontier.py): "" keeps Scrapy's in-process scheduler and one process.
    frontier: str = ""
    crawler_processes: int = 1
    frontier_key: str = ""  # prefix of this run's Redis keys (the run id): runs never share a queue

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrawlJob:
        """A job read back from the JSON the runner hands its crawler process (`dataclasses.asdict` of one)."""
        states = {url: PageState.from_dict(state) for url, state in data.get("page_states", {}).items()}
        return cls(**{**data, "page_states": states})
