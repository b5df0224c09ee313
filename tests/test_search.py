"""Search over the mirror (issue 18): a warehouse filled by the real pipeline (Scrapy over the loopback mirror,
Prefect, Kiwi, DuckDB), its search results checked against Kiwi's own analysis of every stored article,
never against LIKE."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_search_units import index_rows, parsed
from test_views import filled_warehouse

from transforms.entities import get_extractor
from warehouse import Warehouse
from warehouse.search import SearchFilters, search

pytestmark = pytest.mark.slow

NOUNS = ("NNG", "NNP")
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def warehouse_db(tmp_path_factory, mirror_server, prefect_harness) -> Path:
    return filled_warehouse(tmp_path_factory, mirror_server)


@pytest.fixture(scope="module")
def store(warehouse_db: Path) -> Iterator[Warehouse]:
    with Warehouse.open(warehouse_db, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def analysis(store: Warehouse) -> dict[str, dict[str, list]]:
    """Kiwi's tokens of every stored article: {article_id: {"title": tokens, "body": tokens}}."""
    rows = store.query("SELECT article_id, title, body FROM articles ORDER BY article_id").rows
    kiwi = get_extractor().kiwi
    tokens = list(kiwi.tokenize([row[1] for row in rows] + [row[2] for row in rows]))
    return {row[0]: {"title": tokens[i], "body": tokens[len(rows) + i]} for i, row in enumerate(rows)}


@pytest.fixture(scope="module")
def story_of(store: Warehouse) -> dict[str, str]:
    """Each article's story: its earliest stored copy, following duplicate_of (as the stories view does)."""
    links = dict(store.query("SELECT article_id, duplicate_of FROM articles").rows)
    stories = {}
    for article_id in links:
        story, steps = article_id, 0
        while links.get(story) in links and steps < 64:
            story, steps = links[story], steps + 1
        stories[article_id] = story
    return stories


def has_noun(tokens: list, noun: str) -> bool:
    return any(token.form == noun and token.tag in NOUNS for token in tokens)


def search_all(store: Warehouse, query: str, **filters) -> list:
    return search(store, parsed(query), SearchFilters(**filters), 10_000)


