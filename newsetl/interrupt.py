"""Ctrl-C and SIGTERM stop a `newsetl run` within seconds, with the run recorded as `interrupted`.

SIGTERM is handled like Ctrl-C: KeyboardInterrupt in the main thread, so the flow's own clean-up runs (crawler
children stopped, the open load batch rolled back, slots freed, the `runs` row written with what was committed).
A Ctrl-C at a terminal also reaches Prefect's temporary server (it shares our process group) and kills it; Prefect
then retries its final state report against the dead server for over a minute. So once the flow has recorded the
run, this process leaves after a short grace period whatever Prefect is still doing, stopping any temporary server
it started. A second signal leaves at once.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from flows import progress
from flows.temporary_server import stop_temporary_servers

EXIT_INTERRUPTED = 130  # the shell's code for "ended by SIGINT"
GRACE_SECONDS = 5.0


class Interruption:
    """Whether a stop signal arrived, and the summary of the run the flow recorded as interrupted."""

    def __init__(self) -> None:
        self.signalled = threading.Event()
        self.summary: dict[str, Any] | None = None
        self._said = threading.Lock()

    def say(self) -> None:
        """Print the message once, whichever of the main thread and the grace timer gets there first."""
        if self._said.acquire(blocking=False):
            print(self.message(), file=sys.stderr, flush=True)

    def message(self) -> str:
        if self.summary is None:
            return "newsetl: interrupted before the run was recorded"
        return (
            f"newsetl: interrupted; run {self.summary.get('run_id')} recorded as interrupted with "
            f"{self.summary.get('articles_new', 0)} new and {self.summary.get('articles_updated', 0)} updated "
            "articles committed; the next run carries on from there"
        )


@contextmanager
def stop_on_signals(grace_seconds: float = GRACE_SECONDS) -> Iterator[Interruption]:
    interruption = Interruption()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if interruption.signalled.is_set():
            leave(interruption)
        interruption.signalled.set()
        raise KeyboardInterrupt

    def on_progress(event: str, data: dict[str, Any]) -> None:
        if event == progress.RUN_INTERRUPTED:
            interruption.summary = data.get("summary")
            timer = threading.Timer(grace_seconds, leave, args=(interruption,))
            timer.daemon = True  # a run that winds down sooner exits normally
            timer.start()

    previous = {number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        with progress.listening(on_progress):
            yield interruption
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def leave(interruption: Interruption) -> None:
    """Exit now: say what was recorded, stop Prefect's temporary servers, skip everything else."""
    interruption.say()
    stop_temporary_servers()
    os._exit(EXIT_INTERRUPTED)
