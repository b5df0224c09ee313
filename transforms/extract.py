"""Main-text extraction for pages of unknown sites (the generic path).

Stages:
1. trafilatura in precision mode gives the main content as simple HTML; precision mode drops the
   comment, teaser and "more stories" blocks that the default mode lets through on news pages.
2. If precision mode kept much less text than the default mode, it cut real paragraphs (it does
   on pages with one big container and unusual markup): fall back to the default extraction.
   If neither mode finds an article, the page body is passed on as is (tiny pages).
3. Metadata: the page rules of `transforms.metadata` (JSON-LD, meta, portal markers, visible
   "입력 …" lines), then trafilatura's own metadata for anything they missed.
The result is a ParsedArticle whose body_html holds only p / h / li / figure elements, ready for
`clean_article`.
"""

from __future__ import annotations

import copy
from html import escape
from urllib.parse import urlsplit

import trafilatura
from lxml import etree, html

from transforms.cleaning.captions import same_caption
from transforms.cleaning.patterns import NEAR_IMAGE_CAPTION_CLASS
from transforms.html_blocks import class_and_id
from transforms.metadata import page_metadata, parse_authors, parse_page_datetime
from transforms.records import ParsedArticle

# Fall back to default-mode output when the precision output holds less than this share of its
# text. Measured on the article-extraction benchmark: real cuts leave < 35% (e.g. 260 of 3,213
# chars), boilerplate trims keep more; F1 is 0.970 for any value in 0.35-0.5, 0.968 at 0.65 and
# 0.967 at 0.8 (too many fallbacks to the noisier default output).
PRECISION_MIN_SHARE_OF_DEFAULT = 0.5
# The page element that holds the text trafilatura chose is used as the body (it keeps the
# structure trafilatura flattens: <br> paragraphs, photo boxes, decks, intertitles) when it holds at
# least this share of that text (the deepest such element; siblings holding the rest are added by
# the climb below). Benchmark F1: 0.9767 at 0.6, 0.9766 at 0.7, 0.9754 at 0.8, 0.9744 at 0.85,
# 0.9728 at 0.95: a deeper element keeps less of the page's clutter ...
CONTAINER_MIN_COVERAGE = 0.7
# ... and not much more text besides (else it is a page wrapper and trafilatura's output is used).
CONTAINER_MAX_EXTRA_SHARE = 1.0
CONTAINER_MAX_EXTRA_CHARS = 600
# Texts shorter than this (letters only) are not used to locate the body: too common to place.
LOCATE_MIN_CHARS = 12
# A text piece between tags this long that is in the extracted text keeps its block.
LOCATE_PIECE_MIN_CHARS = 8
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
_CONTAINER_TAGS = frozenset({"div", "article", "section", "main", "td", "body", "span", "font", "p"})
_KEPT_WITHOUT_MATCH = frozenset({"h2", "h3", "h4", "figure", "img", "picture", "br", "hr"})
# A <p> of this many characters with at most this share of link text is prose; the container
# climbs to a parent that adds at least PROSE_MIN_CLIMB_CHARS of prose, making up at least
# PROSE_MIN_SHARE_OF_ADDED of the text it adds.
PROSE_MIN_CHARS = 80
PROSE_MAX_LINK_SHARE = 0.2
PROSE_MIN_CLIMB_CHARS = 300
PROSE_MIN_SHARE_OF_ADDED = 0.6
PROSE_CLIMB_LEVELS = 4
# Only blocks are pruned: an inline element (a link, a bold run) is part of the line around it.
_PRUNED_TAGS = frozenset(
    {"div", "section", "aside", "ul", "ol", "dl", "table", "p", "form", "header", "footer", "nav", "blockquote"}
)


def _main_content_html(page: str | etree._Element, url: str | None) -> str:
    """trafilatura's main content as HTML. `page` is the markup, or for a page nested deeper than libxml2's
    default limit the tree parsed without that limit (trafilatura prunes what it is given: it gets copies)."""
    options = {
        "output_format": "html",
        "include_comments": False,
        "include_tables": True,
        "url": url,
    }

    def source() -> str | etree._Element:
        return page if isinstance(page, str) else copy.deepcopy(page)

    precise = trafilatura.extract(source(), favor_precision=True, **options) or ""
    default = trafilatura.extract(source(), **options) or ""
    if len(_visible_text(precise)) < PRECISION_MIN_SHARE_OF_DEFAULT * len(_visible_text(default)):
        return default
    if precise or default:
        return precise or default
    # Nothing recognised as an article (tiny or unusual pages): keep the page body; html_blocks
    # still drops navigation, scripts, forms and footers, and the cascade the boilerplate lines.
    return _page_body(page)


def _page_body(page: str | etree._Element) -> str:
    try:
        root = page if not isinstance(page, str) else html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return ""
    body = root.find("body")
    if body is None:
        return ""
    return etree.tostring(body, encoding="unicode", method="html")


def _squash(text: str) -> str:
    return "".join(text.split())


