"""The tuning slice: which training sentences are held out to choose models on (the shared dev half never is).

Two ways, both about a tenth of the split (`--holdout 10`):
- every Nth sentence (the default, as before): the split is shuffled, so sentences of one news story land on both
  sides and a held-out name has usually been seen in training (72% of PS/OG/LC mentions);
- by story (`--by-story`): sentences that share a rare name (one that at most STORY_NAME_MAX_SENTENCES sentences
  carry: a name that specific marks one story) are kept together, and whole stories are held out. New articles
  bring names the training text lacks more often than a random sentence split suggests; with stories kept
  whole, 59-60% of held-out mentions were seen in training, as in fresh news, so choices made on the slice stop
  rewarding memorisation.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # train_entities imports this module; the alias is only needed for annotations
    from train_entities import Doc

NAME_TYPES = ("PS", "OG", "LC")
# A typed name in at most this many sentences ties them into one story.
STORY_NAME_MAX_SENTENCES = 3
# A chain of shared names can tie many sentences together: a group this large is not one story, and is never
# held out whole (it stays in training).
STORY_MAX_SENTENCES = 60
STORY_SEED = 20261204


def names_of(doc: Doc) -> set[tuple[str, str]]:
    """The sentence's typed PS/OG/LC names: (text, type)."""
    text, spans = doc
    return {(text[start:end], kind) for start, end, kind in spans if kind in NAME_TYPES}


def stories(docs: list[Doc]) -> list[list[int]]:
    """Sentence ids grouped into stories (connected by shared rare names), each in id order, by first id."""
    names = [names_of(doc) for doc in docs]
    sentences_with = Counter(name for doc_names in names for name in doc_names)
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for i, doc_names in enumerate(names):
        for name in doc_names:
            if sentences_with[name] > STORY_NAME_MAX_SENTENCES:
                continue
            if name in first_with:
                parent[root(i)] = root(first_with[name])
            else:
                first_with[name] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda group: group[0])


def held_out_ids(docs: list[Doc], every: int, by_story: bool = False) -> list[int]:
    """The ids of the held-out sentences, in id order: every `every`-th one, or whole stories in a seeded order
    until a 1/`every` share of the sentences is reached. No slice when `every` is 0."""
    if not every:
        return []
    if not by_story:
        return [i for i in range(len(docs)) if i % every == every - 1]
    groups = [group for group in stories(docs) if len(group) <= STORY_MAX_SENTENCES]
    random.Random(STORY_SEED).shuffle(groups)
    wanted = len(docs) // every
    held: list[int] = []
    for group in groups:
        if len(held) >= wanted:
            break
        held.extend(group)
    return sorted(held)
