"""A site spider never loses an article to a layout change: it falls back to the generic extractor.

The IT Chosun spider crawls the zdnet mirror over HTTP (Scrapy, 127.0.0.1), i.e. pages in another
outlet's markup: its ND-Soft selectors find no body, every article is still stored (through the
generic extractor, marked `generic-fallback`) and the run's site health flags `fallback_share`.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from parsel import Selector

from mirror.catalog import article_path, expected_body, load_outlet
from mirror.site import respond
from spiders.runner import spider_class
from transforms.charset import decode_html
from transforms.clean import clean_article
from transforms.health import health_warnings, tally
from transforms.records import FALLBACK_EXTRACTOR, ParsedArticle
from warehouse import Warehouse

REPO = Path(__file__).resolve().parents[1]

# A Scrapy crawl in a child process (Twisted's reactor runs once per process): the itchosun spider,
# discovering pages the way the zdnet spider does (its sitemap and URL pattern), pointed at the zdnet
# mirror. Discovery is borrowed through spider arguments; the article parsing is itchosun's own.
CRAWL = """
import sys
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from spiders.outlets.zdnet import ZDNetKoreaSpider

base_url, out = sys.argv[1], sys.argv[2]
settings = get_project_settings()
settings.set("AUTOTHROTTLE_START_DELAY", 0.0, priority="cmdline")
settings.set("FEEDS", {out: {"format": "jsonlines", "item_classes": ["transforms.records.ParsedArticle"]}},
             priority="cmdline")
process = CrawlerProcess(settings, install_root_handler=False)
process.crawl("itchosun", base_url=base_url, start_paths=ZDNetKoreaSpider.start_paths,
              article_pattern=ZDNetKoreaSpider.article_pattern, listing_pattern=ZDNetKoreaSpider.listing_pattern)
process.start()
"""


def test_layout_change_falls_back_to_generic_and_flags_site_health(mirror_server: object, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    base_url = mirror_server.base_urls["zdnet"]  # type: ignore[attr-defined]
    subprocess.run(
        [sys.executable, "-c", CRAWL, base_url, str(out)], cwd=REPO, check=True, timeout=300, capture_output=True
    )
    parsed = [ParsedArticle.from_dict(json.loads(line)) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = {base_url + article_path("zdnet", article): article for article in load_outlet("zdnet").articles}
    assert {article.url for article in parsed} == set(expected)
    assert {article.extractor for article in parsed} == {FALLBACK_EXTRACTOR}
    assert {article.source for article in parsed} == {"itchosun"}

    cleaned = [clean_article(article) for article in parsed]
    for article in cleaned:
        source = expected[article.url]
        assert article.title == source.title
        assert article.published_at == source.published.isoformat()
        assert article.body == expected_body(source)
        assert article.extractor == FALLBACK_EXTRACTOR

    health = tally(cleaned)
    assert health["itchosun"].shares["fallback_share"] == 1.0
    previous = {"itchosun": {"fallback_share": 0.0}}
    assert any("fallback share rose to 100%" in warning for warning in health_warnings(health, previous))

    with Warehouse.open(tmp_path / "warehouse.duckdb") as store:
        store.start_run("run-1", dt.datetime.now(dt.UTC), ["itchosun"])
        store.load_batch("run-1", cleaned, [[] for _ in cleaned])
        site = health["itchosun"]
        rows = [{"source": site.source, "pages": 0, "articles": site.articles, "fetch_errors": 0, **site.shares}]
        store.record_site_health("run-1", rows)
        assert store.scalar("SELECT count(*) FROM articles WHERE extractor = ?", [FALLBACK_EXTRACTOR]) == len(expected)
        assert store.scalar("SELECT fallback_share FROM site_health WHERE source = 'itchosun'") == 1.0
        assert store.previous_site_health("run-2")["itchosun"]["fallback_share"] == 1.0


def test_own_layout_never_falls_back() -> None:
    base = "http://127.0.0.1:8999"
    for outlet in ("itchosun", "zdnet", "dt"):
        data = load_outlet(outlet)
        spider = spider_class(outlet)(base_url=base)
        for article in data.articles:
            response = respond(data, base, article_path(outlet, article))
            parsed = spider.parse_fields(Selector(text=decode_html(response.body, response.content_type)), base)
            assert parsed.extractor == "site"
