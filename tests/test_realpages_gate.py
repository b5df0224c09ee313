"""Quality gate on real saved Korean news pages, scored by the shared scorer exactly as the issue checks it
(`../shared/bench/score_realpages.py`, which runs `newsetl extract` beside trafilatura)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCORER = SHARED / "bench" / "score_realpages.py"


@pytest.mark.skipif(not SCORER.is_file(), reason="the shared real pages are not beside this checkout")
def test_generic_extractor_on_real_pages_meets_the_gate(tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    scored = subprocess.run(
        [sys.executable, str(SCORER), "--json", str(out)], capture_output=True, text=True, timeout=600, check=False
    )
    assert scored.returncode == 0, scored.stderr[-2000:]
    ours = json.loads(out.read_text(encoding="utf-8"))["summary"]["newsetl-generic"]
    pages = ours["pages"]
    assert ours["micro_F1"] >= 0.98, ours
    for check in ("title_ok", "date_ok", "time_ok", "author_ok"):
        assert ours[check] == pages, (check, ours)
    assert ours["leaks"] == 0, ours
