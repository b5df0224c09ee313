"""Deals and people moves: the rules on sentences of each form and near-misses, the labelled set's scores
pinned at their measured floor, and `newsetl events` input handling (real Kiwi model, no mocks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from transforms.entities import get_extractor
from transforms.events import find_events

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from eval_events import DEFAULT_SET, load_set, predict, score  # noqa: E402

PUBLISHED = "2026-11-20T10:00:00+09:00"
# Measured on bench/data/events_labelled.jsonl (259 texts, 135 near-misses): deals P=1.000 R=1.000 (79),
# appointments P=1.000 R=1.000 (45). The floors allow one miss of each kind for library drift.
DEAL_PRECISION_FLOOR = 0.97
DEAL_RECALL_FLOOR = 0.97
APPOINTMENT_PRECISION_FLOOR = 0.96


def events_of(text: str) -> dict:
    mentions = get_extractor().extract(text, PUBLISHED)
    return find_events(text, mentions, PUBLISHED).to_dict()


def test_labelled_set_scores_stay_at_their_floor() -> None:
    rows = load_set([DEFAULT_SET])
    near_misses = [row for row in rows if not row["deals"] and not row["appointments"]]
    assert len(rows) >= 80 and len(near_misses) * 2 >= len(rows)
    result = score(rows, predict(rows))
    assert result["deal_precision"] >= DEAL_PRECISION_FLOOR, result["errors"]
    assert result["deal_recall"] >= DEAL_RECALL_FLOOR, result["errors"]
    assert result["appt_precision"] >= APPOINTMENT_PRECISION_FLOOR, result["errors"]


def test_investment_with_round_investors_lead_and_date() -> None:
    found = events_of("푸드테크 기업 그린키친이 지난 3일 알토스벤처스가 주도한 프리A 라운드에서 20억원을 투자받았다.")
    (deal,) = found["deals"]
    assert (deal["kind"], deal["company"], deal["amount_krw"], deal["round"]) == (
        "investment",
        "그린키친",
        2_000_000_000,
        "프리A",
    )
    assert deal["investors"] == [{"name": "알토스벤처스", "type": "ORG", "lead": True}]
    assert deal["date"] == "2026-11-03"


def test_other_currency_is_kept_with_its_won_value() -> None:
    (deal,) = events_of("여행 플랫폼 트립노트는 1000만 달러(약 130억원) 규모의 시리즈A 투자를 유치했다.")["deals"]
    assert (deal["amount"], deal["amount_krw"]) == ("USD 10000000", 13_000_000_000)


def test_acquisition_names_the_company_bought_and_the_buyer() -> None:
    (deal,) = events_of("야놀자는 데이터 분석 기업 인사이트랩을 약 300억원에 인수하기로 했다.")["deals"]
    assert (deal["kind"], deal["company"], [i["name"] for i in deal["investors"]]) == (
        "acquisition",
        "인사이트랩",
        ["야놀자"],
    )


@pytest.mark.parametrize(
    "text",
    [
        "카카오는 올해 영업이익이 5000억원에 달할 것으로 전망된다.",
        "당초 예정됐던 200억원 규모의 투자 유치는 결국 무산됐다.",
        "네이버는 향후 5년간 AI 분야에 1조원을 투자할 계획이다.",
        "삼성전자는 평택 공장에 30조원을 투자한다고 밝혔다.",
        "그는 선임연구원으로 10년간 근무했다.",
        "이정훈 대표는 사임설을 부인했다.",
    ],
)
def test_near_misses_are_not_events(text: str) -> None:
    assert events_of(text) == {"deals": [], "appointments": []}


def test_cli_one_json_line_per_input_line(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(
        "한국벤처투자는 3200억원 규모 펀드를 조성한다고 밝혔다.\n".encode()
        + b"\xff broken\r\n"
        + "크래프톤은 신임 최고운영책임자(COO)에 윤서연 전무를 선임했다.\r\n".encode()
    )
    newsetl = Path(sys.executable).parent / "newsetl"
    result = subprocess.run(
        [str(newsetl), "events", str(source), "--published-at", "2026-11-20"], capture_output=True, text=True
    )
    assert result.returncode == 1 and "line 2" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3 and lines[1]["line"] == 2
    assert lines[0]["deals"][0]["kind"] == "fund" and lines[0]["deals"][0]["amount_krw"] == 320_000_000_000
    assert lines[2]["appointments"][0]["title"] == "최고운영책임자(COO)"


def test_cli_refuses_a_bad_published_at() -> None:
    newsetl = Path(sys.executable).parent / "newsetl"
    result = subprocess.run(
        [str(newsetl), "events", "--published-at", "next tuesday"], input="x\n", capture_output=True, text=True
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and result.stdout == ""
