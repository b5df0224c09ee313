"""The cleaning cascade: patterns (data), text steps, caption handling, clean_article.

Public names are re-exported by `transforms.clean`; they resolve lazily here because
`transforms.html_blocks` imports `transforms.cleaning.patterns` while `article` imports
`html_blocks` (eager imports would be circular).
"""

from __future__ import annotations

from typing import Any

__all__ = ["CLEANING_STEPS", "clean_article", "clean_text", "run_cascade", "split_caption_credit"]


def __getattr__(name: str) -> Any:
    if name == "clean_article":
        from transforms.cleaning.article import clean_article

        return clean_article
    if name == "split_caption_credit":
        from transforms.cleaning.captions import split_caption_credit

        return split_caption_credit
    if name in {"CLEANING_STEPS", "clean_text", "run_cascade"}:
        from transforms.cleaning import text_steps

        return getattr(text_steps, name)
    raise AttributeError(name)
