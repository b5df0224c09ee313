"""Run crawls in child processes and read back what they find while they run.

Twisted's reactor starts once per process, so every crawl gets a fresh `python -m spiders.runner JOB`
child. Items come back as JSON lines through Scrapy's feed exports: one file per spider and item type,
articles cut into numbered batch files, so the flow cleans, tags and loads the first batches while the
crawler is still fetching the rest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from spiders.jobs import CrawlFailedError, CrawlJob, CrawlTimedOutError
from transforms.records import CrawlResult, FetchError, PageState, ParsedArticle

# Feed files per spider (`%(name)s`): two spiders in one process never append to one file.
ARTICLE_FEED = "articles-%(name)s-%(batch_id)05d.jsonl"
ITEM_FEEDS = {
    ARTICLE_FEED: "transforms.records.ParsedArticle",
    "errors-%(name)s.jsonl": "transforms.records.FetchError",
    "unchanged-%(name)s.jsonl": "transforms.records.PageState",
}
POLL_SECONDS = 0.2
# Articles per feed file: small, so the first batch reaches cleaning and tagging soon after the crawl starts.
FEED_FILE_ARTICLES = 25


def _spider_loader() -> Any:
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    with _project_settings_env():
        return SpiderLoader.from_settings(get_project_settings())


def available_sites() -> list[str]:
    """Outlet keys of every spider in `spiders.outlets`: one module per outlet, named by its key (a test holds
    the two equal), so config checks and `newsetl sql` need not import Scrapy (~1 s) to know them."""
    import pkgutil

    import spiders.outlets

    return sorted(module.name for module in pkgutil.iter_modules(spiders.outlets.__path__))


def spider_class(name: str) -> Any:
    """The spider class registered under `name` (an outlet key or "generic")."""
    return _spider_loader().load(name)


def run_crawl(job: CrawlJob, workdir: Path | None = None, timeout: float | None = None) -> CrawlResult:
    """Crawl in child processes, wait for the end, return parsed articles, failures and unchanged pages."""
    with CrawlProcesses(job, workdir=workdir, timeout=timeout) as crawling:
        articles = [article for batch in crawling.batches() for article in batch]
        result = crawling.finish()
    result.articles = articles
    return result


class CrawlProcesses:
    """Crawler child processes whose articles can be read batch by batch while they run.

    One child by default; with `job.frontier` set, `job.crawler_processes` children share one Redis
    request queue and duplicate filter (spiders/frontier.py), keyed by the run so runs never mix.
    """

    def __init__(self, job: CrawlJob, *, workdir: Path | None = None, timeout: float | None = None) -> None:
        self.job = job
        self.workdir = workdir
        self.timeout = timeout
        self._children: list[tuple[subprocess.Popen[bytes], Path]] = []
        self._read: set[Path] = set()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._frontier_cleanup: Any = None
        self._deadline: float | None = None
        self._timed_out = False
        # Articles read from the feed files so far: whatever the caller has not handed on yet is in memory.
        self.articles_read = 0

    def __enter__(self) -> CrawlProcesses:
        self._tmp = tempfile.TemporaryDirectory(prefix="newsetl-crawl-", dir=self.workdir)
        child_jobs = [self.job]
        if self.job.frontier:
            from spiders.frontier import open_frontier

            child_jobs, self._frontier_cleanup = open_frontier(self.job)
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="spiders.settings")
        try:
            for number, child_job in enumerate(child_jobs):
                out_dir = Path(self._tmp.name) / f"process-{number}"
                out_dir.mkdir()
                job_file = out_dir / "job.json"
                job_file.write_text(json.dumps(asdict(child_job), ensure_ascii=False), encoding="utf-8")
                with (out_dir / "stderr.log").open("wb") as stderr:
                    child = subprocess.Popen(
                        [sys.executable, "-m", "spiders.runner", str(job_file), str(out_dir)],
                        stdout=subprocess.DEVNULL,
                        stderr=stderr,
                        env=env,
                        preexec_fn=_die_with_parent,
                    )
                self._children.append((child, out_dir))
        except BaseException:
            self.__exit__()
            raise
        self._deadline = None if self.timeout is None else time.monotonic() + self.timeout
        return self

    def __exit__(self, *exc_info: object) -> None:
        for child, _ in self._children:
            if child.poll() is None:
                child.kill()
                child.wait()
        if self._frontier_cleanup is not None:
            self._frontier_cleanup()
            self._frontier_cleanup = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def running(self) -> bool:
        return any(child.poll() is None for child, _ in self._children)

    def progress(self) -> dict[str, dict[str, int | None]]:
        """Per spider, the running counts its crawler last wrote (pages, articles, errors, budget), summed
        over crawler processes; a spider that has not written yet is absent."""
        totals: dict[str, dict[str, int | None]] = {}
        for _, out_dir in self._children:
            for path in out_dir.glob("progress-*.json"):
                try:
                    counts = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue  # replaced between the listing and the read: the next poll has it
                site = totals.setdefault(path.stem.removeprefix("progress-"), {"pages": 0, "articles": 0, "errors": 0})
                for key in ("pages", "articles", "errors"):
                    site[key] = (site[key] or 0) + counts.get(key, 0)
                site["budget"] = counts.get("budget")
        return totals

    def ready_batches(self, max_articles: int = 0) -> list[list[ParsedArticle]]:
        """Article batches completed since the last call, oldest feed files first: a batch file is complete when
        it holds FEED_FILE_ARTICLES whole lines or its crawler has exited. With `max_articles`, reading stops
        once the batches hold that many articles: the other complete files stay on disk for a later call."""
        complete = []
        for child, out_dir in self._children:
            exited = child.poll() is not None  # checked before listing, so no file can grow after
            complete += [(path, exited) for path in out_dir.glob("articles-*.jsonl") if path not in self._read]
        # By batch number, then name: every spider's and crawler's files take their turn.
        complete.sort(key=lambda entry: (entry[0].stem.rsplit("-", 1)[-1], entry[0].name))
        ready: list[list[ParsedArticle]] = []
        articles = 0
        for path, exited in complete:
            if max_articles and articles >= max_articles:
                break
            # Whole lines only: a running crawler may be mid-write, even mid-character (a buffer flush splits a
            # Hangul syllable's UTF-8 bytes), and one stopped at the deadline may have been; so cut before decoding.
            data = path.read_bytes()
            lines = data[: data.rfind(b"\n") + 1].decode("utf-8").splitlines()
            if exited or len(lines) >= FEED_FILE_ARTICLES:
                self._read.add(path)
                ready.append([ParsedArticle.from_dict(json.loads(line)) for line in lines if line.strip()])
                articles += len(ready[-1])
        self.articles_read += articles
        return ready

    def batches(self, max_articles: int = 0, *, idle: bool = False) -> Iterator[list[ParsedArticle]]:
        """Articles as soon as their feed files are complete, until the crawlers have exited.

        Each batch is what is ready, up to `max_articles` (0: all of it), read only when the caller asks for the
        next batch: early in a crawl that means small batches, so the next stage starts while the crawl runs;
        when the consumer falls behind, complete files wait on disk and go out together as full batches, so
        per-batch overhead stays low and the backlog is not held in memory.

        With `idle=True` each poll ends with an empty list instead of a sleep: the caller does other work
        meanwhile (or waits up to POLL_SECONDS on something of its own) before asking again.

        Past the deadline the crawlers are stopped; what they had written still goes out, then
        CrawlTimedOutError is raised."""
        pending: list[ParsedArticle] = []  # read from a file that did not fit in the last batch
        while True:
            self.check_deadline()
            still_running = self.running()  # before reading: files of exited crawlers are read whole
            if not max_articles or len(pending) < max_articles:
                room = max_articles - len(pending) if max_articles else 0
                pending += [article for batch in self.ready_batches(room) for article in batch]
            if max_articles and len(pending) >= max_articles:
                yield pending[:max_articles]
                pending = pending[max_articles:]
                continue  # more files may be complete: read them before waiting
            if pending:
                yield pending
                pending = []
            if not still_running:
                if self._timed_out:
                    raise CrawlTimedOutError(f"crawl did not finish within {self.timeout} s")
                return
            if idle:
                yield []
            else:
                time.sleep(POLL_SECONDS)

    def check_deadline(self) -> None:
        """Past the deadline, stop the crawlers; `batches` then hands over what they wrote and raises
        CrawlTimedOutError. For a caller that waits between batches (e.g. on its consumer) to call while
        it waits, so the crawlers stop on time."""
        if self._deadline is None or self._timed_out or time.monotonic() <= self._deadline:
            return
        if not self.running():
            return  # the crawl ended in time; only its hand-over is still going on
        self._timed_out = True
        for child, _ in self._children:
            if child.poll() is None:
                child.kill()
                child.wait()

    def finish(self) -> CrawlResult:
        """Wait for the crawlers; return their failures, unchanged pages and stats (articles come
        from `batches`). A crawler that failed as a whole raises CrawlFailedError."""
        results = []
        for child, out_dir in self._children:
            remaining = None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
            try:
                child.wait(remaining)
            except subprocess.TimeoutExpired as exc:
                raise CrawlTimedOutError(f"crawl did not finish within {self.timeout} s") from exc
            if child.returncode != 0:
                stderr = (out_dir / "stderr.log").read_text(encoding="utf-8", errors="replace")
                raise CrawlFailedError(f"crawler exited {child.returncode}: {stderr[-3000:]}")
            results.append(_read_results(out_dir, articles=False))
        if len(results) == 1:
            return results[0]
        from spiders.frontier import merge_results

        return merge_results(results)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _die_with_parent() -> None:
    """In the crawler child: get SIGTERM when the flow process dies, even by SIGKILL, so an orphaned
    crawler never keeps fetching (Linux prctl PR_SET_PDEATHSIG; elsewhere a no-op)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _read_feed(out_dir: Path, pattern: str) -> list[dict[str, Any]]:
    return [row for path in sorted(out_dir.glob(pattern)) for row in _read_jsonl(path)]


