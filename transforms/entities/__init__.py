"""Korean entity extraction on kiwipiepy: PERSON, ORG, LOC by a CRF over Kiwi tokens, MONEY and
DATE by rules, then in-article alias resolution.

One Kiwi per process (`get_extractor`); `extract_many` tokenizes all texts in one batched
`kiwi.tokenize` call whose worker thread analyses the next texts while Python tags this one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pycrfsuite
from kiwipiepy import Kiwi

from transforms.entities.aliases import build_mentions
from transforms.entities.features import FeatureBuilder, labels_to_spans, split_compounds
from transforms.entities.gazetteer import DATA_DIR, Gazetteer, load_gazetteer
from transforms.entities.normalize import normalize_money, parse_anchor, resolve_date
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


def build_kiwi(gazetteer: Gazetteer, num_workers: int = 1) -> Kiwi:
    """A Kiwi with gazetteer names as user words (shared by training and extraction)."""
    kiwi = Kiwi(num_workers=num_workers)
    for name in sorted(gazetteer.organisations | gazetteer.countries):
        if " " not in name:
            kiwi.add_user_word(name, "NNP", USER_WORD_SCORE)
    return kiwi


class EntityExtractor:
    """Extracts typed, normalised, alias-resolved mentions from Korean text."""

    def __init__(self, model_path: Path | None = None, num_workers: int = 1) -> None:
        self.gazetteer = load_gazetteer()
        self.num_workers = num_workers
        self.kiwi = build_kiwi(self.gazetteer, num_workers)
        self.features = FeatureBuilder(self.gazetteer)
        self.use_model(Path(model_path) if model_path else DEFAULT_MODEL_PATH)

    def use_model(self, model_path: Path) -> None:
        """Switch the CRF model, keeping the Kiwi (cross-validation swaps one model per fold)."""
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        self.model_path, self.tagger = Path(model_path), tagger

    def _kiwi_for(self, num_workers: int) -> Kiwi:
        # Kiwi fixes its thread count at construction; rebuild (replacing, so still one Kiwi) on change.
        num_workers = max(1, num_workers)
        if num_workers != self.num_workers:
            self.kiwi = build_kiwi(self.gazetteer, num_workers)
            self.num_workers = num_workers
        return self.kiwi

    def tag_tokens(self, tokens: Sequence, text: str) -> list[tuple[int, int, str]]:
        """CRF spans (start, end, KLUE kind) over one text's Kiwi tokens."""
        if not tokens:
            return []
        tokens = split_compounds(tokens)
        labels = self.tagger.tag(self.features.build(tokens, text))
        return labels_to_spans(tokens, labels)

    def extract_many(
        self,
        texts: Sequence[str],
        published_at: Sequence[str | None] | None = None,
        num_workers: int = 1,
    ) -> list[list[Mention]]:
        """Mentions per text; `published_at[i]` anchors relative dates in `texts[i]`."""
        if not texts:
            return []
        anchors = [parse_anchor(value) for value in published_at] if published_at else [None] * len(texts)
        kiwi = self._kiwi_for(num_workers)
        results: list[list[Mention]] = []
        for text, anchor, tokens in zip(texts, anchors, kiwi.tokenize(list(texts)), strict=True):
            spans = self.tag_tokens(tokens, text)
            results.append(build_mentions(text, tokens, spans, anchor, self.gazetteer))
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
) -> Iterator[str]:
    """One `{"entities": [...]}` JSON line per input line, in order (for `newsetl entities`)."""
    extractor = get_extractor(model_path)
    batch: list[str] = []

    def flush() -> Iterator[str]:
        for mentions in extractor.extract_many(batch, [published_at] * len(batch)):
            payload = {"entities": [mention.to_dict() for mention in mentions]}
            yield json.dumps(payload, ensure_ascii=False)
        batch.clear()

    for line in lines:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()
