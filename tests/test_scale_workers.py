"""A deployment on a Prefect process work pool, run by a `prefect worker` process, with the transform stage on
a Dask LocalCluster (prefect-dask), fills the warehouse exactly as a default in-process run does.

Real processes throughout: `prefect server start` on loopback, `prefect work-pool create`, `newsetl deploy`,
`prefect worker start`, `prefect deployment run`, `newsetl run`; each is stopped by its pid.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect_procs import BIN, get_json, prefect_server, stop, wait_for

from warehouse import Warehouse

pytestmark = pytest.mark.slow

SITES = ("itchosun", "bloter")
BATCH_SIZE = 8  # three batches: the Dask workers get more than one task each
POOL = "newsetl-scale-test"
DEPLOYMENT = "dask-workers"
CRON = "17 4 * * 1-5"  # registered, never due while the test runs

# What must match between the two warehouses (duplicate links and entity names do not depend on load order).
SNAPSHOTS = {
    "articles": "SELECT * EXCLUDE (run_id, first_seen_at, updated_at) FROM articles ORDER BY article_id",
    "entities": "SELECT * EXCLUDE (first_seen_at) FROM entities ORDER BY entity_id",
    "mentions": "SELECT * FROM mentions ORDER BY ALL",
    "images": "SELECT * FROM images ORDER BY ALL",
}


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as (api_url, env):
        # Workers poll every second instead of every ten: the test waits less.
        yield api_url, dict(env, PREFECT_WORKER_QUERY_SECONDS="1")


def _config(path: Path, mirror_server, task_runner: str) -> Path:
    lines = [
        "[crawl]",
        f"batch_size = {BATCH_SIZE}",
        "[politeness]",
        "autothrottle = false",
        "[flow]",
        f'task_runner = "{task_runner}"',
        "dask_workers = 2",
    ]
    for key, url in mirror_server.base_urls.items():
        lines += [f"[sites.{key}]", f'base_url = "{url}"' if key in SITES else "enabled = false"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cli(env: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with Warehouse.open(db, read_only=True) as store:
        return {name: store.query(sql).rows for name, sql in SNAPSHOTS.items()}


def test_a_worker_run_on_dask_fills_the_warehouse_like_a_default_run(tmp_path, prefect_api, mirror_server):
    api_url, env = prefect_api
    dask_config = _config(tmp_path / "dask.toml", mirror_server, "dask")
    default_config = _config(tmp_path / "default.toml", mirror_server, "default")
    dask_db, default_db = tmp_path / "dask.duckdb", tmp_path / "default.duckdb"

    _cli(env, str(BIN / "prefect"), "work-pool", "create", POOL, "--type", "process")
    deployed = _cli(
        env,
        str(BIN / "newsetl"),
        "deploy",
        "--pool",
        POOL,
        "--name",
        DEPLOYMENT,
        "--cron",
        CRON,
        "--config",
        str(dask_config),
        "--db",
        str(dask_db),
        cwd=tmp_path,
    )
    assert f"on work pool {POOL}" in deployed
    deployment = get_json(f"{api_url}/deployments/name/newsetl/{DEPLOYMENT}")
    assert deployment is not None and deployment["work_pool_name"] == POOL
    assert deployment["parameters"] == {"config_path": str(dask_config), "db_path": str(dask_db)}

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
        triggered = _cli(env, str(BIN / "prefect"), "deployment", "run", f"newsetl/{DEPLOYMENT}")
        flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", triggered).group(1)
        # The default run goes meanwhile, in its own process (the site limits let one crawl at a time).
        _cli(env, str(BIN / "newsetl"), "run", "--quiet", "--config", str(default_config), "--db", str(default_db))

        def finished() -> dict | None:
            run = get_json(f"{api_url}/flow_runs/{flow_run_id}")
            return run if run and run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

        flow_run = wait_for(finished, 240, "the worker's flow run", worker)
    finally:
        stop(worker)
    assert flow_run["state"]["type"] == "COMPLETED", (tmp_path / "worker.log").read_text()[-3000:]
    assert flow_run["deployment_id"] == deployment["id"]

    # The clean and entity batches ran as task runs (on the Dask cluster): one of each per batch, all completed.
    task_runs = get_json_post(f"{api_url}/task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}})
    names = [run["task_key"].split("-")[0] for run in task_runs if run["state"]["type"] == "COMPLETED"]
    assert names.count("clean_batch") == names.count("extract_entities") >= 12 * len(SITES) // BATCH_SIZE, names

    dask_rows, default_rows = _snapshot(dask_db), _snapshot(default_db)
    assert len(default_rows["articles"]) == 12 * len(SITES)
    assert default_rows["mentions"], "the default run tagged nothing"
    assert dask_rows == default_rows
    with Warehouse.open(dask_db, read_only=True) as store:
        assert store.query("SELECT run_id, status FROM runs").rows == [(flow_run_id, "completed")]


def get_json_post(url: str, body: dict) -> list[dict]:
    import json
    import urllib.request

    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())