def _read_results(out_dir: Path, articles: bool = True) -> CrawlResult:
    stats = json.loads((out_dir / "stats.json").read_text(encoding="utf-8"))
    # A spider that never finished never ran (e.g. it failed to start): that is the crawl failing, not an
    # empty site, and must not pass for "nothing new".
    never_ran = sorted(site for site, values in stats.items() if not values.get("finish_reason"))
    if never_ran:
        raise CrawlFailedError(f"spider(s) did not run to completion: {', '.join(never_ran)}")
    return CrawlResult(
        articles=[ParsedArticle.from_dict(row) for row in _read_feed(out_dir, "articles-*.jsonl")] if articles else [],
        errors=[FetchError(**row) for row in _read_feed(out_dir, "errors-*.jsonl")],
        unchanged=[PageState.from_dict(row) for row in _read_feed(out_dir, "unchanged-*.jsonl")],
        pages_fetched=sum(site.get("pages_fetched", 0) for site in stats.values()),
        stats={"sites": stats},
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
        # A hard cap per site (PageBudgetMiddleware). Not CLOSESPIDER_PAGECOUNT: it counts robots.txt and lets
        # the requests in flight go out.
        settings.set("NEWSETL_PAGE_BUDGET", job.max_pages, priority="cmdline")
    settings.set("NEWSETL_PROGRESS_DIR", str(out_dir), priority="cmdline")
    settings.set(
        "FEEDS",
        {
            # Plain paths, not file:// URIs: URI escaping would turn the %(name)s placeholders into %25.
            str(out_dir / filename): {
                "format": "jsonlines",
                "item_classes": [item_class],
                "encoding": "utf-8",
                "batch_item_count": FEED_FILE_ARTICLES if filename == ARTICLE_FEED else 0,
            }
            for filename, item_class in ITEM_FEEDS.items()
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
        process.crawl(crawler, start_urls=job.start_urls, since=job.since)
    process.start()
    stats = {crawler.spidercls.name: _crawl_stats(crawler.stats.get_stats()) for crawler in crawlers}
    (out_dir / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, default=str), encoding="utf-8")


def _crawl_stats(values: dict[str, Any]) -> dict[str, Any]:
    """The counts a crawler's Scrapy stats give the run summary."""
    return {
        "pages_fetched": values.get("response_received_count", 0),
        "articles_parsed": values.get("newsetl/articles_parsed", 0),
        "not_modified": values.get("newsetl/not_modified", 0),
        "same_hash": values.get("newsetl/same_hash", 0),
        "fetch_errors": values.get("newsetl/fetch_errors", 0),
        "parse_errors": values.get("newsetl/parse_errors", 0),
        "robots_forbidden": values.get("robotstxt/forbidden", 0),
        "over_budget": values.get("newsetl/over_budget", 0),
        "list_dead_ends": values.get("newsetl/list_dead_ends", 0),
        "list_depth_limited": values.get("newsetl/list_depth_limited", 0),
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


def main(argv: list[str] | None = None) -> None:
    job_path, out_dir = (argv or sys.argv[1:])[:2]
    job = CrawlJob.from_dict(json.loads(Path(job_path).read_text(encoding="utf-8")))
    _crawl_in_this_process(job, Path(out_dir))


if __name__ == "__main__":
    main()
