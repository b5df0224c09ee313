"""Everyday answers stay fast because they load nothing heavy: `--help`, `--version`, `sql`, a config or argument
mistake and a run refused for the writer lock never import Prefect, Scrapy, Kiwi or pyarrow (each costs 0.3-1 s).
Each command runs in a fresh interpreter that then lists the heavy packages it had loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse import Warehouse, WriterLock

HEAVY = ("prefect", "scrapy", "twisted", "kiwipiepy", "pyarrow", "matplotlib")
PROBE = """
import json, sys
from newsetl.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
""".replace("HEAVY", repr(HEAVY))


def _loaded(args: list[str], cwd: Path) -> tuple[int, list[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )
    *lines, last = result.stderr.strip().splitlines()
    probe = json.loads(last)
    return probe["code"], probe["heavy"], "\n".join(lines)


@pytest.fixture
def warehouse_file(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    with Warehouse.open(db):
        pass
    return db


def test_help_version_and_sql_load_nothing_heavy(tmp_path: Path, warehouse_file: Path) -> None:
    for args in (["--help"], ["--version"], ["run", "--help"], ["sql", "select 1", "--db", str(warehouse_file)]):
        code, heavy, _ = _loaded(args, tmp_path)
        assert code in (0, None) and heavy == [], (args, heavy)


def test_mistakes_and_a_refused_run_load_nothing_heavy(tmp_path: Path, warehouse_file: Path) -> None:
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text('[crawl]\nmax_pages = "lots"\n', encoding="utf-8")
    mistakes = [
        ["run", "--config", str(bad_config), "--db", str(tmp_path / "x.duckdb")],
        ["run", "--since", "2026-13-45", "--db", str(tmp_path / "x.duckdb")],
        ["run", "--max-error-share", "2", "--db", str(tmp_path / "x.duckdb")],
        ["sql", "selec 1", "--db", str(warehouse_file)],
    ]
    for args in mistakes:
        code, heavy, stderr = _loaded(args, tmp_path)
        assert code == 2 and heavy == [] and len(stderr.splitlines()) == 1, (args, heavy, stderr)
    assert not (tmp_path / "x.duckdb").exists()
    with WriterLock(warehouse_file, run_id="holder"):
        code, heavy, stderr = _loaded(["run", "--db", str(warehouse_file), "--site", "zdnet"], tmp_path)
    assert code == 2 and heavy == [] and "holder" in stderr, stderr
