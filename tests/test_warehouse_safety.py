"""Data safety on real DuckDB files: one transaction per load batch, migrations that keep data, clear
errors (with the path) for locked, read-only and corrupt files, and scraped text that is only ever data."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import warehouse.store as store_module
from transforms.ids import article_id
from transforms.records import CleanArticle, FetchError, ImageRecord, Mention
from warehouse import Warehouse, WarehouseError, WarehouseFullError, WarehouseLockedError, WriterLock

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2025, 11, 20, 3, 0, tzinfo=dt.UTC)
HOSTILE = "x'); DROP TABLE articles; -- $now {run_id} <script>alert(1)</script>"


def _article(number: int, body: str = "") -> CleanArticle:
    url = f"https://it.chosun.com/news/articleView.html?idxno={number}"
    return CleanArticle(
        article_id=article_id(url),
        url=url,
        source="itchosun",
        title=f"시험 기사 {number}",
        body=body or f"누리클라우드가 판교에 {number}억원을 투자했다.",
        published_at="2025-11-20T09:00:00+09:00",
        authors=["김하늘"],
        images=[ImageRecord(src=f"/photo/{number}.jpg", caption="사진 설명", credit="사진=결함일보")],
        content_hash=f"hash{number}",
    )


def _mentions(article: CleanArticle) -> list[Mention]:
    return [Mention(0, 5, article.body[:5], "ORG", "누리클라우드")]


def _snapshot(store: Warehouse) -> dict[str, list[tuple]]:
    return {
        table: store.query(f"SELECT * FROM {table} ORDER BY ALL").rows  # table names are our constants
        for table in ("articles", "article_versions", "images", "mentions", "entities", "crawl_state")
    }


def test_a_failing_load_batch_leaves_the_warehouse_as_it_was(db_path, monkeypatch):
    with Warehouse.open(db_path) as store:
        first = _article(1)
        store.load_batch("run-1", [first], [_mentions(first)], now=NOW)
        before = _snapshot(store)

        def fail_at_the_end(*args: object, **kwargs: object) -> None:
            raise RuntimeError("disk full, say")

        # Crawl state is the batch's last write: everything before it must roll back too.
        monkeypatch.setattr(Warehouse, "_write_crawl_state", fail_at_the_end)
        changed = _article(1, body="누리클라우드가 대전에 99억원을 투자했다.")
        new = _article(2)
        with pytest.raises(RuntimeError, match="disk full"):
            store.load_batch("run-2", [changed, new], [_mentions(changed), _mentions(new)], now=NOW)
        assert _snapshot(store) == before
        monkeypatch.undo()
        counts = store.load_batch("run-3", [changed, new], [_mentions(changed), _mentions(new)], now=NOW)
    assert (counts.articles_new, counts.articles_updated) == (1, 1)


def _build_version_1(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warehouse as the first release made it: only migration 0001, then a run's worth of rows."""
    every_migration = store_module._migrations()
    monkeypatch.setattr(store_module, "_migrations", lambda: every_migration[:1])
    with Warehouse.open(path) as old:
        assert old.schema_version() == 1
        old.con.execute(
            "INSERT INTO articles VALUES ('a1', 'https://it.chosun.com/news/articleView.html?idxno=1', "
            "'itchosun', '제목', NULL, NULL, TIMESTAMPTZ '2025-11-01 09:00:00+09', NULL, ['김하늘'], "
            "'본문', 'h1', 2, TIMESTAMPTZ '2025-11-01 10:00:00+09', TIMESTAMPTZ '2025-11-02 10:00:00+09', 'r1')"
        )
        old.con.execute(
            "INSERT INTO article_versions VALUES ('a1', 1, '옛 제목', NULL, NULL, NULL, [], '옛 본문', 'h0', "
            "TIMESTAMPTZ '2025-11-01 10:00:00+09', TIMESTAMPTZ '2025-11-02 10:00:00+09', 'r0')"
        )
        old.con.execute("INSERT INTO images VALUES ('a1', 0, '/p.jpg', '설명', '사진=결함일보')")
        old.con.execute("INSERT INTO entities VALUES ('e1', '누리클라우드', 'ORG', NULL, now())")
        old.con.execute("INSERT INTO mentions VALUES ('a1', 'e1', '누리클라우드', 0, 6, 'ORG', NULL, NULL, NULL)")
        old.con.execute("INSERT INTO runs (run_id, started_at, status, errors) VALUES ('r1', now(), 'completed', 1)")
        old.con.execute("INSERT INTO fetch_errors VALUES ('r1', 'https://x/1', 'itchosun', 404, 'http', now())")
        old.con.execute("INSERT INTO crawl_state VALUES ('https://x/2', 'a1', 'itchosun', 'e', NULL, 'c', 200, now())")
    monkeypatch.undo()


