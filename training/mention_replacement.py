"""Mention replacement (Dai & Adel 2020): copies of training sentences in which person/organisation/place
mentions are swapped for rarely seen mentions of the same type, so that a model learns names from context and
shape rather than memorising them. Used by train_entities.py (the CRFs) and dump_neural.py (the network).

Replacements for a group of sentences come from that group's own sentences: the callers pass one jackknife fold,
whose names neither the fold's entity-form lexicon nor (in stacking) its CRF saw, so a replaced name looks to them
as an unseen name does at run time. Held-out sentences are never copied.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # train_entities imports this module; the alias is only needed for annotations
    from train_entities import Doc

REPLACED_TYPES = ("PS", "OG", "LC")


@dataclass(frozen=True)
class Augmentation:
    """How many name-replaced copies of each training sentence, the chance that a mention of a copy is
    replaced, and the seed of the draws."""

    copies: int = 0
    replace_p: float = 0.7
    seed: int = 15


def ending_class(mention: str) -> str:
    """Whether a mention ends in a closed Hangul syllable, an open one or something else: the particle after it
    (은/는, 이/가, 을/를) was chosen for that ending, so a replacement keeps the same class."""
    last = mention[-1]
    if "가" <= last <= "힣":
        return "closed" if (ord(last) - ord("가")) % 28 else "open"
    return "other"


def mention_counts(docs: Iterable[Doc]) -> Counter:
    """How often each (type, mention text) occurs: rare mentions are preferred as replacements."""
    return Counter(
        (kind, text[start:end]) for text, spans in docs for start, end, kind in spans if kind in REPLACED_TYPES
    )


class MentionPool:
    """Replacement mentions per (type, ending class) from a set of sentences, drawn with weight 1/count:
    names the training part holds few times are the ones a model has memorised least."""

    def __init__(self, docs: list[Doc], counts: Counter) -> None:
        self.sources: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for position, (text, spans) in enumerate(docs):
            for start, end, kind in spans:
                if kind in REPLACED_TYPES:
                    mention = text[start:end]
                    self.sources[(kind, ending_class(mention))][mention].add(position)
        self.choices: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
        for key, mentions in self.sources.items():
            forms = sorted(mentions)
            # cumulative weights once, not per draw
            self.choices[key] = (forms, list(accumulate(1.0 / counts[(key[0], form)] for form in forms)))

    def draw(self, kind: str, mention: str, position: int, rng: random.Random) -> str | None:
        """Another mention of the same type and ending, not taken from sentence `position` itself."""
        key = (kind, ending_class(mention))
        if key not in self.choices:
            return None
        forms, cumulative = self.choices[key]
        for _ in range(4):  # a few tries: the draw may hit the mention itself or its own sentence
            form = rng.choices(forms, cum_weights=cumulative)[0]
            if form != mention and self.sources[key][form] != {position}:
                return form
        return None


def replace_mentions(doc: Doc, position: int, pool: MentionPool, p: float, rng: random.Random) -> Doc:
    """A copy of the sentence with each PS/OG/LC span replaced with probability p; the other spans move
    with the text, the particles after a replaced span stay as they are."""
    text, spans = doc
    pieces: list[str] = []
    moved: set[tuple[int, int, str]] = set()
    cursor = shift = 0
    for start, end, kind in sorted(spans):
        if start < cursor:  # overlapping gold spans (none in KLUE): keep the text as it is
            moved.add((start + shift, end + shift, kind))
            continue
        replacement = None
        if kind in REPLACED_TYPES and rng.random() < p:
            replacement = pool.draw(kind, text[start:end], position, rng)
        pieces.append(text[cursor:start])
        mention = replacement or text[start:end]
        new_start = start + shift
        pieces.append(mention)
        shift += len(mention) - (end - start)
        moved.add((new_start, new_start + len(mention), kind))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), moved


def replaced_copies(
    members: list[Doc], counts: Counter, copies: int, p: float, rng: random.Random
) -> list[tuple[int, int, Doc]]:
    """`copies` name-replaced copies of each sentence of one fold, drawing replacements from the fold itself:
    (copy number, position in `members`, copy), copy-major."""
    pool = MentionPool(members, counts)
    return [
        (copy, position, replace_mentions(doc, position, pool, p, rng))
        for copy in range(copies)
        for position, doc in enumerate(members)
    ]
