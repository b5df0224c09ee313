"""Korean entity extraction on kiwipiepy: PERSON, ORG, LOC by a CRF over Kiwi tokens, MONEY and
DATE by rules, then in-article alias resolution.

One Kiwi per process (`get_extractor`); `extract_many` tokenizes all texts in one batched
`kiwi.tokenize` call whose worker thread analyses the next texts while Python tags this one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import numpy as np
from kiwipiepy import Kiwi
from threadpoolctl import ThreadpoolController

from transforms.collector import paused_collector
from transforms.entities.entity_forms import forms_path_for, load_entity_forms
from transforms.entities.features import (
    FeatureBuilder,
    TokenColumns,
    labels_to_spans,
    reads_as_korean,
    split_tokens,
    with_middle_dots,
)
from transforms.entities.gazetteer import DATA_DIR, Gazetteer, load_gazetteer
from transforms.entities.neural import add_network_scores, load_network, neural_path_for
from transforms.entities.normalize import normalize_money, parse_anchor, resolve_date
from transforms.entities.rules import build_mentions
from transforms.entities.tagger import CrfWeights
from transforms.records import Mention

__all__ = [
    "DEFAULT_MODEL_PATH",
    "TO_SCORER_TYPES",
    "EntityExtractor",
    "entities_jsonl",
    "get_extractor",
    "normalize_money",
    "resolve_date",
]

DEFAULT_MODEL_PATH = DATA_DIR / "entities.crfsuite"
# Our types -> the KLUE kinds the shared scorer uses.
TO_SCORER_TYPES = {"PERSON": "PS", "ORG": "OG", "LOC": "LC", "DATE": "DT", "MONEY": "QT"}
# User-word score for gazetteer names: high enough that 손정의 or 중기부 stay one NNP token.
USER_WORD_SCORE = 0.0
# Lower for everyday terms, so a longer listed name (an NNP user word) that holds one still wins.
COMMON_TERM_SCORE = -3.0
# Texts decoded together by one batched Viterbi pass (numpy's per-step cost is shared by the batch).
DECODE_BATCH = 64
# Tokens per network pass (whole texts, at least one): a decode batch of 64 articles makes arrays too big
# for the CPU caches (~2,200 tokens a pass: 20% less CPU than all 36,000 at once, on article-length texts).
NEURAL_CHUNK_TOKENS = 2_000
# The network's matrix products are small: OpenBLAS's second thread only spins on a busy machine
# (8.3 ms of CPU for a product that takes 0.9 ms on one thread), so BLAS runs on one thread here.
_BLAS = ThreadpoolController()


def build_kiwi(gazetteer: Gazetteer, num_workers: int = 1) -> Kiwi:
    """A Kiwi with gazetteer names as user words (shared by training and extraction)."""
    kiwi = Kiwi(num_workers=num_workers)
    for name in sorted(gazetteer.organisations | gazetteer.countries):
        if " " not in name:
            kiwi.add_user_word(name, "NNP", USER_WORD_SCORE)
    # Everyday IT terms in Hangul as common nouns: Kiwi guesses 양자암호 or 빅테크 a proper noun and reads 소부장
    # (materials, parts, equipment) as the surname 소 and the title 부장, which the tagger then takes for names.
    # Only terms Kiwi does not already read as one common noun: a user word shifts Kiwi's guesses for the
    # unknown word after it (`스타트업 시큐어웨이브` turned a common noun). A term that ends a listed company
    # (클라우드: 네이버클라우드) is left to Kiwi, which would split the company.
    company_endings = {name[-length:] for name in gazetteer.organisations for length in range(2, len(name))}
    terms = sorted(
        term
        for term in gazetteer.common_terms - company_endings
        if all("가" <= char <= "힣" for char in term)  # Latin acronyms are Kiwi's SL tokens already
    )
    for term, tokens in zip(terms, kiwi.tokenize(terms), strict=True):
        if [(token.form, token.tag) for token in tokens] != [(term, "NNG")]:
            kiwi.add_user_word(term, "NNG", COMMON_TERM_SCORE)
    return kiwi


class EntityExtractor:
    """Extracts typed, normalised, alias-resolved mentions from Korean text."""

    def __init__(self, model_path: Path | None = None, num_workers: int = 1) -> None:
        self.gazetteer = load_gazetteer()
        self.num_workers = num_workers
        self.kiwi = build_kiwi(self.gazetteer, num_workers)
        self.use_model(Path(model_path) if model_path else DEFAULT_MODEL_PATH)

    def use_model(self, model_path: Path) -> None:
        """Switch the CRF model and the entity-form lexicon beside it, keeping the Kiwi."""
        self.model_path = Path(model_path)
        self.weights = CrfWeights.for_model(self.model_path)
        self.entity_forms = load_entity_forms(forms_path_for(Path(model_path)))
        self.features = FeatureBuilder(self.gazetteer, self.entity_forms)
        # The network beside the CRF, when there is one: its log-probabilities join the CRF's scores.
        neural_path = neural_path_for(self.model_path)
        self.neural = load_network(neural_path) if neural_path.exists() else None
        if self.neural is not None:
            self.neural.use_label_order(self.weights.labels)

    def _kiwi_for(self, num_workers: int) -> Kiwi:
        # Kiwi fixes its thread count at construction; rebuild (replacing, so still one Kiwi) on change.
        num_workers = max(1, num_workers)
        if num_workers != self.num_workers:
            self.kiwi = build_kiwi(self.gazetteer, num_workers)
            self.num_workers = num_workers
        return self.kiwi

    def tag_tokens(self, tokens: Sequence, text: str) -> list[tuple[int, int, str]]:
        """CRF spans (start, end, KLUE kind) over one text's Kiwi tokens."""
        return self._tag_many([tokens], [text])[0][0]

    def _tag_many(
        self, token_lists: Sequence[Sequence], texts: Sequence[str]
    ) -> tuple[list[list[tuple[int, int, str]]], list[TokenColumns]]:
        """CRF spans per text, and the columns of each text's Kiwi tokens (as given, before any split)."""
        split = [split_tokens(tokens) for tokens in token_lists]
        features = self.features
        # texts with tokens, as their columns (each Kiwi token attribute read once)
        tagged = [(columns, text) for (_, columns, _), text in zip(split, texts, strict=True) if columns.forms]
        emissions: list[np.ndarray] = []
        if tagged:
            columns = [columns for columns, _ in tagged]
            marks = [features.context_marks(text_columns) for text_columns in columns]
            # the whole batch in one flat layout through the CRF's scores and the network
            flat = features.flat_emissions(columns, [text for _, text in tagged], self.weights, marks)
            if self.neural is not None:
                codes = features.flat_neural_codes(columns, marks, flat.layout)
                add_network_scores(self.neural, flat, codes, features, NEURAL_CHUNK_TOKENS)
            layout = flat.layout
            emissions = [
                flat.scores[offset : offset + length]
                for offset, length in zip(layout.offsets, layout.lengths, strict=True)
            ]
        decoded = iter(self.weights.viterbi_many(emissions))
        spans = [labels_to_spans(columns, next(decoded)) if columns.forms else [] for _, columns, _ in split]
        return spans, [original for _, _, original in split]

    def extract_many_with_tokens(
        self,
        texts: Sequence[str],
        published_at: Sequence[str | None] | None = None,
        also_tokenize: Sequence[str] = (),
        num_workers: int = 1,
    ) -> tuple[list[list[Mention]], list[list]]:
        """`extract_many`, plus the Kiwi tokens of `texts` then of `also_tokenize` (e.g. titles: only tokenized,
        in the same batched call), for callers that reuse the analysis (search terms)."""
        tokens: list[list] = []
        mentions = self.extract_many(texts, published_at, num_workers, _tokens=(tokens, also_tokenize))
        return mentions, tokens

    def extract_many(
        self,
        texts: Sequence[str],
        published_at: Sequence[str | None] | None = None,
        num_workers: int = 1,
        _tokens: tuple[list[list], Sequence[str]] | None = None,
    ) -> list[list[Mention]]:
        """Mentions per text; `published_at[i]` anchors relative dates in `texts[i]`.

        Texts are decoded DECODE_BATCH at a time (one Viterbi pass for the lot) while Kiwi's worker
        thread analyses the texts after them.
        """
        if not texts:
            return []
        # Tagging allocates many short-lived tuples and lists: with the collector on, full collections that
        # walk the whole process cost more CPU than the tagging itself on a large heap (transforms.collector).
        with paused_collector(), _BLAS.limit(limits=1, user_api="blas"):
            return self._extract_many(texts, published_at, num_workers, _tokens)

    def _extract_many(
        self,
        texts: Sequence[str],
        published_at: Sequence[str | None] | None,
        num_workers: int,
        keep_tokens: tuple[list[list], Sequence[str]] | None = None,
    ) -> list[list[Mention]]:
        anchors = [parse_anchor(value) for value in published_at] if published_at else [None] * len(texts)
        kiwi = self._kiwi_for(num_workers)
        # Kiwi and the tagger read the dots normalised; mentions keep the text's own characters
        tagged_texts = [with_middle_dots(text) for text in texts]
        only_tokenized = [with_middle_dots(text) for text in keep_tokens[1]] if keep_tokens else []
        analysed = kiwi.tokenize(tagged_texts + only_tokenized)
        results: list[list[Mention]] = []
        for first in range(0, len(texts), DECODE_BATCH):
            batch = texts[first : first + DECODE_BATCH]
            token_lists = list(islice(analysed, len(batch)))
            if keep_tokens:
                keep_tokens[0].extend(token_lists)
            spans, columns = self._tag_many(token_lists, tagged_texts[first : first + DECODE_BATCH])
            for text, anchor, text_columns, text_spans in zip(batch, anchors[first:], columns, spans, strict=False):
                if not reads_as_korean(text):
                    text_spans = []  # no names from a Korean tagger on English text; money and dates still
                results.append(
                    build_mentions(text, text_columns, text_spans, anchor, self.gazetteer, self.entity_forms)
                )
        if keep_tokens:
            keep_tokens[0].extend(analysed)  # the texts only tokenized
        return results

    def extract(self, text: str, published_at: str | None = None) -> list[Mention]:
        return self.extract_many([text], [published_at])[0]


