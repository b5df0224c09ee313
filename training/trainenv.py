"""Imported first by each training script, for the one environment bootstrap, bench/devenv.py (the product
packages from this checkout, Prefect offline). A script here runs with training/ first on sys.path, not bench/:
this puts bench/ there once, so that the bootstrap itself is written in one place."""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(_BENCH) not in sys.path:
    sys.path.append(str(_BENCH))

from devenv import REPO_ROOT  # noqa: E402

__all__ = ["REPO_ROOT"]
