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
