"""Map a request target (path + query) on one outlet's mirror to a response; pure, no sockets, no files.

The server loads the outlet data and calls `respond`; conditional-request handling (ETag / Last-Modified -> 304)
is `conditional_status`, also pure so it can be tested without HTTP.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property
from html import escape
from urllib.parse import parse_qs, unquote, urlsplit

from mirror.catalog import (
    ETNEWS_ALL_FEED,
    LIST_PAGE_SIZE,
    ND_SOFT_OUTLETS,
    WORDPRESS_OUTLETS,
    Article,
    Outlet,
    archive_number,
    page_count,
    parse_time,
)
from mirror.render import Layout, dt, etnews, layout_for, ndsoft, wordpress
from mirror.render.common import ADMIN_PATH, SiteMeta

# "많이 본 뉴스" shows this many of the newest articles.
POPULAR_COUNT = 5
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif")
# A 1x1 transparent GIF stands in for every photo and banner, so image fetches succeed offline.
PLACEHOLDER_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


Query = Mapping[str, list[str]]


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    # Only set where the outlet sends validators (ND-Soft, zdnet): the server adds ETag/Last-Modified.
    last_modified: datetime | None = None
    validators: bool = False
    headers: tuple[tuple[str, str], ...] = ()  # further headers (WordPress' X-WP-Total...)

    @cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def site_meta(outlet: Outlet, base_url: str, feed_base_url: str = "") -> SiteMeta:
    return SiteMeta(
        outlet=outlet.key,
        name=outlet.name,
        sections=outlet.sections,
        base_url=base_url.rstrip("/"),
        popular=tuple(outlet.newest_first()[:POPULAR_COUNT]),
        feed_base_url=feed_base_url.rstrip("/"),
    )


def _error(layout: Layout, status: int, message: str) -> Response:
    html = (
        f"<!DOCTYPE html>\n<html><head>{layout.charset_meta}<title>{status}</title></head>"
        f"<body><h1>{status}</h1><p>{escape(message)}</p></body></html>\n"
    )
    return Response(status, layout.html_content_type, layout.encode(html))


def _html(layout: Layout, html: str, last_modified: datetime | None) -> Response:
    return Response(200, layout.html_content_type, layout.encode(html), last_modified, layout.sends_validators)


def _newest_change(articles: list[Article]) -> datetime | None:
    return max((a.last_changed for a in articles), default=None)


def _first(query: Query, name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _int_param(query: Query, name: str, default: int | None = None) -> int | None:
    values = query.get(name)
    if not values:
        return default
    return int(values[0]) if values[0].isdigit() else None


def _article_page(outlet: Outlet, site: SiteMeta, layout: Layout, article_id: str | None) -> Response:
    article = outlet.article(article_id) if article_id else None
    if article is None:
        return _error(layout, 404, "해당 기사를 찾을 수 없습니다.")
    html = layout.render_article(site, article, outlet.related_of(article))
    return _html(layout, html, article.last_changed)


def _list_page(
    outlet: Outlet,
    site: SiteMeta,
    layout: Layout,
    section: str | None,
    page: int | None,
    keep: Callable[[Article], bool] | None = None,
    heading: str | None = None,
) -> Response:
    if page is None or page < 1 or (section is not None and section not in outlet.sections):
        return _error(layout, 404, "페이지를 찾을 수 없습니다.")
    articles = [a for a in outlet.newest_first(section) if keep is None or keep(a)]
    start = (page - 1) * LIST_PAGE_SIZE
    shown = articles[start : start + LIST_PAGE_SIZE]
    html = layout.render_list(site, section, shown, page, page_count(len(articles)), heading)
    return _html(layout, html, _newest_change(shown))


def _robots(outlet: Outlet, site: SiteMeta) -> Response:
    # No Sitemap line: none of the outlets' sitemaps is evidenced (zdnet's is unverified).
    lines = ["User-agent: *", f"Disallow: {ADMIN_PATH}"]
    return Response(200, "text/plain; charset=utf-8", ("\n".join(lines) + "\n").encode("utf-8"))


def _xml(xml: str, articles: list[Article], content_type: str = "application/rss+xml; charset=utf-8") -> Response:
    return Response(200, content_type, xml.encode("utf-8"), _newest_change(articles), True)


def _section_feed(
    outlet: Outlet, site: SiteMeta, section: str | None, render: Callable[[SiteMeta, str | None, list[Article]], str]
) -> Response | None:
    """A feed of one section's newest articles (None: every section); an unknown section is not found."""
    if section is not None and section not in outlet.sections:
        return None
    articles = outlet.newest_first(section)
    return _xml(render(site, section, articles), articles)


