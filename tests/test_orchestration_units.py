"""Fast checks of the orchestration pieces that need no Prefect server: config, schedule, deployment
parameters, progress events and the rich display, the entity cache key."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from flows import progress
from flows.cache_keys import entities_cache_key
from newsetl.api import deployment_spec
from newsetl.config import load_config
from newsetl.progress import RunProgress, display_wanted, progress_display
from transforms.records import CleanArticle


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsetl.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_schedule_defaults_and_overrides(tmp_path):
    defaults_file = _config(tmp_path, "")
    defaults = load_config(defaults_file)
    assert (defaults.cron, defaults.timezone, defaults.deployment) == ("0 * * * *", "Asia/Seoul", "scheduled")
    assert defaults.crawls_per_site == 1
    assert deployment_spec(config_path=defaults_file).schedule().cron == "0 * * * *"
    config_file = _config(
        tmp_path,
        '[schedule]\ncron = "5 6 * * *"\ntimezone = "UTC"\ndeployment = "daily"\nlock_wait_seconds = 30\n'
        "[politeness]\ncrawls_per_site = 2\n",
    )
    config = load_config(config_file)
    assert (config.cron, config.deployment, config.lock_wait_seconds, config.crawls_per_site) == (
        "5 6 * * *",
        "daily",
        30,
        2,
    )
    schedule = deployment_spec(config_path=config_file, cron="*/10 * * * *").schedule()  # --cron wins over the file
    assert (schedule.cron, schedule.timezone) == ("*/10 * * * *", "UTC")
    with pytest.raises(ValueError, match="not a cron expression"):
        deployment_spec(config_path=config_file, cron="hourly")


def test_deployment_parameters_are_absolute_and_json(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSETL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    config_file = _config(tmp_path, "[crawl]\nbatch_size = 5\n")
    parameters = deployment_spec(config_path=config_file, db="news.duckdb").parameters
    assert parameters == {
        "config_path": str((tmp_path / "newsetl.toml").resolve()),
        "db_path": str((tmp_path / "news.duckdb").resolve()),
    }
    assert json.loads(json.dumps(parameters)) == parameters
    # Without --db the run resolves the warehouse from the config when it starts.
    assert "db_path" not in deployment_spec(config_path=config_file).parameters
    lake = "ducklake:postgres:dbname=news host=10.0.0.5?data_path=s3://bucket/news/"
    assert deployment_spec(config_path=config_file, db=lake).parameters["db_path"] == lake  # no Path folding


def test_progress_events_reach_listeners_and_a_broken_listener_is_dropped():
    seen: list[str] = []

    def broken(event: str, data: dict) -> None:
        raise RuntimeError("display gone")

    with progress.listening(lambda event, data: seen.append(event)), progress.listening(broken):
        progress.emit(progress.RUN_STARTED, run_id="r", sites=[])
        progress.emit(progress.RUN_FINISHED, summary={})
    progress.emit(progress.RUN_STARTED, run_id="after", sites=[])
    assert seen == [progress.RUN_STARTED, progress.RUN_FINISHED]


def test_rich_display_shows_crawl_and_load_progress():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    display = RunProgress(console)
    with display.progress, progress.listening(display):
        progress.emit(progress.RUN_STARTED, run_id="abc", sites=["zdnet"])
        progress.emit(progress.CRAWL_STARTED, sites=["zdnet"])
        progress.emit(progress.CRAWL_FINISHED, pages=30, articles=12, errors=1)
        progress.emit(progress.BATCH_LOADED, done=12, total=12, new=10, updated=2)
    text = out.getvalue()
    assert "run abc (zdnet)" in text
    assert "crawled: 30 pages, 12 articles, 1 errors" in text
    assert "10 new, 2 updated" in text and "12/12" in text


def test_display_is_off_for_pipes_and_quiet():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert display_wanted(False, Terminal())
    assert not display_wanted(True, Terminal())
    assert not display_wanted(False, io.StringIO())
    with progress_display(False):
        progress.emit(progress.RUN_STARTED, run_id="quiet", sites=[])  # nothing listens, nothing breaks


def _article(body: str, published_at: str = "2026-01-02T09:00:00+09:00") -> CleanArticle:
    return CleanArticle(
        article_id="a1", url="http://x/1", source="zdnet", title="t", body=body, published_at=published_at
    )


def test_entity_cache_key_follows_text_and_date_only():
    key = entities_cache_key(None, {"articles": [_article("삼성전자가 10일 발표했다.")]})
    assert key == entities_cache_key(None, {"articles": [_article("삼성전자가 10일 발표했다.")]})
    assert key != entities_cache_key(None, {"articles": [_article("LG전자가 10일 발표했다.")]})
    assert key != entities_cache_key(None, {"articles": [_article("삼성전자가 10일 발표했다.", "2026-02-02")]})


def test_the_display_shows_pages_per_site_as_the_crawler_reports_them():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140, color_system=None)
    display = RunProgress(console)
    with display.progress, progress.listening(display):
        progress.emit(progress.RUN_STARTED, run_id="abc", sites=["etnews", "zdnet"])
        progress.emit(progress.CRAWL_STARTED, sites=["etnews", "zdnet"], max_pages=None)
        progress.emit(progress.CRAWL_PROGRESS, sites={"zdnet": {"pages": 7, "articles": 3, "errors": 1}})
        display.progress.refresh()
        assert "zdnet" in out.getvalue() and "3 articles" in out.getvalue() and "7/?" in out.getvalue()
        progress.emit(progress.CRAWL_PROGRESS, sites={"zdnet": {"pages": 9, "articles": 4, "errors": 1}})
        progress.emit(progress.CRAWL_FINISHED, pages=9, articles=4, errors=1)
        progress.emit(progress.BATCH_LOADED, done=4, new=4, updated=0)
    text = out.getvalue()
    assert "9/9" in text and "4/4" in text and "4 new, 0 updated" in text


def test_error_share_and_the_run_summary_artifact():
    from flows.run_summary import RunSummary, error_share_failure, summary_markdown
    from transforms.records import FetchError
    from warehouse import LoadCounts

    assert error_share_failure(21, 17, 0.5).startswith("17 of 21 pages failed (81%)")
    assert error_share_failure(21, 10, 0.5) is None
    assert error_share_failure(0, 3, 0.5).startswith("3 of 3 pages failed")  # no response at all
    assert error_share_failure(0, 0, 0.0) is None
    summary = RunSummary(run_id="r1", status="failed", db_path="w.duckdb", pages_fetched=21, errors=17)
    summary.counts.add(LoadCounts(articles_new=4, mentions=9, new_ids=["a"]))
    summary.sites = {"zdnet": {"pages_fetched": 21, "articles_parsed": 4, "fetch_errors": 17}}
    flat = summary.to_dict()
    assert flat["articles_new"] == 4 and flat["mentions"] == 9 and "counts" not in flat and "new_ids" not in flat
    errors = [FetchError(url=f"http://x/{n}", error="http: HTTP 404", source="zdnet") for n in range(25)]
    errors.append(FetchError(url="http://x/slow", error="timeout: took too long", source="zdnet"))
    markdown = summary_markdown(summary, errors)
    assert "| 21 | 4 | 0 | 0 | 9 | 17 |" in markdown and "| zdnet | 21 | 4 | 0 | 17 |" in markdown
    assert "### http (25)" in markdown and "### timeout (1)" in markdown and "and 5 more" in markdown


def test_a_bad_error_share_is_refused_before_any_work(tmp_path):
    import subprocess
    import sys

    newsetl = str(Path(sys.executable).with_name("newsetl"))
    db = tmp_path / "w.duckdb"
    result = subprocess.run(
        [newsetl, "run", "--db", str(db), "--max-error-share", "1.5"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["newsetl: error: --max-error-share must be between 0 and 1, not 1.5"]
    assert not db.exists()
    bad = _config(tmp_path, "[flow]\nmax_error_share = -0.1\n")
    with pytest.raises(ValueError, match=r"\[flow\] max_error_share must be between 0 and 1"):
        load_config(bad)
