"""Shared fixtures: the loopback mirror, a Prefect test harness, a loopback Prefect server, temporary warehouses."""

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


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """A `prefect server start` on loopback with its own home, for the tests that need a real server (serve,
    deployments, workers); yields its API URL and the env for child processes. One per session: each start
    costs 20-50 s on this machine, and idle it costs little (~1.6 s of CPU a minute)."""
    from prefect_procs import prefect_server

    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as (api_url, env):
        # Workers poll every second instead of every ten: the tests wait less.
        yield api_url, dict(env, PREFECT_WORKER_QUERY_SECONDS="1")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"
