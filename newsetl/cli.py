"""The `newsetl` command line: each command parses its flags and makes one call into `newsetl.api`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsetl import api


def _print_summary(summary: dict[str, Any]) -> None:
    print(f"run {summary['run_id']}: {summary['status']}")
    print(
        f"  pages fetched {summary['pages_fetched']}, articles new {summary['articles_new']}, "
        f"updated {summary['articles_updated']}, unchanged {summary['articles_unchanged']}, "
        f"mentions {summary['mentions']}, errors {summary['errors']}"
    )
    for site, stats in sorted(summary.get("sites", {}).items()):
        print(
            f"  {site:<10} pages {stats.get('pages_fetched', 0):>4}  parsed {stats.get('articles_parsed', 0):>4}  "
            f"not modified {stats.get('not_modified', 0) + stats.get('same_hash', 0):>4}  "
            f"errors {stats.get('fetch_errors', 0) + stats.get('parse_errors', 0):>3}"
        )
    for warning in summary.get("warnings", []):
        print(f"  warning: {warning}")
    if summary.get("failure"):
        print(f"  failed: {summary['failure']}")
    print(f"  warehouse {summary['db_path']}")


# `newsetl run` exits 1 when the run ran to its end but failed too many pages (its summary says so).
EXIT_RUN_FAILED = 1


def cmd_run(args: argparse.Namespace) -> int:
    from newsetl.interrupt import EXIT_INTERRUPTED, stop_on_signals
    from newsetl.progress import display_wanted, prefect_console_env, progress_display

    quiet = args.quiet or args.json
    display = display_wanted(quiet)
    prefect_console_env(display=display, quiet=quiet)
    with stop_on_signals() as interruption:
        try:
            with progress_display(display):
                summary = api.run(
                    db=args.db,
                    sites=args.site,
                    start_urls=args.start_url or (),
                    max_pages=args.max_pages,
                    since=args.since,
                    config_path=args.config,
                    lock_wait_seconds=args.wait,
                    max_error_share=args.max_error_share,
                )
        except BaseException:
            if not interruption.signalled.is_set():
                raise
            # Whatever surfaced (KeyboardInterrupt, or Prefect failing to reach the server Ctrl-C stopped).
            interruption.say()
            return EXIT_INTERRUPTED
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        _print_summary(summary)
    return EXIT_RUN_FAILED if summary.get("failure") else 0


def cmd_serve(args: argparse.Namespace) -> int:
    api.serve(config_path=args.config, cron=args.cron, name=args.name, db=args.db)
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    deployment_id = api.deploy(work_pool=args.pool, config_path=args.config, cron=args.cron, name=args.name, db=args.db)
    print(f"deployment {deployment_id} on work pool {args.pool}: start `prefect worker start --pool {args.pool}`")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    result = api.demo(db=args.db)
    _print_summary(result.summary)
    for title, query, table in result.queries:
        print(f"\n-- {title}\n{query}\n")
        print(api.format_table(table))
    return 0


def cmd_mirror(args: argparse.Namespace) -> int:
    import signal
    import threading

    # Ctrl-C and SIGTERM stop it, with handlers of its own: a shell script that starts it in the background
    # hands it SIGINT ignored, and Python then never turns SIGINT into KeyboardInterrupt.
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    with api.mirror(outlets=args.outlet) as server:
        for outlet, url in server.base_urls.items():
            print(f"{outlet:<13} {url}", flush=True)
        if args.write_config:
            Path(args.write_config).write_text(api.mirror_config(server.base_urls), encoding="utf-8")
            print(f"config {args.write_config}: `newsetl run --config {args.write_config}` crawls the mirror")
        print("serving on 127.0.0.1 until Ctrl-C", file=sys.stderr, flush=True)
        while not stop.wait(1.0):  # a timed wait, so the handler runs promptly on every platform
            pass
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    failed = 0
    for page in api.extract(args.targets, site=args.site):
        print(json.dumps(page, ensure_ascii=False), flush=True)
        failed += "error" in page
    # Every input got its line; the exit status says whether any of them failed.
    return 1 if failed else 0


def cmd_entities(args: argparse.Namespace) -> int:
    api.check_published_at(args.published_at)
    raw = Path(args.file).read_bytes() if args.file else sys.stdin.buffer.read()
    lines = api.text_lines(raw)
    bad = [line for line in lines if isinstance(line, api.BadLine)]
    for line in bad:
        print(f"newsetl: line {line.number}: {line.reason}; skipped", file=sys.stderr)
    good = [line for line in lines if isinstance(line, str)]
    outputs = api.entities(good, published_at=args.published_at, model_path=args.model, document=args.document)
    if args.document:
        for out in outputs:
            sys.stdout.write(out + "\n")
    else:
        # One output line per input line, in order: an unreadable line gets its error object in its place.
        results = iter(outputs)
        for line in lines:
            sys.stdout.write((line.to_json() if isinstance(line, api.BadLine) else next(results)) + "\n")
    return 1 if bad else 0


def cmd_events(args: argparse.Namespace) -> int:
    api.check_published_at(args.published_at)
    raw = Path(args.file).read_bytes() if args.file else sys.stdin.buffer.read()
    lines = api.text_lines(raw)
    good = [line for line in lines if isinstance(line, str)]
    results = iter(api.events(good, published_at=args.published_at))
    bad = 0
    # One output line per input line, in order: an unreadable line gets its error object in its place.
    for line in lines:
        if isinstance(line, api.BadLine):
            bad += 1
            print(f"newsetl: line {line.number}: {line.reason}; skipped", file=sys.stderr)
            sys.stdout.write(line.to_json() + "\n")
        else:
            sys.stdout.write(next(results) + "\n")
    return 1 if bad else 0


def cmd_sql(args: argparse.Namespace) -> int:
    if (args.query is None) == (args.file is None):
        raise ValueError("give a query or -f FILE (one of the two)")
    query = args.query if args.file is None else Path(args.file).read_text(encoding="utf-8")
    print(api.format_table(api.sql(query, db=args.db), args.format))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    table = api.search(
        args.query,
        db=args.db,
        since=args.since,
        until=args.until,
        sources=args.source or (),
        entity=args.entity,
        limit=args.limit,
        match_any=args.any,
    )
    print(api.format_table(table, args.format, max_cell_width=api.SEARCH_CELL_MAX_WIDTH))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    written = api.report(db=args.db, out=args.out, since=args.since)
    print(f"report {written.path} ({written.charts} charts, {written.bytes:,} bytes)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    for table in api.export(args.dir, db=args.db, fmt=args.format):
        layout = f", one folder per {table.partitioned_by}" if table.partitioned_by else ""
        print(f"{table.table:<20} {table.rows:>8} rows  {table.path}{layout}")
    return 0


def _flags() -> dict[str, argparse.ArgumentParser]:
    """Flags several commands share, each defined once (commands take them as argparse parents)."""
    shared = {name: argparse.ArgumentParser(add_help=False) for name in ("db", "config", "schedule", "since")}
    shared["db"].add_argument(
        "--db",
        help="warehouse: a DuckDB file or a ducklake: target (default: $NEWSETL_DB, the config's [warehouse], "
        "./newsetl.duckdb)",
    )
    shared["config"].add_argument("--config", help="config file (default: $NEWSETL_CONFIG or ./newsetl.toml)")
    shared["schedule"].add_argument(
        "--cron", metavar="EXPR", help='cron schedule (default: the config\'s, "0 * * * *")'
    )
    shared["schedule"].add_argument("--name", help="deployment name (default: the config's, scheduled)")
    shared["since"].add_argument("--since", metavar="YYYY-MM-DD", help="only articles published on or after this day")
    return shared


def _add_pipeline_commands(commands: Any, flags: dict[str, argparse.ArgumentParser]) -> None:
    run = commands.add_parser(
        "run",
        parents=[flags["db"], flags["config"], flags["since"]],
        help="run the whole pipeline once (one Prefect flow run)",
    )
    run.add_argument(
        "--site", action="append", metavar="KEY", help="outlet to crawl (repeatable; default: all enabled)"
    )
    run.add_argument("--start-url", action="append", metavar="URL", help="article page of an unknown site (repeatable)")
    run.add_argument("--max-pages", type=int, help="stop each site's crawl after N pages")
    run.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for another run's lock")
    run.add_argument(
        "--max-error-share",
        type=float,
        metavar="SHARE",
        help="fail the run when more than this share of its pages failed (0-1; default: the config's, 0.5)",
    )
    run.add_argument("--quiet", "-q", action="store_true", help="print only the summary: no progress, no Prefect logs")
    run.add_argument("--json", action="store_true", help="print only a JSON summary on stdout (implies --quiet)")
    run.set_defaults(handler=cmd_run)

    deployment = [flags["schedule"], flags["db"], flags["config"]]
    serve = commands.add_parser(
        "serve",
        parents=deployment,
        help="serve a Prefect deployment that runs the pipeline on the config's cron schedule",
    )
    serve.set_defaults(handler=cmd_serve)
    deploy = commands.add_parser(
        "deploy",
        parents=deployment,
        help="register the pipeline's deployment on a Prefect work pool, for `prefect worker` processes",
    )
    deploy.add_argument(
        "--pool", required=True, help="a process work pool (`prefect work-pool create P --type process`)"
    )
    deploy.set_defaults(handler=cmd_deploy)

    demo = commands.add_parser(
        "demo", parents=[flags["db"]], help="crawl the bundled offline mirror into DuckDB and show example SQL"
    )
    demo.set_defaults(handler=cmd_demo)

    mirror = commands.add_parser(
        "mirror", help="serve the bundled offline mirror on 127.0.0.1 (ports 18701-18708, 18713) until Ctrl-C"
    )
    mirror.add_argument("--outlet", action="append", metavar="KEY", help="serve only this outlet (repeatable)")
    mirror.add_argument(
        "--write-config", metavar="PATH", help="also write a newsetl.toml pointing every served site at the mirror"
    )
    mirror.set_defaults(handler=cmd_mirror)


def _add_text_commands(commands: Any) -> None:
    extract = commands.add_parser(
        "extract", help="print clean article JSON for pages (files or URLs), one line per input; exit 1 if any failed"
    )
    extract.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    extract.add_argument(
        "--site",
        metavar="KEY",
        help="parse with this outlet's spider instead of the generic extractor (generic when its selectors miss)",
    )
    extract.set_defaults(handler=cmd_extract)

    entities = commands.add_parser("entities", help="tag entities in text, one document per line")
    entities.add_argument("file", nargs="?", help="UTF-8 text file (default: stdin)")
    entities.add_argument("--published-at", metavar="DATE", help="anchor for relative dates (ISO date)")
    entities.add_argument("--model", help="CRF model file (default: the shipped one)")
    entities.add_argument(
        "--document", action="store_true", help="the whole input is one document: one JSON line, aliases resolved"
    )
    entities.set_defaults(handler=cmd_entities)

    events = commands.add_parser(
        "events", help="find deals and people moves in text, one document per line in, one JSON line out"
    )
    events.add_argument("file", nargs="?", help="UTF-8 text file (default: stdin)")
    events.add_argument("--published-at", metavar="DATE", help="anchor for relative dates (ISO date)")
    events.set_defaults(handler=cmd_events)


def _add_reading_commands(commands: Any, flags: dict[str, argparse.ArgumentParser]) -> None:
    sql = commands.add_parser(
        "sql", parents=[flags["db"]], help="run read-only SQL against the warehouse (the last statement's rows)"
    )
    sql.add_argument("query", nargs="?", help="SQL text; several statements separated by ';' run in order")
    sql.add_argument("-f", "--file", help="read the SQL from this file instead")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.set_defaults(handler=cmd_sql)

    search = commands.add_parser(
        "search",
        parents=[flags["db"], flags["since"]],
        help='Korean full-text search: ranked stories with snippets ("quoted phrase", all words by default)',
    )
    search.add_argument("query", help='words to find (any form: 반도체를 finds 반도체); "quoted" for a phrase')
    search.add_argument("--until", metavar="YYYY-MM-DD", help="published on or before this day (KST)")
    search.add_argument("--source", action="append", metavar="KEY", help="only this outlet (repeatable)")
    search.add_argument("--entity", metavar="NAME", help="only articles that mention this entity (its name)")
    search.add_argument("--limit", type=int, default=api.SEARCH_LIMIT, metavar="N", help="stories to show")
    search.add_argument("--any", action="store_true", help="any of the words may match (default: all of them)")
    search.add_argument("--format", choices=("table", "csv", "json"), default="table")
    search.set_defaults(handler=cmd_search)

    report = commands.add_parser(
        "report", parents=[flags["db"], flags["since"]], help="write one self-contained HTML report with charts"
    )
    report.add_argument("--out", default="report.html", help="HTML file to write (default: report.html)")
    report.set_defaults(handler=cmd_report)

    export = commands.add_parser(
        "export", parents=[flags["db"]], help="write every table as Parquet (articles, mentions by month)"
    )
    export.add_argument("dir", metavar="DIR", help="folder to write into (created if missing)")
    export.add_argument("--format", choices=("parquet",), default="parquet")
    export.set_defaults(handler=cmd_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsetl", description="Scheduled ETL for the Korean IT and startup press into DuckDB."
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    flags = _flags()
    _add_pipeline_commands(commands, flags)
    _add_text_commands(commands)
    _add_reading_commands(commands, flags)
    return parser


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked (importlib.metadata costs ~0.08 s a command)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsetl")
    except PackageNotFoundError:
        return "unknown"


# Prefect's server sends usage telemetry to Prefect's own endpoint unless told not to: a news pipeline run from
# cron on a closed network should not call out, and its failed heartbeat printed a traceback into run logs. The
# user's own setting wins.
_OFFLINE_PREFECT = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    for name, value in _OFFLINE_PREFECT.items():
        os.environ.setdefault(name, value)  # before any command imports Prefect
    try:
        code = args.handler(args)
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # noqa: BLE001 - the CLI turns every failure into one clear line
        from warehouse import WarehouseError

        if not isinstance(exc, WarehouseError | ValueError | OSError) and not _is_known(exc):
            raise
        print(f"newsetl: error: {exc}", file=sys.stderr)
        code = 2
    raise SystemExit(code)


def _is_known(exc: Exception) -> bool:
    from flows.site_limits import SiteBusyError
    from newsetl.config import ConfigError
    from spiders.jobs import CrawlFailedError

    return isinstance(exc, ConfigError | CrawlFailedError | SiteBusyError)