def _ndsoft_filter(query: Query) -> tuple[Callable[[Article], bool] | None, str | None]:
    """articleList.html?sc_area=A&sc_word=<keyword> (keyword tags) or sc_area=I&sc_word=<mail id> (writer)."""
    area = _first(query, "sc_area") or ""
    word = _first(query, "sc_word") or ""
    if not word:
        return None, None
    if area == "I":
        return (lambda a: any(author.email.split("@")[0] == word for author in a.authors)), f"{word} 기자의 기사"
    return (lambda a: word in a.keywords), f"#{word}"


def _route_ndsoft(outlet: Outlet, site: SiteMeta, layout: Layout, path: str, query: Query) -> Response | None:
    if path == "/news/articleView.html":
        return _article_page(outlet, site, layout, _first(query, "idxno"))
    if path == "/news/articleList.html":
        keep, heading = _ndsoft_filter(query)
        section = _first(query, "sc_section_code")
        return _list_page(outlet, site, layout, section, _int_param(query, "page", 1), keep, heading)
    feed = re.fullmatch(r"/rss/(.+)\.xml", path)
    if feed:
        return _section_feed(
            outlet, site, None if feed.group(1) == "allArticle" else unquote(feed.group(1)), ndsoft.render_rss
        )
    return None


def _route_zdnet(outlet: Outlet, site: SiteMeta, layout: Layout, path: str, query: Query) -> Response | None:
    if path in ("/view/", "/view"):
        return _article_page(outlet, site, layout, _first(query, "no"))
    if path in ("/news/", "/news"):
        code = _first(query, "lstcode")
        section = None if code in (None, "0000") else code
        return _list_page(outlet, site, layout, section, _int_param(query, "page", 1))
    return None


def _route_etnews(outlet: Outlet, site: SiteMeta, layout: Layout, path: str, query: Query) -> Response | None:
    article = re.fullmatch(r"/(\d{14})", path)
    if article:
        return _article_page(outlet, site, layout, article.group(1))
    if path == "/news/section.html":
        section = _first(query, "id1")
        return _list_page(outlet, site, layout, section, _int_param(query, "page", 1))
    named = re.fullmatch(r"/news/section/([\w-]+)", path)
    if named:
        section = None if named.group(1) == "latest" else named.group(1)
        return _list_page(outlet, site, layout, section, _int_param(query, "page", 1))
    return None


def respond_feed_host(outlet: Outlet, base_url: str, target: str) -> Response:
    """The outlet's RSS host (etnews: rss.etnews.com): /Section901.xml (all) and /Section9<code>.xml."""
    site = site_meta(outlet, base_url)
    feed = re.fullmatch(r"/Section9(\w+)\.xml", urlsplit(target).path)
    if outlet.key != "etnews" or not feed:
        return Response(404, "text/plain; charset=utf-8", b"not found\n")
    code = feed.group(1)
    section = None if f"Section9{code}" == ETNEWS_ALL_FEED else code
    if section is not None and section not in outlet.sections:
        return Response(404, "text/plain; charset=utf-8", b"not found\n")
    articles = outlet.newest_first(section)
    return _xml(etnews.render_rss(site, section, articles), articles, "text/xml; charset=utf-8")


def _route_ddaily(outlet: Outlet, site: SiteMeta, layout: Layout, path: str, query: Query) -> Response | None:
    article = re.fullmatch(r"/page/view/(\d+)", path)
    if article:
        return _article_page(outlet, site, layout, article.group(1))
    # /page/list/?page=N and /page/list/0/0 list everything; /page/list/<section>/0 one section.
    listing = re.fullmatch(r"/page/list(?:/([^/]+)(?:/[^/]+)?)?/?", path)
    if listing:
        code = unquote(listing.group(1)) if listing.group(1) else "0"
        return _list_page(outlet, site, layout, None if code == "0" else code, _int_param(query, "page", 1))
    return None


def _route_dt(outlet: Outlet, site: SiteMeta, layout: Layout, path: str, query: Query) -> Response | None:
    article = re.fullmatch(r"/article/(\d+)", path)
    if article:
        return _article_page(outlet, site, layout, article.group(1))
    if path == "/contents.html":
        # Archive URL: the old 22-digit number ends with the new id, zero-padded.
        number = _first(query, "article_no") or ""
        found = outlet.article(number[-12:].lstrip("0")) if len(number) == 22 else None
        if found is None or archive_number(found) != number:
            return _error(layout, 404, "해당 기사를 찾을 수 없습니다.")
        page = dt.render_archive_article(site, found, outlet.related_of(found))
        return Response(200, "text/html", dt.encode_page(page), found.last_changed, False)
    feed = re.fullmatch(r"/rss/google/([\w-]+)", path)
    if feed:
        return _section_feed(outlet, site, None if feed.group(1) == "latest" else feed.group(1), dt.render_google_feed)
    return None


