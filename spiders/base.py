"""Base spiders: outlets declare selectors and URL rules as data; the crawling logic lives here.

A subclass sets `name`, `source_name`, `base_url`, `start_paths`, `article_pattern`, `listing_pattern`
and `fields` (plus, where the outlet has them, `feed_urls` on its other hosts, `tracking_params` and
`furniture`). The base handles discovery (list pages, RSS, sitemaps, feeds the pages link), conditional
re-fetches, decoding, metadata fallbacks (OpenGraph, JSON-LD, article:* meta) and failure records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import scrapy
from parsel import Selector
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from spiders.middlewares import OverPageBudget, describe_failure, host_is_allowed
from transforms.charset import binary_kind, decode_html
from transforms.html_blocks import prose_chars
from transforms.ids import canonicalize_url
from transforms.metadata import (
    KST,
    PageMetadataReader,
    canonical_url,
    feed_datetime,
    parse_authors,
    parse_page_datetime,
    published_before,
    since_start,
)
from transforms.records import FALLBACK_EXTRACTOR, FetchError, PageState, ParsedArticle

# Re-exported: the page-metadata rules live in transforms.metadata (one home for spiders and the
# generic extractor); these names stay importable from here.
__all__ = [
    "KST",
    "NewsSpider",
    "feed_datetime",
    "feed_item_link",
    "html_unescape_text",
    "parse_authors",
    "parse_page_datetime",
    "select",
    "select_all",
    "select_first",
]


def select(selector: Selector, query: str) -> Any:
    """Run one selector query: those starting with '/' or '(' are XPath, the rest CSS."""
    return selector.xpath(query) if query.startswith(("/", "(")) else selector.css(query)


def select_first(selector: Selector, queries: tuple[str, ...]) -> str | None:
    """The first non-empty text any query finds."""
    values = select_all(selector, queries)
    return values[0] if values else None


def select_all(selector: Selector, queries: tuple[str, ...]) -> list[str]:
    """The non-empty texts of the first query that finds any."""
    for query in queries:
        values = [" ".join(value.split()) for value in select(selector, query).getall()]
        values = [value for value in values if value]
        if values:
            return values
    return []


class NewsSpider(scrapy.Spider):
    """A news outlet: discovery from list pages, feeds and sitemaps; articles parsed by selectors."""

    name: ClassVar[str | None] = None  # type: ignore[misc]
    source_name: ClassVar[str] = ""
    base_url: ClassVar[str] = ""  # the real site; tests and the demo pass the mirror's URL instead
    start_paths: ClassVar[tuple[str, ...]] = ()  # list pages, RSS feeds or sitemaps to start from
    article_pattern: ClassVar[str] = ""  # regex over path?query of article URLs
    listing_pattern: ClassVar[str] = ""  # regex over path?query of list pages worth following
    fields: ClassVar[dict[str, tuple[str, ...]]] = {}  # title, subtitle, body, published_at, authors...
    # Absolute feed URLs on the outlet's other hosts (etnews' rss.etnews.com): fetched only when crawling the
    # real site; a mirror or proxy declares its feeds through <link rel="alternate"> on its own pages.
    feed_urls: ClassVar[tuple[str, ...]] = ()
    # Query keys the outlet adds to its own links for click tracking (etnews' ?mc=): dropped before queueing.
    tracking_params: ClassVar[tuple[str, ...]] = ()
    # Boxes inside the body container that are never article text (selectors, CSS or XPath): dropped.
    furniture: ClassVar[tuple[str, ...]] = ()
    # Feeds whose items carry the full text (content:encoded) give the article without fetching its page.
    feed_full_text: ClassVar[bool] = False
    custom_settings: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        base_url: str | None = None,
        page_states: dict[str, PageState] | None = None,
        since: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.site_url = (base_url or self.base_url).rstrip("/")
        host = urlsplit(self.site_url).hostname or ""
        # The outlet's other feed hosts count only on the real site: a mirror must never send traffic there.
        self.crawls_real_site = self.site_url == self.base_url.rstrip("/")
        self.start_feed_urls = self.feed_urls if self.crawls_real_site else ()
        feed_hosts = {urlsplit(url).hostname or "" for url in self.start_feed_urls}
        self.allowed_domains = [host, *sorted(feed_hosts - {host, ""})]
        self.page_states = page_states or {}
        self.since = since_start(since)
        self._article_re = re.compile(self.article_pattern)
        self._listing_re = re.compile(self.listing_pattern) if self.listing_pattern else None
        # Every list page links to most articles again: links already seen are dropped here, before
        # canonicalisation and Scrapy's per-request middleware, scheduling and fingerprinting (which
        # cost about half the crawl's CPU when each of ~17 repeats per page went through them).
        self._seen_links: set[str] = set()  # feed item links already turned into articles
        self._queued_urls: set[str] = set()
        self._link_kinds: dict[str, tuple[str, str] | None] = {}  # raw link -> classify_link's answer
        self._series_articles: dict[str, set[str]] = {}  # list series -> article URLs its pages showed

    # -- discovery -----------------------------------------------------------------------------

    async def start(self) -> Any:
        for url in self.start_urls_list():
            yield Request(url, callback=self.parse_listing, errback=self.record_failure)

    def start_urls_list(self) -> list[str]:
        """The site's start pages, then its feeds on other hosts (real site only)."""
        urls = [urljoin(self.site_url + "/", path.lstrip("/")) for path in self.start_paths]
        self._queued_urls.update(canonicalize_url(url) for url in urls)
        return urls + list(self.start_feed_urls)

    def canonical_link(self, link: str) -> str:
        """`link` canonicalised, with the outlet's own click-tracking keys dropped too."""
        if self.tracking_params:
            parts = urlsplit(link)
            kept = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)]
            kept = [(key, value) for key, value in kept if key not in self.tracking_params]
            link = urlunsplit(parts._replace(query=urlencode(kept)))
        return canonicalize_url(link)

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(self._article_re.search(parts.path + ("?" + parts.query if parts.query else "")))

    def is_listing_url(self, url: str) -> bool:
        if self._listing_re is None:
            return False
        parts = urlsplit(url)
        return bool(self._listing_re.search(parts.path + ("?" + parts.query if parts.query else "")))

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """List pages, RSS feeds and sitemaps: queue every article and every further list page.

        Feeds the page declares (`<link rel="alternate" type="application/rss+xml">`) are followed when they
        are on an allowed host; feed items with the full text become articles without a page fetch."""
        feeds: list[str] = []
        body_start = response.body[:200].lstrip()
        feeds_or_xml = body_start.startswith(b"<?xml") or any(
            tag in body_start for tag in (b"<rss", b"<urlset", b"<feed")
        )
        if feeds_or_xml:
            links, feed_items = self._feed_links(response)
            yield from feed_items
        else:
            links, feeds = self._page_links(response)
            feed_items = []
        # Start pages carry no depth; what they link to is depth 1, and so on down a chain of list pages.
        depth = response.request.meta.get("list_depth") if response.request is not None else None
        list_depth = (depth or 0) + 1
        further: list[str] = []
        for feed in feeds:
            url = canonicalize_url(feed)
            if url not in self._queued_urls and urlsplit(url).hostname in self.allowed_domains:
                self._queued_urls.add(url)
                yield self.listing_request(url, list_depth)
        new_articles = len(feed_items)
        # A list page's articles are new when its own series (the same list at other page numbers) has not
        # shown them yet: pages a feed already covered still lead on to older articles, a trap's do not.
        series = self._series_articles.setdefault(list_series(response.url), set()) if not feeds_or_xml else None
        for link in links:
            if not link:
                continue
            found = self.classify_link(link)
            if found is None:
                continue
            kind, url = found
            if kind == ARTICLE:
                if series is None or url not in series:
                    new_articles += 1 if series is not None or url not in self._queued_urls else 0
                    if series is not None:
                        series.add(url)
                if url not in self._queued_urls:
                    self._queued_urls.add(url)
                    yield self.article_request(url)
            elif url not in self._queued_urls:
                further.append(url)
        yield from self.follow_listings(response, further, new_articles, list_depth, starting=depth is None)

    def _feed_links(self, response: Response) -> tuple[list[str], list[Any]]:
        """An RSS feed's or sitemap's links to follow, and the articles its full-text items already hold."""
        selector = Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        links: list[str] = []
        articles: list[Any] = []
        for item in selector.xpath("//item"):
            link = feed_item_link(item)
            if not link:
                continue
            if self.feed_full_text and link not in self._seen_links and self.has_full_text(item, link):
                self._seen_links.add(link)
                url = self.canonical_link(link)
                self._queued_urls.add(url)  # never fetched as a page as well
                if self.claim_unfetched_page(url):
                    article = self.article_from_feed_item(item, link)
                    if article is not None:
                        articles.append(article)
                continue
            links.append(link)
        # Sitemaps, and Atom entries (a page may declare an Atom feed).
        other = "//url/loc/text() | //sitemap/loc/text() | //entry/link[not(@rel) or @rel='alternate']/@href"
        links += [link.strip() for link in selector.xpath(other).getall()]
        return links, articles

    def _page_links(self, response: Response) -> tuple[list[str], list[str]]:
        """An HTML list page's links, and the feeds it declares."""
        selector = Selector(text=decode_html(response.body, response.headers.get("Content-Type", b"").decode()))
        links = [urljoin(response.url, href) for href in selector.css("a::attr(href)").getall()]
        feeds = [
            urljoin(response.url, href)
            for href in selector.css(
                "link[rel=alternate][type*=rss]::attr(href), link[rel=alternate][type*=atom]::attr(href)"
            ).getall()
        ]
        return links, feeds

    def classify_link(self, link: str) -> tuple[str, str] | None:
        """(ARTICLE or LISTING, canonical URL) for a link worth following, else None; remembered per raw link,
        because every list page links to most articles again (canonicalising each repeat and sending it through
        Scrapy's middleware, scheduling and fingerprinting cost about half the crawl's CPU)."""
        if link in self._link_kinds:
            return self._link_kinds[link]
        url = self.canonical_link(link)
        found: tuple[str, str] | None = None
        if urlsplit(url).hostname in self.allowed_domains:
            if self.is_article_url(url):
                found = (ARTICLE, url)
            elif self.is_listing_url(url):
                found = (LISTING, url)
        self._link_kinds[link] = found
        return found

    def follow_listings(
        self, response: Response, urls: list[str], new_articles: int, list_depth: int, *, starting: bool
    ) -> Iterator[Request]:
        """Crawl-trap guards on list pages reached from list pages (endless pagination, calendars): a page
        that brought no new article ends its chain, and chains stop at NEWSETL_MAX_LIST_DEPTH. Start pages
        and sitemap indexes only point onwards, so they always continue."""
        if not urls:
            return
        if not starting and new_articles == 0 and b"<sitemapindex" not in response.body[:500]:
            self.count("newsetl/list_dead_ends")
            return
        settings = getattr(self, "settings", None)  # none outside a crawl, as in unit tests
        if list_depth > (settings.getint("NEWSETL_MAX_LIST_DEPTH", 100) if settings else 100):
            self.count("newsetl/list_depth_limited")
            return
        for url in urls:
            if url not in self._queued_urls:
                self._queued_urls.add(url)
                yield self.listing_request(url, list_depth)

    def listing_request(self, url: str, list_depth: int) -> Request:
        return Request(url, callback=self.parse_listing, errback=self.record_failure, meta={"list_depth": list_depth})

    def claim_unfetched_page(self, url: str) -> bool:
        """Whether this crawler may emit the article at `url` from data it already holds (a full-text feed item,
        a REST post) instead of fetching the page; False when the page is already requested or claimed.

        The claim marks the page as requested in the crawl's duplicate filter, in one atomic step. With one
        process that is the scheduler's own set; on a shared frontier (spiders/frontier.py) it is the Redis set
        every crawler process checks before queueing a page. The sets this spider keeps itself cannot serve:
        a peer never sees them, so two processes that each took one of an outlet's full-text feeds both
        emitted the articles the feeds share, and a page a peer queued from a list page was emitted again."""
        engine = getattr(getattr(self, "crawler", None), "engine", None)
        dupefilter = getattr(getattr(engine, "scheduler", None), "df", None)
        if dupefilter is None:
            return True  # outside a crawl (unit tests): this spider's own sets are the only record
        if dupefilter.request_seen(Request(url)):
            self.count("newsetl/already_claimed")
            return False
        return True

    def has_full_text(self, item: Selector, link: str) -> bool:
        """Whether a feed item is one of the outlet's articles with its whole text (content:encoded) and title."""
        url = self.canonical_link(link)
        if not self.is_article_url(url) or urlsplit(url).hostname not in self.allowed_domains:
            return False
        return bool((item.xpath("string(encoded)").get() or "").strip() and item.xpath("string(title)").get())

    def article_from_feed_item(self, item: Selector, link: str) -> ParsedArticle | PageState | None:
        """The article a full-text feed item carries (see `has_full_text`); None when it is older than `since`.

        The item's own fields are the metadata (title, pubDate, dc:creator), so no page layout is needed."""
        url = self.canonical_link(link)
        body = (item.xpath("string(encoded)").get() or "").strip()
        title = " ".join((item.xpath("string(title)").get() or "").split())
        authors = [value for value in item.xpath("creator/text() | author/text()").getall() if value.strip()]
        content_hash = hashlib.sha1(item.get().encode("utf-8")).hexdigest()
        state = self.page_states.get(url)
        if state and state.content_hash == content_hash:
            self.count("newsetl/same_hash")
            return self.unchanged_page(state, None, None, content_hash, 200)
        article = ParsedArticle(
            url=url,
            source=self.name or "",
            title=html_unescape_text(title),
            body_html=body,
            published_at=feed_datetime(item.xpath("string(pubDate)").get() or item.xpath("string(date)").get()),
            authors=parse_authors(authors),
            section=" ".join((item.xpath("string(category)").get() or "").split()),
            extractor="site",
            fetched_at=dt.datetime.now(dt.UTC).isoformat(),
            content_hash=content_hash,
        )
        if published_before(article.published_at, self.since):
            self.count("newsetl/before_since")
            return None
        self.count("newsetl/articles_parsed")
        self.count("newsetl/articles_from_feeds")
        return article

    def unchanged_page(
        self, known: PageState, etag: str | None, last_modified: str | None, content_hash: str | None, status: int
    ) -> PageState:
        """The crawl state of a known page seen unchanged, with this fetch's validators; it keeps the article id
        on record, so the warehouse's upsert never blanks it."""
        return PageState(known.url, known.article_id, self.name or "", etag, last_modified, content_hash, status)

    def count(self, key: str) -> None:
        """Bump a crawl statistic (a spider used outside a crawl, as in unit tests, has none)."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.inc_value(key)

    def drop_furniture(self, body: Selector) -> str:
        """The body container's HTML without the outlet's furniture boxes."""
        for query in self.furniture:
            for node in select(body, query):
                node.drop()
        return body.get()

    def article_request(self, url: str) -> Request:
        headers = {}
        state = self.page_states.get(url)
        if state:
            # Ask the server "changed since?"; a 304 costs no parsing at all.
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        return Request(
            url,
            headers=headers,
            callback=self.parse_article,
            errback=self.record_failure,
            meta={"handle_httpstatus_list": [304]},
        )

    # -- articles ------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        url = canonicalize_url(response.url)
        etag = _header(response, "ETag")
        last_modified = _header(response, "Last-Modified")
        state = self.page_states.get(url) or PageState(url)
        if response.status == 304:
            self.crawler.stats.inc_value("newsetl/not_modified")
            yield self.unchanged_page(state, state.etag, state.last_modified, state.content_hash, 304)
            return
        content_hash = hashlib.sha1(response.body).hexdigest()
        if state.content_hash == content_hash:
            self.crawler.stats.inc_value("newsetl/same_hash")
            yield self.unchanged_page(state, etag, last_modified, content_hash, 200)
            return
        kind = binary_kind(response.body)
        if kind:
            self.count("newsetl/parse_errors")
            yield FetchError(
                url=url, error=f"parse: not an HTML page ({kind})", http_status=response.status, source=self.name or ""
            )
            return
        html = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        selector = Selector(text=html)
        try:
            article = self.parse_fields(selector, url)
        except ValueError as exc:
            self.crawler.stats.inc_value("newsetl/parse_errors")
            yield FetchError(url=url, error=f"parse: {exc}", http_status=response.status, source=self.name or "")
            return
        declared = self.declared_url(selector, url)
        if declared != url:
            # One article at two addresses (idxno=2 and idxno=02, a mobile path): stored under the one it names.
            self.count("newsetl/canonical_urls")
            article.url = declared
        if published_before(article.published_at, self.since):
            self.crawler.stats.inc_value("newsetl/before_since")
            return
        if article.published_at is None:
            # Stored without a date rather than dropped; counted so a layout change shows up in the summary.
            self.crawler.stats.inc_value("newsetl/undated")
        article.fetched_at = dt.datetime.now(dt.UTC).isoformat()
        article.http_status = response.status
        article.etag = etag
        article.last_modified = last_modified
        article.content_hash = content_hash
        self.crawler.stats.inc_value("newsetl/articles_parsed")
        yield article

    def declared_url(self, selector: Selector, url: str) -> str:
        """The page's `rel=canonical` address when it is an article URL of this outlet on an allowed host;
        else `url`. A canonical that points elsewhere (the home page, another site) is not trusted."""
        declared = canonical_url(selector.root)
        if not declared:
            return url
        declared = self.canonical_link(declared)
        if not host_is_allowed(urlsplit(declared).hostname or "", self.allowed_domains):
            return url
        return declared if self.is_article_url(declared) else url

    def parse_fields(self, selector: Selector, url: str) -> ParsedArticle:
        """Apply the outlet's selectors, then the page-metadata rules (transforms.metadata) for
        whatever they miss. When the selectors miss the body (a layout change), the generic
        extractor's body is used and the article marked `generic-fallback` (counted in site
        health). Raises ValueError on a page that still lacks a title or a body: it is recorded as
        a failure, never stored half-parsed."""
        meta = PageMetadataReader(selector.root, url)  # each field read only if the selectors miss it

        def own(field: str) -> str | None:
            return select_first(selector, self.fields.get(field, ()))

        title = own("title") or meta.title
        body_nodes = []
        for query in self.fields.get("body", ()):
            body_nodes = select(selector, query)
            if body_nodes:
                break
        body = body_nodes[0] if body_nodes else None
        author_values = select_all(selector, self.fields.get("authors", ()))
        authors = parse_authors(author_values, [self.source_name]) if author_values else []
        article = ParsedArticle(
            url=url,
            source=self.name or "",
            title=title or "",
            # A declared subtitle/section selector that finds nothing means the page has none.
            subtitle=own("subtitle") or ("" if "subtitle" in self.fields else meta.subtitle),
            section=own("section") or "",
            body_html=self.drop_furniture(body) if body is not None else "",
            published_at=parse_page_datetime(own("published_at")) or meta.published_at,
            modified_at=parse_page_datetime(own("modified_at")) or meta.modified_at,
            authors=authors or meta.authors,
            extractor="site",
        )
        if _selectors_missed_body(selector, body):
            _fall_back_to_generic(article, selector, body)
        if not article.title:
            raise ValueError("no title found")
        if not article.body_html:
            raise ValueError("no article body found")
        return article

    # -- failures ------------------------------------------------------------------------------

    def record_failure(self, failure: Failure) -> Iterator[FetchError]:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(OverPageBudget):
            self.crawler.stats.inc_value("newsetl/over_budget")  # never requested: the next run gets it
            return
        reason, status = describe_failure(failure)
        self.crawler.stats.inc_value("newsetl/fetch_errors")
        self.crawler.stats.inc_value(f"newsetl/fetch_errors/{reason.split(':', 1)[0]}")
        # The URL the crawl asked for, not where a redirect chain ended up (that is in the reason).
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        yield FetchError(url=url, error=reason, http_status=status, source=self.name or "")


# A site's selectors are trusted unless their body is this short, or the page holds more prose
# outside it than in it: a layout change. Then the generic extractor runs, and its body is used when
# the site body has less than FALLBACK_SITE_SHARE of its text.
FALLBACK_MIN_BODY_CHARS = 200
FALLBACK_SITE_SHARE = 0.5
# A body with this share of the page's visible text (spaces included) needs no closer look.
FALLBACK_TRUSTED_SHARE_OF_PAGE = 0.3


def _text_chars(element: Any) -> int:
    return len("".join("".join(element.itertext()).split()))


def _selectors_missed_body(selector: Selector, body: Selector | None) -> bool:
    if body is None:
        return True
    # Counted in C (XPath string-length): this runs on every page.
    body_chars = body.root.xpath("string-length(normalize-space(.))")
    if body_chars < FALLBACK_MIN_BODY_CHARS:
        return True
    # A body holding a good part of the page's text is the article.
    page_chars = selector.root.xpath("string-length(normalize-space(//body))")
    if body_chars >= FALLBACK_TRUSTED_SHARE_OF_PAGE * page_chars:
        return False
    return prose_chars(selector.root) - prose_chars(body.root) > body_chars


def _fall_back_to_generic(article: ParsedArticle, selector: Selector, body: Selector | None) -> None:
    """Replace a missed body (and missing fields) by the generic extractor's, marking the article."""
    from lxml import html as lxml_html

    from transforms.extract import extract_generic  # trafilatura loads slowly: only on a fallback

    generic = extract_generic(selector.get(), article.url)
    if not generic.body_html:
        return
    generic_chars = _text_chars(lxml_html.fromstring(generic.body_html))
    site_chars = _text_chars(body.root) if body is not None else 0
    if site_chars >= FALLBACK_SITE_SHARE * generic_chars:
        return
    article.body_html = generic.body_html
    article.extractor = FALLBACK_EXTRACTOR
    article.title = article.title or generic.title
    article.subtitle = article.subtitle or generic.subtitle
    article.published_at = article.published_at or generic.published_at
    article.authors = article.authors or generic.authors


