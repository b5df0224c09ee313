"""The rich progress display `newsetl run` shows on stderr while the flow runs.

It listens to `flows.progress` events: one row per site with the pages its crawler has fetched, its articles and
failures so far and the fetch rate (the crawler child writes its counts twice a second, spiders/progress_file.py),
then a row over the articles cleaned, tagged and loaded. Totals appear once they are known: a site's pages when
its crawl ends, the articles to load when the whole crawl has ended.

Prefect's own console lines would tear through the live display: `prefect_console_env` quiets Prefect's console
handler through its logging settings, before Prefect is imported, so nothing of Prefect loads for a mistake.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from flows import progress as events

# Prefect reads a logging config key from PREFECT_LOGGING_<PATH>: its console handler's level.
PREFECT_CONSOLE_LEVEL_ENV = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"
PREFECT_SERVER_LOGGING_ENV = "PREFECT_SERVER_LOGGING_LEVEL"
LOAD_ROW = "clean, tag, load"


def display_wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    """On for a terminal, off for pipes, files, cron mail and --quiet."""
    stream = stream or sys.stderr
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


def prefect_console_env(*, display: bool, quiet: bool) -> None:
    """Before Prefect is imported: with the live display up, only Prefect's warnings and errors print (the display
    shows the progress its INFO lines would); with --quiet or --json none print (the summary, or the one-line
    error, says how the run went; every log line still reaches the Prefect API). A level the user set wins."""
    if quiet:
        os.environ.setdefault(PREFECT_CONSOLE_LEVEL_ENV, "CRITICAL")
    elif display:
        os.environ.setdefault(PREFECT_CONSOLE_LEVEL_ENV, "WARNING")
    if quiet or display:
        # The temporary server's own errors (its SQLite busy under load, telemetry) are not the run's.
        os.environ.setdefault(PREFECT_SERVER_LOGGING_ENV, "CRITICAL")


class RateColumn(ProgressColumn):
    """Pages (or articles) per second, from rich's recent samples of the row's count."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:5.1f}/s" if task.speed else "", style="progress.data.speed")


class RunProgress:
    """Turns pipeline events into rich progress rows."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._sites: dict[str, TaskID] = {}
        self._load: TaskID | None = None
        # Until the flow starts there is Prefect to start (a temporary server takes seconds): say so.
        self._starting: TaskID | None = self.progress.add_task("starting the Prefect flow run", total=None)

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        if event == events.RUN_STARTED:
            if self._starting is not None:
                self.progress.remove_task(self._starting)
                self._starting = None
            self.console.print(f"[bold]newsetl[/] run {data['run_id']} ({', '.join(data['sites']) or 'no sites'})")
        elif event == events.CRAWL_STARTED:
            for site in data["sites"]:
                self._site_row(site)
        elif event == events.CRAWL_PROGRESS:
            for site, counts in data["sites"].items():
                self.progress.update(
                    self._site_row(site),
                    completed=counts.get("pages", 0),
                    description=self._site_text(site, counts.get("articles", 0), counts.get("errors", 0)),
                )
        elif event == events.CRAWL_FINISHED:
            self._crawl_finished(data)
        elif event == events.BATCH_LOADED:
            self.progress.update(
                self._load_row(),
                completed=data["done"],
                description=f"{LOAD_ROW}: {data['new']} new, {data['updated']} updated",
            )

    def _site_row(self, site: str) -> TaskID:
        if site not in self._sites:
            self._sites[site] = self.progress.add_task(self._site_text(site, 0, 0), total=None)
        return self._sites[site]

    @staticmethod
    def _site_text(site: str, articles: int, errors: int) -> str:
        return f"{site:<13} pages, {articles:>5} articles, {errors:>4} failed"

    def _load_row(self) -> TaskID:
        if self._load is None:
            self._load = self.progress.add_task(LOAD_ROW, total=None)
        return self._load

    def _crawl_finished(self, data: dict[str, Any]) -> None:
        # Each site's page count is final now: its row becomes a full bar. The articles to load are known too.
        pages = {task.id: task.completed for task in self.progress.tasks}
        for row in self._sites.values():
            self.progress.update(row, total=pages.get(row, 0))
        self.console.print(
            f"crawled: {data['pages']} pages, {data['articles']} articles, {data['errors']} errors", highlight=False
        )
        self.progress.update(self._load_row(), total=max(data["articles"], 1))


@contextmanager
def progress_display(enabled: bool, stream: TextIO | None = None) -> Iterator[None]:
    """Show run progress on `stream` (stderr) while the body runs, if `enabled`."""
    if not enabled:
        yield
        return
    console = Console(file=stream or sys.stderr)
    display = RunProgress(console)
    with display.progress, events.listening(display):
        yield
