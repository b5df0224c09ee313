"""The README stays honest: every CLI command and every table is documented there."""

from __future__ import annotations

import re
from pathlib import Path

from newsetl.cli import build_parser
from warehouse import Warehouse

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_documented() -> None:
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command").choices
    missing = [name for name in commands if f"`newsetl {name}" not in README]
    assert not missing, f"README lacks the command(s): {missing}"


def test_every_table_is_documented(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "docs.duckdb") as store:
        tables = [
            row[0]
            for row in store.query(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
            ).rows
        ]
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.MULTILINE))
    missing = [table for table in tables if table not in documented]
    assert not missing, f"README's table list lacks: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in first_block] == ["make demo", "make test"]
