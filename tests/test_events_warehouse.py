"""Deals and appointments in the warehouse: loaded with their article, replaced with it, a wire copy's events
counted once by the views, and migrations applied by version (a lower-numbered one merged later still runs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from transforms.entities import get_extractor
from transforms.events import find_events
from transforms.records import CleanArticle
from warehouse import Warehouse

DEAL = (
    "인공지능 스타트업 업스테이지가 KB인베스트먼트로부터 50억원 규모의 시리즈A 투자를 유치했다고 3일 밝혔다.\n\n"
    "이번 투자에는 한국투자파트너스도 참여했다."
)
MOVE = "네이버는 김철수 부사장을 신임 대표로 선임했다고 밝혔다."
PUBLISHED = "2026-11-20T10:00:00+09:00"


def _article(article_id: str, body: str, source: str = "platum") -> CleanArticle:
    return CleanArticle(
        article_id=article_id,
        url=f"http://127.0.0.1/{article_id}",
        source=source,
        title=body[:20],
        body=body,
        published_at=PUBLISHED,
    )


def _load(store: Warehouse, articles: list[CleanArticle], duplicates: dict | None = None) -> None:
    mentions = get_extractor().extract_many([a.body for a in articles], [a.published_at for a in articles])
    events = {a.article_id: find_events(a.body, m, a.published_at) for a, m in zip(articles, mentions, strict=True)}
    store.load_batch("run-1", articles, mentions, duplicates=duplicates, events=events)


@pytest.fixture
def store(tmp_path: Path):
    with Warehouse.open(tmp_path / "events.duckdb") as opened:
        yield opened


def test_events_are_loaded_with_links_to_articles_and_entities(store: Warehouse) -> None:
    _load(store, [_article("a1", DEAL), _article("a2", MOVE)])
    deal = store.query("SELECT * FROM deals").as_dicts()
    assert len(deal) == 1
    assert (deal[0]["company"], deal[0]["amount_krw"], deal[0]["round"]) == ("업스테이지", 5_000_000_000, "시리즈A")
    assert deal[0]["article_id"] == "a1" and deal[0]["event_date"] == "2026-11-03"
    investors = store.query("SELECT investor, entity_id FROM deal_investors ORDER BY position").rows
    assert [row[0] for row in investors] == ["KB인베스트먼트", "한국투자파트너스"]
    # A name that is an entity mention links to its entities row.
    linked = store.scalar(
        "SELECT count(*) FROM deal_investors i JOIN entities e USING (entity_id) WHERE e.name = 'KB인베스트먼트'"
    )
    assert linked == 1
    move = store.query("SELECT person, kind, title, org FROM people_moves").rows
    assert move == [("김철수", "선임", "대표", "네이버")]


def test_a_changed_article_replaces_its_events(store: Warehouse) -> None:
    _load(store, [_article("a1", DEAL)])
    _load(store, [_article("a1", "업스테이지는 새 모델을 공개했다.")])
    assert store.scalar("SELECT count(*) FROM deals") == 0
    assert store.scalar("SELECT count(*) FROM deal_investors") == 0


def test_a_wire_copy_gives_one_event(store: Warehouse) -> None:
    _load(store, [_article("a1", DEAL)])
    _load(store, [_article("a9", DEAL, source="venturesquare")], duplicates={"a9": ("a1", 0.97)})
    assert store.scalar("SELECT count(*) FROM deals") == 2
    assert store.scalar("SELECT sum(deals) FROM deals_monthly") == 1
    activity = store.query("SELECT investor, deals, companies, amount_krw FROM investor_activity ORDER BY 1").rows
    assert activity == [("KB인베스트먼트", 1, 1, 5_000_000_000), ("한국투자파트너스", 1, 1, 5_000_000_000)]


def test_a_migration_numbered_below_an_applied_one_still_runs(tmp_path: Path) -> None:
    path = tmp_path / "gap.duckdb"
    with Warehouse.open(path) as store:
        store.con.execute("DELETE FROM schema_migrations WHERE version = 7")
    with Warehouse.open(path) as store:
        versions = [row[0] for row in store.query("SELECT version FROM schema_migrations ORDER BY 1").rows]
        assert 7 in versions and versions[-1] >= 9
        assert store.scalar("SELECT count(*) FROM stories") == 0


def test_month_buckets_follow_the_event_date(store: Warehouse) -> None:
    _load(store, [_article("a1", DEAL)])
    month = store.scalar("SELECT month FROM deals_monthly")
    assert month == dt.date(2026, 11, 1)


def test_report_has_deals_and_people_moves_tables_with_links(tmp_path: Path) -> None:
    from newsetl.report import write_report

    path = tmp_path / "report.duckdb"
    with Warehouse.open(path) as opened:
        _load(opened, [_article("a1", DEAL), _article("a2", MOVE + "\n\n<b>김철수</b> 대표는 소감을 밝혔다.")])
    document = write_report(path, tmp_path / "report.html").path.read_text(encoding="utf-8")
    deals = document.split('id="deals"')[1].split("</section>")[0]
    assert "업스테이지" in deals and "50억 원" in deals and "KB인베스트먼트" in deals
    assert '<a href="http://127.0.0.1/a1"' in deals
    people = document.split('id="people-moves"')[1].split("</section>")[0]
    assert "김철수" in people and "선임" in people and '<a href="http://127.0.0.1/a2"' in people
    assert "<b>" not in document


@pytest.mark.slow
def test_a_flow_run_over_the_mirror_fills_the_event_tables(tmp_path_factory, mirror_server, prefect_harness) -> None:
    from test_views import filled_warehouse

    with Warehouse.open(filled_warehouse(tmp_path_factory, mirror_server), read_only=True) as store:
        deals = {(row[0], row[1]) for row in store.query("SELECT company, round FROM deal_facts").rows}
        assert {("루멘헬스", "시리즈C"), ("큐비트웨이브", "시리즈A"), ("아이비전랩", None)} <= deals
        led = store.scalar("SELECT led FROM investor_activity WHERE investor = '소프트뱅크벤처스'")
        assert led >= 1
        moves = store.query("SELECT person, kind, title, org FROM people_moves").rows
        assert ("정현우", "내정", "대표이사", "안랩") in moves
        # Every event belongs to a stored article, and the views count only stories' earliest copies.
        assert store.scalar("SELECT count(*) FROM deals WHERE article_id NOT IN (SELECT article_id FROM articles)") == 0
        assert store.scalar("SELECT sum(deals) FROM deals_monthly") == store.scalar("SELECT count(*) FROM deal_facts")