def _subtree_texts(root: etree._Element) -> dict[etree._Element, str]:
    """Whitespace-free visible text of every element (scripts and styles left out), bottom-up."""
    texts: dict[etree._Element, str] = {}

    def visit(node: etree._Element) -> str:
        tag = node.tag if isinstance(node.tag, str) else ""
        parts = [node.text or ""] if tag and tag not in _SKIPPED_TAGS else []
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED_TAGS:
                parts.append(visit(child))
            parts.append(child.tail or "")
        text = _squash("".join(parts))
        if tag:
            texts[node] = text
        return text

    visit(root)
    return texts


def _main_paragraphs(markup: str) -> tuple[list[str], str]:
    """The whitespace-free texts of the paragraphs in trafilatura's output (long enough to place),
    and of the whole output."""
    if not markup:
        return [], ""
    tree = html.fromstring(markup)
    paragraphs = []
    for element in tree.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "pre"):
        for line in "".join(element.itertext()).split("\n"):
            text = _squash(line)
            if len(text) >= LOCATE_MIN_CHARS:
                paragraphs.append(text)
    # Text written straight into a block and split by <br> (Naver's article element): each piece between
    # tags is a paragraph too.
    for element in tree.iter("div", "section", "article", "body"):
        for piece in (element.text, *(child.tail for child in element)):
            text = _squash(piece or "")
            if len(text) >= LOCATE_MIN_CHARS:
                paragraphs.append(text)
    return paragraphs, _squash("".join(tree.itertext()))


def _climb_to_like_chunks(
    best: etree._Element, texts: dict[etree._Element, str]
) -> tuple[etree._Element, set[etree._Element]]:
    """trafilatura sometimes keeps one chunk of an article split into several same-class blocks (ads
    between them): climb to the element holding the chunk's like-classed siblings when they are prose.
    Returns that element and the chunks to keep (none when it stayed put)."""
    chunks: set[etree._Element] = set()
    child = best
    for level, ancestor in enumerate(best.iterancestors()):
        if level >= PROSE_CLIMB_LEVELS or ancestor.tag == "body" or ancestor.tag not in _CONTAINER_TAGS:
            break
        if child.tag == "article":
            break  # never out of the article element: its like-classed siblings are other stories
        siblings = [
            node
            for node in ancestor
            if node is not child
            and node.tag == child.tag
            and node.get("class") == child.get("class")
            and node.find(".//h1") is None
            and node.find(".//article") is None
        ]
        sibling_text = sum(len(texts.get(node, "")) for node in siblings)
        sibling_prose = sum(_prose_chars(node, texts) for node in siblings)
        if sibling_prose >= PROSE_MIN_CLIMB_CHARS and sibling_prose >= PROSE_MIN_SHARE_OF_ADDED * sibling_text:
            best, chunks = ancestor, {child, *siblings}
        child = ancestor
    return best, chunks


def _source_container(root: etree._Element, main_html: str) -> str | None:
    """The page's own element around the text trafilatura extracted, pruned of blocks that hold
    none of it; None when no element holds that text without much else (then its output is used)."""
    located, main_text = _main_paragraphs(main_html)
    paragraphs = list(dict.fromkeys(located))
    total = sum(map(len, paragraphs))
    body = root.find("body")
    if total < 200 or body is None:
        return None
    texts = _subtree_texts(body)
    best: etree._Element | None = None
    best_depth = -1
    for element, text in texts.items():
        if element.tag not in _CONTAINER_TAGS or len(text) < CONTAINER_MIN_COVERAGE * total:
            continue
        covered = sum(len(p) for p in paragraphs if p in text)
        if covered < CONTAINER_MIN_COVERAGE * total:
            continue
        depth = sum(1 for _ in element.iterancestors())
        if depth > best_depth:
            best, best_depth = element, depth
    if best is None:
        return None
    # Climb while the parent adds more of the extracted text than other text (a paragraph or two
    # of the article sitting beside the block that holds the rest).
    covered = sum(len(p) for p in paragraphs if p in texts[best])
    parent = best.getparent()
    while parent is not None and parent.tag in _CONTAINER_TAGS and covered < total:
        parent_covered = sum(len(p) for p in paragraphs if p in texts[parent])
        gained, extra = parent_covered - covered, len(texts[parent]) - len(texts[best]) - (parent_covered - covered)
        if gained <= 0 or extra > gained:
            break
        best, covered, parent = parent, parent_covered, parent.getparent()
    if len(texts[best]) - total > CONTAINER_MAX_EXTRA_SHARE * total + CONTAINER_MAX_EXTRA_CHARS:
        return None
    best, chunks = _climb_to_like_chunks(best, texts)
    container = copy.deepcopy(best)
    original = {copied: source for copied, source in zip(container.iter(), best.iter(), strict=True)}
    _prune(container, original, texts, paragraphs, main_text, chunks)
    if container.tag == "body":
        container.tag = "div"  # a fragment, not a page: clean_article must not extract it again
    return etree.tostring(container, encoding="unicode", method="html")


