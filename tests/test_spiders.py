"""Each outlet's spider against its mirror pages: golden fields from the mirror's own data.

Pages and feeds are rendered in-process (no HTTP) and parsed the way a crawl parses them, so a selector that
drifts from the layout fails here first. The mirror's markup follows the outlet note
(../shared/notes/korean-it-outlets.md), not the spiders. Discovery is checked on real Scrapy responses built
from the same renderers, including URLs on the real hosts (no request is sent anywhere).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

from mirror.catalog import (
    OUTLETS,
    Article,
    archive_path,
    article_path,
    feed_paths,
    list_path,
    load_outlet,
    outlet_file,
    outlet_from_dict,
)
from mirror.server import MirrorServer
from mirror.site import respond, respond_feed_host
from spiders.base import feed_datetime, parse_authors, parse_page_datetime
from spiders.runner import available_sites, spider_class
from transforms.charset import decode_html
from transforms.ids import canonicalize_url
from transforms.records import PageState, ParsedArticle

BASE = "http://127.0.0.1:8999"
# Pages whose subtitle markup the outlet note does not know (Digital Daily): the metadata has none either.
SUBTITLE_UNKNOWN = frozenset({"ddaily"})
# Outlets whose articles come from feed items with the full text (Digital Times' Google feeds); a page
# fetched anyway parses from its metadata.
FEED_ARTICLE_OUTLETS = frozenset({"dt"})
WORDPRESS_SPIDERS = ("platum", "venturesquare", "byline")


def _spider(outlet: str, base_url: str = BASE) -> Any:
    return spider_class(outlet)(base_url=base_url)


def _page_article(outlet: str, article: Article) -> ParsedArticle:
    data = load_outlet(outlet)
    response = respond(data, BASE, article_path(outlet, article))
    assert response.status == 200
    return _spider(outlet).parse_fields(Selector(text=decode_html(response.body, response.content_type)), BASE)


def _feed_articles(outlet: str, feed_path: str) -> dict[str, ParsedArticle]:
    data = load_outlet(outlet)
    response = respond(data, BASE, feed_path)
    assert response.status == 200
    items = _spider(outlet).parse_listing(XmlResponse(BASE + feed_path, body=response.body))
    return {item.url: item for item in items if isinstance(item, ParsedArticle)}


def _assert_golden(outlet: str, article: Article, parsed: ParsedArticle) -> None:
    """Title, subtitle, published_at to the minute, authors, body paragraphs and images."""
    where = f"{outlet}/{article.id}"
    assert parsed.title == article.title, where
    if outlet in SUBTITLE_UNKNOWN:
        assert parsed.subtitle in ("", article.subtitle), where
    else:
        assert parsed.subtitle == article.subtitle, where
    assert parsed.published_at is not None, where
    published = dt.datetime.fromisoformat(parsed.published_at)
    assert published.replace(second=0) == article.published.replace(second=0), where
    assert published.utcoffset() == dt.timedelta(hours=9), where
    assert parsed.authors == [author.name for author in article.authors], where
    assert parsed.source == outlet
    body = Selector(text=parsed.body_html)
    body_text = " ".join(body.xpath("string(.)").get().split())
    for block in article.blocks:
        if block.type in ("p", "h"):
            assert " ".join(block.text.split()) in body_text, where
    # Photos in page order (ad banners inside a body are the cleaner's to drop).
    photos = [figure.src for figure in article.figures]
    assert [src for src in body.css("img::attr(src)").getall() if src in photos] == photos, where


@pytest.mark.parametrize("outlet", OUTLETS)
def test_outlet_pages_match_the_mirror(outlet: str) -> None:
    for article in load_outlet(outlet).articles:
        parsed = _page_article(outlet, article)
        _assert_golden(outlet, article, parsed)
        if article.modified:
            assert parsed.modified_at == article.modified.isoformat(), f"{outlet}/{article.id}"


@pytest.mark.parametrize("outlet", sorted(FEED_ARTICLE_OUTLETS))
def test_full_text_feed_items_match_the_mirror(outlet: str) -> None:
    data = load_outlet(outlet)
    parsed = _feed_articles(outlet, feed_paths(outlet)[0])
    assert len(parsed) == len(data.articles)
    for article in data.articles:
        _assert_golden(outlet, article, parsed[BASE + article_path(outlet, article)])


def test_digital_times_archive_pages_keep_the_old_layout() -> None:
    data = load_outlet("dt")
    spider = _spider("dt")
    for article in data.articles:
        path = archive_path("dt", article)
        assert spider.is_article_url(BASE + path)
        response = respond(data, BASE, path)
        assert "charset" not in response.content_type
        parsed = spider.parse_fields(Selector(text=decode_html(response.body, response.content_type)), BASE)
        _assert_golden("dt", article, parsed)


def test_zdnet_furniture_inside_the_body_is_dropped() -> None:
    data = load_outlet("zdnet")
    article = next(a for a in data.articles if a.related and a.keywords)
    parsed = _page_article("zdnet", article)
    body = Selector(text=parsed.body_html)
    for furniture in (".view_ad", ".news_box", ".mt_bn_box", ".reporter_list2", ".like_box", ".tags"):
        assert not body.css(furniture), furniture
    assert "관련기사" not in body.xpath("string(.)").get()
    edited = next(a for a in data.articles if a.modified)
    assert _page_article("zdnet", edited).modified_at == edited.modified.isoformat()


@pytest.mark.parametrize("outlet", OUTLETS)
def test_article_urls_are_recognised(outlet: str) -> None:
    spider = _spider(outlet)
    article = load_outlet(outlet).articles[0]
    url = BASE + article_path(outlet, article)
    assert spider.is_article_url(url)
    assert not spider.is_article_url(BASE + "/admin/login")


def test_cp949_outlet_decodes_without_mojibake() -> None:
    data = load_outlet("dt")
    article = data.articles[0]
    response = respond(data, BASE, archive_path("dt", article))
    assert "charset" not in response.content_type.lower()
    text = decode_html(response.body, response.content_type)
    assert article.title in text
    assert "\ufffd" not in text


def test_every_outlet_has_a_spider() -> None:
    # The mirror serves one WordPress outlet; the other two share its spider class and are not mirrored.
    assert set(available_sites()) == set(OUTLETS) | set(WORDPRESS_SPIDERS)


def test_scrapy_list_names_every_spider() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert set(listed) == set(OUTLETS) | set(WORDPRESS_SPIDERS) | {"generic"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("입력 2026.11.20 09:12", "2026-11-20T09:12:00+09:00"),
        ("입력 :2026/11/20 09:12", "2026-11-20T09:12:00+09:00"),
        ("2026-11-20T00:12:00Z", "2026-11-20T00:12:00+00:00"),
        ("2026년 11월 20일 오후 3:05", "2026-11-20T15:05:00+09:00"),
        ("승인 2019-07-26", "2019-07-26T00:00:00+09:00"),
        ("날짜 없음", None),
    ],
)
def test_page_dates(text: str, expected: str | None) -> None:
    assert parse_page_datetime(text) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["기자명 홍길동 기자"], ["홍길동"]),
        (["김승환·이강진·박현준 기자hwan@example.com"], ["김승환", "이강진", "박현준"]),
        (["이종현(bell@example.co.kr) 기자 프로필"], ["이종현"]),
        (["차윤호기자 cha@dt.co.kr"], ["차윤호"]),
    ],
)
def test_bylines_to_names(values: list[str], expected: list[str]) -> None:
    assert parse_authors(values) == expected


def test_a_spider_that_never_ran_fails_the_crawl(tmp_path) -> None:
    import json

    from spiders.runner import CrawlFailedError, _read_results

    (tmp_path / "stats.json").write_text(json.dumps({"itchosun": {"pages_fetched": 0, "finish_reason": None}}))
    with pytest.raises(CrawlFailedError, match="itchosun"):
        _read_results(tmp_path)


@pytest.mark.slow
def test_since_and_max_pages_bound_a_crawl(mirror_server) -> None:
    from spiders.runner import CrawlJob, run_crawl

    site = {"zdnet": mirror_server.base_urls["zdnet"]}
    settings = {"AUTOTHROTTLE_START_DELAY": 0.0}
    recent = run_crawl(CrawlJob(sites=site, since="2026-11-15", settings=settings))
    expected = [a for a in load_outlet("zdnet").articles if a.published.date().isoformat() >= "2026-11-15"]
    assert 0 < len(recent.articles) == len(expected)
    assert all(article.published_at >= "2026-11-15" for article in recent.articles)
    bounded = run_crawl(CrawlJob(sites=site, max_pages=5, settings=settings))
    # A hard cap: robots.txt aside, exactly the budget is fetched (tests/test_crawl_traps.py has the rest).
    assert bounded.pages_fetched == 5 + 1
    assert bounded.stats["sites"]["zdnet"]["over_budget"] > 0


# --- discovery: URL shapes, list pages, feeds (on other hosts too) --------------------------------------


def _requested(items: Iterator[Any]) -> list[str]:
    return [item.url for item in items if isinstance(item, Request)]


def _html(url: str, body: bytes) -> HtmlResponse:
    return HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize(
    ("outlet", "path", "kind"),
    [
        ("itchosun", "/news/articleView.html?idxno=2023092112345", "article"),
        ("aitimes", "/news/articleList.html?sc_section_code=S1N1&view_type=sm&page=2", "listing"),
        ("zdnet", "/view/?no=20260604094400", "article"),
        ("zdnet", "/news/?lstcode=0000&page=2", "listing"),
        ("etnews", "/20260604000123", "article"),
        ("etnews", "/20260604000123?mc=ns_001_00001", "article"),
        ("etnews", "/news/section.html?id1=06&page=2", "listing"),
        ("etnews", "/news/section/ai?page=2", "listing"),
        ("ddaily", "/page/view/2026060409440012345", "article"),
        ("ddaily", "/page/list/?page=2", "listing"),
        ("ddaily", "/page/list/0/0", "listing"),
        ("dt", "/article/12345678", "article"),
        ("dt", "/contents.html?article_no=2024110102109931041001", "article"),
        ("dt", "/rss/google/ict", "listing"),
        ("platum", "/archives/123456", "article"),
        ("venturesquare", "/123456", "article"),
        ("byline", "/2026/06/some-startup-raises-series-a/", "article"),
        ("byline", "/?p=12345", "article"),
        ("byline", "/page/2/", "listing"),
    ],
)
def test_evidenced_url_shapes(outlet: str, path: str, kind: str) -> None:
    spider = _spider(outlet)
    url = spider.canonical_link(BASE + path)
    assert "mc=" not in url
    assert (spider.is_article_url(url), spider.is_listing_url(url)) == (kind == "article", kind == "listing")


@pytest.mark.parametrize("outlet", ["itchosun", "bloter", "aitimes"])
def test_ndsoft_lists_in_each_skin_lead_to_articles(outlet: str) -> None:
    list_selectors = {
        "aitimes": "ul.altlist-webzine > li.altlist-webzine-item h2.altlist-subject a::attr(href)",
        "bloter": "#section-list ul li h2.titles a::attr(href)",
        "itchosun": "li.item h2.titles a::attr(href)",
    }
    data = load_outlet(outlet)
    page = respond(data, BASE, list_path(outlet, None, 1)).body
    listed = [BASE + href for href in Selector(text=page.decode()).css(list_selectors[outlet]).getall()]
    assert listed == [BASE + article_path(outlet, a) for a in data.newest_first()[:5]]
    requested = _requested(_spider(outlet).parse_listing(_html(BASE + list_path(outlet, None, 1), page)))
    assert set(listed) <= set(requested)
    assert canonicalize_url(BASE + list_path(outlet, None, 2)) in requested


def test_ndsoft_feed_dates_are_kst_without_a_zone() -> None:
    data = load_outlet("aitimes")
    xml = respond(data, BASE, "/rss/allArticle.xml").body.decode()
    first = Selector(text=xml, type="xml").xpath("//item/pubDate/text()").get()
    assert len(first) == 19 and first[10] == " "  # "YYYY-MM-DD HH:MM:SS"
    assert feed_datetime(first) == data.newest_first()[0].published.isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-05 19:25:00", "2026-09-05T19:25:00+09:00"),
        ("Sat, 05 Sep 2026 10:25:00 GMT", "2026-09-05T19:25:00+09:00"),
        ("Sat, 05 Sep 2026 19:25:00 +0900", "2026-09-05T19:25:00+09:00"),
        ("2026-09-05T19:25:00+09:00", "2026-09-05T19:25:00+09:00"),
        ("", None),
    ],
)
def test_feed_dates(text: str, expected: str | None) -> None:
    assert feed_datetime(text) == expected


def test_etnews_reads_its_feeds_on_rss_etnews_com() -> None:
    real = "https://www.etnews.com"
    spider = _spider("etnews", real)
    starts = spider.start_urls_list()
    assert {"https://rss.etnews.com/Section901.xml", "https://rss.etnews.com/Section904046.xml"} <= set(starts)
    assert "rss.etnews.com" in spider.allowed_domains
    data = load_outlet("etnews")
    feed = respond_feed_host(data, real, "/Section901.xml").body
    assert b"?mc=" in feed
    requested = _requested(spider.parse_listing(XmlResponse("https://rss.etnews.com/Section901.xml", body=feed)))
    assert requested == [f"{real}/{article.id}" for article in data.newest_first()]


def test_a_mirror_crawl_never_asks_the_real_hosts() -> None:
    for outlet in ("etnews", "zdnet"):
        spider = _spider(outlet)
        assert all(url.startswith(BASE + "/") for url in spider.start_urls_list())
        assert spider.allowed_domains == ["127.0.0.1"]


def test_etnews_pages_lead_to_mc_free_articles_and_the_declared_feed() -> None:
    data = load_outlet("etnews")
    path = list_path("etnews", "06", 1)
    page = respond(data, BASE, path, feed_base_url="http://127.0.0.1:9001").body
    assert b"?mc=ns_" in page
    requested = _requested(_spider("etnews").parse_listing(_html(BASE + path, page)))
    assert "http://127.0.0.1:9001/Section901.xml" in requested  # <link rel="alternate"> on another port
    assert {BASE + article_path("etnews", a) for a in data.newest_first("06")[:5]} <= set(requested)
    assert not [url for url in requested if "mc=" in url]


def test_feedburner_copies_give_the_outlets_own_links() -> None:
    xml = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
        "<channel><item><title>t</title><link>https://feedproxy.google.com/~r/zdkorea/~3/x/</link>"
        "<feedburner:origLink>https://zdnet.co.kr/view/?no=20260604094400</feedburner:origLink></item>"
        "</channel></rss>"
    )
    spider = _spider("zdnet", "https://zdnet.co.kr")
    assert "feeds.feedburner.com" in spider.allowed_domains
    response = XmlResponse("https://feeds.feedburner.com/zdkorea", body=xml.encode())
    assert _requested(spider.parse_listing(response)) == ["https://zdnet.co.kr/view/?no=20260604094400"]


def test_atom_feeds_a_page_declares_lead_to_articles() -> None:
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        f'<entry><title>a</title><link rel="alternate" href="{BASE}/article/12345678"/></entry></feed>'
    )
    response = XmlResponse(BASE + "/atom.xml", body=xml.encode())
    assert _requested(_spider("dt").parse_listing(response)) == [BASE + "/article/12345678"]


def test_ddaily_list_pages_in_their_real_shapes() -> None:
    data = load_outlet("ddaily")
    spider = _spider("ddaily")
    assert spider.start_urls_list() == [BASE + "/page/list/0/0", BASE + "/page/list/?page=1"]
    page = respond(data, BASE, "/page/list/0/0").body
    requested = _requested(spider.parse_listing(_html(BASE + "/page/list/0/0", page)))
    assert {BASE + article_path("ddaily", a) for a in data.newest_first()[:5]} <= set(requested)
    assert BASE + "/page/list/?page=2" in requested


# --- WordPress: the REST API, and the feed when it is missing -------------------------------------------


def test_wordpress_rest_posts_become_articles() -> None:
    data = load_outlet("platum")
    spider = _spider("platum")
    request = spider.rest_request(1)
    served = respond(data, BASE, request.url.removeprefix(BASE))
    assert served.status == 200 and dict(served.headers)["X-WP-TotalPages"] == "1"
    response = TextResponse(request.url, body=served.body, headers=dict(served.headers), request=request)
    articles = {item.url: item for item in spider.parse_rest(response) if isinstance(item, ParsedArticle)}
    assert len(articles) == len(data.articles)
    for article in data.articles:
        _assert_golden("platum", article, articles[BASE + article_path("platum", article)])


def test_wordpress_feed_items_with_full_content_become_articles() -> None:
    data = load_outlet("platum")
    parsed = _feed_articles("platum", "/feed")
    assert len(parsed) == len(data.articles)  # fewer than the feed's 10 items
    for article in data.articles:
        _assert_golden("platum", article, parsed[BASE + article_path("platum", article)])


def test_wordpress_without_rest_falls_back_to_the_feed() -> None:
    data = load_outlet("platum")
    spider = _spider("platum")
    request = spider.rest_request(1)
    missing = respond(outlet_from_dict({**_raw("platum"), "rest_api": False}), BASE, request.url.removeprefix(BASE))
    assert missing.status == 404
    response = TextResponse(request.url, status=404, body=missing.body, request=request)
    assert _requested(spider.parse_rest(response)) == [BASE + "/feed"]
    assert data.rest_api


def _rest_page(spider: Any, page: int) -> list[Any]:
    request = spider.rest_request(page)
    served = respond(load_outlet("platum"), BASE, request.url.removeprefix(BASE))
    if served.status != 200:
        return []
    return list(
        spider.parse_rest(TextResponse(request.url, body=served.body, headers=dict(served.headers), request=request))
    )


def test_wordpress_rest_pages_until_the_last_and_stops_early_on_a_recrawl() -> None:
    data = load_outlet("platum")
    spider = _spider("platum")
    spider.posts_per_page = 3
    first = _rest_page(spider, 1)
    assert [item.url for item in first if isinstance(item, Request)] == [spider.rest_request(2).url]
    assert len(_rest_page(spider, 3)) == len(data.articles) - 6  # the last page asks for no further one
    # A re-crawl whose first page holds nothing new or changed stops there.
    known = [item for item in first if isinstance(item, ParsedArticle)]
    states = {item.url: PageState(item.url, content_hash=item.content_hash) for item in known}
    again = spider_class("platum")(base_url=BASE, page_states=states)
    again.posts_per_page = 3
    items = _rest_page(again, 1)
    assert items and all(isinstance(item, PageState) for item in items)


def test_wordpress_since_asks_the_api_for_newer_posts_only() -> None:
    data = load_outlet("platum")
    since = data.newest_first()[2].published.date().isoformat()
    spider = spider_class("platum")(base_url=BASE, since=since)
    assert f"after={since}T00%3A00%3A00" in spider.rest_request(1).url
    found = [item for item in _rest_page(spider, 1) if isinstance(item, ParsedArticle)]
    assert 0 < len(found) < len(data.articles)
    assert all(item.published_at >= since for item in found)


def _raw(outlet: str) -> dict[str, Any]:
    return json.loads(outlet_file(outlet).read_text(encoding="utf-8"))


def _crawl(mirror: MirrorServer, outlet: str) -> Any:
    from spiders.runner import CrawlJob, run_crawl

    settings = {"AUTOTHROTTLE_START_DELAY": 0.0}
    return run_crawl(CrawlJob(sites={outlet: mirror.base_urls[outlet]}, settings=settings), timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("rest_api", [True, False], ids=["rest", "rss"])
def test_wordpress_crawl_over_the_mirror(tmp_path: Path, rest_api: bool) -> None:
    (tmp_path / "platum.json").write_text(json.dumps({**_raw("platum"), "rest_api": rest_api}), encoding="utf-8")
    with MirrorServer(tmp_path, outlets=["platum"]) as mirror:
        result = _crawl(mirror, "platum")
        targets = [entry.target for entry in mirror.request_log]
    data = load_outlet("platum")
    assert not result.errors
    found = {article.url: article for article in result.articles}
    base = mirror.base_urls["platum"]
    assert set(found) == {base + article_path("platum", a) for a in data.articles}
    for article in data.articles:
        _assert_golden("platum", article, found[base + article_path("platum", article)])
    assert any(target.startswith("/wp-json/wp/v2/posts") for target in targets)
    assert ("/feed" in targets) == (not rest_api)
    assert not [target for target in targets if target.startswith("/archives/")]  # no page fetched


@pytest.mark.slow
def test_etnews_crawl_reads_the_feed_on_its_other_host(tmp_path: Path) -> None:
    (tmp_path / "etnews.json").write_text(json.dumps(_raw("etnews")), encoding="utf-8")
    with MirrorServer(tmp_path, outlets=["etnews"]) as mirror:
        feed_port = mirror.feed_urls["etnews"].rsplit(":", 1)[1]
        result = _crawl(mirror, "etnews")
        feed_requests = [entry for entry in mirror.request_log if entry.target == "/Section901.xml"]
    assert feed_port != mirror.base_urls["etnews"].rsplit(":", 1)[1]
    assert feed_requests and feed_requests[0].status == 200
    assert len(result.articles) == len(load_outlet("etnews").articles) and not result.errors
    assert not [article.url for article in result.articles if "mc=" in article.url]


def test_wordpress_rest_forbidden_by_robots_falls_back_to_the_feed() -> None:
    from scrapy.exceptions import IgnoreRequest
    from twisted.python.failure import Failure

    spider = _spider("platum")
    failure = Failure(IgnoreRequest("Forbidden by robots.txt"))
    failure.request = spider.rest_request(1)  # type: ignore[attr-defined]
    assert _requested(spider.rest_failed(failure)) == [BASE + "/feed"]


def _variant(outlet: str, change: Any) -> tuple[Article, ParsedArticle]:
    data = load_outlet(outlet)
    article = next(a for a in data.articles if a.authors and not a.modified)
    html = change(respond(data, BASE, article_path(outlet, article)).body.decode(), article)
    return article, _spider(outlet).parse_fields(Selector(text=html), BASE)


def test_markup_variants_the_note_allows() -> None:
    import re

    # ETNews: the reporter line as one text ("현대인 기자 기사 더보기").
    article, parsed = _variant(
        "etnews",
        lambda html, a: re.sub(
            r'<div class="reporter_info">.*?</div>',
            f'<div class="reporter_info">{a.authors[0].name} 기자 기사 더보기</div>',
            html,
        ),
    )
    assert parsed.authors == [article.authors[0].name]

    # ND-Soft: the body as a div (select by id only), the date split over child elements, no meta date.
    def split_date(html: str, a: Article) -> str:
        html = re.sub(r'<meta property="article:[^>]*>', "", html)
        html = html.replace('<article id="article-view-content-div"', '<div id="article-view-content-div"')
        html = html.replace("</article>", "</div>")
        stamp = a.published.strftime("%Y.%m.%d %H:%M")
        assert f"<li>입력 {stamp}</li>" in html
        return html.replace(f"<li>입력 {stamp}</li>", f"<li><em>입력</em> <span>{stamp}</span></li>")

    article, parsed = _variant("aitimes", split_date)
    assert parsed.published_at == article.published.isoformat()
    assert article.lead in Selector(text=parsed.body_html).xpath("string(.)").get()


def test_outlet_modules_are_named_by_their_spider_keys() -> None:
    from spiders.runner import _spider_loader, available_sites

    assert available_sites() == sorted(name for name in _spider_loader().list() if name != "generic")
