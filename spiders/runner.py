"""Run crawls in a child process and read back what they found.

Twisted's reactor starts once per process, so every crawl gets a fresh `python -m spiders.runner JOB`
child; items come back as JSON lines through Scrapy's feed exports, one file per item type.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spiders.items import UnchangedPage
from transforms.records import CrawlResult, FetchError, ParsedArticle

ITEM_FILES = {
    "articles.jsonl": "transforms.records.ParsedArticle",
    "errors.jsonl": "transforms.records.FetchError",
    "unchanged.jsonl": "spiders.items.UnchangedPage",
}


class CrawlFailedError(RuntimeError):
    """The crawler process itself failed (not a page: pages fail into `CrawlResult.errors`)."""


@dataclass(slots=True)
class CrawlJob:
    sites: dict[str, str | None] = field(default_factory=dict)  # outlet key -> base URL (None: the real site)
    start_urls: list[str] = field(default_factory=list)  # article pages of unknown sites (generic spider)
    max_pages: int | None = None
    since: str | None = None  # ISO date: skip articles published before it
    page_states: dict[str, dict[str, Any]] = field(default_factory=dict)  # canonical url -> etag/hash...
    settings: dict[str, Any] = field(default_factory=dict)  # Scrapy setting overrides (politeness...)
    # Shared Redis frontier (spiders/frontier.py): "" keeps Scrapy's in-process scheduler and one process.
    frontier: str = ""
    crawler_processes: int = 1
    frontier_key: str = ""  # prefix of this run's Redis keys (the run id): runs never share a queue


def available_sites() -> list[str]:
    """Outlet keys of every spider in `spiders.outlets`."""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    with _project_settings_env():
        loader = SpiderLoader.from_settings(get_project_settings())
    return sorted(name for name in loader.list() if name != "generic")


def run_crawl(job: CrawlJob, workdir: Path | None = None, timeout: float | None = None) -> CrawlResult:
    """Crawl in a child process; return parsed articles, failures and unchanged pages."""
    if job.frontier:
        from spiders.frontier import run_on_frontier

        return run_on_frontier(job, workdir=workdir, timeout=timeout)
    with tempfile.TemporaryDirectory(prefix="newsetl-crawl-", dir=workdir) as tmp:
        out_dir = Path(tmp)
        job_file = out_dir / "job.json"
        job_file.write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="spiders.settings")
        completed = subprocess.run(
            [sys.executable, "-m", "spiders.runner", str(job_file), str(out_dir)],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
        if completed.returncode != 0:
            raise CrawlFailedError(f"crawler exited {completed.returncode}: {completed.stderr[-3000:]}")
        return _read_results(out_dir)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _read_results(out_dir: Path) -> CrawlResult:
    stats = json.loads((out_dir / "stats.json").read_text(encoding="utf-8"))
    # A spider that never finished never ran (e.g. it failed to start): that is the crawl failing, not an
    # empty site, and must not pass for "nothing new".
    never_ran = sorted(site for site, values in stats.items() if not values.get("finish_reason"))
    if never_ran:
        raise CrawlFailedError(f"spider(s) did not run to completion: {', '.join(never_ran)}")
    unchanged = [UnchangedPage(**row) for row in _read_jsonl(out_dir / "unchanged.jsonl")]
    return CrawlResult(
        articles=[ParsedArticle.from_dict(row) for row in _read_jsonl(out_dir / "articles.jsonl")],
        errors=[FetchError(**row) for row in _read_jsonl(out_dir / "errors.jsonl")],
        unchanged_urls=[page.url for page in unchanged],
        pages_fetched=sum(site.get("pages_fetched", 0) for site in stats.values()),
        stats={"sites": stats, "unchanged": [asdict(page) for page in unchanged]},
    )


class _project_settings_env:
    """Point Scrapy at our settings module while building settings in this process."""

    def __enter__(self) -> None:
        self._previous = os.environ.get("SCRAPY_SETTINGS_MODULE")
        os.environ["SCRAPY_SETTINGS_MODULE"] = "spiders.settings"

    def __exit__(self, *exc_info: object) -> None:
        if self._previous is None:
            os.environ.pop("SCRAPY_SETTINGS_MODULE", None)
        else:
            os.environ["SCRAPY_SETTINGS_MODULE"] = self._previous


def _crawl_in_this_process(job: CrawlJob, out_dir: Path) -> None:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(job.settings, priority="cmdline")
    if job.max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", job.max_pages, priority="cmdline")
    settings.set(
        "FEEDS",
        {
            (out_dir / filename).as_uri(): {
                "format": "jsonlines",
                "item_classes": [item_class],
                "encoding": "utf-8",
            }
            for filename, item_class in ITEM_FILES.items()
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings, install_root_handler=False)
    crawlers = []
    for site, base_url in job.sites.items():
        crawler = process.create_crawler(site)
        crawlers.append(crawler)
        process.crawl(crawler, base_url=base_url, page_states=job.page_states, since=job.since)
    if job.start_urls:
        crawler = process.create_crawler("generic")
        crawlers.append(crawler)
        process.crawl(crawler, start_urls=job.start_urls)
    process.start()
    stats = {}
    for crawler in crawlers:
        values = crawler.stats.get_stats()
        stats[crawler.spidercls.name] = {
            "pages_fetched": values.get("response_received_count", 0),
            "articles_parsed": values.get("newsetl/articles_parsed", 0),
            "not_modified": values.get("newsetl/not_modified", 0),
            "same_hash": values.get("newsetl/same_hash", 0),
            "fetch_errors": values.get("newsetl/fetch_errors", 0),
            "parse_errors": values.get("newsetl/parse_errors", 0),
            "robots_forbidden": values.get("robotstxt/forbidden", 0),
            "offsite_filtered": values.get("offsite/filtered", 0),
            "undated": values.get("newsetl/undated", 0),
            "retries": values.get("retry/count", 0),
            "retries_exhausted": values.get("retry/max_reached", 0),
            "retry_wait_seconds": round(values.get("newsetl/retry_wait_seconds", 0), 3),
            "errors_by_kind": {
                key.rsplit("/", 1)[1]: count for key, count in values.items() if key.startswith("newsetl/fetch_errors/")
            },
            "finish_reason": values.get("finish_reason"),
        }
    (out_dir / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, default=str), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    job_path, out_dir = (argv or sys.argv[1:])[:2]
    job = CrawlJob(**json.loads(Path(job_path).read_text(encoding="utf-8")))
    _crawl_in_this_process(job, Path(out_dir))


if __name__ == "__main__":
    main()
