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


def _section_queries(title: str) -> list[str]:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return [block.strip() for block in re.findall(r"```sql\n(.*?)```", README[start:end], flags=re.DOTALL)]


def test_deals_and_people_moves_questions_answer(tmp_path: Path) -> None:
    from transforms.entities import get_extractor
    from transforms.events import find_events
    from transforms.records import CleanArticle

    bodies = {
        "d1": "물류 스타트업 로지브릿지는 한국투자파트너스와 스톤브릿지벤처스로부터 120억원 시리즈B 투자를 유치했다.",
        "d2": "에듀테크 스타트업 클래스온이 한국투자파트너스 등으로부터 15억원 규모의 시드 투자를 유치했다.",
        "p1": "카카오는 정신아 대표를 이사회 의장으로 선임했다고 밝혔다.",
    }
    articles = [
        CleanArticle(
            article_id=key,
            url=f"http://127.0.0.1/{key}",
            source="platum",
            title=key,
            body=body,
            published_at="2026-11-20T10:00:00+09:00",
        )
        for key, body in bodies.items()
    ]
    mentions = get_extractor().extract_many([a.body for a in articles], [a.published_at for a in articles])
    events = {a.article_id: find_events(a.body, m, a.published_at) for a, m in zip(articles, mentions, strict=True)}
    with Warehouse.open(tmp_path / "events.duckdb") as store:
        store.load_batch("run", articles, mentions, events=events)
        largest, investors, moves = (store.query(sql).as_dicts() for sql in _section_queries("Deals and people moves"))
    assert [row["company"] for row in largest] == ["로지브릿지", "클래스온"]
    assert investors[0]["investor"] == "한국투자파트너스" and investors[0]["deals"] == 2
    assert investors[0]["amount_krw"] == 13_500_000_000
    assert (moves[0]["person"], moves[0]["title"], moves[0]["org"]) == ("정신아", "이사회 의장", "카카오")
