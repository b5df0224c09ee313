"""Korean gold set: every mirror article fetched over HTTP from 127.0.0.1 and cleaned.

Checks per page: every expected body paragraph is kept, and no caption, credit, byline, footer or
tail-block line is left; images come out in page order with caption and credit split. A few pages
are also compared exactly with checked-in golden files (tests/golden/<outlet>-<id>.txt).
Both paths are covered: the site path (the outlet's body container, as the spiders produce it) and
the generic path (whole page -> extract_generic -> clean_article).
"""

from __future__ import annotations

import urllib.request
from functools import cache
from pathlib import Path

import pytest
from lxml import html

from mirror.catalog import Article, article_path, available_outlets, expected_body, expected_images, load_outlet
from transforms.charset import decode_html
from transforms.clean import clean_article
from transforms.extract import extract_generic
from transforms.records import CleanArticle, ParsedArticle

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

# The outlets' body containers (same selectors as the spiders, first match wins).
BODY_CONTAINER_SELECTORS: dict[str, tuple[str, ...]] = {
    "itchosun": ("article#article-view-content-div",),
    "bloter": ("article#article-view-content-div",),
    "aitimes": ("article#article-view-content-div",),
    "zdnet": ("div#articleBody",),
    "etnews": ("section.article_body#articleBody", "#articleBody", "section.article_body"),
    "ddaily": ("div.article-body", "div#news_body_area", "article"),
    "dt": ("div.news-body", "div#article_body div.art_txt", "div#article_body"),
    "platum": ("div.entry-content",),
}
# Lines that must never reach a clean body, whatever the outlet.
FORBIDDEN_FRAGMENTS = (
    "무단전재",
    "무단 전재",
    "재배포",
    "저작권자",
    "ⓒ",
    "©",
    "사진=",
    "기자 프로필",
    "다른기사 보기",
    "관련기사",
    "키워드",
    "SNS 기사보내기",
    "기사제보",
    "기사 댓글",
    "많이 본 뉴스",
    "@",
)

MIRROR_ARTICLES: list[tuple[str, Article]] = [
    (outlet, article) for outlet in available_outlets() for article in load_outlet(outlet).articles
]


def _article_ids(entry: tuple[str, Article]) -> str:
    return f"{entry[0]}-{entry[1].id}"


@cache
def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback mirror only
        return decode_html(response.read(), response.headers.get("Content-Type"))


def _page_url(mirror_server: object, outlet: str, article: Article) -> str:
    return mirror_server.base_urls[outlet] + article_path(outlet, article)  # type: ignore[attr-defined]


def _clean_site_page(mirror_server: object, outlet: str, article: Article) -> CleanArticle:
    url = _page_url(mirror_server, outlet, article)
    root = html.document_fromstring(_fetch(url))
    container = next((node for selector in BODY_CONTAINER_SELECTORS[outlet] for node in root.cssselect(selector)), None)
    assert container is not None, f"no body container on {url}"
    body_html = html.tostring(container, encoding="unicode")
    return clean_article(ParsedArticle(url=url, source=outlet, title=article.title, body_html=body_html))


def _clean_generic_page(mirror_server: object, outlet: str, article: Article) -> CleanArticle:
    url = _page_url(mirror_server, outlet, article)
    return clean_article(extract_generic(_fetch(url), url))


def _assert_clean(cleaned: CleanArticle, article: Article) -> None:
    paragraphs = cleaned.body.split("\n\n")
    for block in article.blocks:
        if block.type in ("p", "h"):
            assert block.text in paragraphs, f"lost paragraph: {block.text[:40]}"
    for figure in article.figures:
        for fragment in (figure.caption, figure.credit):
            if fragment:
                assert fragment not in cleaned.body, f"caption/credit left: {fragment[:40]}"
    for fragment in FORBIDDEN_FRAGMENTS:
        if not any(fragment in block.text for block in article.blocks):
            assert fragment not in cleaned.body, f"boilerplate left: {fragment}"
    for author in article.authors:
        assert f"{author.name} 기자" not in cleaned.body
        if author.email:
            assert author.email not in cleaned.body


@pytest.mark.parametrize("entry", MIRROR_ARTICLES, ids=_article_ids)
def test_site_container_is_cleaned_exactly(mirror_server: object, entry: tuple[str, Article]) -> None:
    outlet, article = entry
    cleaned = _clean_site_page(mirror_server, outlet, article)
    _assert_clean(cleaned, article)
    assert cleaned.body == expected_body(article)
    expected = [(image["caption"], image["credit"]) for image in expected_images(article)]
    assert [(image.caption, image.credit) for image in cleaned.images] == expected
    assert all(image.src.endswith(".jpg") for image in cleaned.images)


@pytest.mark.parametrize("entry", MIRROR_ARTICLES, ids=_article_ids)
def test_generic_extraction_keeps_body_and_drops_boilerplate(mirror_server: object, entry: tuple[str, Article]) -> None:
    outlet, article = entry
    cleaned = _clean_generic_page(mirror_server, outlet, article)
    _assert_clean(cleaned, article)
    assert cleaned.body == expected_body(article)
    assert cleaned.title.startswith(article.title[:10])


GOLDEN_FILES = sorted(GOLDEN_DIR.glob("*.txt"))


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda path: path.stem)
def test_golden_pages(mirror_server: object, golden: Path) -> None:
    outlet, article_id = golden.stem.split("-", 1)
    article = load_outlet(outlet).article(article_id)
    assert article is not None
    expected = golden.read_text(encoding="utf-8").rstrip("\n")
    assert _clean_site_page(mirror_server, outlet, article).body == expected
    assert _clean_generic_page(mirror_server, outlet, article).body == expected


def test_golden_set_is_present() -> None:
    assert len(GOLDEN_FILES) >= 5
