"""The one environment bootstrap for the bench scripts, the training scripts (through training/trainenv.py) and the
tests (imported first by each): Prefect runs offline with its state inside the project, as the Makefile sets it for
its targets, and the product packages and the training scripts import from this checkout even where the project is
not installed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

PREFECT_DEFAULTS = {
    "PREFECT_HOME": str(REPO_ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "SCRAPY_SETTINGS_MODULE": "spiders.settings",
}

# What the caller set wins: a test or a CI job may point Prefect elsewhere.
for name, value in PREFECT_DEFAULTS.items():
    os.environ.setdefault(name, value)
# training/ is not a package: its scripts import each other by module name (bench/eval_entities.py reads the dev
# half and the shared scorer through train_entities).
for folder in (REPO_ROOT / "training", REPO_ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
