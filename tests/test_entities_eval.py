"""CI gate: the shipped model, run through the real `newsetl entities` command and the shared scorer,
keeps its measured PS+OG+LC micro-F1 on the KLUE dev half (a file it never saw in training)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GOLD = SHARED / "data" / "klue-ner-wikitree-dev-half.tsv"
SCORER = SHARED / "bench" / "score_entities.py"
# Measured on the dev half (README, Entities; 2026-12-06): micro 0.835, PS 0.914, OG 0.788, LC 0.780 (CRF +
# stacked network with Kiwi's vectors and the text's mean input, trained on news and movie reviews, parameters
# averaged over epochs 5-8, rules).
# Tagging is deterministic; the floors leave ~0.004 for library drift.
F1_FLOOR = 0.831
TYPE_FLOORS = {"PS": 0.910, "OG": 0.784, "LC": 0.776}


@pytest.mark.skipif(not (GOLD.exists() and SCORER.exists()), reason="shared KLUE dev half not available")
def test_dev_half_f1_above_floor() -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [sys.executable, str(SCORER), str(GOLD), "--cmd", "newsetl entities"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    micro = re.search(r"PS\+OG\+LC micro\tP=[\d.]+\tR=[\d.]+\tF1=([\d.]+)", result.stdout)
    assert micro, result.stdout
    assert float(micro.group(1)) >= F1_FLOOR, result.stdout
    for kind, floor in TYPE_FLOORS.items():
        found = re.search(rf"^{kind}\tP=[\d.]+\tR=[\d.]+\tF1=([\d.]+)", result.stdout, re.MULTILINE)
        assert found and float(found.group(1)) >= floor, result.stdout
