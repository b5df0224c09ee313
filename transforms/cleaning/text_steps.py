"""The text-level cleaning cascade: small pure steps over a list of paragraphs.

Every step has the signature `(paragraphs) -> (paragraphs, changed_count)`; `run_cascade` applies
them in order and records each count under the step's name, which ends up in
`CleanArticle.clean_stats` and the run stats.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from transforms.cleaning import patterns as pat

Paragraphs = list[str]
CleaningStep = Callable[[Paragraphs], tuple[Paragraphs, int]]

# Bylines and datelines open the body; only the first paragraphs are checked for them so a quoted
# "[…기자]" deep in a story stays.
LEADING_BYLINE_SCAN_PARAGRAPHS = 2
# Reporter lines close the body; they may be followed by footers and tail blocks, all within the
# last few paragraphs.
TRAILING_BYLINE_SCAN_PARAGRAPHS = 4
# Repeats shorter than this (letters and digits only) are kept: on the benchmark, deduplicating
# short lines removed table cells and list items; boilerplate repeats are whole sentences.
REPEATED_LINE_MIN_CHARS = 20


def normalize_unicode(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """NFC (decomposed Hangul jamo from macOS editors), no zero-width chars, one form per quote."""
    result: Paragraphs = []
    changed = 0
    for text in paragraphs:
        normalized = unicodedata.normalize("NFC", text)
        normalized = pat.ZERO_WIDTH_CHARS.sub("", normalized).translate(pat.QUOTE_TRANSLATION)
        for pattern, replacement in pat.TEX_QUOTES:
            normalized = pattern.sub(replacement, normalized)
        changed += normalized != text
        result.append(normalized)
    return result, changed


def normalize_whitespace(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """One space between words, none at the ends; empty paragraphs dropped."""
    result: Paragraphs = []
    changed = 0
    for text in paragraphs:
        squeezed = pat.SPACE_RUN.sub(" ", text.replace("\n", " ")).strip()
        changed += squeezed != text
        if squeezed:
            result.append(squeezed)
    return result, changed


def _strip_leading_byline(text: str) -> str:
    for pattern in (
        pat.BYLINE_BRACKET_DATELINE_PREFIX,
        pat.BYLINE_BRACKET_PREFIX,
        pat.BYLINE_DATELINE_PREFIX,
        pat.BYLINE_NAME_EQUALS_PREFIX,
    ):
        text = pattern.sub("", text, count=1)
    return text.strip()


def strip_leading_bylines(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """ "[디지털데일리 이종현기자] …", "(서울=뉴스1) 정재민 기자 = …" at the start of the body."""
    result = list(paragraphs)
    changed = 0
    for index in range(min(LEADING_BYLINE_SCAN_PARAGRAPHS, len(result))):
        stripped = _strip_leading_byline(result[index])
        if stripped != result[index]:
            changed += 1
            result[index] = stripped
    return [text for text in result if text], changed


def is_byline_line(text: str) -> bool:
    if len(text) > pat.BYLINE_LINE_MAX_CHARS:
        return False
    return any(pattern.match(text) for pattern in pat.BYLINE_LINE_PATTERNS)


def drop_byline_lines(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """Whole-line reporter bylines ("홍길동 기자 hong@…", "김승환·이강진 기자hwan@…")."""
    kept = [text for text in paragraphs if not is_byline_line(text)]
    return kept, len(paragraphs) - len(kept)


def strip_trailing_bylines(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """A byline glued to the end of one of the last paragraphs."""
    result = list(paragraphs)
    changed = 0
    for index in range(max(0, len(result) - TRAILING_BYLINE_SCAN_PARAGRAPHS), len(result)):
        stripped = pat.BYLINE_TRAILING.sub("", result[index]).strip()
        if stripped != result[index]:
            changed += 1
            result[index] = stripped
    return [text for text in result if text], changed


def drop_sign_offs(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """ "(END)", "(끝)", "☞공감언론 뉴시스 …" as lines or glued to the end of one of the last paragraphs."""
    changed = 0
    result: Paragraphs = []
    for text in paragraphs:
        if any(pattern.match(text) for pattern in pat.SIGN_OFF_LINE_PATTERNS):
            changed += 1
            continue
        result.append(text)
    for index in range(max(0, len(result) - TRAILING_BYLINE_SCAN_PARAGRAPHS), len(result)):
        stripped = pat.SIGN_OFF_TRAILING.sub("", result[index])
        if stripped != result[index]:
            changed += 1
            result[index] = stripped
    return [text for text in result if text], changed


def drop_copyright_footers(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """ "저작권자 © … 무단전재 및 재배포 금지", "Copyright © 뉴스1. All rights reserved."."""
    result: Paragraphs = []
    changed = 0
    for text in paragraphs:
        match = pat.COPYRIGHT_MARKERS.search(text)
        if match is None:
            result.append(text)
            continue
        if len(text) <= pat.FOOTER_LINE_MAX_CHARS:
            changed += 1
            continue
        if match.start() < len(text) - pat.FOOTER_LINE_MAX_CHARS:
            result.append(text)  # a mention inside real text, not a notice at its end
            continue
        changed += 1
        # A long paragraph with the notice glued on: keep the text before the notice's opening.
        head = text[: match.start()].rstrip(" <[(-–—|")
        cut = max(head.rfind(mark) for mark in (". ", "다.", "? ", "! "))
        if cut > 0:
            head = head[: cut + 2].strip()
        if head:
            result.append(head)
    return result, changed


def is_credit_line(text: str) -> bool:
    return len(text) <= pat.BYLINE_LINE_MAX_CHARS and any(p.match(text) for p in pat.CREDIT_LINE_PATTERNS)


def drop_credit_lines(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """Photo credits on their own line, and a credit opening a paragraph ("[사진=…] 본문")."""
    result: Paragraphs = []
    changed = 0
    for text in paragraphs:
        if is_credit_line(text):
            changed += 1
            continue
        stripped = pat.CREDIT_PREFIX.sub("", text, count=1)
        if stripped != text:
            changed += 1
            if stripped:
                result.append(stripped)
            continue
        result.append(text)
    return result, changed


def _looks_like_headline(text: str) -> bool:
    return len(text) <= pat.RELATED_TITLE_MAX_CHARS and not text.endswith(("다.", ".", "?", "!"))


def drop_related_lists(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """ "관련기사" / "많이 본 뉴스" and the headline list right after it."""
    result: Paragraphs = []
    changed = 0
    in_list = False
    for text in paragraphs:
        if pat.RELATED_LIST_MARKERS.match(text):
            in_list = True
            changed += 1
            continue
        if in_list and _looks_like_headline(text):
            changed += 1
            continue
        in_list = False
        result.append(text)
    return result, changed


def drop_ui_lines(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """Buttons, labels and prompts: "키워드", "다른기사 보기", "SNS 기사보내기", "광고", "구독"…"""
    kept = [text for text in paragraphs if not any(p.match(text) for p in pat.UI_LINE_PATTERNS)]
    return kept, len(paragraphs) - len(kept)


def _dedup_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def drop_repeated_lines(paragraphs: Paragraphs) -> tuple[Paragraphs, int]:
    """A paragraph repeated (sticky teaser, caption pasted twice, footer twice) is kept once.

    Exempt: short lines (table rows, list items) and repeats that come in runs: a run of several
    repeated lines is repeated structure (a weekly plan, a second table), not boilerplate.
    """
    keys = [_dedup_key(text) for text in paragraphs]
    first_seen: dict[str, int] = {}
    is_repeat: list[bool] = []
    for index, key in enumerate(keys):
        is_repeat.append(len(key) >= REPEATED_LINE_MIN_CHARS and key in first_seen)
        first_seen.setdefault(key, index)
    result: Paragraphs = []
    for index, text in enumerate(paragraphs):
        if is_repeat[index]:
            follows_its_twin = index > 0 and keys[index - 1] == keys[index]
            in_run = (index > 0 and is_repeat[index - 1]) or (index + 1 < len(keys) and is_repeat[index + 1])
            if follows_its_twin or not in_run:
                continue
        result.append(text)
    return result, len(paragraphs) - len(result)


# The cascade. Order matters: normalise first so patterns see NFC text with single spaces; cut
# footers before bylines (a footer line may contain an e-mail); related lists before UI lines
# (the list marker would otherwise be dropped alone and its headlines kept).
CLEANING_STEPS: tuple[CleaningStep, ...] = (
    normalize_unicode,
    normalize_whitespace,
    drop_copyright_footers,
    drop_sign_offs,
    strip_leading_bylines,
    drop_byline_lines,
    strip_trailing_bylines,
    drop_credit_lines,
    drop_related_lists,
    drop_ui_lines,
    drop_repeated_lines,
)


def step_name(step: CleaningStep) -> str:
    return getattr(step, "__name__", repr(step))


def run_cascade(
    paragraphs: Paragraphs,
    stats: dict[str, int] | None = None,
    steps: tuple[CleaningStep, ...] = CLEANING_STEPS,
) -> Paragraphs:
    """Apply every step in order; add each step's change count into `stats`."""
    for step in steps:
        paragraphs, changed = step(paragraphs)
        if stats is not None:
            stats[step_name(step)] = stats.get(step_name(step), 0) + changed
    return paragraphs


def split_paragraphs(text: str) -> Paragraphs:
    """Plain text to paragraphs: every non-empty line is one."""
    return [line for line in text.splitlines() if line.strip()]


def clean_text(text: str) -> str:
    """The text-level cascade alone, for plain text; paragraphs joined by a blank line."""
    return "\n\n".join(run_cascade(split_paragraphs(text)))
