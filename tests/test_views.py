"""The analytics views and the Parquet export over a warehouse filled from the mirror by a real flow run."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from mirror.catalog import OUTLETS
from newsetl import api
from newsetl.export import export_tables
from warehouse import Warehouse

pytestmark = pytest.mark.slow

ANALYTICS_VIEWS = (
    "stories",
    "mention_facts",
    "entity_daily",
    "entity_trending",
    "entity_cooccurrence",
    "people_roles",
    "money_mentions",
    "source_daily",
    "site_health_daily",
)

# One pipeline run over the mirror per test session, shared by the analytics test modules.
_FILLED: dict[str, Path] = {}


def filled_warehouse(tmp_path_factory: pytest.TempPathFactory, mirror_server) -> Path:
    """A warehouse holding every mirror article, filled once per session (test_report and
    test_readme_sql import this too)."""
    if "db" not in _FILLED:
        db_path = tmp_path_factory.mktemp("analytics") / "news.duckdb"
        summary = api.run(
            db=db_path,
            sites=list(mirror_server.base_urls),
            base_urls=dict(mirror_server.base_urls),
            scrapy_settings=api.MIRROR_SCRAPY_SETTINGS,
        )
        assert summary["status"] == "completed"
        _FILLED["db"] = db_path
    return _FILLED["db"]


@pytest.fixture(scope="module")
def warehouse_db(tmp_path_factory, mirror_server, prefect_harness) -> Path:
    return filled_warehouse(tmp_path_factory, mirror_server)


@pytest.fixture(scope="module")
def store(warehouse_db):
    with Warehouse.open(warehouse_db, read_only=True) as opened:
        yield opened


def test_every_view_exists_and_has_rows(store):
    for view in ANALYTICS_VIEWS:
        assert store.scalar(f"SELECT count(*) FROM {view}") > 0, view


def test_entity_daily_adds_up_to_mentions(store):
    # Every mention that names an entity (not the unresolved 윤 대표-style references) in a story's earliest
    # copy is counted once; a wire copy's mentions are not counted again.
    named = store.scalar(
        "SELECT count(*) FROM mentions WHERE entity_id IN (SELECT entity_id FROM entities) "
        "AND article_id IN (SELECT article_id FROM articles WHERE duplicate_of IS NULL)"
    )
    assert store.scalar("SELECT sum(mentions) FROM entity_daily") == named
    assert store.scalar("SELECT count(*) FROM entity_daily WHERE copies < articles") == 0
    days = store.query("SELECT min(day), max(day) FROM entity_daily").rows[0]
    assert all(isinstance(day, dt.date) for day in days)
    # mirror articles are dated in October and November 2026 (KST)
    assert days[0] >= dt.date(2026, 9, 1) and days[1] <= dt.date(2026, 12, 31)


def test_source_daily_counts_every_story_once(store):
    per_source = dict(store.query("SELECT source, sum(articles) FROM source_daily GROUP BY source").rows)
    stories = "SELECT source, count(*) FROM articles WHERE duplicate_of IS NULL GROUP BY source"
    assert per_source == dict(store.query(stories).rows)
    assert len(per_source) == len(OUTLETS)
    # the copies of every story add up to every stored article
    assert store.scalar("SELECT sum(copies) FROM source_daily") == store.scalar("SELECT count(*) FROM articles")


def test_trending_compares_two_seven_day_windows(store):
    rows = store.query("SELECT * FROM entity_trending").as_dicts()
    assert rows
    for row in rows:
        assert row["type"] in ("PERSON", "ORG", "LOC")
        assert row["rise"] == row["recent_mentions"] - row["previous_mentions"]
        assert (row["window_end"] - row["window_start"]).days == 6
    top = max(rows, key=lambda row: row["rise"])
    assert top["rise"] > 0 and top["recent_mentions"] > top["previous_mentions"]
    # recount the top entity's latest window straight from the tables: every named mention of its name,
    # whatever type the tagger gave it there (the views count a name under its majority type)
    recount = store.scalar(
        "SELECT count(*) FROM mentions m JOIN articles a USING (article_id) JOIN entities e USING (entity_id) "
        "WHERE e.name = ? AND m.type IN ('PERSON', 'ORG', 'LOC') AND a.duplicate_of IS NULL "
        "AND CAST(timezone('Asia/Seoul', a.published_at) AS DATE) BETWEEN ? AND ?",
        [top["name"], top["window_start"], top["window_end"]],
    )
    assert recount == top["recent_mentions"]


def test_cooccurrence_pairs_are_ordered_and_share_an_article(store):
    assert store.scalar("SELECT count(*) FROM entity_cooccurrence WHERE name_a > name_b") == 0
    pair = store.query("SELECT entity_a, entity_b, articles FROM entity_cooccurrence ORDER BY articles DESC LIMIT 1")
    entity_a, entity_b, articles = pair.rows[0]
    assert articles >= 2
    shared = store.scalar(
        "SELECT count(*) FROM (SELECT article_id FROM mentions WHERE entity_id = ? "
        "INTERSECT SELECT article_id FROM mentions WHERE entity_id = ? "
        "INTERSECT SELECT article_id FROM articles WHERE duplicate_of IS NULL)",
        [entity_a, entity_b],
    )
    assert shared == articles


def test_people_roles_know_ministers_and_their_ministries(store):
    rows = store.query("SELECT person, title, organisation, first_seen, last_seen FROM people_roles").as_dicts()
    assert rows
    assert all(row["title"] or row["organisation"] for row in rows)
    assert all(row["first_seen"] <= row["last_seen"] for row in rows)
    ministers = [row for row in rows if row["title"] == "장관" and row["organisation"]]
    assert ministers
    assert all(row["organisation"].endswith("부") for row in ministers)


def test_money_mentions_have_their_sentence_and_entities(store):
    rows = store.query("SELECT * FROM money_mentions").as_dicts()
    krw = [row for row in rows if row["currency"] == "KRW"]
    assert krw and all(row["amount_krw"] > 0 for row in krw)
    for row in rows:
        assert row["surface"] in row["sentence"]
        assert "\n" not in row["sentence"]
        # a sentence holds no full stop followed by a space before its end
        assert not re.search(r"[.?!][”’\"')\]]*\s\S", row["sentence"]), row["sentence"]
        for name in row["entities"]:
            assert name
    assert sum(1 for row in krw if row["entities"]) >= len(krw) // 3
    biggest = max(krw, key=lambda row: row["amount_krw"])
    assert biggest["amount_krw"] >= 10**12  # the mirror's chip stories name amounts in 조 원


def test_site_health_daily_covers_every_outlet(store):
    rows = store.query("SELECT * FROM site_health_daily").as_dicts()
    outlets = {row[0] for row in store.query("SELECT DISTINCT source FROM articles").rows}
    assert {row["source"] for row in rows} == outlets
    for row in rows:
        assert row["runs"] >= 1 and row["articles"] >= 1
        for share in ("empty_body_share", "missing_date_share", "missing_byline_share"):
            assert 0.0 <= row[share] <= 1.0
        assert row["empty_body_share"] == 0.0  # the mirror's pages all have bodies


def test_parquet_export_round_trips(warehouse_db, store, tmp_path):
    out = tmp_path / "export"
    exported = {table.table: table for table in export_tables(warehouse_db, out)}
    assert {"articles", "mentions", "entities", "images", "runs", "site_health"} <= set(exported)
    months = sorted(path.name for path in (out / "articles").iterdir())
    assert months and all(re.fullmatch(r"month=\d{4}-\d{2}", name) for name in months)
    assert (out / "mentions").is_dir() and (out / "entities.parquet").is_file()
    for name, table in exported.items():
        assert table.rows == store.scalar(f"SELECT count(*) FROM {name}"), name
        pattern = str(table.path / "**" / "*.parquet") if table.path.is_dir() else str(table.path)
        assert store.scalar(f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning = true)") == table.rows
    titles = store.query(f"SELECT count(*), count(DISTINCT title) FROM read_parquet('{out}/articles/**/*.parquet')")
    assert titles.rows[0][0] == exported["articles"].rows
    # a second export into the same folder replaces the first, never doubles it
    export_tables(warehouse_db, out)
    assert (
        store.scalar(f"SELECT count(*) FROM read_parquet('{out}/mentions/**/*.parquet')") == exported["mentions"].rows
    )


@pytest.fixture(scope="module")
def recrawled_db(warehouse_db, tmp_path_factory) -> Path:
    """The mirror warehouse crawled once more with every story under other URLs (a second mirror on other
    ports): each article is stored again and linked to its earlier copy by the near-duplicate step."""
    from mirror.server import MirrorServer

    db_path = tmp_path_factory.mktemp("recrawl") / "news.duckdb"
    shutil.copy(warehouse_db, db_path)
    with MirrorServer() as second:
        summary = api.run(
            db=db_path,
            sites=list(second.base_urls),
            base_urls=dict(second.base_urls),
            scrapy_settings=api.MIRROR_SCRAPY_SETTINGS,
        )
    assert summary["status"] == "completed" and summary["articles_new"] > 0
    return db_path


VIEW_COUNTS = {
    "entity_daily": "SELECT name, sum(mentions), sum(articles) FROM entity_daily GROUP BY name",
    "entity_trending": "SELECT name, recent_mentions, previous_mentions, recent_articles FROM entity_trending",
    "entity_cooccurrence": "SELECT name_a, name_b, articles FROM entity_cooccurrence",
    "people_roles": "SELECT person, title, organisation, mentions, articles FROM people_roles",
    # which copy is the earliest is decided by (published_at, article_id), so a story's own row may now be a
    # copy from the second crawl: compare what it says, not its id
    "money_mentions": "SELECT source, day, article_title, start_char, amount_krw, entities FROM money_mentions",
    "source_daily": "SELECT day, source, articles, mentions FROM source_daily",
    "stories": "SELECT source, day, title FROM stories",
}


def test_a_story_crawled_again_under_other_urls_counts_once(store, recrawled_db):
    with Warehouse.open(recrawled_db, read_only=True) as again:
        stored_before = store.scalar("SELECT count(*) FROM articles")
        assert again.scalar("SELECT count(*) FROM articles") == 2 * stored_before
        for view, sql in VIEW_COUNTS.items():
            assert sorted(again.query(sql).rows, key=repr) == sorted(store.query(sql).rows, key=repr), view
        # the copies are counted beside each story: every stored article belongs to exactly one story
        assert again.scalar("SELECT sum(copies) FROM stories") == 2 * stored_before
        assert again.scalar("SELECT sum(copies) FROM source_daily") == 2 * stored_before
        assert again.scalar("SELECT min(copies) FROM stories") == 2
        assert again.scalar("SELECT min(copies) FROM money_mentions") == 2
        minister = "SELECT sum(mentions), sum(copies) FROM entity_daily WHERE name = '과학기술정보통신부'"
        (mentions_once, copies_once), (mentions_twice, copies_twice) = (
            store.query(minister).rows[0],
            again.query(minister).rows[0],
        )
        assert mentions_twice == mentions_once > 0 and copies_twice == 2 * copies_once
