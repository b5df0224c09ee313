"""Orchestration end to end: a served deployment on a loopback Prefect server, a second run refused while a
first one writes, that first run SIGKILLed during load and then completed by the next run, and a deployment on
a Prefect process work pool whose `prefect worker` runs the transform stage on a Dask LocalCluster (prefect-dask).

Everything runs as real processes (`prefect server start`, `newsetl serve`, `newsetl run`, `newsetl deploy`,
`prefect worker start`) against the loopback mirror, on the session's Prefect server (conftest's `prefect_api`);
every process started here is stopped by its pid in a `finally`. The served run is the one clean default run
every other warehouse here must equal (each run costs a process start with Prefect: they are shared, not
repeated).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from paused_run import PAUSE_AFTER_FIRST_LOAD_ENV
from paused_run import command as paused_newsetl
from prefect_procs import BIN
from prefect_procs import get_json as _get_json
from prefect_procs import stop as _stop
from prefect_procs import wait_for as _wait_for

from newsetl.api import mirror_config
from warehouse import Warehouse

pytestmark = pytest.mark.slow

SITES = ("itchosun", "bloter")  # 24 articles, including a wire story both carry
BATCH_SIZE = 8  # three load batches: a kill after the first leaves work to resume, Dask workers get several tasks
DEPLOYMENT = "orchestration-test"
CRON = "17 4 * * 1-5"  # registered, never due while the tests run
POOL = "newsetl-scale-test"
DASK_DEPLOYMENT = "dask-workers"

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


def _write_config(path: Path, mirror_server, *extra: str) -> Path:
    """A newsetl.toml whose sites point at the loopback mirror (every other site off: the real outlets are never
    contacted), then `extra` lines (whole tables)."""
    served = mirror_config({key: mirror_server.base_urls[key] for key in SITES})
    path.write_text("\n".join(["[crawl]", f"batch_size = {BATCH_SIZE}", served, *extra]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def config_file(tmp_path_factory, mirror_server) -> Path:
    path = tmp_path_factory.mktemp("config") / "newsetl.toml"
    return _write_config(path, mirror_server, "[schedule]", 'timezone = "Asia/Seoul"')


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


def _snapshot(db: Path, tables: tuple[str, ...] = tuple(SNAPSHOTS)) -> dict[str, list[tuple]]:
    with Warehouse.open(db, read_only=True) as store:
        return {name: store.query(SNAPSHOTS[name]).rows for name in tables}


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


def test_a_second_run_is_refused_while_one_writes_and_a_run_killed_during_load_is_completed_by_the_next(
    tmp_path, prefect_api, config_file, reference
):
    env = prefect_api[1]
    db = tmp_path / "killed.duckdb"
    marker = tmp_path / "paused"
    # The first run holds the writer lock (paused after its first batch) while the second starts; then it is
    # SIGKILLed there, during load, and the next run completes its work.
    victim = _newsetl_run(db, config_file, env, **{PAUSE_AFTER_FIRST_LOAD_ENV: str(marker)})
    try:
        _wait_for(marker.exists, 180, "the first batch to load", victim)
        assert int(marker.read_text()) == victim.pid  # the flow runs in the CLI process itself
        code, out, err = _finish(_newsetl_run(db, config_file, env))
        assert code == 2, out + err
        message = [line for line in err.splitlines() if line.startswith("newsetl: error:")]
        assert message, err[-3000:]
        assert "another newsetl run is writing to this warehouse" in message[-1]
        assert err.strip().splitlines() == message  # refused before Prefect starts: no logs, no flow run
        assert f"pid {victim.pid} " in message[-1]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        _stop(victim)
    assert victim.returncode == -signal.SIGKILL

    # Exactly the committed first batch is there, the run is still marked running, and the refused run left
    # no row behind.
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


def _cli(env: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def _post_json(url: str, body: dict) -> list[dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())


def test_a_worker_run_on_dask_fills_the_warehouse_like_a_default_run(tmp_path, prefect_api, mirror_server, reference):
    api_url, env = prefect_api
    dask_config = _write_config(
        tmp_path / "dask.toml", mirror_server, "[flow]", 'task_runner = "dask"', "dask_workers = 2"
    )
    dask_db = tmp_path / "dask.duckdb"

    _cli(env, str(BIN / "prefect"), "work-pool", "create", POOL, "--type", "process")
    # The worker starts on the pool while the deployment is registered: two process starts overlap.
    with (tmp_path / "worker.log").open("w") as log:
        worker = subprocess.Popen(
            [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process"],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deployed = _cli(
            env,
            str(BIN / "newsetl"),
            "deploy",
            "--pool",
            POOL,
            "--name",
            DASK_DEPLOYMENT,
            "--cron",
            CRON,
            "--config",
            str(dask_config),
            "--db",
            str(dask_db),
            cwd=tmp_path,
        )
        assert f"on work pool {POOL}" in deployed
        deployment = _get_json(f"{api_url}/deployments/name/newsetl/{DASK_DEPLOYMENT}")
        assert deployment is not None and deployment["work_pool_name"] == POOL
        assert deployment["parameters"] == {"config_path": str(dask_config), "db_path": str(dask_db)}

        triggered = _cli(env, str(BIN / "prefect"), "deployment", "run", f"newsetl/{DASK_DEPLOYMENT}")
        flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", triggered).group(1)

        def finished() -> dict | None:
            run = _get_json(f"{api_url}/flow_runs/{flow_run_id}")
            return run if run and run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

        flow_run = _wait_for(finished, 240, "the worker's flow run", worker)
    finally:
        _stop(worker)
    assert flow_run["state"]["type"] == "COMPLETED", (tmp_path / "worker.log").read_text()[-3000:]
    assert flow_run["deployment_id"] == deployment["id"]

    # The clean and entity batches ran as task runs (on the Dask cluster): one of each per batch, all completed.
    task_runs = _post_json(f"{api_url}/task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}})
    names = [run["task_key"].split("-")[0] for run in task_runs if run["state"]["type"] == "COMPLETED"]
    assert names.count("clean_batch") == names.count("extract_entities") >= 12 * len(SITES) // BATCH_SIZE, names

    # The served run used the default task runner over the same mirror and sites: its rows are the default run's.
    tables = ("articles", "entities", "mentions", "images")
    default_rows = {name: reference[name] for name in tables}
    assert default_rows["mentions"], "the default run tagged nothing"
    assert _snapshot(dask_db, tables) == default_rows
    with Warehouse.open(dask_db, read_only=True) as store:
        assert store.query("SELECT run_id, status FROM runs").rows == [(flow_run_id, "completed")]
