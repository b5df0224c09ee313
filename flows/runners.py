"""Where the flow's transform stage runs, and how the pipeline is deployed to a Prefect work pool.

The clean and entity tasks work on batches. By default they run one after the other inside the flow's
process, interleaved with the loads. With `[flow] task_runner = "dask"` they are submitted through
prefect-dask's DaskTaskRunner to a Dask cluster (a LocalCluster started for the run, or the scheduler at
`dask_address`), a bounded window of batches at a time; the loads stay in the flow's process, in batch
order, because the warehouse has one writer. Each Dask worker process keeps one Kiwi model (the per-process
cached `get_extractor`), so a worker has one thread: Kiwi's analysis holds the GIL.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from prefect import Task
from prefect.task_runners import TaskRunner

from transforms.records import CleanArticle, FetchError, Mention, ParsedArticle

TASK_RUNNERS = ("default", "dask")
PROJECT_ROOT = Path(__file__).resolve().parents[1]
PIPELINE_ENTRYPOINT = "flows/pipeline.py:pipeline"
# Batches submitted to the cluster ahead of the load: enough to keep every worker busy while the flow
# loads, few enough that a long run does not hold all its articles in flight at once.
BATCHES_IN_FLIGHT_PER_WORKER = 2

TransformedBatch = tuple[list[CleanArticle], list[FetchError], list[list[Mention]]]


def task_runner_for(kind: str, dask_address: str = "", dask_workers: int = 2) -> TaskRunner | None:
    """The task runner for the transform stage: None runs it in the flow's process (the default)."""
    if kind in ("", "default"):
        return None
    if kind != "dask":
        raise ValueError(f"[flow] task_runner = {kind!r}: expected one of {', '.join(TASK_RUNNERS)}")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": max(1, dask_workers),
            "threads_per_worker": 1,
            "processes": True,
            "host": "127.0.0.1",
            "dashboard_address": "127.0.0.1:0",  # loopback, any free port: never a fixed public one
        },
    )


def transform_batches(
    batches: Iterable[list[ParsedArticle]],
    clean: Task[..., tuple[list[CleanArticle], list[FetchError]]],
    tag: Task[..., list[list[Mention]]],
    runner: TaskRunner | None = None,
    in_flight: int = 4,
) -> Iterator[TransformedBatch]:
    """Clean and tag each batch; yield (cleaned, failures, mentions) per batch, in the batches' order.

    Without a runner each batch is cleaned and tagged when the caller asks for it (so a load follows each
    batch, as before). With one, up to `in_flight` batches are submitted ahead and run in parallel.
    """
    if runner is None:
        for batch in batches:
            cleaned, failures = clean(batch)
            yield cleaned, failures, (tag(cleaned) if cleaned else [])
        return
    remaining = iter(batches)
    cleaning: deque[Any] = deque()
    tagging: deque[tuple[list[CleanArticle], list[FetchError], Any]] = deque()

    def top_up() -> None:
        while len(cleaning) + len(tagging) < max(1, in_flight):
            batch = next(remaining, None)
            if batch is None:
                return
            cleaning.append(runner.submit(clean, {"parsed": batch}))

    with runner:
        top_up()
        while cleaning or tagging:
            # Cleaning is cheap: hand each cleaned batch to the taggers as soon as it is back.
            while cleaning:
                cleaned, failures = cleaning.popleft().result()
                tagging.append((cleaned, failures, runner.submit(tag, {"articles": cleaned}) if cleaned else None))
            cleaned, failures, mentions = tagging.popleft()
            yield cleaned, failures, (mentions.result() if mentions is not None else [])
            top_up()


def in_flight_for(kind: str, dask_workers: int) -> int:
    """Batches to submit ahead: a few per worker (for a remote cluster, `dask_workers` is the estimate)."""
    return BATCHES_IN_FLIGHT_PER_WORKER * (max(1, dask_workers) if kind == "dask" else 1)


def deploy_to_work_pool(
    work_pool: str,
    *,
    name: str = "workers",
    parameters: dict[str, Any] | None = None,
    schedules: list[Any] | None = None,
    source: str | Path = PROJECT_ROOT,
) -> str:
    """Register the pipeline as deployment `newsetl/<name>` on a process work pool; return its id.

    `prefect worker start --pool <work_pool>` processes (on any machine with this project at `source`)
    pick its runs up; the flow itself is the same one `newsetl run` and `newsetl serve` run.
    """
    from prefect import flow

    pipeline = flow.from_source(source=str(source), entrypoint=PIPELINE_ENTRYPOINT)
    deployment_id = pipeline.deploy(
        name=name,
        work_pool_name=work_pool,
        parameters=parameters or {},
        schedules=schedules,
        tags=["newsetl"],
        build=False,
        push=False,
        print_next_steps=False,
    )
    return str(deployment_id)
