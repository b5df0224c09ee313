"""Main-text extraction for pages of unknown sites (the generic path).

Stages:
1. trafilatura in precision mode gives the main content as simple HTML; precision mode drops the
   comment, teaser and "more stories" blocks that the default mode lets through on news pages.
2. If precision mode kept much less text than the default mode, it cut real paragraphs (it does
   on pages with one big container and unusual markup): fall back to the default extraction.
   If neither mode finds an article, the page body is passed on as is (tiny pages).
3. Metadata: title (og:title > JSON-LD headline > h1 > <title>), published_at (article meta >
   JSON-LD > trafilatura/htmldate), authors (meta/JSON-LD > trafilatura).
The result is a ParsedArticle whose body_html holds only p / h / li / figure elements, ready for
`clean_article`.
"""

from __future__ import annotations

import json
import re
from html import escape
from urllib.parse import urlsplit

import trafilatura
from lxml import etree, html

from transforms.cleaning.captions import same_caption
from transforms.records import ParsedArticle

# Fall back to default-mode output when the precision output holds less than this share of its
# text. Measured on the article-extraction benchmark: real cuts leave < 35% (e.g. 260 of 3,213
# chars), boilerplate trims keep more; F1 is 0.970 for any value in 0.35-0.5, 0.968 at 0.65 and
# 0.967 at 0.8 (too many fallbacks to the noisier default output).
PRECISION_MIN_SHARE_OF_DEFAULT = 0.5

_PUBLISHED_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
)
_AUTHOR_META_KEYS = ("author", "article:author", "dable:author", "aicon:author", "byl", "parsely-author")
_TITLE_SUFFIX = re.compile(r"\s*[|\-–—:]\s*[^|\-–—:]{1,40}$")


def _meta_values(root: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    return values


def _json_ld_articles(root: etree._Element) -> list[dict]:
    found: list[dict] = []

    def collect(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, dict):
            if "@graph" in node:
                collect(node["@graph"])
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and ("Article" in k or k == "BlogPosting") for k in kinds):
                found.append(node)

    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            collect(json.loads(script.text))
        except ValueError:
            continue
    return found


def _json_ld_authors(article: dict) -> list[str]:
    author = article.get("author")
    items = author if isinstance(author, list) else [author]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def _page_title(root: etree._Element, meta: dict[str, str], ld: list[dict]) -> str:
    if meta.get("og:title"):
        return meta["og:title"]
    for article in ld:
        if isinstance(article.get("headline"), str):
            return article["headline"].strip()
    heading = root.find(".//h1")
    if heading is not None and heading.text_content().strip():
        return " ".join(heading.text_content().split())
    title = root.find(".//title")
    if title is not None and title.text:
        # "<title>" usually carries " | Outlet" or " - Outlet" after the headline.
        return _TITLE_SUFFIX.sub("", " ".join(title.text.split()))
    return ""


def _published_at(meta: dict[str, str], ld: list[dict], fallback: str | None) -> str | None:
    for key in _PUBLISHED_META_KEYS:
        if meta.get(key):
            return meta[key]
    for article in ld:
        if isinstance(article.get("datePublished"), str):
            return article["datePublished"]
    return fallback


def _main_content_html(page: str, url: str | None) -> str:
    options = {
        "output_format": "html",
        "include_comments": False,
        "include_tables": True,
        "url": url,
    }
    precise = trafilatura.extract(page, favor_precision=True, **options) or ""
    default = trafilatura.extract(page, **options) or ""
    if len(_visible_text(precise)) < PRECISION_MIN_SHARE_OF_DEFAULT * len(_visible_text(default)):
        return default
    if precise or default:
        return precise or default
    # Nothing recognised as an article (tiny or unusual pages): keep the page body; html_blocks
    # still drops navigation, scripts, forms and footers, and the cascade the boilerplate lines.
    return _page_body(page)


def _page_body(page: str) -> str:
    try:
        root = html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return ""
    body = root.find("body")
    if body is None:
        return ""
    return etree.tostring(body, encoding="unicode", method="html")


def _page_figures(root: etree._Element) -> list[tuple[str, str, str]]:
    """(src, alt, caption) of every content image on the page."""
    figures: list[tuple[str, str, str]] = []
    for image in root.iter("img"):
        src = image.get("data-src") or image.get("data-original") or image.get("src") or ""
        alt = " ".join((image.get("alt") or "").split())
        caption = ""
        parent = image.getparent()
        while parent is not None and parent.tag not in {"figure", "body"}:
            parent = parent.getparent()
        if parent is not None and parent.tag == "figure":
            node = parent.find(".//figcaption")
            caption = " ".join(node.text_content().split()) if node is not None else ""
        if alt or caption:
            figures.append((src, alt, caption))
    return figures


def _restore_figures(markup: str, figures: list[tuple[str, str, str]]) -> str:
    """Turn paragraphs that repeat an image's caption or alt text back into figures.

    The text extraction keeps a photo's caption as a plain paragraph (and drops the image), so
    `clean_article` could not tell it from body text; as a figure it becomes an image record.
    """
    if not markup or not figures:
        return markup
    root = html.fromstring(markup)
    for paragraph in list(root.iter("p")):
        text = " ".join(paragraph.text_content().split())
        for src, alt, caption in figures:
            if not any(same_caption(text, known) for known in (alt, caption) if known):
                continue
            figure = etree.Element("figure")
            image = etree.SubElement(figure, "img", src=src, alt=alt)
            image.tail = None
            etree.SubElement(figure, "figcaption").text = text
            figure.tail = paragraph.tail
            paragraph.getparent().replace(paragraph, figure)
            break
    return etree.tostring(root, encoding="unicode", method="html")


def _visible_text(markup: str) -> str:
    if not markup:
        return ""
    return " ".join(html.fromstring(markup).text_content().split())


def _simple_body(markup: str) -> str:
    """trafilatura's HTML body without its <html>/<body> wrapper."""
    if not markup:
        return ""
    root = html.fromstring(markup)
    body = root.find(".//body")
    container = body if body is not None else root
    parts = [etree.tostring(child, encoding="unicode", method="html") for child in container]
    lead = escape(container.text.strip()) if container.text and container.text.strip() else ""
    return "<div>" + (f"<p>{lead}</p>" if lead else "") + "".join(parts) + "</div>"


def extract_generic(html_text: str, url: str) -> ParsedArticle:
    """Title, date, authors and the main content (as simple HTML) of a page from an unknown site."""
    try:
        root = html.document_fromstring(html_text)
    except (etree.ParserError, ValueError):
        root = html.fromstring("<html><body></body></html>")
    meta = _meta_values(root)
    ld = _json_ld_articles(root)
    metadata = trafilatura.extract_metadata(html_text, default_url=url)
    authors = [meta[key] for key in _AUTHOR_META_KEYS if meta.get(key) and not meta[key].startswith("http")][:1]
    if not authors:
        authors = next((names for names in map(_json_ld_authors, ld) if names), [])
    if not authors and metadata is not None and metadata.author:
        authors = [name.strip() for name in metadata.author.split(";") if name.strip()]
    title = _page_title(root, meta, ld) or (metadata.title if metadata is not None and metadata.title else "")
    published_at = _published_at(meta, ld, metadata.date if metadata is not None else None)
    source = urlsplit(url).hostname or ""
    return ParsedArticle(
        url=url,
        source=source.removeprefix("www."),
        title=title,
        body_html=_simple_body(_restore_figures(_main_content_html(html_text, url), _page_figures(root))),
        published_at=published_at,
        modified_at=meta.get("article:modified_time"),
        authors=authors,
        extractor="generic",
    )