ARTICLE = "article"
LISTING = "listing"
# Query keys that number the pages of one list; a /page/N path segment does the same.
_PAGE_KEYS = frozenset({"page", "p", "pg", "pageno", "page_no", "paged", "offset", "start", "cp", "pn"})


def list_series(url: str) -> str:
    """The list a page belongs to, whatever its page number: `/news/?lstcode=0000&page=7` -> `/news/?lstcode=0000`,
    `/page/list/0/3` keeps its path (only `/page/N` segments are page numbers)."""
    parts = urlsplit(url)
    path = re.sub(r"/page/\d+(?=/|$)", "/page/N", parts.path)
    query = "&".join(pair for pair in parts.query.split("&") if pair.split("=", 1)[0].lower() not in _PAGE_KEYS)
    return path + ("?" + query if query else "")


def feed_item_link(item: Selector) -> str:
    """An RSS item's article link; FeedBurner copies keep the outlet's own URL in feedburner:origLink."""
    for query in ("string(origLink)", "string(link)", "string(guid[not(@isPermaLink='false')])"):
        link = (item.xpath(query).get() or "").strip()
        if link:
            return link
    return ""


def html_unescape_text(text: str) -> str:
    """Text that may still hold entities or inline tags (WordPress titles): plain text."""
    return " ".join(Selector(text=f"<p>{text}</p>").xpath("string(//p)").get("").split())


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
