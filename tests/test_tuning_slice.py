"""training/tuning_slice.py: the held-out slice the entity models are chosen on, on the real KLUE training split."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TRAIN = REPO.parent / "shared" / "data" / "klue-ner-v1.1_train.tsv"
sys.path.insert(0, str(REPO / "training"))

from tuning_slice import STORY_NAME_MAX_SENTENCES, held_out_ids, names_of  # noqa: E402

pytestmark = pytest.mark.skipif(not TRAIN.exists(), reason="shared KLUE training split not available")


@pytest.fixture(scope="module")
def news() -> list:
    from train_entities import load_split

    return load_split(TRAIN, "news")


def _seen_share(docs: list, held: list[int]) -> float:
    held_set = set(held)
    seen = {name for i, doc in enumerate(docs) if i not in held_set for name in names_of(doc)}
    mentions = [name for i in held for name in names_of(docs[i])]
    return sum(name in seen for name in mentions) / len(mentions)


def test_by_story_holds_out_a_tenth_of_whole_stories_with_fewer_names_seen_in_training(news: list) -> None:
    every_nth = held_out_ids(news, 10)
    by_story = held_out_ids(news, 10, by_story=True)
    assert by_story == held_out_ids(news, 10, by_story=True)  # seeded: the same slice on every machine
    assert len(news) // 10 <= len(by_story) < len(news) // 10 + 60
    assert by_story == sorted(set(by_story))
    # No rare name (the mark of one story) is on both sides.
    held = set(by_story)
    names_held = {name for i in by_story for name in names_of(news[i])}
    names_kept = {name for i, doc in enumerate(news) if i not in held for name in names_of(doc)}
    sentences_with = Counter(name for doc in news for name in names_of(doc))
    shared = {name for name in names_held & names_kept if sentences_with[name] <= STORY_NAME_MAX_SENTENCES}
    assert not shared
    # A random sentence split shares most names with training; whole stories far fewer (as fresh news does).
    assert _seen_share(news, every_nth) > 0.68
    assert _seen_share(news, by_story) < 0.63


def test_every_nth_is_the_old_slice_and_zero_is_none(news: list) -> None:
    assert held_out_ids(news, 10)[:3] == [9, 19, 29]
    assert held_out_ids(news, 0) == [] == held_out_ids(news, 0, by_story=True)
