"""The DuckLake backend on a real PostgreSQL catalog (a throwaway cluster on 127.0.0.1) and Parquet files.

Run as a script, this file is also the writer process of the two-writer test:
    python tests/test_ducklake.py TARGET FIRST LAST START_FILE RESULT_FILE
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # when run as the writer script
    sys.path.insert(0, str(REPO))

from transforms.records import CleanArticle, ImageRecord, Mention  # noqa: E402
from warehouse import LoadCounts, Warehouse  # noqa: E402
from warehouse import open as open_warehouse  # noqa: E402
from warehouse.lake import LakeTarget, lake_ddl, lake_statements, parse_lake_target, table_keys  # noqa: E402

# Entities every writer mentions, so concurrent loads also race to create the same entity rows.
SHARED_NAMES = ("네이버", "카카오", "삼성전자")


def make_article(number: int) -> tuple[CleanArticle, list[Mention]]:
    """Article `number`, identical whichever process builds it (the overlap must be the same page)."""
    name = SHARED_NAMES[number % len(SHARED_NAMES)]
    body = f"{name}가 {number}번째 인공지능 서비스를 공개했다.\n\n기사 {number}의 둘째 문단이다."
    article = CleanArticle(
        article_id=f"{number:016x}",
        url=f"https://news.example.kr/article/{number}",
        source="bloter",
        title=f"기사 {number}",
        body=body,
        published_at="2026-11-20T09:00:00+09:00",
        authors=["홍길동"],
        images=[ImageRecord(src=f"https://news.example.kr/img/{number}.jpg", caption="사진", credit="")],
        content_hash=f"hash-{number}",
    )
    mentions = [
        Mention(start=0, end=len(name), surface=name, type="ORG", canonical=name),
        Mention(start=len(name) + 2, end=len(name) + 2 + len(str(number)), surface=str(number), type="DATE",
                canonical=str(number), normalized=f"2026-11-{number % 28 + 1:02d}"),
    ]  # fmt: skip
    return article, mentions


def write_articles(target: str, first: int, last: int, batch_size: int = 10) -> dict[str, int]:
    """Load articles first..last-1 in batches, as one pipeline run would."""
    run_id = f"writer-{os.getpid()}"
    with open_warehouse(target) as store:
        store.start_run(run_id, dt.datetime.now(dt.UTC), ["bloter"])
        total = LoadCounts()
        for start in range(first, last, batch_size):
            built = [make_article(number) for number in range(start, min(start + batch_size, last))]
            counts = store.load_batch(run_id, [a for a, _ in built], [m for _, m in built])
            total.add(counts)
        store.record_site_health(run_id, [{"source": "bloter", "pages": 1, "articles": 1, "fetch_errors": 0,
                                           "empty_body_share": 0.0, "missing_date_share": 0.0,
                                           "missing_byline_share": 0.0, "warning": None}])  # fmt: skip
        store.finish_run(run_id, status="completed", pages_fetched=last - first, counts=total, errors=0, stats={})
        retried = getattr(store, "conflicts_retried", 0)
    return {
        "new": total.articles_new,
        "updated": total.articles_updated,
        "unchanged": total.articles_unchanged,
        "retried": retried,
    }


# -- a throwaway PostgreSQL cluster ----------------------------------------------------------------


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres() -> Iterator[tuple[Path, int]]:
    """(bin dir, port) of a PostgreSQL cluster that lives as long as this module's tests."""
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql); the DuckLake catalog needs it")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as the postgres user")
    # Not under pytest's temp root: that is private to root, and the server runs as postgres.
    home = Path(tempfile.mkdtemp(prefix="newsetl-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, user="postgres")
    data, port = home / "data", _free_port()
    quiet = {"check": True, "capture_output": True}
    subprocess.run(_as_postgres([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]), **quiet)
    server = [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w", "-t", "60"]
    subprocess.run(_as_postgres([*server, "-o", f"-h 127.0.0.1 -p {port} -k {home}", "start"]), **quiet)
    try:
        yield binaries, port
    finally:
        subprocess.run(_as_postgres([*server, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def lake_target(postgres: tuple[Path, int], tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A new, empty lake: its own catalog database, its own data directory."""
    binaries, port = postgres
    name = "lake_" + "".join(char if char.isalnum() else "_" for char in request.node.name).lower()[:40]
    subprocess.run(
        _as_postgres([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name]),
        check=True,
        capture_output=True,
    )
    return str(LakeTarget(f"postgres:dbname={name} host=127.0.0.1 port={port} user=postgres", f"{tmp_path}/lake/"))


# -- without PostgreSQL ----------------------------------------------------------------------------


def test_target_round_trips_and_keeps_bucket_slashes() -> None:
    target = LakeTarget("postgres:dbname=news host=10.0.0.5", "s3://bucket/newsetl/")
    assert str(target) == "ducklake:postgres:dbname=news host=10.0.0.5?data_path=s3://bucket/newsetl/"
    assert parse_lake_target(str(target)) == target
    assert parse_lake_target("ducklake:postgres:dbname=news") == LakeTarget("postgres:dbname=news")


def test_ddl_loses_its_constraints_but_the_keys_are_remembered() -> None:
    script = (
        "CREATE TABLE t (\n  id VARCHAR PRIMARY KEY,  -- a note, with a comma\n  v INTEGER\n);\n"
        "CREATE TABLE u (\n  a VARCHAR NOT NULL,\n  b INTEGER NOT NULL, -- why\n  PRIMARY KEY (a, b)\n);"
    )
    first, second = (lake_ddl(statement) for statement in lake_statements(script))
    assert first[1:] == ("t", ("id",)) and "PRIMARY KEY" not in first[0] and "id VARCHAR NOT NULL" in first[0]
    assert second[1:] == ("u", ("a", "b")) and "PRIMARY KEY" not in second[0]
    keys = table_keys()
    assert keys["articles"] == ("article_id",) and keys["mentions"] == ("article_id", "start_char", "end_char", "type")


def test_config_picks_the_lake_and_db_overrides_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsetl import api
    from newsetl.config import ConfigError, load_config, warehouse_target

    monkeypatch.delenv("NEWSETL_DB", raising=False)
    config_file = tmp_path / "newsetl.toml"
    config_file.write_text(
        '[warehouse]\nbackend = "ducklake"\ncatalog = "postgres:dbname=news host=10.0.0.5"\n'
        'data_path = "s3://bucket/news/"\n',
        encoding="utf-8",
    )
    config = load_config(config_file)
    lake = "ducklake:postgres:dbname=news host=10.0.0.5?data_path=s3://bucket/news/"
    assert warehouse_target(None, config) == lake
    assert api.run_parameters(config_path=config_file, sites=["bloter"]).db_path == lake
    assert warehouse_target(tmp_path / "x.duckdb", config) == str(tmp_path / "x.duckdb")
    assert warehouse_target(None, load_config(REPO / "newsetl.toml")) == "newsetl.duckdb"
    config.warehouse_backend = "ducklake"
    config.lake_catalog = ""
    with pytest.raises(ConfigError, match="needs catalog"):
        config.lake_target()


# -- on a real catalog -----------------------------------------------------------------------------


def _columns(store: Warehouse) -> dict[str, list[tuple[str, str]]]:
    rows = store.query(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = current_database() ORDER BY table_name, ordinal_position"
    ).rows
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def test_lake_has_the_same_table_contract_as_the_file(lake_target: str, tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "file.duckdb") as single, open_warehouse(lake_target) as lake:
        assert type(lake).__name__ == "LakeWarehouse"
        file_tables, lake_tables = _columns(single), _columns(lake)
        assert lake.schema_version() == single.schema_version()
    lake_tables.pop("lake_commit_token")
    assert lake_tables == file_tables  # every table, view and column, with the same types


def test_loads_are_idempotent_and_versioned_without_keys(lake_target: str) -> None:
    from flows.run_history import close_abandoned_runs

    article, mentions = make_article(1)
    with open_warehouse(lake_target) as store:
        store.start_run("r1", dt.datetime.now(dt.UTC), ["bloter"])
        assert store.load_batch("r1", [article], [mentions]).articles_new == 1
        assert store.load_batch("r1", [article], [mentions]).articles_unchanged == 1
        article.body += "\n\n정정 문단."
        assert store.load_batch("r1", [article], [mentions]).articles_updated == 1
        health = {"source": "bloter", "pages": 1, "articles": 1, "fetch_errors": 0, "empty_body_share": 0.0,
                  "missing_date_share": 0.0, "missing_byline_share": 0.0, "warning": None}  # fmt: skip
        store.record_site_health("r1", [health])
        store.record_site_health("r1", [health])  # INSERT OR REPLACE: still one row
        # UPDATE ... RETURNING, which DuckLake lacks, through the flow's own helper
        assert close_abandoned_runs(store, dt.datetime.now(dt.UTC)) == ["r1"]
        counts = store.query(
            "SELECT (SELECT count(*) FROM articles), (SELECT max(version) FROM articles), "
            "(SELECT count(*) FROM article_versions), (SELECT count(*) FROM mentions), "
            "(SELECT count(*) FROM images), (SELECT count(*) FROM crawl_state), (SELECT count(*) FROM site_health), "
            "(SELECT status FROM runs)"
        ).rows[0]
        assert counts == (1, 2, 1, 2, 1, 1, 1, "abandoned")
        assert store.query("SELECT count(*) FROM entity_daily").rows[0][0] > 0  # the views work on the lake
    with open_warehouse(lake_target, read_only=True) as reader:
        assert reader.scalar("SELECT title FROM articles") == "기사 1"


def test_posting_rows_rewritten_in_term_order_on_the_lake(lake_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The term-order rewrite of search_postings (warehouse.search) runs on DuckLake too, entries unchanged."""
    import warehouse.search as search
    from transforms.entities import get_extractor
    from transforms.terms import ParsedQuery, batch_terms

    monkeypatch.setattr(search, "POSTINGS_REORDER_MIN_ROWS", 1)  # every load past the first rewrites
    articles = [make_article(number)[0] for number in (1, 2, 3)]
    mentions, tokens = get_extractor().extract_many_with_tokens(
        [a.body for a in articles], [a.published_at for a in articles], also_tokenize=[a.title for a in articles]
    )
    terms = batch_terms(tokens, len(articles))
    pairs = {
        (a.article_id, term) for a, t in zip(articles, terms, strict=True) for term in {**t.title.terms, **t.body.terms}
    }
    with open_warehouse(lake_target) as store:
        for number, article in enumerate(articles):
            store.load_batch(f"r{number}", [article], [mentions[number]], terms=[terms[number]])
        entries = store.query(
            "SELECT d.article_id, v.term FROM (SELECT term_id, unnest(postings, recursive := true) "
            "FROM search_postings) p JOIN search_docs d USING (doc_id) JOIN search_vocab v USING (term_id)"
        ).rows
        assert sorted(entries) == sorted(pairs)
        hits = search.search(store, ParsedQuery(["서비스"]), search.SearchFilters(), 10)
        assert {hit.article_id for hit in hits} == {a.article_id for a in articles}


@pytest.mark.slow
def test_two_concurrent_writers_lose_and_duplicate_nothing(lake_target: str, tmp_path: Path) -> None:
    """Writer A loads articles 0-59, writer B 30-89, at the same time: 90 articles, each exactly once."""
    open_warehouse(lake_target).close()  # schema first, so both writers race on data, not on DDL
    start = tmp_path / "go"
    ranges = {"a": (0, 60), "b": (30, 90)}
    writers = {
        key: subprocess.Popen(
            [sys.executable, __file__, lake_target, str(first), str(last), str(start), str(tmp_path / key)],
            cwd=REPO,
        )
        for key, (first, last) in ranges.items()
    }
    time.sleep(1.0)  # both have imported and are waiting at the start line
    start.touch()
    for writer in writers.values():
        assert writer.wait(timeout=180) == 0
    results = {key: json.loads((tmp_path / key).read_text()) for key in writers}
    # Each article was new to exactly one writer; an overlapping one the other saw as unchanged.
    assert results["a"]["new"] + results["b"]["new"] == 90
    assert results["a"]["unchanged"] + results["b"]["unchanged"] == 30
    assert results["a"]["updated"] == results["b"]["updated"] == 0
    with open_warehouse(lake_target, read_only=True) as store:
        totals = store.query(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT article_id) FROM articles), "
            "(SELECT count(*) FROM mentions), "
            "(SELECT count(*) FROM (SELECT DISTINCT article_id, start_char, end_char, type FROM mentions)), "
            "(SELECT count(*) FROM entities), (SELECT count(DISTINCT entity_id) FROM entities), "
            "(SELECT count(*) FROM images), (SELECT count(*) FROM crawl_state), "
            "(SELECT count(DISTINCT url) FROM crawl_state), (SELECT count(*) FROM article_versions), "
            "(SELECT count(*) FROM runs WHERE status = 'completed')"
        ).rows[0]
        ids = {row[0] for row in store.query("SELECT article_id FROM articles").rows}
    entities = len(SHARED_NAMES) + len({number % 28 for number in range(90)})  # ORG names + DATE values
    assert totals == (90, 90, 180, 180, entities, entities, 90, 90, 90, 0, 2)
    assert ids == {f"{number:016x}" for number in range(90)}
    print(f"commit races lost and retried: a={results['a']['retried']} b={results['b']['retried']}")


@pytest.mark.slow
def test_the_pipeline_flow_runs_unchanged_on_the_lake(lake_target: str, mirror_server, prefect_harness) -> None:
    """A real Prefect flow run over the loopback mirror, pointed at the lake by its target string alone."""
    from newsetl import api

    def crawl() -> dict:
        return api.run(
            db=lake_target,
            sites=["bloter"],
            base_urls=dict(mirror_server.base_urls),
            scrapy_settings=api.MIRROR_SCRAPY_SETTINGS,
        )

    first = crawl()
    assert first["status"] == "completed" and first["articles_new"] > 0
    assert first["db_path"] == lake_target
    second = crawl()  # the same pages again: nothing new, nothing stored twice
    assert second["articles_new"] == 0
    demo = [api.sql(query, db=lake_target) for _, query in api.demo_queries()]
    assert demo[0].rows[0][:2] == ("bloter", first["articles_new"])
    with open_warehouse(lake_target, read_only=True) as store:
        assert store.scalar("SELECT count(*) - count(DISTINCT article_id) FROM articles") == 0
        assert store.scalar("SELECT count(*) FROM runs WHERE status = 'completed'") == 2
    assert not any(Path.cwd().glob("ducklake:*"))  # no writer-lock file named after the target


def _lake_config(lake_target: str, folder: Path) -> Path:
    """A newsetl.toml whose [warehouse] names the lake: the only place the commands below learn of it."""
    target = parse_lake_target(lake_target)
    config = folder / "newsetl.toml"
    config.write_text(
        f'[warehouse]\nbackend = "ducklake"\ncatalog = "{target.catalog}"\ndata_path = "{target.data_path}"\n',
        encoding="utf-8",
    )
    return config


def test_report_and_export_read_the_lake_from_the_config_alone(
    lake_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsetl import api

    write_articles(lake_target, 0, 6)
    monkeypatch.setenv("NEWSETL_CONFIG", str(_lake_config(lake_target, tmp_path)))
    monkeypatch.delenv("NEWSETL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    page = api.report(out=tmp_path / "report.html").path.read_text(encoding="utf-8")
    assert "DuckLake" in page and "네이버" in page
    exported = {table.table: table for table in api.export(tmp_path / "parquet")}
    assert exported["articles"].rows == 6 and exported["mentions"].rows == 12
    assert not (tmp_path / "newsetl.duckdb").exists()  # nothing fell back to the default file


@pytest.mark.slow
def test_serve_registers_a_lake_target_with_its_bucket_path_intact(
    lake_target: str, tmp_path: Path, prefect_api: tuple[str, dict[str, str]]
) -> None:
    """`newsetl serve --db ducklake:...?data_path=s3://...` on a loopback Prefect server: the deployment's
    warehouse parameter is the target as written (a Path would fold `s3://` into `s3:/` and make it local)."""
    from prefect_procs import BIN, get_json, stop, wait_for

    api_url, env = prefect_api
    bucket_target = str(LakeTarget(parse_lake_target(lake_target).catalog, "s3://newsetl-bucket/lake/"))
    config = _lake_config(lake_target, tmp_path)
    serve = subprocess.Popen(
        [str(BIN / "newsetl"), "serve", "--config", str(config), "--db", bucket_target, "--name", "lake"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deployment = wait_for(
            lambda: get_json(f"{api_url}/deployments/name/newsetl/lake"), 120, "the deployment", serve
        )
    finally:
        stop(serve)
    assert deployment["parameters"] == {"config_path": str(config.resolve()), "db_path": bucket_target}


def _writer_main(argv: list[str]) -> None:
    target, first, last, start_file, result_file = argv
    deadline = time.monotonic() + 60
    while not os.path.exists(start_file) and time.monotonic() < deadline:
        time.sleep(0.01)
    result = write_articles(target, int(first), int(last))
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    _writer_main(sys.argv[1:])
