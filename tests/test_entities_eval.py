"""CI gate: 5-fold cross-validated PS+OG+LC micro-F1 on the shared KLUE half stays above our floor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO.parent / "shared" / "data" / "klue-ner-wikitree-dev-half.tsv"
# Measured 5-fold CV micro-F1: 0.753 through `newsetl entities` (bench/eval_entities.py, about 2.5 min
# on 2 cores). Training and tagging are deterministic; the floor only leaves room for library drift.
F1_FLOOR = 0.75


@pytest.mark.slow
@pytest.mark.skipif(not GOLD.exists(), reason="shared KLUE half not available")
def test_cross_validated_f1_above_floor() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "eval_entities.py"), "--floor", str(F1_FLOOR)],
        capture_output=True,
        text=True,
        timeout=480,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "PS+OG+LC micro" in result.stdout