def sample_nouns(analysis: dict[str, dict[str, list]]) -> list[str]:
    """Nouns in at least two articles that Kiwi reads alone as that one noun (a single-noun query)."""
    articles: dict[str, int] = {}
    for fields in analysis.values():
        for noun in {t.form for tokens in fields.values() for t in tokens if t.tag in NOUNS}:
            articles[noun] = articles.get(noun, 0) + 1
    common = sorted(noun for noun, count in articles.items() if count >= 2 and len(noun) >= 2)
    return [noun for noun in common[:: max(1, len(common) // 40)] if parsed(noun).terms == [noun]]


def test_single_noun_results_are_the_articles_kiwi_finds_it_in(store, analysis, story_of) -> None:
    nouns = sample_nouns(analysis)
    assert len(nouns) >= 20
    for noun in nouns:
        matching = {
            a for a, fields in analysis.items() if has_noun(fields["title"], noun) or has_noun(fields["body"], noun)
        }
        hits = search_all(store, noun)
        assert {hit.article_id for hit in hits} <= matching, noun
        assert sorted(story_of[hit.article_id] for hit in hits) == sorted({story_of[a] for a in matching}), noun
        # whatever the particle: 반도체를 is 반도체
        particle = "을" if (ord(noun[-1]) - 0xAC00) % 28 else "를"
        if "가" <= noun[-1] <= "힣" and parsed(noun + particle).terms == [noun]:
            assert [hit.article_id for hit in search_all(store, noun + particle)] == [h.article_id for h in hits]


def test_a_title_match_ranks_above_body_only_matches(store, analysis, story_of) -> None:
    checked = 0
    for noun in sample_nouns(analysis):
        in_title = {story_of[a] for a, fields in analysis.items() if has_noun(fields["title"], noun)}
        order = [story_of[hit.article_id] in in_title for hit in search_all(store, noun)]
        if True in order and False in order:
            checked += 1
            assert order == sorted(order, reverse=True), noun
    assert checked >= 3


def adjacent_pairs(tokens: list) -> set[tuple[str, str]]:
    return {
        (first.form, second.form)
        for first, second in zip(tokens, tokens[1:], strict=False)
        if first.tag in NOUNS and second.tag in NOUNS
    }


def test_quoted_phrases_match_adjacent_morphemes(store, analysis, story_of) -> None:
    pairs: dict[tuple[str, str], int] = {}
    for fields in analysis.values():
        for pair in adjacent_pairs(fields["title"]) | adjacent_pairs(fields["body"]):
            pairs[pair] = pairs.get(pair, 0) + 1
    chosen = [pair for pair, count in sorted(pairs.items()) if count >= 2][:15]
    assert len(chosen) >= 5
    for first, second in chosen:
        query = f'"{first} {second}"'
        if parsed(query).terms != [first, second]:
            continue
        matching = {
            a for a, fields in analysis.items() if any((first, second) in adjacent_pairs(f) for f in fields.values())
        }
        hits = search_all(store, query)
        assert sorted(story_of[h.article_id] for h in hits) == sorted({story_of[a] for a in matching}), query
        # the same words apart, in the other order, are another phrase
        reverse = {
            a for a, fields in analysis.items() if any((second, first) in adjacent_pairs(f) for f in fields.values())
        }
        assert {story_of[h.article_id] for h in search_all(store, f'"{second} {first}"')} == {
            story_of[a] for a in reverse
        }


def test_entity_filter(store, analysis, story_of) -> None:
    names = store.query(
        "SELECT e.name, list(DISTINCT m.article_id) FROM mentions m JOIN entities e USING (entity_id) "
        "WHERE e.type = 'ORG' GROUP BY e.name HAVING count(DISTINCT m.article_id) >= 3 ORDER BY e.name"
    ).rows
    assert names
    checked = 0
    for name, mentioned in names[:5]:
        for noun in sample_nouns(analysis)[:10]:
            matching = {a for a in mentioned if any(has_noun(tokens, noun) for tokens in analysis[a].values())}
            hits = search_all(store, noun, entity=name)
            assert sorted(story_of[h.article_id] for h in hits) == sorted({story_of[a] for a in matching})
            checked += bool(matching)
    assert checked >= 3


def test_wire_copies_are_one_row_with_their_count(store, analysis, story_of) -> None:
    copied = store.query("SELECT article_id, copies FROM stories WHERE copies > 1 ORDER BY article_id").rows
    assert copied, "the mirror has wire copies"
    for story, copies in copied:
        nouns = [t.form for t in analysis[story]["title"] if t.tag in NOUNS and parsed(t.form).terms == [t.form]]
        hits = search_all(store, " ".join(nouns[:2]))
        rows = [hit for hit in hits if story_of[hit.article_id] == story]
        assert len(rows) == 1 and rows[0].copies == copies


def test_the_pipeline_index_equals_a_build_from_stored_articles(warehouse_db, tmp_path) -> None:
    """Terms computed in the entity stage (bodies and titles in one batched call) are the terms an upgrade
    builds from the stored text, and the loads left nothing pending."""
    copy = tmp_path / "rebuilt.duckdb"
    shutil.copy(warehouse_db, copy)
    with Warehouse.open(warehouse_db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM search_pending") == 0
        assert store.scalar("SELECT count(*) FROM search_docs") == store.scalar("SELECT count(*) FROM articles")
        loaded = index_rows(store)
    with Warehouse.open(copy) as store:
        for statement in (
            "DELETE FROM search_terms",
            "DELETE FROM search_postings",
            "DELETE FROM search_docs",
            "INSERT INTO search_pending SELECT article_id FROM articles",
        ):
            store.con.execute(statement)
        from warehouse.search import build_pending

        assert build_pending(store, quiet=True) == len({row[0] for row in loaded if len(row) == 3})
        assert index_rows(store) == loaded


def test_readme_search_queries_run(store) -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Search") : text.index("\n## ", text.index("## Search") + 1)]
    blocks = re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 2
    for block in blocks:
        assert store.query(block).rows
