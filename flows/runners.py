"""Where the flow's transform stage runs.

The clean and entity tasks work on batches. By default they run inside the flow's process: each batch is
cleaned as it arrives and tagged in one tagging thread, up to `in_flight` batches ahead of the load, so
Kiwi's analysis (its own worker thread, outside the GIL) goes on while the flow reads feed files, cleans
and loads. With `[flow] task_runner = "dask"` they are submitted through prefect-dask's DaskTaskRunner to
a Dask cluster (a LocalCluster started for the run, or the scheduler at `dask_address`), a bounded window
of batches at a time; the loads stay in the flow's process, in batch order, because the warehouse has one
writer. Each Dask worker process keeps one Kiwi model (the per-process cached `get_extractor`), so a worker
has one thread: Kiwi's analysis holds the GIL.
"""

from __future__ import annotations

import contextvars
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from typing import Any

from prefect import Task
from prefect.task_runners import TaskRunner
from prefect.utilities.annotations import quote

from transforms.records import CleanArticle, FetchError, Mention, ParsedArticle

TASK_RUNNERS = ("default", "dask")
# Batches submitted to the cluster ahead of the load: enough to keep every worker busy while the flow
# loads, few enough that a long run does not hold all its articles in flight at once.
BATCHES_IN_FLIGHT_PER_WORKER = 2
# Without batches to take, how long the in-process stage waits for the oldest tagging before polling the
# crawl again (spiders.runner.POLL_SECONDS).
IDLE_WAIT_SECONDS = 0.2

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


def _task_input(function: Any, value: Any) -> Any:
    """A batch as a task argument: `quote`d for a Prefect task, so Prefect does not walk every article and
    mention of it looking for futures (that walk cost ~0.3 CPU-s per 200-article load); as is otherwise."""
    return quote(value) if isinstance(function, Task) else value


def transform_batches(
    batches: Iterable[list[ParsedArticle]],
    clean: Task[..., tuple[list[CleanArticle], list[FetchError]]],
    tag: Task[..., list[list[Mention]]],
    runner: TaskRunner | None = None,
    in_flight: int = 4,
    warm_up: Callable[[], Any] | None = None,
) -> Iterator[TransformedBatch]:
    """Clean and tag each batch; yield (cleaned, failures, mentions) per batch, in the batches' order.

    Without a runner each batch is cleaned here and tagged in one tagging thread (`warm_up` runs there
    first, e.g. building the entity model while the crawler starts), up to `in_flight` batches ahead of the
    caller: the caller's loads overlap the tagging of the next batches. Empty batches from `batches` are
    polls that found nothing (CrawlFeed.batches(idle=True)): they let a finished tagging be handed over
    while the crawl is quiet. With a runner, up to `in_flight` batches are submitted ahead and run in
    parallel.
    """
    if runner is None:
        yield from _transform_in_process(batches, clean, tag, in_flight, warm_up)
        return
    # A runner's stage waits in `next` for a batch: it takes batches from a blocking source (idle=False).
    remaining = (batch for batch in batches if batch)
    cleaning: deque[Any] = deque()
    tagging: deque[tuple[list[CleanArticle], list[FetchError], Any]] = deque()

    def top_up() -> None:
        while len(cleaning) + len(tagging) < max(1, in_flight):
            batch = next(remaining, None)
            if batch is None:
                return
            # Not quoted: Dask rebuilds a quote (a NamedTuple) as a plain tuple on its way to the worker.
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


def _transform_in_process(
    batches: Iterable[list[ParsedArticle]],
    clean: Task[..., tuple[list[CleanArticle], list[FetchError]]],
    tag: Task[..., list[list[Mention]]],
    in_flight: int,
    warm_up: Callable[[], Any] | None,
) -> Iterator[TransformedBatch]:
    """transform_batches without a runner: clean here, tag in one thread (the extractor is one Kiwi and one
    CRF tagger per process, used by one thread at a time), hand batches back in order."""
    pending: deque[tuple[list[CleanArticle], list[FetchError], Future[list[list[Mention]]] | None]] = deque()
    # The tagging thread runs in this thread's context, so its task runs belong to the flow run.
    tagger = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsetl-tag")
    try:
        if warm_up is not None:
            tagger.submit(contextvars.copy_context().run, warm_up)
        for batch in batches:
            if batch:
                cleaned, failures = clean(_task_input(clean, batch))
                tagged = (
                    tagger.submit(contextvars.copy_context().run, tag, _task_input(tag, cleaned)) if cleaned else None
                )
                pending.append((cleaned, failures, tagged))
            elif pending and pending[0][2] is not None:
                wait_for([pending[0][2]], timeout=IDLE_WAIT_SECONDS)  # a quiet poll: the oldest may finish
            elif not pending:
                time.sleep(IDLE_WAIT_SECONDS)
            while pending and (len(pending) > max(1, in_flight) or _finished(pending[0][2])):
                yield _handed_over(pending.popleft())
        while pending:
            yield _handed_over(pending.popleft())
    finally:
        # On a failure (or the caller stopping early) queued taggings are dropped; a running one finishes.
        tagger.shutdown(wait=True, cancel_futures=True)


def _finished(tagged: Future[Any] | None) -> bool:
    return tagged is None or tagged.done()


def _handed_over(
    item: tuple[list[CleanArticle], list[FetchError], Future[list[list[Mention]]] | None],
) -> TransformedBatch:
    cleaned, failures, tagged = item
    return cleaned, failures, (tagged.result() if tagged is not None else [])


def in_flight_for(kind: str, dask_workers: int) -> int:
    """Batches to submit ahead: a few per worker (for a remote cluster, `dask_workers` is the estimate)."""
    return BATCHES_IN_FLIGHT_PER_WORKER * (max(1, dask_workers) if kind == "dask" else 1)
