"""Public cleaning API (the contract other stages code against).

    clean_article(parsed: ParsedArticle) -> CleanArticle
    clean_text(text: str) -> str
    CLEANING_STEPS: the ordered text cascade; each step's count lands in CleanArticle.clean_stats

The implementation lives in the `transforms.cleaning` package.
"""

from __future__ import annotations

from transforms.cleaning.article import authors_from_bylines, clean_article
from transforms.cleaning.captions import split_caption_credit
from transforms.cleaning.text_steps import CLEANING_STEPS, CleaningStep, clean_text, run_cascade

__all__ = [
    "CLEANING_STEPS",
    "CleaningStep",
    "authors_from_bylines",
    "clean_article",
    "clean_text",
    "run_cascade",
    "split_caption_credit",
]
