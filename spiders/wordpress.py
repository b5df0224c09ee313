"""The WordPress family: the startup press (Platum, VentureSquare, Byline Network and many more).

Stock WordPress publishes every post through its REST API, `/wp-json/wp/v2/posts` (newest first, paged,
`_embed` adds the author objects), so the spider reads posts as data: no page layout is involved. Sites that
switched the API off (404, 401/403 from a security plugin) or answer with something that is not a post list
fall back to the RSS feed, whose items carry the full text in `content:encoded`; items without it, and links
found on list pages, are fetched as pages (body `div.entry-content`, everything else from the metadata).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from spiders.base import NewsSpider, html_unescape_text, parse_authors
from transforms.metadata import published_before, utc_to_kst
from transforms.records import PageState, ParsedArticle

REST_POSTS_PATH = "/wp-json/wp/v2/posts"
# Answers that mean "no usable REST API here": fall back to the feed without recording a failure.
REST_UNAVAILABLE = (400, 401, 403, 404, 410, 500, 501, 503)


class WordPressSpider(NewsSpider):
    start_paths: ClassVar[tuple[str, ...]] = ("/feed",)  # the fallback when the REST API is missing
    feed_full_text: ClassVar[bool] = True
    listing_pattern: ClassVar[str] = r"^/(?:category/[\w%-]+/)?page/\d+/?$"
    posts_per_page: ClassVar[int] = 50  # WordPress caps per_page at 100
    # Pages fetched outside the REST path: the body container is WordPress' entry-content (VentureSquare's,
    # per the outlet note); title, date and author come from the page metadata.
    fields: ClassVar[dict[str, tuple[str, ...]]] = {"body": ("div.entry-content",)}

    async def start(self) -> Any:
        yield self.rest_request(1)

    def rest_request(self, page: int) -> Request:
        params: dict[str, Any] = {"page": page, "per_page": self.posts_per_page, "_embed": "author"}
        if self.since:
            params["after"] = self.since.replace(tzinfo=None).isoformat()  # site-local time, as WordPress reads it
        query = urlencode(params)
        return Request(
            f"{self.site_url}{REST_POSTS_PATH}?{query}",
            callback=self.parse_rest,
            errback=self.rest_failed,
            meta={"handle_httpstatus_list": list(REST_UNAVAILABLE), "rest_page": page},
        )

    def feed_requests(self) -> Iterator[Request]:
        """The fallback: the feed (and list pages) the outlet declares in `start_paths`."""
        self.count("newsetl/wordpress_rest_missing")
        for url in self.start_urls_list():
            yield Request(url, callback=self.parse_listing, errback=self.record_failure)

    def rest_failed(self, failure: Failure) -> Iterator[Any]:
        """A REST request that got no answer (robots.txt forbids /wp-json/, a network error): on the first
        page, the feed instead; a failure further on is recorded like any page's."""
        if failure.request.meta.get("rest_page") == 1:  # type: ignore[attr-defined]
            yield from self.feed_requests()
        else:
            yield from self.record_failure(failure)

    def parse_rest(self, response: Response) -> Iterator[Any]:
        page = response.meta["rest_page"]
        posts = _json_list(response) if response.status == 200 else None
        if posts is None:
            if page == 1:
                # No REST API (or not a post list): the feed and list pages instead.
                yield from self.feed_requests()
            # Past the last page WordPress answers 400 rest_post_invalid_page_number: done.
            return
        fresh = False
        for post in posts:
            article = self.article_from_post(post)
            fresh = fresh or isinstance(article, ParsedArticle)
            if article is not None:
                yield article
        total_pages = _int_header(response, "X-WP-TotalPages")
        more = page < total_pages if total_pages is not None else len(posts) >= self.posts_per_page
        # Newest first: on a re-crawl, a page with nothing new or changed means the older pages are known too
        # (a large site's whole archive is thousands of pages).
        if posts and more and (fresh or not self.page_states):
            yield self.rest_request(page + 1)

    def article_from_post(self, post: dict[str, Any]) -> ParsedArticle | PageState | None:
        """One REST post -> an article; posts whose link is not this site's article URL are skipped."""
        link = str(post.get("link") or "")
        content = _rendered(post.get("content"))
        title = html_unescape_text(_rendered(post.get("title")))
        if not link or not content.strip() or not title:
            return None
        url = self.canonical_link(link)
        if urlsplit(url).hostname not in self.allowed_domains:
            return None
        self._seen_links.add(link)
        self._queued_urls.add(url)  # the same post linked from a list page is not fetched again
        if not self.claim_unfetched_page(url):
            return None  # a peer crawler process (or a list link) has it already
        content_hash = hashlib.sha1(json.dumps(post, sort_keys=True).encode("utf-8")).hexdigest()
        state = self.page_states.get(url)
        if state and state.content_hash == content_hash:
            self.count("newsetl/same_hash")
            return self.unchanged_page(state, None, None, content_hash, 200)
        published = utc_to_kst(post.get("date_gmt"))
        if published_before(published, self.since):
            self.count("newsetl/before_since")
            return None
        embedded = post.get("_embedded") or {}
        names = [author.get("name", "") for author in embedded.get("author") or [] if isinstance(author, dict)]
        self.count("newsetl/articles_parsed")
        return ParsedArticle(
            url=url,
            source=self.name or "",
            title=title,
            body_html=content,
            published_at=published,
            modified_at=utc_to_kst(post.get("modified_gmt")),
            authors=parse_authors([name for name in names if name]),
            extractor="site",
            fetched_at=dt.datetime.now(dt.UTC).isoformat(),
            content_hash=content_hash,
        )


def _json_list(response: Response) -> list[dict[str, Any]] | None:
    """The response's JSON when it is a list of post objects, else None (an HTML page, a login wall...)."""
    try:
        data = json.loads(response.body)
    except ValueError:
        return None
    if not isinstance(data, list) or not all(isinstance(post, dict) for post in data):
        return None
    return data


def _rendered(field: Any) -> str:
    return str(field.get("rendered") or "") if isinstance(field, dict) else str(field or "")


def _int_header(response: Response, name: str) -> int | None:
    value = response.headers.get(name)
    return int(value) if value and value.strip().isdigit() else None