_extractors: dict[Path | None, EntityExtractor] = {}
_extractors_lock = threading.Lock()


def get_extractor(model_path: Path | None = None) -> EntityExtractor:
    """The process-wide extractor for a model (building Kiwi takes ~1.4 s and ~0.5 GB)."""
    key = Path(model_path) if model_path else None
    with _extractors_lock:
        extractor = _extractors.get(key)
        if extractor is None:
            extractor = _extractors[key] = EntityExtractor(key)
        return extractor


def entities_jsonl(
    lines: Iterable[str],
    published_at: str | None = None,
    model_path: Path | None = None,
    batch_size: int = 256,
    document: bool = False,
) -> Iterator[str]:
    """One `{"entities": [...]}` JSON line per input line, in order (for `newsetl entities`).

    With `document`, the lines are one document (as the pipeline tags an article): one JSON line whose
    offsets count from the start of the input, lines joined by "\n", so 손 회장 on a later line
    resolves to the full name given earlier.
    """
    if document:
        text = "\n".join(line.rstrip("\r\n") for line in lines)
        mentions = get_extractor(model_path).extract(text, published_at)
        yield json.dumps({"entities": [mention.to_dict() for mention in mentions]}, ensure_ascii=False)
        return
    for _, mentions in tag_lines(lines, published_at, batch_size, model_path):
        yield json.dumps({"entities": [mention.to_dict() for mention in mentions]}, ensure_ascii=False)


def tag_lines(
    lines: Iterable[str], published_at: str | None, batch_size: int = 256, model_path: Path | None = None
) -> Iterator[tuple[str, list[Mention]]]:
    """Each input line (its line break dropped) with its mentions, in order, tagged `batch_size` lines at a time:
    a stream of any length in bounded memory, each batch through Kiwi's multi-text call."""
    extractor = get_extractor(model_path)
    batch: list[str] = []
    for line in lines:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= batch_size:
            yield from zip(batch, extractor.extract_many(batch, [published_at] * len(batch)), strict=True)
            batch = []
    if batch:
        yield from zip(batch, extractor.extract_many(batch, [published_at] * len(batch)), strict=True)
