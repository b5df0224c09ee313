"""End to end: the loopback mirror crawled by Scrapy, through a real Prefect flow run, into DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirror.catalog import OUTLETS, expected_body, load_outlet
from newsetl import api
from warehouse import Warehouse

pytestmark = pytest.mark.slow

ARTICLE_SNAPSHOT = "SELECT * EXCLUDE (run_id) FROM articles ORDER BY article_id"


def _run(db_path: Path, mirror_server, **kwargs) -> dict:
    return api.run(
        db=db_path,
        sites=kwargs.pop("sites", list(mirror_server.base_urls)),
        base_urls=dict(mirror_server.base_urls),
        scrapy_settings=api.MIRROR_SCRAPY_SETTINGS,
        **kwargs,
    )


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, mirror_server, prefect_harness):
    db_path = tmp_path_factory.mktemp("e2e") / "news.duckdb"
    summary = _run(db_path, mirror_server)
    return db_path, summary


def test_every_mirror_article_is_stored_once(first_run):
    db_path, summary = first_run
    assert summary["status"] == "completed"
    with Warehouse.open(db_path, read_only=True) as store:
        per_source = dict(store.query("SELECT source, count(*) FROM articles GROUP BY source").rows)
        distinct_urls = store.scalar("SELECT count(DISTINCT url) FROM articles")
        total = store.scalar("SELECT count(*) FROM articles")
    expected = {outlet: len(load_outlet(outlet).articles) for outlet in OUTLETS}
    assert per_source == expected
    assert distinct_urls == total
    assert summary["articles_new"] == total


def test_bodies_are_clean_and_keep_every_paragraph(first_run):
    db_path, _ = first_run
    with Warehouse.open(db_path, read_only=True) as store:
        rows = store.query("SELECT source, url, body FROM articles").rows
    bodies = {url: (source, body) for source, url, body in rows}
    for outlet in OUTLETS:
        for article in load_outlet(outlet).articles:
            matches = [body for url, (source, body) in bodies.items() if source == outlet and article.id in url]
            assert len(matches) == 1, (outlet, article.id)
            body = matches[0]
            for block in article.blocks:
                if block.type in ("p", "h"):
                    assert block.text in body, (outlet, article.id, block.text[:30])
                elif block.type == "figure":
                    assert block.caption not in body, (outlet, article.id, "caption left in body")
            for author in article.authors:
                assert author.email not in body
            for clutter in ("무단전재", "무단 전재", "기사제보", "다른기사 보기", "SNS 기사보내기", "광고"):
                assert clutter not in body.split("\n\n"), (outlet, article.id, clutter)
            # The mirror knows exactly what the clean body is: paragraphs and intertitles, nothing else.
            assert body == expected_body(article), (outlet, article.id)


def test_images_mentions_and_run_rows(first_run):
    db_path, summary = first_run
    with Warehouse.open(db_path, read_only=True) as store:
        images = store.scalar("SELECT count(*) FROM images WHERE caption IS NOT NULL")
        mentions = store.scalar("SELECT count(*) FROM mentions")
        types = {row[0] for row in store.query("SELECT DISTINCT type FROM mentions").rows}
        bad_offsets = store.scalar(
            "SELECT count(*) FROM mentions m JOIN articles a USING (article_id) "
            "WHERE substr(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.surface"
        )
        runs = store.query("SELECT run_id, status, articles_new FROM runs").rows
    assert images > 0
    assert mentions == summary["mentions"] > 0
    assert {"PERSON", "ORG", "LOC", "MONEY", "DATE"} <= types
    assert bad_offsets == 0
    assert runs == [(summary["run_id"], "completed", summary["articles_new"])]


def test_second_run_changes_no_article_rows(first_run, mirror_server):
    db_path, _ = first_run
    with Warehouse.open(db_path, read_only=True) as store:
        before = store.query(ARTICLE_SNAPSHOT).rows
        runs_before = store.scalar("SELECT count(*) FROM runs")
    summary = _run(db_path, mirror_server)
    with Warehouse.open(db_path, read_only=True) as store:
        after = store.query(ARTICLE_SNAPSHOT).rows
        runs_after = store.scalar("SELECT count(*) FROM runs")
        versions = store.scalar("SELECT count(*) FROM article_versions")
    assert summary["articles_new"] == summary["articles_updated"] == 0
    assert summary["articles_unchanged"] == len(before)
    assert after == before
    assert versions == 0
    assert runs_after == runs_before + 1


def test_demo_twice_into_one_warehouse_stores_each_article_once(tmp_path, prefect_harness):
    """The README's first command, run again: the demo mirror comes back on the same ports, so nothing is new."""
    db_path = tmp_path / "demo.duckdb"
    first = api.demo(db=db_path)
    second = api.demo(db=db_path)
    assert first.summary["articles_new"] == 92
    assert second.summary["status"] == "completed"
    assert second.summary["articles_new"] == 0
    with Warehouse.open(db_path, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM articles") == 92
