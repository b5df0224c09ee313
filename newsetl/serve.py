"""`newsetl serve`: a long-running process that serves the pipeline as a Prefect deployment.

The deployment carries a cron schedule (the config's `[schedule]`, or --cron) and only JSON
parameters naming the config file (and the warehouse, if given): each run reads newsetl.toml when
it starts, so edits to sites or limits apply from the next run. Runs can also be started by hand
with `prefect deployment run 'newsetl/<deployment>'` or from the Prefect UI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from newsetl.config import Config, find_config_file, load_config

# Runs of this deployment executed at once by one `newsetl serve`: the writer lock would serialise
# them anyway, so a second run queues here instead of waiting on the lock.
RUNS_AT_ONCE = 1


def deployment_parameters(config: Config, db: str | Path | None = None) -> dict[str, Any]:
    """The deployment's flow parameters: absolute paths, JSON-serialisable."""
    parameters: dict[str, Any] = {}
    if config.source is not None:
        parameters["config_path"] = str(Path(config.source).resolve())
    db = db or os.environ.get("NEWSETL_DB")
    if db:
        parameters["db_path"] = str(Path(db).resolve())
    return parameters


def schedule_for(config: Config, cron: str | None = None) -> Any:
    """The deployment's schedule: --cron or the config's cron, in the config's time zone."""
    from prefect.schedules import Cron

    expression = (cron or config.cron).strip()
    if len(expression.split()) not in (5, 6):
        raise ValueError(f"not a cron expression: {expression!r} (five fields: minute hour day month weekday)")
    return Cron(expression, timezone=config.timezone)


def serve(
    *,
    config_path: str | Path | None = None,
    cron: str | None = None,
    name: str | None = None,
    db: str | Path | None = None,
) -> None:
    """Register the deployment `newsetl/<name>` with its schedule and run its flow runs until stopped."""
    from prefect.settings import PREFECT_API_URL
    from prefect.types.entrypoint import EntrypointType

    from flows.pipeline import pipeline

    config = load_config(find_config_file(config_path))
    schedule = schedule_for(config, cron)
    if not PREFECT_API_URL.value():
        print(
            "newsetl serve: PREFECT_API_URL is not set, so the deployment lives on a temporary server that "
            "`prefect deployment run` and the UI cannot reach; start `prefect server start --host 127.0.0.1` "
            "and `prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` first",
            file=sys.stderr,
        )
    pipeline.serve(
        name=name or config.deployment,
        schedules=[schedule],
        parameters=deployment_parameters(config, db),
        description="Crawl the configured Korean IT news outlets, clean, tag entities, load into DuckDB.",
        tags=["newsetl"],
        limit=RUNS_AT_ONCE,
        # The package is installed: load the flow by module, whatever directory serve runs from.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def deploy(
    *,
    work_pool: str,
    config_path: str | Path | None = None,
    cron: str | None = None,
    name: str | None = None,
    db: str | Path | None = None,
) -> str:
    """Register `newsetl/<name>` with its schedule on a Prefect process work pool and return its id; the
    `prefect worker start --pool <work_pool>` processes run its flow runs (README "Scaling out")."""
    from flows.runners import deploy_to_work_pool

    config = load_config(find_config_file(config_path))
    return deploy_to_work_pool(
        work_pool,
        name=name or config.deployment,
        parameters=deployment_parameters(config, db),
        schedules=[schedule_for(config, cron)],
    )
