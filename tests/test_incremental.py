"""Incremental crawling over an editable copy of the mirror: nothing re-parsed without reason,
one edited article -> one updated row and one version row; wire copies linked; unknown sites."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mirror.catalog import DEFAULT_DATA_DIR, OUTLETS, load_outlet
from mirror.server import MirrorServer
from newsetl import api
from warehouse import Warehouse

pytestmark = pytest.mark.slow

SNAPSHOT = "SELECT * EXCLUDE (run_id) FROM articles ORDER BY article_id"


@pytest.fixture(scope="module")
def editable_mirror(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("mirror-data")
    for path in DEFAULT_DATA_DIR.glob("*.json"):
        if not path.name.startswith("_"):
            shutil.copy(path, data_dir / path.name)
    with MirrorServer(data_dir=data_dir) as server:
        yield server, data_dir


@pytest.fixture(scope="module")
def warehouse_after_two_runs(editable_mirror, tmp_path_factory, prefect_harness):
    server, _ = editable_mirror
    db_path = tmp_path_factory.mktemp("incremental") / "news.duckdb"
    first = _run(server, db_path)
    with Warehouse.open(db_path, read_only=True) as store:
        before = store.query(SNAPSHOT).rows
    second = _run(server, db_path)
    return db_path, first, second, before


def _run(server: MirrorServer, db_path: Path) -> dict:
    return api.run(
        db=db_path,
        sites=list(server.base_urls),
        base_urls=dict(server.base_urls),
        scrapy_settings=api.MIRROR_SCRAPY_SETTINGS,
    )


def test_second_crawl_reparses_nothing(warehouse_after_two_runs):
    db_path, first, second, before = warehouse_after_two_runs
    total = sum(len(load_outlet(outlet).articles) for outlet in OUTLETS)
    assert first["articles_new"] == total
    assert sum(site["articles_parsed"] for site in second["sites"].values()) == 0
    assert sum(site["not_modified"] + site["same_hash"] for site in second["sites"].values()) == total
    # Outlets that send validators answer 304; the others are recognised by content hash.
    assert second["sites"]["itchosun"]["not_modified"] == 12
    assert second["sites"]["etnews"]["same_hash"] == 12
    with Warehouse.open(db_path, read_only=True) as store:
        assert store.query(SNAPSHOT).rows == before


def test_robots_txt_is_obeyed(editable_mirror, warehouse_after_two_runs):
    server, _ = editable_mirror
    requested = [entry.target for entry in server.request_log]
    assert any(target == "/robots.txt" for target in requested)
    assert not [target for target in requested if target.startswith("/admin")]


def test_wire_copies_are_linked(warehouse_after_two_runs):
    db_path, *_ = warehouse_after_two_runs
    with Warehouse.open(db_path, read_only=True) as store:
        links = store.query(
            "SELECT a.source, d.source FROM articles a JOIN articles d ON a.duplicate_of = d.article_id ORDER BY 1"
        ).rows
    assert sorted(tuple(sorted(pair)) for pair in links) == [
        ("aitimes", "ddaily"),
        ("bloter", "itchosun"),
        ("etnews", "zdnet"),
    ]


def test_site_health_is_recorded_per_run(warehouse_after_two_runs):
    db_path, first, *_ = warehouse_after_two_runs
    with Warehouse.open(db_path, read_only=True) as store:
        rows = store.query(
            "SELECT source, articles, empty_body_share, missing_date_share FROM site_health WHERE run_id = ?",
            [first["run_id"]],
        ).rows
    assert {row[0] for row in rows} == set(OUTLETS)
    assert all(row[1] == len(load_outlet(row[0]).articles) and row[2] == 0 and row[3] == 0 for row in rows)
    assert first["warnings"] == []


def test_an_edited_article_updates_one_row_and_keeps_a_version(editable_mirror, warehouse_after_two_runs):
    server, data_dir = editable_mirror
    db_path, *_ = warehouse_after_two_runs
    for outlet in ("etnews", "itchosun"):  # one outlet without validators, one with
        path = data_dir / f"{outlet}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        first_paragraph = next(block for block in data["articles"][3]["blocks"] if block["type"] == "p")
        first_paragraph["text"] += " 회사 측은 추가 투자 유치도 검토하고 있다고 덧붙였다."
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    summary = _run(server, db_path)
    assert summary["articles_updated"] == 2
    assert summary["articles_new"] == 0
    with Warehouse.open(db_path, read_only=True) as store:
        versions = store.query("SELECT a.source, v.version FROM article_versions v JOIN articles a USING (article_id)")
        current = store.query("SELECT count(*) FROM articles WHERE version = 2").rows[0][0]
        bodies = store.scalar("SELECT count(*) FROM articles WHERE body LIKE '%추가 투자 유치도 검토%'")
    assert sorted(versions.rows) == [("etnews", 1), ("itchosun", 1)]
    assert current == 2
    assert bodies == 2


UNKNOWN_SITE_PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>판교 스타트업 모여랩, 시리즈A 80억원 유치 | 테크노트</title>
<meta property="og:title" content="판교 스타트업 모여랩, 시리즈A 80억원 유치">
<meta property="article:published_time" content="2026-11-21T10:30:00+09:00">
</head><body><nav><a href="/">홈</a> <a href="/news">뉴스</a> <a href="/login">로그인</a></nav>
<main><article><h1>판교 스타트업 모여랩, 시리즈A 80억원 유치</h1>
<p class="byline">박서연 기자 seoyeon@technote.example</p>
<p>판교의 물류 로봇 스타트업 모여랩이 80억원 규모의 시리즈A 투자를 유치했다고 21일 밝혔다.
이번 투자에는 소프트뱅크벤처스와 한국산업은행이 참여했다.</p>
<p>모여랩은 창고 안에서 상자를 옮기는 자율주행 로봇을 만든다. 지난해 매출은 12억원으로 전년보다 세 배 늘었다.</p>
<p>윤태오 모여랩 대표는 “내년 상반기 일본 물류센터에 첫 해외 공급을 시작할 계획”이라고 말했다.</p>
<p>회사는 이번 자금을 연구 인력 채용과 생산 설비 확충에 쓸 예정이다.</p>
</article></main><footer>Copyright © 테크노트. All rights reserved.</footer></body></html>"""


def test_start_url_of_an_unknown_site_is_stored(tmp_path, prefect_harness):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            body = UNKNOWN_SITE_PAGE.encode() if self.path.startswith("/news/") else b"User-agent: *\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/news/2026/11/21/moyeolab"
        summary = api.run(db=tmp_path / "u.duckdb", start_urls=[url], scrapy_settings=api.MIRROR_SCRAPY_SETTINGS)
    finally:
        server.shutdown()
    assert summary["articles_new"] == 1
    with Warehouse.open(tmp_path / "u.duckdb", read_only=True) as store:
        title, published, body = store.query("SELECT title, published_at::VARCHAR, body FROM articles").rows[0]
    assert title == "판교 스타트업 모여랩, 시리즈A 80억원 유치"
    assert published.startswith("2026-11-21 10:30:00")
    assert body.startswith("판교의 물류 로봇 스타트업 모여랩이 80억원 규모의 시리즈A 투자를 유치했다고 21일 밝혔다.")
    assert "회사는 이번 자금을" in body
    assert "seoyeon@" not in body and "Copyright" not in body and "로그인" not in body
