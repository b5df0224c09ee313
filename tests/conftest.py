"""Shared fixtures: the loopback mirror, a Prefect test harness, temporary warehouses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

# Prefect offline with its state in the project, shared with the bench scripts (bench/ is on pytest's pythonpath).
import devenv  # noqa: F401
import pytest


@pytest.fixture(scope="session")
def mirror_server() -> Iterator[object]:
    from mirror.server import MirrorServer

    with MirrorServer() as server:
        yield server


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"
