"""Deals and people moves: precision and recall of `find_events` on a labelled JSONL set.

  .venv/bin/python bench/eval_events.py [FILE ...] [--show-errors]      (make eval-events)

Each FILE is scored on its own (default: bench/data/events_labelled.jsonl, the set the rules were written
against, and bench/data/events_blind.jsonl, written in the press's voice before reading the rules). Each line
is one labelled text:

  {"text": "...", "published_at": "2026-11-20T10:00:00+09:00",
   "deals": [{"kind": "investment", "company": "업스테이지", "amount": "5000000000", "round": "시리즈A",
              "investors": ["KB인베스트먼트"]}],
   "appointments": [{"kind": "선임", "person": "김철수", "title": "대표", "org": "네이버"}]}

`amount` is the normalized MONEY value (KRW digits, or "USD 10000000"), null when the text gives none;
`round` is canonical (시드, 프리A, 시리즈A..., 브릿지, 프리IPO) or null. A text with empty lists is a
near-miss. A deal counts as found when company, amount and round all match a labelled one (its investors, as
a set, are reported beside); an appointment when person and kind match (title and org beside).
Texts are tagged by the real entity extractor, then `find_events` runs on its mentions.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from devenv import REPO_ROOT as REPO  # the one bootstrap: product packages from this checkout

from transforms.entities import get_extractor
from transforms.events import find_events
from transforms.events.deals import canonical_round

DEFAULT_SET = REPO / "bench" / "data" / "events_labelled.jsonl"
BLIND_SET = REPO / "bench" / "data" / "events_blind.jsonl"


def _name(value: str | None) -> str:
    """A name compared without spaces or the company-form mark: "(주)루멘 랩스" is 루멘랩스."""
    return re.sub(r"\(주\)|㈜|\s", "", value or "")


def _round(value: str | None) -> str | None:
    return (canonical_round(value) or value.strip()) if value else None


def deal_key(deal: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """Company, amount (a number is read as KRW digits) and round (시리즈 A = 시리즈A, Pre-A = 프리A)."""
    amount = deal.get("amount")
    return _name(deal.get("company")), None if amount is None else str(amount), _round(deal.get("round"))


def appointment_key(appointment: dict[str, Any]) -> tuple[str, str]:
    return _name(appointment.get("person")), appointment.get("kind") or ""


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _matched(gold: list[tuple], predicted: list[tuple]) -> int:
    left = list(gold)
    hits = 0
    for key in predicted:
        if key in left:
            left.remove(key)
            hits += 1
    return hits


def load_set(paths: Iterable[Path]) -> list[dict[str, Any]]:
    rows = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{number}: not a JSON line ({exc.msg})") from None
    return rows


def predict(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    texts = [row["text"] for row in rows]
    dates = [row.get("published_at") for row in rows]
    mentions = get_extractor().extract_many(texts, dates)
    return [find_events(text, found, date).to_dict() for text, found, date in zip(texts, mentions, dates, strict=True)]


def score(rows: list[dict[str, Any]], predictions: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and ratios for deals (company+amount+round) and appointments (person+kind)."""
    totals = dict.fromkeys(("deal_gold", "deal_pred", "deal_hit", "appt_gold", "appt_pred", "appt_hit"), 0)
    totals |= {"appt_title_hit": 0, "appt_org_hit": 0, "deal_investors_hit": 0, "errors": []}
    for row, predicted in zip(rows, predictions, strict=True):
        gold_deals = [deal_key(deal) for deal in row.get("deals", [])]
        found_deals = [deal_key(deal) for deal in predicted["deals"]]
        gold_moves = [appointment_key(move) for move in row.get("appointments", [])]
        found_moves = [appointment_key(move) for move in predicted["appointments"]]
        deal_hits, move_hits = _matched(gold_deals, found_deals), _matched(gold_moves, found_moves)
        totals["deal_gold"] += len(gold_deals)
        totals["deal_pred"] += len(found_deals)
        totals["deal_hit"] += deal_hits
        totals["appt_gold"] += len(gold_moves)
        totals["appt_pred"] += len(found_moves)
        totals["appt_hit"] += move_hits
        for gold in row.get("deals", []):
            for deal in predicted["deals"]:
                if deal_key(deal) == deal_key(gold):
                    names = {_name(investor["name"]) for investor in deal["investors"]}
                    totals["deal_investors_hit"] += names == {_name(name) for name in gold.get("investors", [])}
                    break
        for gold in row.get("appointments", []):
            for move in predicted["appointments"]:
                if appointment_key(move) == appointment_key(gold):
                    totals["appt_title_hit"] += _name(move["title"]) == _name(gold.get("title"))
                    totals["appt_org_hit"] += _name(move["org"]) == _name(gold.get("org"))
        if (
            deal_hits != len(gold_deals)
            or deal_hits != len(found_deals)
            or move_hits != len(gold_moves)
            or (move_hits != len(found_moves))
        ):
            totals["errors"].append((row["text"], gold_deals + gold_moves, found_deals + found_moves))
    totals["deal_precision"] = _ratio(totals["deal_hit"], totals["deal_pred"])
    totals["deal_recall"] = _ratio(totals["deal_hit"], totals["deal_gold"])
    totals["appt_precision"] = _ratio(totals["appt_hit"], totals["appt_pred"])
    totals["appt_recall"] = _ratio(totals["appt_hit"], totals["appt_gold"])
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=[DEFAULT_SET, BLIND_SET])
    parser.add_argument("--show-errors", action="store_true", help="print every text scored wrong")
    args = parser.parse_args(argv)
    for path in args.files:
        _report(path, args.show_errors)
    return 0


def _report(path: Path, show_errors: bool) -> None:
    rows = load_set([path])
    result = score(rows, predict(rows))
    near_misses = sum(1 for row in rows if not row.get("deals") and not row.get("appointments"))
    print(f"{_shown(path)}\ttexts\t{len(rows)}\tnear-misses\t{near_misses}")
    print(
        f"deals\tP={result['deal_precision']:.3f}\tR={result['deal_recall']:.3f}"
        f"\t(gold {result['deal_gold']}, found {result['deal_pred']}, right {result['deal_hit']};"
        f" investors {result['deal_investors_hit']} of those right)"
    )
    print(
        f"appointments\tP={result['appt_precision']:.3f}\tR={result['appt_recall']:.3f}"
        f"\t(gold {result['appt_gold']}, found {result['appt_pred']}, right {result['appt_hit']};"
        f" title {result['appt_title_hit']}, org {result['appt_org_hit']} of those right)"
    )
    if show_errors:
        for text, gold, found in result["errors"]:
            print(f"\n{text}\n  gold:  {gold}\n  found: {found}")
        print()


def _shown(path: Path) -> str:
    """The path as given, relative to the checkout when it lies inside it."""
    resolved = path.resolve()
    return str(resolved.relative_to(REPO)) if resolved.is_relative_to(REPO) else str(path)


if __name__ == "__main__":
    raise SystemExit(main())
