"""Every query in the README's "SQL over DuckDB" section runs and answers sensibly on a mirror warehouse."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from test_views import filled_warehouse

from mirror.catalog import OUTLETS
from warehouse import Warehouse
from warehouse.store import QueryResult

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("## SQL over DuckDB")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end != -1 else len(text)]
    return [block.strip() for block in re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)]


def _check_top_orgs(result: QueryResult) -> None:
    rows = result.as_dicts()
    per_source: dict[str, int] = {}
    for row in rows:
        per_source[row["source"]] = per_source.get(row["source"], 0) + 1
        assert row["mentions"] >= row["articles"] >= 1
    assert len(per_source) == len(OUTLETS) and max(per_source.values()) <= 3


def _check_trending(result: QueryResult) -> None:
    rises = [row["rise"] for row in result.as_dicts()]
    assert all(rise > 0 for rise in rises) and rises == sorted(rises, reverse=True)


def _check_weekly_entity(result: QueryResult) -> None:
    weeks = [row["week"] for row in result.as_dicts()]
    assert all(isinstance(week, dt.date) and week.weekday() == 0 for week in weeks)
    assert sum(row["mentions"] for row in result.as_dicts()) >= 10


def _check_seen_with(result: QueryResult) -> None:
    assert all(row["seen_with"] != "삼성전자" and row["articles"] >= 1 for row in result.as_dicts())


def _check_latest_roles(result: QueryResult) -> None:
    rows = result.as_dicts()
    assert len({row["person"] for row in rows}) == len(rows)
    assert any(row["title"] == "장관" and row["organisation"] for row in rows)


def _check_executives(result: QueryResult) -> None:
    titles = {row["title"] for row in result.as_dicts()}
    assert {"장관", "대표"} <= titles


def _check_biggest_money(result: QueryResult) -> None:
    amounts = [row["amount_krw"] for row in result.as_dicts()]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] >= 10**12
    assert any(row["entities"] for row in result.as_dicts())


def _check_money_per_org(result: QueryResult) -> None:
    for row in result.as_dicts():
        assert row["total_krw"] >= row["largest_krw"] > 0 and row["amounts"] >= 1


def _check_weekly_outlets(result: QueryResult) -> None:
    rows = result.as_dicts()
    assert {row["source"] for row in rows} >= {"itchosun", "zdnet", "etnews"}
    assert all(0.0 <= row["byline_share"] <= 1.0 for row in rows)


def _check_health(result: QueryResult) -> None:
    rows = result.as_dicts()
    assert len(rows) == len(OUTLETS) and all(row["pages"] >= 1 and row["articles"] >= 1 for row in rows)
    # Outlets read through full-text feeds or the WordPress API get many articles from one fetched page.
    assert all(row["pages"] >= row["articles"] for row in rows if row["source"] not in ("dt", "platum"))


CHECKS: list[Callable[[QueryResult], None]] = [
    _check_top_orgs,
    _check_trending,
    _check_weekly_entity,
    _check_seen_with,
    _check_latest_roles,
    _check_executives,
    _check_biggest_money,
    _check_money_per_org,
    _check_weekly_outlets,
    _check_health,
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, mirror_server, prefect_harness):
    with Warehouse.open(filled_warehouse(tmp_path_factory, mirror_server), read_only=True) as opened:
        yield opened


def test_readme_documents_ten_queries():
    assert len(readme_queries()) == len(CHECKS) == 10


@pytest.mark.parametrize("number", range(1, 11))
def test_readme_query(store, number):
    query = readme_queries()[number - 1]
    result = store.query(query)
    assert result.rows, f"README query {number} returned no rows"
    CHECKS[number - 1](result)
