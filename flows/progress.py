"""Progress events from a flow run to whoever is watching in this process (the CLI's rich display).

The flow body calls `emit` at stage boundaries. Listeners are plain callables registered for the
duration of a call (`listening`); with none registered, as in a served deployment's worker
process, `emit` costs a dict lookup. Events never reach Prefect: they are not flow parameters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

ProgressListener = Callable[[str, dict[str, Any]], None]

# Event names, in the order a run emits them.
RUN_STARTED = "run-started"  # run_id, sites
CRAWL_STARTED = "crawl-started"  # sites
CRAWL_PROGRESS = "crawl-progress"  # sites: {key: {pages, articles, errors, budget}} so far, from the crawler
CRAWL_FINISHED = "crawl-finished"  # pages, articles, errors
BATCH_LOADED = "batch-loaded"  # done, total (articles), new, updated
RUN_FINISHED = "run-finished"  # summary (dict)
RUN_INTERRUPTED = "run-interrupted"  # summary (dict): recorded as interrupted, with what it committed

_listeners: list[ProgressListener] = []
_lock = threading.Lock()


def emit(event: str, **data: Any) -> None:
    """Tell every listener; a listener that fails is dropped, never allowed to fail the run."""
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(event, data)
        except Exception:  # noqa: BLE001 - a broken display must not break the pipeline
            remove_listener(listener)


def add_listener(listener: ProgressListener) -> None:
    with _lock:
        _listeners.append(listener)


def remove_listener(listener: ProgressListener) -> None:
    with _lock:
        if listener in _listeners:
            _listeners.remove(listener)


@contextmanager
def listening(listener: ProgressListener) -> Iterator[ProgressListener]:
    add_listener(listener)
    try:
        yield listener
    finally:
        remove_listener(listener)
