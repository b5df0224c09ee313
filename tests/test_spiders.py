"""Each outlet's spider against its mirror pages: golden fields from the mirror's own data.

Pages are rendered in-process (no HTTP) and parsed the way a crawl parses them, so a selector that
drifts from the layout fails here first.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from parsel import Selector

from mirror.catalog import OUTLETS, article_path, load_outlet
from mirror.site import respond
from spiders.base import parse_authors, parse_page_datetime
from spiders.runner import available_sites, spider_class
from transforms.charset import decode_html

BASE = "http://127.0.0.1:8999"


def _spider(outlet: str):
    return spider_class(outlet)(base_url=BASE)


@pytest.mark.parametrize("outlet", OUTLETS)
def test_outlet_fields_match_the_mirror(outlet: str) -> None:
    data = load_outlet(outlet)
    spider = _spider(outlet)
    for article in data.articles:
        response = respond(data, BASE, article_path(outlet, article))
        assert response.status == 200
        parsed = spider.parse_fields(Selector(text=decode_html(response.body, response.content_type)), BASE)
        assert parsed.title == article.title
        assert parsed.subtitle == article.subtitle
        assert parsed.published_at == article.published.isoformat()
        assert parsed.authors == [author.name for author in article.authors]
        assert parsed.source == outlet
        for block in article.blocks:
            if block.type == "p":
                assert block.text in Selector(text=parsed.body_html).xpath("string(.)").get()


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
    response = respond(data, BASE, article_path("dt", article))
    assert "charset" not in response.content_type.lower()
    text = decode_html(response.body, response.content_type)
    assert article.title in text
    assert "\ufffd" not in text


def test_every_outlet_has_a_spider() -> None:
    assert set(available_sites()) == set(OUTLETS)


def test_scrapy_list_names_every_spider() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert set(listed) == set(OUTLETS) | {"generic"}


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
    assert bounded.pages_fetched <= 5 + 16  # requests already in flight when the limit hits still finish
    assert bounded.stats["sites"]["zdnet"]["finish_reason"] == "closespider_pagecount"
