"""Article pages of sites we have no spider for: the generic extractor finds title, date and body."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from lxml import html as lxml_html
from scrapy.http import Request, Response

from spiders.base import NewsSpider, _header
from transforms.charset import binary_kind, decode_html
from transforms.ids import canonicalize_url
from transforms.metadata import canonical_url, published_before, since_start
from transforms.records import FetchError


class GenericArticleSpider(scrapy.Spider):
    name = "generic"

    def __init__(self, start_urls: str | list[str] = (), since: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        urls = start_urls.split(",") if isinstance(start_urls, str) else list(start_urls)
        self.start_urls = [url.strip() for url in urls if url.strip()]
        self.allowed_domains = sorted({urlsplit(url).hostname or "" for url in self.start_urls})
        # --since applies to start URLs as to outlets: an older article is skipped and counted.
        self.since = since_start(since)

    async def start(self) -> Any:
        for url in self.start_urls:
            yield Request(url, callback=self.parse_article, errback=self.record_failure)

    def parse_article(self, response: Response) -> Iterator[Any]:
        from transforms.extract import extract_generic  # imported late: trafilatura is slow to load

        url = canonicalize_url(response.url)
        kind = binary_kind(response.body)
        if kind:
            yield FetchError(url=url, error=f"parse: not an HTML page ({kind})", http_status=response.status)
            return
        html = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        try:
            declared = canonical_url(lxml_html.document_fromstring(html))
        except (ValueError, etree.LxmlError):  # an empty or unparseable page: extract_generic reports it
            declared = None
        if declared and urlsplit(declared).hostname == urlsplit(url).hostname:
            url = canonicalize_url(declared)  # one article at two addresses is stored under the one it names
        article = extract_generic(html, url)
        if not article.title or not article.body_html:
            yield FetchError(
                url=url,
                error="parse: no article found on the page",
                http_status=response.status,
                source=article.source,
            )
            return
        if published_before(article.published_at, self.since):
            self.crawler.stats.inc_value("newsetl/before_since")
            return
        self.crawler.stats.inc_value("newsetl/articles_parsed")
        article.fetched_at = dt.datetime.now(dt.UTC).isoformat()
        article.http_status = response.status
        article.etag = _header(response, "ETag")
        article.last_modified = _header(response, "Last-Modified")
        article.content_hash = hashlib.sha1(response.body).hexdigest()
        yield article

    record_failure = NewsSpider.record_failure
