"""The rich progress display `newsetl run` shows on stderr while the flow runs.

It listens to `flows.progress` events: a spinner while Scrapy crawls (the crawl is one child
process, so there is no page count until it ends), then a bar over articles as batches load.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from flows import progress as events


def display_wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    """On for a terminal, off for pipes, files, cron mail and --quiet."""
    stream = stream or sys.stderr
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


class RunProgress:
    """Turns pipeline events into rich progress rows."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._crawl: Any = None
        self._load: Any = None

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        if event == events.RUN_STARTED:
            self.console.print(f"[bold]newsetl[/] run {data['run_id']} ({', '.join(data['sites']) or 'no sites'})")
        elif event == events.CRAWL_STARTED:
            self._crawl = self.progress.add_task(f"crawl {len(data['sites'])} site(s)", total=None)
        elif event == events.CRAWL_FINISHED and self._crawl is not None:
            self.progress.update(
                self._crawl,
                description=f"crawled: {data['pages']} pages, {data['articles']} articles, {data['errors']} errors",
                total=1,
                completed=1,
            )
            # Batches are loaded while the crawl runs; only now is the total known.
            if self._load is None:
                self._load = self.progress.add_task("clean, tag, load", total=max(data["articles"], 1))
            else:
                self.progress.update(self._load, total=max(data["articles"], 1))
        elif event == events.BATCH_LOADED:
            if self._load is None:
                self._load = self.progress.add_task("clean, tag, load", total=data.get("total"))
            self.progress.update(
                self._load,
                completed=data["done"],
                description=f"clean, tag, load: {data['new']} new, {data['updated']} updated",
            )


@contextmanager
def progress_display(enabled: bool, stream: TextIO | None = None) -> Iterator[None]:
    """Show run progress on `stream` (stderr) while the body runs, if `enabled`."""
    if not enabled:
        yield
        return
    console = Console(file=stream or sys.stderr)
    display = RunProgress(console)
    with _prefect_console_warnings_only(), display.progress, events.listening(display):
        yield


@contextmanager
def _prefect_console_warnings_only() -> Iterator[None]:
    """Prefect's per-task INFO lines would tear through the live display (its handler writes to stderr
    directly); the display shows that progress, so only warnings and errors print while it is up."""
    import prefect  # noqa: F401 - importing prefect installs its logging handlers
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    handlers = {
        handler for logger in loggers for handler in logger.handlers if isinstance(handler, PrefectConsoleHandler)
    }
    levels = {handler: handler.level for handler in handlers}
    for handler in handlers:
        handler.setLevel(max(handler.level, logging.WARNING))
    try:
        yield
    finally:
        for handler, level in levels.items():
            handler.setLevel(level)
