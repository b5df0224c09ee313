"""The pipeline as a Prefect deployment: served by one long-running process (`newsetl serve`) or registered on a
process work pool for `prefect worker` processes (`newsetl deploy`). Both take the same `DeploymentSpec`,
which newsetl.api builds from the config before Prefect is imported."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PIPELINE_ENTRYPOINT = "flows/pipeline.py:pipeline"
DESCRIPTION = "Crawl the configured Korean IT news outlets, clean, tag entities, load into DuckDB."
TAGS = ["newsetl"]
# Runs of this deployment executed at once by one `newsetl serve`: the writer lock would serialise
# them anyway, so a second run queues here instead of waiting on the lock.
RUNS_AT_ONCE = 1


@dataclass(frozen=True, slots=True)
class DeploymentSpec:
    """What a deployment carries: its name, a cron schedule in a time zone, and JSON flow parameters."""

    name: str
    cron: str
    timezone: str
    parameters: dict[str, Any] = field(default_factory=dict)

    def schedule(self) -> Any:
        from prefect.schedules import Cron

        return Cron(self.cron, timezone=self.timezone)


def serve(spec: DeploymentSpec) -> None:
    """Register `newsetl/<name>` with its schedule and run its flow runs in this process until stopped."""
    from prefect.settings import PREFECT_API_URL
    from prefect.types.entrypoint import EntrypointType

    from flows.pipeline import pipeline

    if not PREFECT_API_URL.value():
        print(
            "newsetl serve: PREFECT_API_URL is not set, so the deployment lives on a temporary server that "
            "`prefect deployment run` and the UI cannot reach; start `prefect server start --host 127.0.0.1` "
            "and `prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` first",
            file=sys.stderr,
        )
    pipeline.serve(
        name=spec.name,
        schedules=[spec.schedule()],
        parameters=spec.parameters,
        description=DESCRIPTION,
        tags=TAGS,
        limit=RUNS_AT_ONCE,
        # The package is installed: load the flow by module, whatever directory serve runs from.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def deploy(spec: DeploymentSpec, work_pool: str, source: str | Path = PROJECT_ROOT) -> str:
    """Register `newsetl/<name>` on a process work pool and return its id; `prefect worker start --pool
    <work_pool>` processes (on any machine with this project at `source`) pick its runs up."""
    from prefect import flow

    pipeline = flow.from_source(source=str(source), entrypoint=PIPELINE_ENTRYPOINT)
    deployment_id = pipeline.deploy(
        name=spec.name,
        work_pool_name=work_pool,
        parameters=spec.parameters,
        schedules=[spec.schedule()],
        description=DESCRIPTION,
        tags=TAGS,
        build=False,
        push=False,
        print_next_steps=False,
    )
    return str(deployment_id)
