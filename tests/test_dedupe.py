"""Near-duplicate links: the wire copies in the mirror, and links that do not depend on load order."""

from __future__ import annotations

import datetime as dt
import itertools

from mirror.catalog import OUTLETS, expected_body, load_outlet
from transforms.dedupe import link_duplicates, rank, signature


def _mirror_articles() -> list[tuple[str, list[int], tuple[float, str]]]:
    articles = []
    for outlet in OUTLETS:
        for article in load_outlet(outlet).articles:
            key = f"{outlet}-{article.id}"
            articles.append((key, signature(expected_body(article)), rank(key, article.published)))
    return articles


def test_the_three_wire_copies_are_linked_and_nothing_else() -> None:
    links = link_duplicates(_mirror_articles(), [])
    pairs = sorted(tuple(sorted((link.article_id.split("-")[0], link.duplicate_of.split("-")[0]))) for link in links)
    assert pairs == [("aitimes", "ddaily"), ("bloter", "itchosun"), ("etnews", "zdnet")]
    assert all(link.similarity >= 0.5 for link in links)


def test_links_point_to_the_earliest_copy_whatever_the_load_order() -> None:
    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    text = "과학기술정보통신부는 내년 인공지능 컴퓨팅 인프라에 1조2000억원을 투입한다고 밝혔다. " * 3
    copies = [
        ("late", signature(text + " 추가 문장입니다."), rank("late", base + dt.timedelta(hours=5))),
        ("early", signature(text), rank("early", base)),
        ("middle", signature(text + " 다른 문장."), rank("middle", base + dt.timedelta(hours=1))),
    ]
    results = set()
    for order in itertools.permutations(copies):
        final: dict[str, str] = {}
        stored: list = []
        for item in order:  # one article per batch, in every order
            for link in link_duplicates([item], stored):
                final[link.article_id] = link.duplicate_of
            stored.append(item)
        results.add(tuple(sorted(final.items())))
    assert len(results) == 1
    (final_links,) = results
    assert dict(final_links)["late"] in ("early", "middle")
    assert "early" not in dict(final_links)
