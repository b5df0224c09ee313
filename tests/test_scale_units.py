"""Scaling-out pieces without processes: config keys, the task runner choice, the frontier's settings and the
merge of several crawler processes' results, the in-process transform stage's order and tagging thread."""

from __future__ import annotations

import threading

import pytest

from flows.runners import in_flight_for, task_runner_for, transform_batches
from newsetl.config import load_config
from spiders.frontier import frontier_settings, merge_results
from transforms.records import CrawlResult, FetchError, ParsedArticle


def test_the_scaling_keys_default_to_one_machine_and_load_from_the_config(tmp_path):
    config_file = tmp_path / "newsetl.toml"
    config_file.write_text("", encoding="utf-8")
    defaults = load_config(config_file)
    assert (defaults.frontier, defaults.crawler_processes) == ("", 1)
    assert (defaults.task_runner, defaults.dask_address, defaults.dask_workers) == ("default", "", 2)
    config_file.write_text(
        '[crawl]\nfrontier = "redis://127.0.0.1:6379/0"\ncrawler_processes = 3\n'
        '[flow]\ntask_runner = "dask"\ndask_address = "tcp://127.0.0.1:8786"\ndask_workers = 4\n',
        encoding="utf-8",
    )
    config = load_config(config_file)
    assert (config.frontier, config.crawler_processes) == ("redis://127.0.0.1:6379/0", 3)
    assert (config.task_runner, config.dask_address, config.dask_workers) == ("dask", "tcp://127.0.0.1:8786", 4)


def test_the_task_runner_is_chosen_by_config():
    assert task_runner_for("default") is None
    local = task_runner_for("dask", dask_workers=3)
    assert local.cluster_kwargs["n_workers"] == 3 and local.cluster_kwargs["threads_per_worker"] == 1
    assert local.cluster_kwargs["host"] == "127.0.0.1"
    assert task_runner_for("dask", dask_address="tcp://10.0.0.7:8786").address == "tcp://10.0.0.7:8786"
    with pytest.raises(ValueError, match="task_runner"):
        task_runner_for("ray")
    assert in_flight_for("dask", 3) == 6 and in_flight_for("default", 3) == 2


def test_frontier_settings_keep_runs_apart_and_never_flush_under_peers():
    settings = frontier_settings("redis://127.0.0.1:1/0", "newsetl:run-1", "newsetl:run-1:0")
    assert settings["SCHEDULER_PERSIST"] is True
    assert settings["SCHEDULER_QUEUE_KEY"].startswith("newsetl:run-1:")
    assert settings["SCHEDULER_DUPEFILTER_KEY"].startswith("newsetl:run-1:")
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"


def _result(source: str, url: str, errors_by_kind: dict[str, int]) -> CrawlResult:
    article = ParsedArticle(url=url, source=source, title="t", body_html="<p>b</p>")
    return CrawlResult(
        articles=[article],
        errors=[FetchError(url=url + "x", error="http: HTTP 404", source=source)],
        pages_fetched=2,
        stats={
            "sites": {source: {"pages_fetched": 2, "errors_by_kind": errors_by_kind, "finish_reason": "finished"}},
            "unchanged": [],
        },
    )


def test_results_of_several_crawler_processes_merge_into_one():
    merged = merge_results([_result("zdnet", "http://a/1", {"http": 1}), _result("zdnet", "http://a/2", {"http": 2})])
    assert [a.url for a in merged.articles] == ["http://a/1", "http://a/2"]
    assert len(merged.errors) == 2 and merged.pages_fetched == 4
    assert merged.stats["sites"]["zdnet"] == {
        "pages_fetched": 4,
        "errors_by_kind": {"http": 3},
        "finish_reason": "finished",
    }
    assert len(merged.stats["processes"]) == 2


def test_without_a_runner_batches_are_tagged_ahead_in_one_thread_and_handed_back_in_order():
    second_cleaned, second_tagged = threading.Event(), threading.Event()
    threads: set[str] = set()

    def clean(batch):
        if batch == [2]:
            second_cleaned.set()
        return batch, [f"failed {batch}"]

    def tag(cleaned):
        threads.add(threading.current_thread().name)
        if cleaned == [1]:
            second_cleaned.wait(30)  # the next batch is cleaned while this one is still being tagged
        if cleaned == [2]:
            second_tagged.set()
        return [[f"mention of {n}"] for n in cleaned]

    # Empty batches are polls that found nothing: they yield nothing of their own.
    stage = transform_batches([[1], [], [2], [], [3]], clean, tag, in_flight=1, warm_up=lambda: threads.add("warm"))
    assert next(stage) == ([1], ["failed [1]"], [["mention of 1"]])
    # While the caller holds (loads) batch 1, batch 2 is tagged in the tagging thread.
    assert second_tagged.wait(30)
    assert list(stage) == [([2], ["failed [2]"], [["mention of 2"]]), ([3], ["failed [3]"], [["mention of 3"]])]
    assert "warm" in threads and all(name == "warm" or name.startswith("newsetl-tag") for name in threads)


def test_without_a_runner_a_failed_tagging_fails_the_stage():
    def tag(cleaned):
        raise RuntimeError(f"cannot tag {cleaned}")

    stage = transform_batches([[1], [2]], lambda batch: (batch, []), tag)
    with pytest.raises(RuntimeError, match=r"cannot tag \[1\]"):
        list(stage)