def _is_prose(paragraph: etree._Element, texts: dict[etree._Element, str]) -> bool:
    """A long <p> with few links: article text even where trafilatura did not take it."""
    text = texts.get(paragraph, "")
    if len(text) < PROSE_MIN_CHARS:
        return False
    linked = sum(len(texts.get(link, "")) for link in paragraph.iter("a"))
    return linked <= PROSE_MAX_LINK_SHARE * len(text)


def _prose_chars(element: etree._Element, texts: dict[etree._Element, str]) -> int:
    return sum(len(texts.get(paragraph, "")) for paragraph in element.iter("p") if _is_prose(paragraph, texts))


def _prune(
    element: etree._Element,
    original: dict[etree._Element, etree._Element],
    texts: dict[etree._Element, str],
    paragraphs: list[str],
    main_text: str,
    chunks: frozenset[etree._Element] | set[etree._Element] = frozenset(),
    in_chunk: bool = False,
) -> None:
    """Drop child blocks whose text trafilatura left out entirely (share bars, ad slots, related
    boxes inside the article element); keep images, intertitles and anything holding main text."""
    for child in list(element):
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag:
            continue
        if tag in {"figure", "figcaption"} or (
            NEAR_IMAGE_CAPTION_CLASS.search(class_and_id(child)) and element.find(".//img") is not None
        ):
            continue  # a photo's caption is never in the extracted text: the caption rules judge it whole
        source = original.get(child)
        inside = in_chunk or source in chunks
        if tag not in _PRUNED_TAGS:
            _prune(child, original, texts, paragraphs, main_text, chunks, inside)
            continue
        text = texts.get(original.get(child), "")
        keep = (
            not text
            or tag in _KEPT_WITHOUT_MATCH
            or child.find(".//img") is not None
            or text in main_text
            or any(p in text for p in paragraphs)
            or _shares_a_text_piece(child, main_text)
            or source in chunks
            or (inside and _prose_chars(source, texts) > 0)
        )
        if not keep:
            _remove_keeping_tail(child)
        else:
            _prune(child, original, texts, paragraphs, main_text, chunks, inside)


def _shares_a_text_piece(element: etree._Element, main_text: str) -> bool:
    """True when one of the element's own text pieces (between tags) is in the extracted text:
    trafilatura joins and splits lines its own way, so whole blocks may not match."""
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag in _SKIPPED_TAGS:
            continue
        for piece in (node.text if isinstance(node.tag, str) else None, node.tail if node is not element else None):
            squashed = _squash(piece or "")
            if len(squashed) >= LOCATE_PIECE_MIN_CHARS and squashed in main_text:
                return True
    return False


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


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
        else:
            caption = _caption_beside(image)
        if alt or caption:
            figures.append((src, alt, caption))
    return figures


def _caption_beside(image: etree._Element) -> str:
    """The caption box next to an image outside <figure> (`<div class="imageC"><img><div class="desc">…`):
    a caption-classed element within the image's parent or grandparent, when that holds no other image."""
    holder = image.getparent()
    for _ in range(2):
        if holder is None or sum(1 for _ in holder.iter("img")) > 1:
            return ""
        for node in holder.iter():
            if isinstance(node.tag, str) and node.tag != "img" and NEAR_IMAGE_CAPTION_CLASS.search(class_and_id(node)):
                return " ".join(node.text_content().split())
        holder = holder.getparent()
    return ""


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
    parser = html.HTMLParser()
    try:
        root = html.document_fromstring(html_text, parser=parser)
    except (etree.ParserError, ValueError):
        root = html.fromstring("<html><body></body></html>")
    # libxml2 stops at 256 nested elements and drops what lies deeper (an article inside ~250 wrappers came
    # out as navigation text only): such a page is parsed again without the limit, and trafilatura gets that tree.
    too_deep = any("Excessive depth" in str(error.message) for error in parser.error_log)
    if too_deep:
        root = html.document_fromstring(html_text, parser=html.HTMLParser(huge_tree=True))
    meta = page_metadata(root, url)
    title, published_at, authors = meta.title, meta.published_at, meta.authors
    if not (title and published_at and authors):
        # trafilatura's own metadata (htmldate, its byline rules) only for what the page rules missed.
        found = trafilatura.extract_metadata(html_text, default_url=url)
        if found is not None:
            title = title or found.title or ""
            published_at = published_at or parse_page_datetime(found.date)
            authors = authors or parse_authors((found.author or "").split(";"), meta.site_names)
    main_html = _main_content_html(root if too_deep else html_text, url)
    body_html = _source_container(root, main_html)
    if body_html is None:
        body_html = _simple_body(_restore_figures(main_html, _page_figures(root)))
    source = urlsplit(url).hostname or ""
    return ParsedArticle(
        url=url,
        source=source.removeprefix("www."),
        title=title,
        subtitle=meta.subtitle,
        section=meta.section,
        body_html=body_html,
        published_at=published_at,
        modified_at=meta.modified_at,
        authors=authors,
        extractor="generic",
    )