def _route_wordpress(outlet: Outlet, site: SiteMeta, layout: Layout, path: str, query: Query) -> Response | None:
    article = re.fullmatch(r"/archives/(\d+)/?", path)
    if article:
        return _article_page(outlet, site, layout, article.group(1))
    if path == "/" and _first(query, "p"):
        return _article_page(outlet, site, layout, _first(query, "p"))
    listing = re.fullmatch(r"(?:/category/([\w-]+))?/page/(\d+)/?", path)
    if listing:
        return _list_page(outlet, site, layout, listing.group(1), int(listing.group(2)))
    if path in ("/feed", "/feed/"):
        articles = outlet.newest_first()
        return _xml(wordpress.render_feed(site, articles), articles, "application/rss+xml; charset=UTF-8")
    if path.startswith("/wp-json/"):
        return _wordpress_rest(outlet, site, path, query)
    return None


def _wordpress_rest(outlet: Outlet, site: SiteMeta, path: str, query: Query) -> Response:
    """/wp-json/wp/v2/posts?page=N&per_page=M[&_embed]: newest first, X-WP-Total/X-WP-TotalPages headers;
    a page past the end is WordPress' 400 rest_post_invalid_page_number."""
    if not outlet.rest_api or path.rstrip("/") != "/wp-json/wp/v2/posts":
        body = json.dumps({"code": "rest_no_route", "message": "No route was found", "data": {"status": 404}})
        return Response(404, "application/json; charset=UTF-8", body.encode("utf-8"))
    per_page = min(100, _int_param(query, "per_page", 10) or 10)
    page = _int_param(query, "page", 1) or 1
    articles = outlet.newest_first()
    after = _first(query, "after")
    if after:
        # Posts published after a site-local time (Korean sites: KST).
        articles = [a for a in articles if a.published > parse_time(after)]
    total_pages = page_count(len(articles), per_page)
    if page > total_pages:
        body = json.dumps({"code": "rest_post_invalid_page_number", "data": {"status": 400}})
        return Response(400, "application/json; charset=UTF-8", body.encode("utf-8"))
    shown = articles[(page - 1) * per_page : page * per_page]
    body = wordpress.render_posts_json(site, shown, embed="_embed" in query)
    headers = (("X-WP-Total", str(len(articles))), ("X-WP-TotalPages", str(total_pages)))
    return Response(200, "application/json; charset=UTF-8", body.encode("utf-8"), _newest_change(shown), True, headers)


_ROUTERS = {
    "zdnet": _route_zdnet,
    "etnews": _route_etnews,
    "ddaily": _route_ddaily,
    "dt": _route_dt,
    **{outlet: _route_ndsoft for outlet in ND_SOFT_OUTLETS},
    **{outlet: _route_wordpress for outlet in WORDPRESS_OUTLETS},
}


def respond(outlet: Outlet, base_url: str, target: str, feed_base_url: str = "") -> Response:
    """The response for `target` (e.g. "/news/articleView.html?idxno=2001&utm_source=rss").

    Unknown query parameters (tracking ones included) are ignored, so every tracking variant of a URL serves
    the same bytes as its canonical form.
    """
    layout = layout_for(outlet.key)
    site = site_meta(outlet, base_url, feed_base_url)
    parts = urlsplit(target)
    path = parts.path or "/"
    query = parse_qs(parts.query, keep_blank_values=True)
    if path == "/robots.txt":
        return _robots(outlet, site)
    if path.startswith(ADMIN_PATH) or path == ADMIN_PATH.rstrip("/"):
        return _error(layout, 403, "접근 권한이 없습니다.")
    if path.lower().endswith(IMAGE_SUFFIXES):
        return Response(200, "image/gif", PLACEHOLDER_GIF)
    if path in ("/", "/index.html") and "p" not in query:  # WordPress: /?p=<id> is a post
        return _list_page(outlet, site, layout, None, 1)
    routed = _ROUTERS[outlet.key](outlet, site, layout, path, query)
    return routed or _error(layout, 404, "페이지를 찾을 수 없습니다.")


def http_date(moment: datetime) -> str:
    """RFC 9110 IMF-fixdate, always in GMT."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def conditional_status(response: Response, if_none_match: str | None, if_modified_since: str | None) -> int:
    """304 when the client's validators still match, else the response's own status (RFC 9110 §13.2.2).

    If-None-Match wins when present; If-Modified-Since is only consulted without it, and is judged against
    the article's own dates, so a data edit that leaves `modified` alone is only seen through the ETag.
    """
    if not response.validators or response.status != 200:
        return response.status
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return 304 if "*" in tags or response.etag in tags else response.status
    if if_modified_since and response.last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return response.status
        if since.tzinfo is not None and response.last_modified.replace(microsecond=0) <= since:
            return 304
    return response.status
