"""`newsetl sql` only reads the warehouse: writes, ATTACH/DETACH/USE, COPY, EXPORT, SET and file reads are refused
with one line and exit 2, and the warehouse is unchanged afterwards (a real DuckDB file, the real CLI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from warehouse import Warehouse

REFUSED = [
    "DELETE FROM articles",
    "INSERT INTO runs (run_id) VALUES ('x')",
    "DROP TABLE articles",
    "CREATE TABLE stolen AS SELECT 1",
    "ATTACH '{other}' AS s",
    "USE memory",
    "DETACH memory",
    "COPY (SELECT 1) TO '{out}'",
    "EXPORT DATABASE '{dir}'",
    "INSTALL fts",
    "LOAD fts",
    "SET threads = 1",
    "CALL pragma_version()",
    "SELECT 1; DELETE FROM articles",
]


def _newsetl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("newsetl")), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def warehouse_file(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with Warehouse.open(path) as store:
        store.query("INSERT INTO runs (run_id, started_at, status) VALUES ('r1', now(), 'completed')")
    return path


def _runs(path: Path) -> int:
    with Warehouse.open(path, read_only=True) as store:
        return store.scalar("SELECT count(*) FROM runs")


@pytest.mark.parametrize("statement", REFUSED)
def test_non_reads_are_refused_with_one_line(statement: str, warehouse_file: Path, tmp_path: Path) -> None:
    query = statement.format(other=tmp_path / "other.duckdb", out=tmp_path / "out.csv", dir=tmp_path / "dump")
    result = _newsetl("sql", query, "--db", str(warehouse_file))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "dump").exists()
    assert _runs(warehouse_file) == 1


def test_the_attach_detach_attack_leaves_the_warehouse_whole(warehouse_file: Path, tmp_path: Path) -> None:
    attack = (
        f"ATTACH '{tmp_path / 'other.duckdb'}' AS s (READ_WRITE); USE s; DETACH w; "
        f"ATTACH '{warehouse_file}' AS w (READ_WRITE); DELETE FROM w.runs"
    )
    result = _newsetl("sql", attack, "--db", str(warehouse_file))
    assert result.returncode == 2 and "refused" in result.stderr
    assert _runs(warehouse_file) == 1


def test_selects_cannot_read_other_files(warehouse_file: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    result = _newsetl("sql", f"SELECT * FROM read_csv('{secret}')", "--db", str(warehouse_file))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_reads_work_and_sql_errors_are_one_line(warehouse_file: Path) -> None:
    ok = _newsetl("sql", "SELECT count(*) AS n FROM runs; DESCRIBE articles", "--db", str(warehouse_file))
    assert ok.returncode == 0 and "article_id" in ok.stdout
    typo = _newsetl("sql", "SELEC 1", "--db", str(warehouse_file))
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
    assert typo.stderr.startswith("newsetl: error: Parser Error")


def test_sql_from_a_file_and_wide_cells_cut_in_table_output(warehouse_file: Path, tmp_path: Path) -> None:
    script = tmp_path / "q.sql"
    script.write_text("SELECT 1 AS warm_up;\nSELECT repeat('가', 200) AS wide, 2 AS n;\n", encoding="utf-8")
    table = _newsetl("sql", "-f", str(script), "--db", str(warehouse_file))
    assert table.returncode == 0, table.stderr
    header, rule, row, count = table.stdout.splitlines()
    assert header.split() == ["wide", "n"] and count == "(1 row)"
    assert row.split()[0] == "가" * 29 + "…"  # 60 terminal columns: 29 wide syllables and the ellipsis
    as_csv = _newsetl("sql", "-f", str(script), "--db", str(warehouse_file), "--format", "csv")
    assert "가" * 200 in as_csv.stdout  # CSV and JSON keep cells whole


def test_version_and_a_missing_query_are_quick_one_liners(warehouse_file: Path) -> None:
    assert _newsetl("--version").stdout.startswith("newsetl ")
    missing = _newsetl("sql", "--db", str(warehouse_file))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
