"""A crawler's running counts, written to a small JSON file the parent process reads while the crawl runs.

The crawl is a child process (spiders/runner.py); its Scrapy stats are only written at the end. This extension
rewrites `progress-<spider>.json` every PROGRESS_INTERVAL seconds (and once at the close) so the flow can show
pages fetched and articles per site as they happen. Enabled by the runner through NEWSETL_PROGRESS_DIR.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

PROGRESS_INTERVAL = 0.5


class ProgressFile:
    def __init__(self, crawler: Crawler, directory: Path) -> None:
        self.crawler = crawler
        self.directory = directory
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        directory = crawler.settings.get("NEWSETL_PROGRESS_DIR")
        if not directory:
            raise NotConfigured
        extension = cls(crawler, Path(directory))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self._loop = task.LoopingCall(self.write, spider.name)
        self._loop.start(PROGRESS_INTERVAL, now=True)

    def spider_closed(self, spider: Any) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.write(spider.name)

    def write(self, name: str) -> None:
        stats = self.crawler.stats
        counts = {
            "pages": stats.get_value("response_received_count", 0),
            "articles": stats.get_value("newsetl/articles_parsed", 0),
            "errors": stats.get_value("newsetl/fetch_errors", 0) + stats.get_value("newsetl/parse_errors", 0),
            "budget": self.crawler.settings.getint("NEWSETL_PAGE_BUDGET") or None,
        }
        path = self.directory / f"progress-{name}.json"
        staged = path.with_suffix(".tmp")
        staged.write_text(json.dumps(counts), encoding="utf-8")
        os.replace(staged, path)  # the reader never sees half a file