V1_TABLES = ("articles", "article_versions", "images", "entities", "mentions", "runs", "fetch_errors", "crawl_state")


def _columns(store: Warehouse, table: str) -> list[str]:
    rows = store.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).rows
    return [name for (name,) in rows]


def _rows(store: Warehouse, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    # Only the given columns: later migrations may add columns, never drop or rename them.
    return {
        table: store.query(f"SELECT {', '.join(_quoted(name) for name in names)} FROM {table} ORDER BY ALL").rows
        for table, names in columns.items()
    }


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def test_migrations_keep_the_data_of_a_version_1_warehouse(db_path, monkeypatch):
    _build_version_1(db_path, monkeypatch)
    with Warehouse.open(db_path, read_only=True) as old:
        v1_columns = {table: _columns(old, table) for table in V1_TABLES}
        before = _rows(old, v1_columns)
    with Warehouse.open(db_path) as store:  # applies 0002 onwards
        assert store.schema_version() == store_module._migrations()[-1][0] > 1
        for table in V1_TABLES:
            assert set(v1_columns[table]) <= set(_columns(store, table)), f"{table} lost columns"
        assert _rows(store, v1_columns) == before
        # The migrated file takes new loads, and the old article is still the same row.
        new = _article(7)
        counts = store.load_batch("r2", [new], [_mentions(new)], now=NOW)
        assert counts.articles_new == 1
        assert store.scalar("SELECT version FROM articles WHERE article_id = 'a1'") == 2
    with Warehouse.open(db_path) as again:  # nothing left to apply, nothing applied twice
        assert again.migrate() == []


def test_a_failing_migration_rolls_back_and_names_the_file(db_path, monkeypatch):
    with Warehouse.open(db_path) as store:
        first = _article(1)
        store.load_batch("run-1", [first], [_mentions(first)], now=NOW)
        version = store.schema_version()
        before = _snapshot(store)
    broken = (9999, "broken", "ALTER TABLE articles ADD COLUMN junk VARCHAR;\nSELECT * FROM no_such_table;\n")
    every_migration = store_module._migrations()
    monkeypatch.setattr(store_module, "_migrations", lambda: [*every_migration, broken])
    with pytest.raises(WarehouseError) as failure:
        Warehouse.open(db_path)
    assert str(db_path) in str(failure.value)
    assert "9999_broken" in str(failure.value)
    monkeypatch.undo()
    with Warehouse.open(db_path, read_only=True) as store:
        assert store.schema_version() == version
        assert _snapshot(store) == before
        assert not store.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'junk'").rows


def test_a_warehouse_locked_by_another_process_is_a_clear_error(db_path):
    Warehouse.open(db_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from warehouse import Warehouse; w = Warehouse.open(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(db_path),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseLockedError) as failure:
            Warehouse.open(db_path)
        assert str(db_path) in str(failure.value)
        assert "in use by another process" in str(failure.value)
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_a_second_writer_is_refused_with_the_path_and_the_holder(db_path):
    with WriterLock(db_path, run_id="run-A"), pytest.raises(WarehouseLockedError) as failure:
        WriterLock(db_path, run_id="run-B").acquire()
    assert str(db_path) in str(failure.value)
    assert "run-A" in str(failure.value)


def test_a_corrupt_file_is_a_clear_error(db_path):
    db_path.write_bytes(b"this is not a database\n" * 500)
    for read_only in (False, True):
        with pytest.raises(WarehouseError) as failure:
            Warehouse.open(db_path, read_only=read_only)
        assert str(db_path) in str(failure.value)
        assert "not a DuckDB database" in str(failure.value)
    assert db_path.read_bytes().startswith(b"this is not a database")  # never overwritten


def test_a_read_only_file_is_a_clear_error_and_still_readable(db_path):
    with Warehouse.open(db_path) as store:
        store.load_batch("run-1", [_article(1)], [[]], now=NOW)
    # Root ignores permission bits, so make the file immutable (which binds root too) where we can.
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(db_path)], capture_output=True).returncode != 0:
        db_path.chmod(0o444)
    try:
        if _can_write(db_path):
            pytest.skip("cannot make a file read-only here (root without CAP_LINUX_IMMUTABLE)")
        with pytest.raises(WarehouseError) as failure:
            Warehouse.open(db_path)
        assert str(db_path) in str(failure.value)
        assert "read-only" in str(failure.value)
        with Warehouse.open(db_path, read_only=True) as store:
            assert store.scalar("SELECT count(*) FROM articles") == 1
    finally:
        if chattr is not None:
            subprocess.run([chattr, "-i", str(db_path)], capture_output=True)
        db_path.chmod(0o644)


