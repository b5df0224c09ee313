"""Photo captions: split a caption from its credit, and pull caption paragraphs out of the body.

A caption reaches the scraped body in three ways: as <figcaption>, as the image's alt text, and
as a bare paragraph right under (or above) the image. All of them describe the same photo; the
body keeps none of them and the image record keeps one caption and one credit.
"""

from __future__ import annotations

import unicodedata

from transforms.cleaning import patterns as pat
from transforms.html_blocks import Block
from transforms.records import ImageRecord

# "Same caption" when one text holds the other and the shorter is at least this share of the
# longer: a credit suffix or prefix is at most ~40% of a caption.
CAPTION_SUBSTRING_MIN_SHARE = 0.6


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(pat.QUOTE_TRANSLATION)
    return pat.SPACE_RUN.sub(" ", pat.ZERO_WIDTH_CHARS.sub("", text)).strip()


def split_caption_credit(text: str) -> tuple[str, str]:
    """ "… 인사말을 하고 있다. / 중기부 제공" -> ("… 인사말을 하고 있다.", "중기부 제공")."""
    caption = pat.CAPTION_LEADING_MARK.sub("", _tidy(text))
    credits: list[str] = []

    match = pat.CAPTION_LEADING_BYLINE.match(caption)
    if match and match.end() < len(caption):
        credits.append(" ".join(part for part in match.groups() if part))
        caption = caption[match.end() :]
    caption = pat.CAPTION_TRAILING_STAMP.sub("", caption)
    match = pat.CAPTION_LEADING_CREDIT.match(caption)
    if match:
        credits.append(match.group(1))
        caption = caption[match.end() :]
    match = pat.CAPTION_BRACKET_CREDIT.search(caption)
    if match:
        credits.append(match.group(1))
        caption = (caption[: match.start()] + " " + caption[match.end() :]).strip()
    match = pat.CAPTION_TRAILING_WIRE_CREDIT.search(caption)
    if match and match.start() > 0:
        credits.append(match.group(1))
        caption = caption[: match.start()].strip()
    match = pat.CAPTION_COPYRIGHT_CREDIT.search(caption)
    if match:
        credits.append(match.group(1))
        caption = caption[: match.start()].strip()
    match = pat.CAPTION_TRAILING_SLASH_CREDIT.search(caption)
    if match and match.start() > 0:
        credits.append(match.group(1).strip())
        caption = caption[: match.start()].strip()
    match = pat.CAPTION_TRAILING_CREDIT.search(caption)
    if match:
        credits.append(match.group(1).strip())
        caption = caption[: match.start()].strip()
    # A caption that was only a credit ("사진=연합뉴스").
    if not caption and not credits:
        return "", ""
    values = (pat.CREDIT_LABEL.sub("", credit.strip(" []()<>")).strip() for credit in credits)
    credit = " ".join(dict.fromkeys(value for value in values if value))
    return caption.strip(), credit


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalnum())


def looks_like_caption(text: str) -> bool:
    """A bare paragraph that reads like a photo caption: short and carrying a photo credit."""
    tidy = _tidy(text)
    if not tidy or len(tidy) > pat.CAPTION_MAX_CHARS:
        return False
    # A wire dateline byline opens body paragraphs as often as captions: it alone proves nothing.
    tidy = pat.CAPTION_LEADING_BYLINE.sub("", tidy, count=1)
    caption, credit = split_caption_credit(tidy)
    return bool(credit) and caption != tidy


def same_caption(first: str, second: str) -> bool:
    """True when two texts are the same caption, allowing a credit added to one of them."""
    if _same_text(first, second):
        return True
    first_caption, second_caption = split_caption_credit(first)[0], split_caption_credit(second)[0]
    return bool(first_caption) and _key(first_caption) == _key(second_caption)


def _same_text(first: str, second: str) -> bool:
    a, b = _key(first), _key(second)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    # Substring matches only when nearly the whole text repeats (a caption plus its credit).
    return a == b or (len(shorter) >= CAPTION_SUBSTRING_MIN_SHARE * len(longer) and shorter in longer)


def _is_caption_box(block: Block) -> bool:
    return block.kind == "image" and not block.src and bool(block.caption)


def separate_images(blocks: list[Block], stats: dict[str, int] | None = None) -> tuple[list[Block], list[ImageRecord]]:
    """Split blocks into body blocks and image records with caption and credit.

    Removes from the body: the caption paragraph right after an image when it repeats the alt
    text or looks like a caption, and any paragraph repeating a known caption or alt text.
    """
    images: list[ImageRecord] = []
    known_captions: list[str] = []
    body: list[Block] = []
    removed = 0
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind != "image":
            body.append(block)
            index += 1
            continue
        caption_source = block.caption or ""
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.src and not caption_source and following is not None and _is_caption_box(following):
            # An <img> and the caption element right after it (legacy templates): one photo.
            caption_source = following.caption
            index += 1
            following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and following.kind == "paragraph":
            repeats_alt = bool(block.alt) and _same_text(following.text, block.alt)
            repeats_caption = bool(caption_source) and _same_text(following.text, caption_source)
            if repeats_alt or repeats_caption or (not caption_source and looks_like_caption(following.text)):
                caption_source = caption_source or following.text
                removed += 1
                index += 1
        # A bare caption paragraph above the image (some CMS put it first).
        if not caption_source and body and body[-1].kind == "paragraph" and looks_like_caption(body[-1].text):
            caption_source = body.pop().text
            removed += 1
        if not caption_source and block.alt and looks_like_caption(block.alt):
            caption_source = block.alt
        caption, credit = split_caption_credit(caption_source) if caption_source else ("", "")
        if block.src or caption:
            images.append(ImageRecord(src=block.src, caption=caption, credit=credit))
        known_captions.extend(text for text in (block.caption, block.alt, caption) if text)
        index += 1

    kept: list[Block] = []
    for block in body:
        # Only whole-paragraph repeats of a caption go, never a long paragraph quoting one.
        if (
            block.kind == "paragraph"
            and len(block.text) <= pat.CAPTION_MAX_CHARS
            and any(_same_text(block.text, known) for known in known_captions)
        ):
            removed += 1
            continue
        kept.append(block)
    if stats is not None:
        stats["separate_image_captions"] = stats.get("separate_image_captions", 0) + removed
    return kept, images
