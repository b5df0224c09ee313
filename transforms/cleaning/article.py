"""clean_article: a parsed page's body HTML -> clean paragraphs plus image records."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from transforms.cleaning import patterns as pat
from transforms.cleaning.captions import separate_images
from transforms.cleaning.text_steps import is_byline_line, run_cascade
from transforms.html_blocks import html_to_blocks
from transforms.ids import article_id
from transforms.metadata import parse_authors
from transforms.records import CleanArticle, ParsedArticle

# Bylines in the body that name the reporter, used when the spider found no author: the byline
# forms the cascade removes (patterns.py); the names in them are read by transforms.metadata.
_BYLINE_SPANS: tuple[re.Pattern[str], ...] = (
    pat.BYLINE_BRACKET_DATELINE_PREFIX,  # "[서울=뉴시스] 류현주 기자 ="
    pat.BYLINE_BRACKET_PREFIX,  # "[디지털데일리 이종현기자]"
    pat.BYLINE_DATELINE_PREFIX,  # "(서울=뉴스1) 정재민 기자 ="
    pat.BYLINE_NAME_EQUALS_PREFIX,  # "홍길동 기자 ="
    re.compile(rf"^\s*{pat.NAME_LIST}\s*(?:[가-힣]{{2,10}}\s+)?{pat.REPORTER_TITLE}\s*\(?\s*{pat.EMAIL}"),
    re.compile(rf"^\s*{pat.NAME_LIST}\s*\(\s*{pat.EMAIL}\s*\)\s*{pat.REPORTER_TITLE}"),
    pat.BYLINE_TRAILING,  # "…라고 말했다. 홍길동 기자 hong@…"
)


def authors_from_bylines(paragraphs: list[str]) -> list[str]:
    """Reporter names from the first and last paragraphs' bylines, in order, without repeats."""
    names: list[str] = []
    for text in paragraphs[:2] + paragraphs[-4:]:
        spans = [text] if is_byline_line(text) else []
        spans += [match.group(0) for pattern in _BYLINE_SPANS if (match := pattern.search(text))][:1]
        for name in parse_authors(spans[:1]):
            if name not in names:
                names.append(name)
    return names


def absolute_url(src: str, page_url: str) -> str:
    """An image source resolved against its page ("//cdn/x.jpg", "/photo/x.jpg", "x.jpg")."""
    if not src or src.startswith("data:"):
        return src
    return urljoin(page_url, src.strip()) if page_url else src.strip()


def drop_title_repeat(paragraphs: list[str], title: str, stats: dict[str, int]) -> list[str]:
    """Whole-page extraction often starts the body with the headline; the title has its own field."""
    title_key = "".join(ch for ch in title.casefold() if ch.isalnum())
    kept = list(paragraphs)
    while kept and title_key and "".join(ch for ch in kept[0].casefold() if ch.isalnum()) == title_key:
        kept.pop(0)
    stats["drop_title_repeat"] = stats.get("drop_title_repeat", 0) + len(paragraphs) - len(kept)
    return kept


def clean_article(parsed: ParsedArticle) -> CleanArticle:
    """Body container HTML -> clean paragraphs and images; whole pages go through extraction first.

    With `extractor == "generic"` the body HTML is a whole page: main-text extraction runs first
    (unless the caller already replaced it with `extract_generic(...).body_html`).
    """
    body_html = parsed.body_html
    title, published_at, authors = parsed.title, parsed.published_at, list(parsed.authors)
    if parsed.extractor == "generic" and _is_whole_page(body_html):
        from transforms.extract import extract_generic  # extraction pulls in trafilatura: load lazily

        extracted = extract_generic(body_html, parsed.url)
        body_html = extracted.body_html
        title = title or extracted.title
        published_at = published_at or extracted.published_at
        authors = authors or extracted.authors

    stats: dict[str, int] = {}
    blocks, images = separate_images(html_to_blocks(body_html), stats)
    for image in images:
        # Stored and shown apart from the page: lazy-loaded and relative sources made absolute.
        image.src = absolute_url(image.src, parsed.url)
    raw_paragraphs = [block.text for block in blocks]
    paragraphs = drop_title_repeat(run_cascade(raw_paragraphs, stats), title, stats)
    if not authors:
        authors = authors_from_bylines(raw_paragraphs)
    return CleanArticle(
        article_id=article_id(parsed.url),
        url=parsed.url,
        source=parsed.source,
        title=title,
        body="\n\n".join(paragraphs),
        published_at=published_at,
        modified_at=parsed.modified_at,
        authors=authors,
        subtitle=parsed.subtitle,
        section=parsed.section,
        images=images,
        content_hash=parsed.content_hash,
        etag=parsed.etag,
        last_modified=parsed.last_modified,
        fetched_at=parsed.fetched_at,
        extractor=parsed.extractor,
        clean_stats=stats,
    )


def _is_whole_page(markup: str) -> bool:
    head = markup[:3000].lower()
    return "<html" in head or "<body" in head or "<!doctype" in head or "<head" in head
