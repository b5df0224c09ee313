"""Flatten an article body container (HTML) into an ordered list of text and image blocks.

Cleaning works on blocks, not on raw HTML: a block is one paragraph, heading, list item or
image (with its alt text and caption). Elements that are never article text (scripts, forms,
share bars, ad slots, related-article boxes) are dropped here by tag and by class/id names, so the
text cascade in `transforms/cleaning` only sees candidate paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

from transforms.cleaning.patterns import (
    CAPTION_CLASS_PATTERN,
    CLUTTER_CLASS_PATTERN,
    DECK_CLASS_PATTERN,
    NEAR_IMAGE_CAPTION_CLASS,
    PHOTO_CONTAINER_CLASS_PATTERN,
)

# Tags whose content is never article text.
DROPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "svg",
        "canvas",
        "video",
        "audio",
        "object",
        "embed",
        "nav",
        "aside",
        "footer",
        "ins",
        "head",
        "title",
        "meta",
        "link",
        "caption",  # a table's caption labels the table, it is not article text
    }
)
# Tags that end the current paragraph and start a new one.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tbody",
        "thead",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "figure",
        "figcaption",
        "center",
        "body",
        "html",
    }
)
TABLE_CELL_TAGS = frozenset({"td", "th"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CAPTION_TAGS = frozenset({"figcaption"})

_SPACE_RUN = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


@dataclass(slots=True)
class Block:
    """One unit of the body: kind is "paragraph", "heading" or "image"."""

    kind: str
    text: str = ""
    src: str = ""
    alt: str = ""
    caption: str = ""


def class_and_id(element: etree._Element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".strip()


def _is_clutter(element: etree._Element) -> bool:
    names = class_and_id(element)
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    return bool(names) and CLUTTER_CLASS_PATTERN.search(names) is not None


def _is_deck(element: etree._Element) -> bool:
    names = class_and_id(element)
    return bool(names) and DECK_CLASS_PATTERN.search(names) is not None


def _image_src(image: etree._Element) -> str:
    """The real source of an image: lazy-loading attributes first (src often holds a placeholder)."""
    for attribute in ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "src"):
        value = image.get(attribute)
        if value and value.strip() and not value.startswith("data:"):
            return value.strip()
    for attribute in ("data-srcset", "srcset", "data-lazy-srcset"):
        # "a.jpg 1x, b.jpg 2x": the first candidate.
        value = (image.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value.split(",")[0].split()[0]
    return ""


def _text_of(element: etree._Element) -> str:
    """Visible text of an element, with <br> as a line break and dropped tags skipped."""
    pieces: list[str] = []

    def visit(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in DROPPED_TAGS or (tag and _is_clutter(node)):
            return
        if tag == "br" or tag in BLOCK_TAGS and pieces:
            pieces.append("\n")
        if tag and node.text:
            pieces.append(node.text)
        for child in node:
            visit(child)
            if child.tail:
                pieces.append(child.tail)

    visit(element)
    return "".join(pieces)


class _BlockCollector:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._buffer_kind = "paragraph"

    def _has_text(self) -> bool:
        return any(block.kind != "image" for block in self.blocks) or bool("".join(self._buffer).strip())

    def _after_image(self) -> bool:
        """True when the last thing read was an image (no text since)."""
        return bool(self.blocks) and self.blocks[-1].kind == "image" and not "".join(self._buffer).strip()

    def add_text(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        kind, self._buffer_kind = self._buffer_kind, "paragraph"
        # <br> lines inside one container are separate paragraphs in Korean CMS bodies.
        for line in text.split("\n"):
            line = _SPACE_RUN.sub(" ", line).strip()
            if line:
                self.blocks.append(Block(kind=kind, text=line))

    def add_image(self, image: etree._Element, caption: str = "") -> None:
        src = _image_src(image)
        alt = _SPACE_RUN.sub(" ", image.get("alt", "") or image.get("title", "")).strip()
        if src or alt or caption:
            self.blocks.append(Block(kind="image", src=src, alt=alt, caption=caption))

    def add_figure(self, figure: etree._Element) -> None:
        """A figure or photo box: its images, and its remaining text as their caption."""
        images = [node for node in figure.iter("img")]
        caption_nodes = [node for node in figure.iter() if node.tag in CAPTION_TAGS]
        caption = " ".join(_text_of(node) for node in caption_nodes) if caption_nodes else _text_of(figure)
        caption = _SPACE_RUN.sub(" ", caption.replace("\n", " ")).strip()
        self.flush()
        if not images:
            if caption:
                self.blocks.append(Block(kind="image", caption=caption))
            return
        for index, image in enumerate(images):
            # One caption usually describes the whole photo box; attach it to the first image.
            self.add_image(image, caption if index == 0 else "")

    def _took_whole(self, element: etree._Element, tag: str, is_root: bool) -> bool:
        """Elements that become one block (or none) as a whole: decks, photo boxes, lone captions, images,
        line breaks. True when `element` was one of them and needs no walk through its children."""
        if not is_root and _is_deck(element):
            if not self._has_text():
                # A deck above the body is the subtitle (from the page metadata), not body text.
                return True
            # Further down, a "subtitle" box is an intertitle: its own paragraph.
            self.flush()
            self._buffer_kind = "heading"
            self.add_text(_text_of(element).replace("\n", " "))
            self.flush()
            return True
        if tag == "figure" or (
            tag in {"div", "table", "span", "p"}
            and element.find(".//img") is not None
            and PHOTO_CONTAINER_CLASS_PATTERN.search(class_and_id(element))
        ):
            self.add_figure(element)
            return True
        names = class_and_id(element)
        under_image = NEAR_IMAGE_CAPTION_CLASS.search(names) is not None and self._after_image()
        if tag != "figcaption" and not is_root and (CAPTION_CLASS_PATTERN.search(names) or under_image):
            # A caption box without its image (the extractor dropped it): still a caption. A box only named
            # "desc" is one when it comes right after an image.
            self.flush()
            caption = _SPACE_RUN.sub(" ", _text_of(element).replace("\n", " ")).strip()
            if caption:
                self.blocks.append(Block(kind="image", caption=caption))
            return True
        if tag == "img":
            self.flush()
            self.add_image(element)
            return True
        if tag == "br":
            self.add_text("\n")
            return True
        return False

    def visit(self, element: etree._Element, is_root: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag:  # comments and processing instructions
            return
        tag = tag.lower()
        # The container itself is the article even when its classes look like clutter.
        if tag in DROPPED_TAGS or (not is_root and _is_clutter(element)):
            return
        if self._took_whole(element, tag, is_root):
            return
        if tag in TABLE_CELL_TAGS:
            # A table row stays one paragraph; cells are separated by a space.
            self.add_text(" ")
        is_block = tag in BLOCK_TAGS
        if is_block:
            self.flush()
            if tag in HEADING_TAGS:
                self._buffer_kind = "heading"
        self.add_text(element.text)
        for child in element:
            self.visit(child)
            self.add_text(child.tail)
        if is_block:
            self.flush()


def parse_fragment(markup: str) -> etree._Element:
    """Parse a body container or a whole page into one root element."""
    head = markup[:2000].lower()
    if "<html" in head or "<body" in head or "<!doctype" in head:
        document = html.document_fromstring(markup)
        body = document.find("body")
        return body if body is not None else document
    return html.fragment_fromstring(markup, create_parent="div")


def html_to_blocks(markup: str) -> list[Block]:
    """Ordered paragraph/heading/image blocks of an article body container."""
    if not markup or not markup.strip():
        return []
    try:
        root = parse_fragment(markup)
    except (etree.ParserError, ValueError):
        return [Block(kind="paragraph", text=line.strip()) for line in markup.splitlines() if line.strip()]
    collector = _BlockCollector()
    # The fragment wrapper and the container under it are both "root": never clutter.
    if root.tag == "div" and len(root) == 1 and not (root.text or "").strip():
        collector.visit(root[0], is_root=True)
    else:
        collector.visit(root, is_root=True)
    collector.flush()
    return collector.blocks


# A <p> this long with at most this share of link text reads as article prose.
PROSE_MIN_CHARS = 80
PROSE_MAX_LINK_SHARE = 0.2


def prose_chars(element: etree._Element) -> int:
    """Characters of article-like prose under an element: long <p>s that are not link lists."""
    total = 0
    # XPath (in C) picks the long ones first: most <p>s of a page are short.
    for paragraph in element.xpath(".//p[string-length(normalize-space()) >= $chars]", chars=PROSE_MIN_CHARS):
        length = len("".join("".join(paragraph.itertext()).split()))
        if length < PROSE_MIN_CHARS:
            continue
        linked = sum(len("".join("".join(link.itertext()).split())) for link in paragraph.iter("a"))
        if linked <= PROSE_MAX_LINK_SHARE * length:
            total += length
    return total
