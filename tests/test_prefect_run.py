"""What Prefect shows of a real run (ephemeral Prefect, the loopback mirror, real Scrapy and DuckDB): the crawl is
one task run spanning the crawl while batches load, each task logs its counts, the run publishes a markdown
artifact with the summary table and the failed URLs by kind, and a run with too many failed pages ends Failed
saying why (with its articles and failures stored)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from flows import progress
from newsetl import api
from warehouse import Warehouse

pytestmark = pytest.mark.slow


def _flow_run_record(run_id: str) -> dict[str, Any]:
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()
    flow_run_id = uuid.UUID(run_id)
    with get_client(sync_client=True) as client:
        return {
            "flow_run": client.read_flow_run(flow_run_id),
            "task_runs": client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))),
            "artifacts": client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
            ),
            "logs": client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))),
        }


def test_the_crawl_task_spans_the_crawl_and_the_run_publishes_its_summary(
    tmp_path: Path, mirror_server, prefect_harness
) -> None:
    sites = ["zdnet", "etnews"]
    crawl_reports: list[dt.datetime] = []  # when the crawler's running counts reached the flow

    def on_progress(event: str, data: dict[str, Any]) -> None:
        if event == progress.RUN_STARTED:
            # The suite keeps Prefect at WARNING (conftest) and Prefect sets its levels up again as a run starts:
            # the tasks' counts are INFO lines, so let them through from inside the run.
            logging.getLogger("prefect").setLevel(logging.INFO)
        elif event == progress.CRAWL_PROGRESS:
            crawl_reports.append(dt.datetime.now(dt.UTC))

    level = logging.getLogger("prefect").level
    with progress.listening(on_progress):
        summary = api.run(
            db=tmp_path / "w.duckdb",
            sites=sites,
            base_urls=dict(mirror_server.base_urls),
            # A delay between pages, so the crawl lasts seconds and its span can be told from an instant.
            scrapy_settings=api.MIRROR_SCRAPY_SETTINGS | {"DOWNLOAD_DELAY": 0.2},
        )
    logging.getLogger("prefect").setLevel(level)
    assert summary["status"] == "completed" and summary["articles_new"] > 0
    record = _flow_run_record(summary["run_id"])
    assert record["flow_run"].state.is_completed()

    runs: dict[str, list[Any]] = {}
    for task_run in record["task_runs"]:
        runs.setdefault(task_run.name.rsplit("-", 1)[0], []).append(task_run)
    [crawl] = runs["crawl"]
    assert crawl.state.is_completed()
    # One task run spans the crawl: every report of the running crawlers falls inside it (the last one comes
    # after they exited), and the crawl, paced at 0.2 s a page, took seconds.
    assert len(crawl_reports) >= 2
    assert crawl.start_time <= crawl_reports[0] and crawl_reports[-1] <= crawl.end_time
    assert crawl.total_run_time.total_seconds() >= (crawl_reports[-1] - crawl_reports[0]).total_seconds() >= 2

    messages = [log.message for log in record["logs"]]
    for site in sites:
        assert any(message.startswith(f"{site}: ") and "pages fetched" in message for message in messages)
    assert any(message.startswith("loaded: ") for message in messages)
    assert any(message.startswith("cleaned ") for message in messages)
    assert any(message.startswith("tagged ") for message in messages)

    [artifact] = [a for a in record["artifacts"] if a.key == "newsetl-run-summary"]
    assert artifact.type == "markdown"
    assert "| pages fetched | new | updated | unchanged | mentions | errors |" in artifact.data
    assert f"| {summary['pages_fetched']} | {summary['articles_new']} | 0 | 0 |" in artifact.data
    for site in sites:
        assert f"| {site} | {summary['sites'][site]['pages_fetched']} |" in artifact.data


def test_a_run_with_too_many_failed_pages_ends_failed_and_says_why(
    tmp_path: Path, mirror_server, prefect_harness
) -> None:
    base = mirror_server.base_urls["zdnet"]
    missing = [f"{base}/no-such-page-{number}" for number in range(3)]
    summary = api.run(db=tmp_path / "w.duckdb", start_urls=missing, scrapy_settings=api.MIRROR_SCRAPY_SETTINGS)
    assert summary["status"] == "failed"
    # Pages tried count robots.txt too: the share is 3 of 4 here, over the default 0.5.
    assert re.match(r"3 of [34] pages failed", summary["failure"]) and "max_error_share" in summary["failure"]
    record = _flow_run_record(summary["run_id"])
    assert record["flow_run"].state.is_failed()
    assert record["flow_run"].state.message == summary["failure"]
    [artifact] = [a for a in record["artifacts"] if a.key == "newsetl-run-summary"]
    assert "## Failed URLs by kind" in artifact.data and "### http (3)" in artifact.data
    assert all(url in artifact.data for url in missing)
    with Warehouse.open(summary["db_path"], read_only=True) as store:
        assert store.query("SELECT status, errors FROM runs").rows == [("failed", 3)]
        assert store.scalar("SELECT count(*) FROM fetch_errors") == 3

    # The same failures under a share the run allows: it completes.
    allowed = api.run(
        db=tmp_path / "w2.duckdb", start_urls=missing, scrapy_settings=api.MIRROR_SCRAPY_SETTINGS, max_error_share=1
    )
    assert allowed["status"] == "completed" and allowed["failure"] is None
