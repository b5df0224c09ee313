"""Orchestration end to end: a served deployment on a loopback Prefect server, a run SIGKILLed during
load and then completed, two runs at once on one warehouse.

Everything runs as real processes (`prefect server start`, `newsetl serve`, `newsetl run`) against
the loopback mirror; every process started here is stopped by its pid in a `finally`.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from paused_run import PAUSE_AFTER_FIRST_LOAD_ENV
from paused_run import command as paused_newsetl
from prefect_procs import BIN, prefect_server
from prefect_procs import get_json as _get_json
from prefect_procs import stop as _stop
from prefect_procs import wait_for as _wait_for

from warehouse import Warehouse

pytestmark = pytest.mark.slow

SITES = ("itchosun", "bloter")  # 24 articles, including a wire story both carry
BATCH_SIZE = 8  # three load batches, so a kill after the first leaves work to resume
DEPLOYMENT = "orchestration-test"
CRON = "17 4 * * 1-5"

# What must match between warehouses filled from the same mirror, whichever runs wrote them.
SNAPSHOTS = {
    "articles": "SELECT * EXCLUDE (run_id, first_seen_at, updated_at) FROM articles ORDER BY article_id",
    "images": "SELECT * FROM images ORDER BY ALL",
    "entities": "SELECT * EXCLUDE (first_seen_at) FROM entities ORDER BY entity_id",
    "mentions": "SELECT * FROM mentions ORDER BY ALL",
    "crawl_state": "SELECT url, article_id, source, content_hash FROM crawl_state ORDER BY url",
    # The search index by article and term (numbering follows load order, so it is left out).
    "search_terms": "SELECT d.article_id, v.term, t.field, t.tf, t.positions, t.starts, t.ends FROM search_terms t "
    "JOIN search_docs d USING (doc_id) JOIN search_vocab v USING (term_id) ORDER BY ALL",
    "search_postings": "SELECT d.article_id, v.term, p.title_tf, p.body_tf FROM (SELECT term_id, "
    "unnest(postings, recursive := true) FROM search_postings) p JOIN search_docs d USING (doc_id) "
    "JOIN search_vocab v USING (term_id) ORDER BY ALL",
}


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """A `prefect server start` on loopback with its own home; yields its API URL and the env for children."""
    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as (api_url, env):
        yield api_url, env


@pytest.fixture(scope="module")
def config_file(tmp_path_factory, mirror_server) -> Path:
    """A newsetl.toml whose sites point at the loopback mirror: the real outlets are never contacted."""
    lines = [
        "[crawl]",
        f"batch_size = {BATCH_SIZE}",
        "[politeness]",
        "autothrottle = false",
        "[schedule]",
        'timezone = "Asia/Seoul"',
    ]
    for key in mirror_server.base_urls:
        lines.append(f"[sites.{key}]")
        lines.append(f'base_url = "{mirror_server.base_urls[key]}"' if key in SITES else "enabled = false")
    path = tmp_path_factory.mktemp("config") / "newsetl.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _newsetl_run(db: Path, config: Path, env: dict[str, str], **extra_env: str) -> subprocess.Popen:
    return subprocess.Popen(
        paused_newsetl("run", "--quiet", "--config", str(config), "--db", str(db)),
        cwd=db.parent,
        env=dict(env, **extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen, timeout: float = 180) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        _stop(process)
    return process.returncode, out, err


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with Warehouse.open(db, read_only=True) as store:
        return {name: store.query(sql).rows for name, sql in SNAPSHOTS.items()}


def _runs(db: Path) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as store:
        return store.query("SELECT run_id, status, articles_new FROM runs ORDER BY started_at").rows


@dataclass
class ServedRun:
    deployment: dict
    flow_run: dict
    flow_run_id: str
    db: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory, prefect_api, config_file) -> ServedRun:
    """`newsetl serve` registers the deployment; `prefect deployment run` triggers it; we wait for the run."""
    api_url, env = prefect_api
    workdir = tmp_path_factory.mktemp("served")
    db = workdir / "served.duckdb"
    log = (workdir / "serve.log").open("w")
    serve = subprocess.Popen(
        [str(BIN / "newsetl"), "serve", "--config", str(config_file), "--db", str(db)]
        + ["--name", DEPLOYMENT, "--cron", CRON],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deployment = _wait_for(
            lambda: _get_json(f"{api_url}/deployments/name/newsetl/{DEPLOYMENT}"), 120, "the deployment", serve
        )
        triggered = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", f"newsetl/{DEPLOYMENT}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert triggered.returncode == 0, triggered.stdout + triggered.stderr
        flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", triggered.stdout).group(1)

        def finished() -> dict | None:
            run = _get_json(f"{api_url}/flow_runs/{flow_run_id}")
            return run if run and run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

        flow_run = _wait_for(finished, 240, "the deployment's flow run", serve)
    finally:
        _stop(serve)
        log.close()
    assert flow_run["state"]["type"] == "COMPLETED", (workdir / "serve.log").read_text()[-3000:]
    return ServedRun(deployment, flow_run, flow_run_id, db)


@pytest.fixture(scope="module")
def reference(served) -> dict[str, list[tuple]]:
    """The served run was one clean, uninterrupted run: what every other warehouse here must equal."""
    snapshot = _snapshot(served.db)
    assert len(snapshot["articles"]) == 12 * len(SITES)
    return snapshot


def test_served_deployment_registers_its_cron_and_runs_when_triggered(served, config_file, reference):
    [schedule] = served.deployment["schedules"]
    assert schedule["active"]
    assert schedule["schedule"]["cron"] == CRON
    assert schedule["schedule"]["timezone"] == "Asia/Seoul"
    assert served.deployment["parameters"] == {"config_path": str(config_file), "db_path": str(served.db)}
    assert served.flow_run["deployment_id"] == served.deployment["id"]
    # The run's row in DuckDB carries the Prefect flow run id.
    assert _runs(served.db) == [(served.flow_run_id, "completed", 12 * len(SITES))]


def test_the_crawl_registered_one_concurrency_limit_per_site(prefect_api, served):
    api_url = prefect_api[0]
    for key in SITES:
        limit = _get_json(f"{api_url}/v2/concurrency_limits/newsetl-site-{key}")
        assert limit is not None, key
        assert (limit["limit"], limit["active"], limit["active_slots"]) == (1, True, 0)  # released after the run


def test_run_killed_during_load_is_completed_by_the_next_run(tmp_path, prefect_api, config_file, reference):
    env = prefect_api[1]
    db = tmp_path / "killed.duckdb"
    marker = tmp_path / "paused"
    victim = _newsetl_run(db, config_file, env, **{PAUSE_AFTER_FIRST_LOAD_ENV: str(marker)})
    try:
        _wait_for(marker.exists, 180, "the first batch to load", victim)
        assert int(marker.read_text()) == victim.pid  # the flow runs in the CLI process itself
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        _stop(victim)
    assert victim.returncode == -signal.SIGKILL

    # Exactly the committed first batch is there, and the run is still marked running.
    with Warehouse.open(db, read_only=True) as store:
        loaded = store.scalar("SELECT count(*) FROM articles")
    assert 0 < loaded <= BATCH_SIZE
    [(killed_id, status, _)] = _runs(db)
    assert status == "running"

    code, _, err = _finish(_newsetl_run(db, config_file, env))
    assert code == 0, err[-3000:]
    runs = _runs(db)
    assert [(run_id, status) for run_id, status, _ in runs][0] == (killed_id, "abandoned")
    assert runs[1][1] == "completed" and runs[1][2] == 12 * len(SITES) - loaded
    assert _snapshot(db) == reference
    with Warehouse.open(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) - count(DISTINCT url) FROM articles") == 0
        assert store.scalar("SELECT count(*) FROM article_versions") == 0


def test_two_runs_at_once_one_completes_the_other_names_the_lock_holder(tmp_path, prefect_api, config_file, reference):
    env = prefect_api[1]
    db = tmp_path / "shared.duckdb"
    marker = tmp_path / "holding"
    # The first run holds the writer lock (paused after its first batch) while the second starts.
    first = _newsetl_run(db, config_file, env, **{PAUSE_AFTER_FIRST_LOAD_ENV: str(marker)})
    try:
        _wait_for(marker.exists, 180, "the first run to hold the lock", first)
        code, out, err = _finish(_newsetl_run(db, config_file, env))
        assert code == 2, out + err
        message = [line for line in err.splitlines() if line.startswith("newsetl: error:")]
        assert message, err[-3000:]
        assert "another newsetl run is writing to this warehouse" in message[-1]
        assert err.strip().splitlines() == message  # refused before Prefect starts: no logs, no flow run
        assert f"pid {first.pid} " in message[-1]
        Path(str(marker) + ".resume").touch()
        first_code, _, first_err = _finish(first)
    finally:
        _stop(first)
    assert first_code == 0, first_err[-3000:]
    [(_, status, new)] = _runs(db)  # the refused run left no row behind
    assert (status, new) == ("completed", 12 * len(SITES))
    assert _snapshot(db) == reference
