"""Smoke test of the benchmark: a 50-article synthetic mirror through every measured stage (no Prefect run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from synth import per_outlet_counts, write_synthetic_mirror

from mirror.catalog import OUTLETS, check_outlet, load_outlet

REPO = Path(__file__).resolve().parents[1]


def test_synthetic_mirror_keeps_the_data_contract(tmp_path: Path) -> None:
    data_dir = write_synthetic_mirror(tmp_path / "synth", 70, seed=3)
    for outlet in OUTLETS:
        loaded = load_outlet(outlet, data_dir)
        assert len(loaded.articles) == per_outlet_counts(70)[outlet]
        assert check_outlet(loaded) == []
    # Same seed, same bytes: the benchmark's cache can trust a manifest match.
    again = write_synthetic_mirror(tmp_path / "again", 70, seed=3)
    assert (again / "zdnet.json").read_bytes() == (data_dir / "zdnet.json").read_bytes()


@pytest.mark.slow
def test_bench_quick_run_measures_every_stage(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run_bench.py"),
            "--n",
            "50",
            "--quick",
            "--data-dir",
            str(tmp_path / "synth"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    stages = {row["stage"].strip().split(" (")[0]: row for row in report["rows"]}
    assert {"crawl", "extraction+cleaning", "entities", "load"} <= set(stages)
    assert stages["crawl"]["items"] >= 50  # every article page plus list pages, over loopback
    for key in ("clean_vs_trafilatura", "entities_vs_kiwi", "load_vs_plain_insert"):
        assert report["ratios"][key] > 0
    assert "targets:" in completed.stdout
