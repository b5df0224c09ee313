"""Test-only launcher: `python tests/paused_run.py ARGS...` is `newsetl ARGS...`, plus a pause for races.

With $NEWSETL_TEST_PAUSE_AFTER_FIRST_LOAD=<file> set, the run writes its pid to <file> after its first batch
commits and waits there, holding the writer lock, until <file>.resume exists (or PAUSE_LIMIT_SECONDS pass), so a
test can SIGKILL it, signal it or race it at a known point. It hooks in through the flow's progress events
(`flows.progress.add_listener`, the extension point the CLI's display uses too): product code carries no test hook.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from flows import progress

PAUSE_AFTER_FIRST_LOAD_ENV = "NEWSETL_TEST_PAUSE_AFTER_FIRST_LOAD"
PAUSE_LIMIT_SECONDS = 120
LAUNCHER = Path(__file__).resolve()


def command(*args: str) -> list[str]:
    """The argv that runs `newsetl ARGS` through this launcher."""
    return [sys.executable, str(LAUNCHER), *args]


def pause_after_first_load(marker: Path) -> progress.ProgressListener:
    paused = False

    def listener(event: str, data: dict[str, Any]) -> None:
        nonlocal paused
        if event != progress.BATCH_LOADED or paused:
            return
        paused = True
        marker.write_text(str(os.getpid()), encoding="utf-8")
        resume = marker.with_name(marker.name + ".resume")
        deadline = time.monotonic() + PAUSE_LIMIT_SECONDS
        while not resume.exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    return listener


def main() -> None:
    marker = os.environ.get(PAUSE_AFTER_FIRST_LOAD_ENV)
    if marker:
        progress.add_listener(pause_after_first_load(Path(marker)))
    from newsetl.cli import main as newsetl_main

    newsetl_main(sys.argv[1:])


if __name__ == "__main__":
    main()
