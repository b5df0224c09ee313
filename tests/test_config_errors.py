"""Mistakes in newsetl.toml and in `run`'s arguments are one line on stderr, exit 2, nothing written, before any
Prefect or Scrapy work (the real CLI, real files)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsetl.config import ConfigError, load_config

NEWSETL = str(Path(sys.executable).with_name("newsetl"))
REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[crawl]\nmax_pages = "lots"\n', "[crawl] max_pages must be a whole number, not 'lots'"),
        ("[crawl]\nbatch_size = 0\n", "[crawl] batch_size must be at least 1, not 0"),
        ("[crawl]\nbatch_size = 2.5\n", "[crawl] batch_size must be a whole number, not 2.5"),
        ('[crawl]\nsince = "2026-13-45"\n', "[crawl] since must be a date as YYYY-MM-DD, not '2026-13-45'"),
        ('[politeness]\nobey_robots_txt = "no"\n', "[politeness] obey_robots_txt must be true or false, not 'no'"),
        ("[politeness]\nuser_agent = 7\n", "[politeness] user_agent must be a string, not 7"),
        ('[sites.zdnet]\nenabled = "yes"\n', "[sites.zdnet] enabled must be true or false, not 'yes'"),
        ('[sites.zdnet]\nbase = "http://x"\n', "unknown key 'base' in [sites.zdnet]"),
    ],
)
def test_a_wrongly_typed_value_is_named(toml: str, message: str, tmp_path: Path) -> None:
    config = tmp_path / "newsetl.toml"
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_config(config)
    assert str(failure.value) == f"{config}: {message}"


def test_numbers_where_floats_are_expected_and_the_shipped_config_load() -> None:
    assert load_config(REPO / "newsetl.toml").max_pages == 2000


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--since", "2026-13-45"], "--since must be a date as YYYY-MM-DD"),
        (["--max-pages", "-1"], "--max-pages must be 0 (no limit) or more"),
        (["--config", "{dir}/newsetl.toml"], "[crawl] max_pages must be a whole number"),
    ],
)
def test_run_mistakes_are_one_line_exit_2_and_write_nothing(args: list[str], needle: str, tmp_path: Path) -> None:
    (tmp_path / "newsetl.toml").write_text('[crawl]\nmax_pages = "lots"\n', encoding="utf-8")
    db = tmp_path / "w.duckdb"
    command = [NEWSETL, "run", "--db", str(db), *(arg.format(dir=tmp_path) for arg in args)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=REPO)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and needle in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "newsetl.toml"]


def test_a_scale_out_feature_without_its_extra_is_one_line() -> None:
    from newsetl.config import SCALE_OUT_MODULES, RunParameters, missing_scale_out

    frontier = RunParameters(db_path="w.duckdb", frontier="redis://127.0.0.1:6379/0")
    assert missing_scale_out(frontier) is None  # the development install has the extra
    absent = dict.fromkeys(SCALE_OUT_MODULES, ("newsetl_no_such_module",))
    message = missing_scale_out(frontier, absent)
    assert message == (
        "a shared crawl frontier ([crawl] frontier) needs the scale-out extra (newsetl_no_such_module missing): "
        "pip install 'newsetl[scale]'"
    )
    assert missing_scale_out(RunParameters(db_path="w.duckdb"), absent) is None  # a single machine needs none
    lake = RunParameters(db_path="ducklake:postgres:dbname=news host=127.0.0.1?data_path=/tmp/lake")
    assert "DuckLake" in missing_scale_out(lake, absent)
