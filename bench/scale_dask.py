"""Entity-stage throughput on a Dask LocalCluster of 1 vs 2 workers (prefect-dask), beside the flow's process.

    python bench/scale_dask.py [--n 1200] [--batch-size 100] [--workers 1 2] [--json FILE]

Builds N synthetic articles (`bench/synth.py`, deterministic) as CleanArticles, then for each worker count
runs one Prefect flow whose DaskTaskRunner starts a LocalCluster of that many single-threaded worker
processes and submits the pipeline's `extract-entities` task once per batch (its result cache off, so every
configuration does the work). Each worker loads Kiwi once (warm-up, timed apart) before the clock starts.
"in-process" is the same batches tagged one after another in this process: the default runner.
Prints articles/s and chars/s with wall and CPU time; the machine may be shared, so the CPU figures say
how much of the wall time was really available.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

import devenv  # noqa: F401 - Prefect offline, state in the project
from prefect import flow  # noqa: E402
from synth import per_outlet_counts, synthetic_outlet_articles  # noqa: E402

from flows.pipeline import extract_entities  # noqa: E402
from flows.runners import task_runner_for  # noqa: E402
from transforms.records import CleanArticle  # noqa: E402

# The pipeline's task without its 7-day result cache: a second configuration must not read the first's.
UNCACHED_EXTRACT = extract_entities.with_options(persist_result=False, refresh_cache=True)


def synthetic_articles(total: int) -> list[CleanArticle]:
    articles = []
    for outlet, count in per_outlet_counts(total).items():
        for row in synthetic_outlet_articles(outlet, count, seed=7):
            body = "\n\n".join(block["text"] for block in row["blocks"] if block["type"] in ("p", "h"))
            articles.append(
                CleanArticle(
                    article_id=f"{outlet}:{row['id']}",
                    url=f"http://127.0.0.1/{outlet}/{row['id']}",
                    source=outlet,
                    title=row["title"],
                    body=body,
                    published_at=row["published"],
                )
            )
    return articles


def own_cpu_seconds() -> float:
    """CPU time of the calling process (run on each Dask worker to see what it really got)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Dask workers count once their cluster closes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def make_batches(total: int, batch_size: int) -> list[list[CleanArticle]]:
    articles = synthetic_articles(total)
    return [articles[start : start + batch_size] for start in range(0, len(articles), batch_size)]


# Flow parameters are stored by the Prefect server (at most 512 KB): the flow builds its own batches.
@flow(name="bench-scale-dask")
def tag_on_dask(total: int, batch_size: int, workers: int) -> dict[str, float]:
    batches = make_batches(total, batch_size)
    runner = task_runner_for("dask", dask_workers=workers)
    assert runner is not None
    started = time.perf_counter()
    with runner:
        # One small batch per worker first: each worker process loads its Kiwi model before timing starts.
        for future in [runner.submit(UNCACHED_EXTRACT, {"articles": batches[0][:1]}) for _ in range(workers * 2)]:
            future.result()
        cpu_before = sum(runner.client.run(own_cpu_seconds).values())
        warm = time.perf_counter()
        futures = [runner.submit(UNCACHED_EXTRACT, {"articles": batch}) for batch in batches]
        mentions = sum(len(doc) for future in futures for doc in future.result())
        done = time.perf_counter()
        worker_cpu = sum(runner.client.run(own_cpu_seconds).values()) - cpu_before
    return {"startup_s": warm - started, "tag_s": done - warm, "mentions": mentions, "tag_cpu_s": worker_cpu}


def tag_in_process(batches: list[list[CleanArticle]]) -> dict[str, float]:
    from transforms.entities import get_extractor

    started = time.perf_counter()
    extractor = get_extractor()
    extractor.extract_many([batches[0][0].body], [batches[0][0].published_at])
    warm = time.perf_counter()
    mentions = 0
    cpu_before = own_cpu_seconds()
    for batch in batches:
        mentions += sum(
            len(doc) for doc in extractor.extract_many([a.body for a in batch], [a.published_at for a in batch])
        )
    tag_s = time.perf_counter() - warm
    return {
        "startup_s": warm - started,
        "tag_s": tag_s,
        "mentions": mentions,
        "tag_cpu_s": own_cpu_seconds() - cpu_before,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1200, help="articles (default 1200)")
    parser.add_argument("--batch-size", type=int, default=100, help="articles per task (default 100)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Dask worker counts (default 1 2)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    batches = make_batches(args.n, args.batch_size)
    articles = [article for batch in batches for article in batch]
    chars = sum(len(a.body) for a in articles)
    print(
        f"{len(articles)} articles, {chars:,} chars, {len(batches)} batches of {args.batch_size}; {os.cpu_count()} CPUs"
    )

    from prefect.testing.utilities import prefect_test_harness

    results: list[dict[str, Any]] = []
    with prefect_test_harness(server_startup_timeout=90):
        configs: list[tuple[str, int]] = [("in-process", 0)] + [("dask", workers) for workers in args.workers]
        for kind, workers in configs:
            cpu_before = cpu_seconds()
            figures = tag_in_process(batches) if kind == "in-process" else tag_on_dask(args.n, args.batch_size, workers)
            figures |= {
                "runner": kind if kind == "in-process" else f"dask x{workers}",
                "articles_per_s": len(articles) / figures["tag_s"],
                "chars_per_s": chars / figures["tag_s"],
                "cpu_s_total": cpu_seconds() - cpu_before,
                # Share of the cores it asked for that it really got while tagging (others share the machine).
                "cpu_share": figures["tag_cpu_s"] / (figures["tag_s"] * max(1, workers)),
                "articles_per_cpu_s": len(articles) / figures["tag_cpu_s"],
            }
            results.append(figures)
            print(
                f"{figures['runner']:>11}: {figures['articles_per_s']:7.1f} articles/s  "
                f"{figures['chars_per_s'] / 1000:7.1f} k chars/s  tag {figures['tag_s']:6.1f} s  "
                f"start+warm-up {figures['startup_s']:5.1f} s  tagging cpu {figures['tag_cpu_s']:6.1f} s "
                f"({figures['cpu_share']:.0%} of the cores asked for)  "
                f"mentions {figures['mentions']}",
                flush=True,
            )
    base = next((r for r in results if r["runner"] == "dask x1"), None)
    if base:
        for row in results:
            if row["runner"].startswith("dask"):
                print(
                    f"{row['runner']}: {row['articles_per_s'] / base['articles_per_s']:.2f}x dask x1 wall-time "
                    f"throughput; {row['articles_per_cpu_s'] / base['articles_per_cpu_s']:.2f}x per CPU-second"
                )
    if args.json:
        args.json.write_text(json.dumps({"n": len(articles), "chars": chars, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
