"""Crawl traps are bounded: endless pagination over the same articles stops at the first list page that brings
nothing new, endless pagination over new articles stops at the list-depth limit, and the page budget is a hard
cap (real Scrapy crawls with the ZDNet spider against a loopback site shaped like its lists)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from loopback_site import RecordingServer

from spiders.runner import CrawlJob, run_crawl

pytestmark = pytest.mark.slow

SETTINGS: dict[str, Any] = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 5}
ARTICLE_PAGE = (
    "<html><head><meta property='article:published_time' content='2026-11-30T09:00:00+09:00'></head><body>"
    "<div class='news_head'><h1>함정 시험 기사 {number}</h1></div><div id='articleBody'>"
    + "<p>끝없는 목록이 크롤러를 붙잡지 못하는지 확인하려고 만든 기사 본문 문단입니다.</p>" * 5
    + "</div></body></html>"
)


def trap_site(fresh_articles: bool) -> RecordingServer:
    """`/news/?lstcode=0000&page=N` links page N+1 and three articles: the same three on every page, or three
    new ones per page."""

    def route(path: str) -> tuple[int, dict[str, str], str] | None:
        page = re.search(r"[?&]page=(\d+)", path)
        if path.startswith("/news/") and page:
            number = int(page.group(1))
            first = number * 3 if fresh_articles else 0
            links = "".join(f"<a href='/view/?no={20261130000000 + n}'>기사</a>" for n in range(first, first + 3))
            return 200, {}, f"<html><body>{links}<a href='/news/?lstcode=0000&page={number + 1}'>다음</a></body></html>"
        article = re.search(r"no=(\d{14})", path)
        if article:
            return 200, {}, ARTICLE_PAGE.format(number=article.group(1))
        return None

    return RecordingServer(route=route)


def _crawl(server: RecordingServer, max_pages: int | None = None, **settings: Any) -> tuple[Any, int, int]:
    job = CrawlJob(sites={"zdnet": server.base_url}, max_pages=max_pages, settings={**SETTINGS, **settings})
    result = run_crawl(job, timeout=180)
    paths = [path for _, path in server.requests if path != "/robots.txt"]
    return result, sum(path.startswith("/news/") for path in paths), sum(path.startswith("/view/") for path in paths)


def test_pagination_over_the_same_articles_stops_at_the_first_page_with_nothing_new() -> None:
    server = trap_site(fresh_articles=False)
    try:
        result, list_pages, article_pages = _crawl(server)
    finally:
        server.close()
    assert (list_pages, article_pages) == (2, 3)
    assert len(result.articles) == 3 and result.stats["sites"]["zdnet"]["list_dead_ends"] == 1


def test_pagination_over_new_articles_stops_at_the_list_depth_limit() -> None:
    server = trap_site(fresh_articles=True)
    try:
        result, list_pages, article_pages = _crawl(server, NEWSETL_MAX_LIST_DEPTH=5)
    finally:
        server.close()
    assert list_pages == 6  # the start page and five further
    assert article_pages == 18 and len(result.articles) == 18


def test_the_page_budget_is_a_hard_cap() -> None:
    server = trap_site(fresh_articles=True)
    try:
        result, list_pages, article_pages = _crawl(server, max_pages=10, CONCURRENT_REQUESTS_PER_DOMAIN=8)
    finally:
        server.close()
    assert list_pages + article_pages == 10
    assert result.errors == [] and result.stats["sites"]["zdnet"]["over_budget"] > 0


def test_one_article_at_two_addresses_is_stored_under_the_one_it_names() -> None:
    canonical = "/view/?no=20261130000001"

    def route(path: str) -> tuple[int, dict[str, str], str] | None:
        if path.startswith("/news/"):
            links = "".join(
                f"<a href='/view/?no={number}'>기사</a>" for number in (20261130000001, 20261130000002, 20261130000003)
            )
            return 200, {}, f"<html><body>{links}</body></html>"
        number = path.rsplit("=", 1)[-1]
        # ...02 is ...01 under a second address; ...03 names the home page and another site, both ignored.
        declared = server.base_url + {"20261130000002": canonical, "20261130000003": "/"}.get(number, path)
        head = f"<link rel='canonical' href='{declared}'><meta property='og:url' content='https://elsewhere.example/a'>"
        return 200, {}, ARTICLE_PAGE.format(number=number).replace("<head>", f"<head>{head}")

    server = RecordingServer(route=route)
    try:
        result, _, article_pages = _crawl(server)
    finally:
        server.close()
    urls = sorted(article.url.replace(server.base_url, "") for article in result.articles)
    assert article_pages == 3
    assert urls == [canonical, canonical, "/view/?no=20261130000003"]


def test_list_series_ignore_only_the_page_number() -> None:
    from spiders.base import list_series

    assert list_series("https://x.kr/news/?lstcode=0000&page=7") == "/news/?lstcode=0000"
    assert list_series("https://x.kr/news/section.html?id1=06&page=2") == "/news/section.html?id1=06"
    assert list_series("https://x.kr/category/ai/page/3/") == "/category/ai/page/N/"
    assert list_series("https://x.kr/page/list/0/3") == "/page/list/0/3"