def _can_write(path: Path) -> bool:
    return os.access(path, os.W_OK)


def test_scraped_text_is_bound_as_data_never_spliced_into_sql(db_path):
    hostile = _article(5, body=HOSTILE)
    hostile.title = HOSTILE
    hostile.authors = [HOSTILE]
    with Warehouse.open(db_path) as store:
        store.load_batch(HOSTILE, [hostile], [[Mention(0, 2, HOSTILE[:2], "ORG", HOSTILE)]], now=NOW)
        store.record_errors(HOSTILE, [FetchError(url=HOSTILE, error=HOSTILE, http_status=500, source=HOSTILE)])
        row = store.query("SELECT title, body, authors, run_id FROM articles").rows[0]
        assert row == (HOSTILE, HOSTILE, [HOSTILE], HOSTILE)
        assert store.query("SELECT url, error FROM fetch_errors").rows == [(HOSTILE, HOSTILE)]
        assert store.scalar("SELECT name FROM entities") == HOSTILE


def test_a_writer_waits_for_a_reader_process_and_then_writes(db_path):
    Warehouse.open(db_path).close()
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print('reading', flush=True); time.sleep(2); c.close(); time.sleep(60)",
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        with pytest.raises(WarehouseLockedError, match=r"in use by another process.*PID"):
            Warehouse.open(db_path)  # no wait: the clear error of before
        with Warehouse.open(db_path, wait_seconds=60) as store:
            store.query("INSERT INTO runs (run_id, started_at, status) VALUES ('after-reader', now(), 'completed')")
        with Warehouse.open(db_path, read_only=True) as store:
            assert store.scalar("SELECT count(*) FROM runs WHERE run_id = 'after-reader'") == 1
    finally:
        reader.kill()
        reader.wait(timeout=10)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 3 MB tmpfs: a real full disk. Needs root (CI and the dev machines run as root)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=False)


def test_a_full_disk_is_a_clear_error_and_keeps_every_earlier_batch(tiny_disk: Path) -> None:
    db = tiny_disk / "w.duckdb"
    stored = 0
    with pytest.raises(WarehouseFullError) as failure:  # noqa: PT012 - loads until the disk gives out
        for batch in range(100):
            articles = [_article(batch * 50 + n, body="가나다라 " * 400 + str(batch * 50 + n)) for n in range(50)]
            with Warehouse.open(db) as store:
                store.load_batch("run-full", articles, [_mentions(article) for article in articles])
            stored += 50
    message = str(failure.value)
    assert message.startswith(str(db)) and "disk is full" in message and "\n" not in message
    assert stored > 0
    with Warehouse.open(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM articles") == stored
