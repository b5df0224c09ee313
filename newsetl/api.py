"""The library API. Every CLI command is one call to a function here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsetl.config import (  # noqa: F401 - RunParameters and run_parameters are part of the API
    DB_ENV_VAR,
    RunParameters,
    date_problem,
    load_config,
    load_config_or_none,
    run_parameters,
    warehouse_target,
)
from transforms.terms import ParsedQuery

if TYPE_CHECKING:
    from flows.deployment import DeploymentSpec
    from newsetl.report import ReportFile
    from warehouse.analytics import ExportedTable


def demo_queries() -> list[tuple[str, str]]:
    """The questions the demo answers in SQL (warehouse/sql/demo/, in file-name order): (title, query) pairs,
    the title taken from each file's first `-- ` line."""
    from importlib import resources

    folder = resources.files("warehouse").joinpath("sql", "demo")
    queries = []
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".sql"):
            title, _, query = entry.read_text(encoding="utf-8").partition("\n")
            queries.append((title.removeprefix("--").strip(), query.strip()))
    return queries


def run(**arguments: Any) -> dict[str, Any]:
    """One Prefect flow run of the whole pipeline (the manual trigger). Returns the run summary; a run whose
    error share was over the limit ends Failed in Prefect and its summary says why (`failure`).

    Takes the keyword arguments of `newsetl.config.run_parameters` (db, sites, start_urls, max_pages, since,
    config_path, base_urls, scrapy_settings, lock_wait_seconds, max_error_share), its one definition; with
    neither `sites` nor `start_urls`, every enabled site in the config is crawled.
    """
    # Arguments and config are checked before Prefect is imported: a mistake is reported at once.
    parameters = run_parameters(**arguments)
    # A run that would be refused for the writer lock is refused here, in a fraction of a second, instead of
    # after a temporary Prefect server started and with a Failed flow run left behind. (The flow takes the
    # lock itself; this only looks.)
    from warehouse import WriterLock

    with WriterLock(parameters.db_path, wait_seconds=parameters.lock_wait_seconds):
        pass
    from flows.pipeline import run_pipeline

    return run_pipeline(parameters)


# Loopback is fast and ours: no throttling start delay needed against the mirror.
MIRROR_SCRAPY_SETTINGS = {"AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 1.0}
# The demo's mirror asks for ports 18701-18707, so a second `newsetl demo` into the same warehouse finds
# the same URLs (unchanged pages, no new rows) instead of 84 new articles under new ports.
DEMO_MIRROR_FIRST_PORT = 18701


@dataclass(slots=True)
class DemoResult:
    summary: dict[str, Any]
    queries: list[tuple[str, str, QueryTable]]


@dataclass(slots=True)
class QueryTable:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def demo(*, db: str | Path | None = None, sites: Sequence[str] | None = None) -> DemoResult:
    """Serve the bundled mirror on 127.0.0.1, run the pipeline over it, answer three questions in SQL."""
    from mirror.server import MirrorServer

    with MirrorServer(first_port=DEMO_MIRROR_FIRST_PORT) as server:
        keys = [key for key in (sites or server.base_urls) if key in server.base_urls]
        summary = run(
            db=db,
            sites=keys,
            base_urls=dict(server.base_urls),
            scrapy_settings=MIRROR_SCRAPY_SETTINGS,
        )
    results = [(title, query, sql(query, db=summary["db_path"])) for title, query in demo_queries()]
    return DemoResult(summary, results)


def mirror(*, outlets: Sequence[str] | None = None) -> Any:
    """The bundled mirror (mirror/), not yet started, on its fixed loopback ports (DEMO_MIRROR_FIRST_PORT on;
    a free port for one that is taken): use it as a context manager; `base_urls` maps outlet key -> URL."""
    from mirror.server import MirrorServer

    return MirrorServer(outlets=outlets, first_port=DEMO_MIRROR_FIRST_PORT)


def mirror_config(base_urls: dict[str, str]) -> str:
    """A newsetl.toml that points each served outlet at the mirror, leaves the others out and drops the
    politeness delays (loopback is ours): `newsetl run --config` with it crawls the mirror."""
    from spiders.runner import available_sites

    lines = ["# Written by `newsetl mirror --write-config`: every site points at the loopback mirror.", ""]
    lines += ["[politeness]", "autothrottle = false", ""]
    for key in available_sites():
        served = base_urls.get(key)
        lines += [f"[sites.{key}]", f'base_url = "{served}"' if served else "enabled = false", ""]
    return "\n".join(lines)


def sql(query: str, *, db: str | Path | None = None) -> QueryTable:
    """Run a read-only SQL query (or several; the last one's rows are returned) against the warehouse.

    Anything but a read is refused with `warehouse.QueryRefusedError` before it runs."""
    from warehouse import open as open_warehouse

    # A run holds the file only for each short write: wait for it rather than fail.
    with open_warehouse(warehouse_target(db, load_config_or_none()), read_only=True, wait_seconds=30) as store:
        result = store.read_query(query)
    return QueryTable(result.columns, result.rows)


def report(*, db: str | Path | None = None, out: str | Path = "report.html", since: str | None = None) -> ReportFile:
    """Write the HTML report of the warehouse (a file or the config's DuckLake), `since` as YYYY-MM-DD."""
    from newsetl.report import write_report

    if since and (problem := date_problem(since)):
        raise ValueError(f"--since {problem}")
    start = dt.date.fromisoformat(since) if since else None
    return write_report(warehouse_target(db, load_config_or_none()), out, since=start)


def export(out_dir: str | Path, *, db: str | Path | None = None, fmt: str = "parquet") -> list[ExportedTable]:
    """Write every warehouse table (a file or the config's DuckLake) as Parquet under `out_dir`."""
    from newsetl.export import export_tables

    return export_tables(warehouse_target(db, load_config_or_none()), out_dir, fmt=fmt)


def deployment_spec(
    *,
    config_path: str | Path | None = None,
    cron: str | None = None,
    name: str | None = None,
    db: str | Path | None = None,
) -> DeploymentSpec:
    """What `serve` and `deploy` register: the config's (or --cron's) schedule and JSON parameters naming the
    config file and, when given by --db or $NEWSETL_DB, the warehouse. Each run reads the config when it starts,
    so edits apply from the next run. A file path is made absolute; a DuckLake target is kept as written."""
    from flows.deployment import DeploymentSpec

    config = load_config(config_path)
    expression = (cron or config.cron).strip()
    if len(expression.split()) not in (5, 6):
        raise ValueError(f"not a cron expression: {expression!r} (five fields: minute hour day month weekday)")
    parameters: dict[str, Any] = {}
    if config.source is not None:
        parameters["config_path"] = str(Path(config.source).resolve())
    if db or os.environ.get(DB_ENV_VAR):
        parameters["db_path"] = warehouse_target(db, absolute=True)
    return DeploymentSpec(name or config.deployment, expression, config.timezone, parameters)


def serve(
    *,
    config_path: str | Path | None = None,
    cron: str | None = None,
    name: str | None = None,
    db: str | Path | None = None,
) -> None:
    """Serve the pipeline as deployment `newsetl/<name>` on its schedule, running its flow runs until stopped."""
    spec = deployment_spec(config_path=config_path, cron=cron, name=name, db=db)
    from flows.deployment import serve as serve_deployment

    serve_deployment(spec)


def deploy(
    *,
    work_pool: str,
    config_path: str | Path | None = None,
    cron: str | None = None,
    name: str | None = None,
    db: str | Path | None = None,
) -> str:
    """Register deployment `newsetl/<name>` on a Prefect process work pool for `prefect worker` processes
    (README "Scaling out"); returns its id."""
    spec = deployment_spec(config_path=config_path, cron=cron, name=name, db=db)
    from flows.deployment import deploy as deploy_deployment

    return deploy_deployment(spec, work_pool)


# Rows `newsetl search` shows unless --limit says otherwise.
SEARCH_LIMIT = 20
# Search's table output keeps more of each title and snippet than `newsetl sql` does.
SEARCH_CELL_MAX_WIDTH = 90
SEARCH_COLUMNS = ["score", "day", "source", "title", "copies", "url", "snippet"]


def search(
    query: str,
    *,
    db: str | Path | None = None,
    since: str | None = None,
    until: str | None = None,
    sources: Sequence[str] = (),
    entity: str | None = None,
    limit: int = SEARCH_LIMIT,
    match_any: bool = False,
) -> QueryTable:
    """Stories matching a Korean query, best first (BM25 over the warehouse's term index): every word must
    match unless `match_any`; a "quoted phrase" matches adjacent morphemes; wire copies are one row.

    A user mistake (empty query, no searchable word, bad date or limit, unknown source) is a ValueError."""
    from warehouse.search import SearchFilters, source_keys
    from warehouse.search import search as ranked_search

    for name, value in (("since", since), ("until", until)):
        if value and (problem := date_problem(value)):
            raise ValueError(f"--{name} {problem}")
    if limit < 1:
        raise ValueError(f"--limit must be at least 1, not {limit}")
    parsed = parse_search_query(query)
    filters = SearchFilters(
        since=dt.date.fromisoformat(since) if since else None,
        until=dt.date.fromisoformat(until) if until else None,
        sources=list(sources),
        entity=entity or None,
        match_all=not match_any,
    )
    with _search_warehouse(db) as store:
        # Checked only when asked: listing the outlets scans every article's source column.
        known = source_keys(store) if sources else set()
        unknown = [source for source in sources if source not in known]
        if unknown:
            raise ValueError(f"--source {unknown[0]!r}: no such source in the warehouse ({', '.join(sorted(known))})")
        hits = ranked_search(store, parsed, filters, limit)
    return QueryTable(SEARCH_COLUMNS, [(h.score, h.day, h.source, h.title, h.copies, h.url, h.snippet) for h in hits])


def parse_search_query(query: str) -> ParsedQuery:
    """The query's terms and phrases by the pipeline's own Kiwi analysis (transforms.terms.ParsedQuery)."""
    from transforms.entities import get_extractor
    from transforms.terms import parse_query, query_parts

    parts = query_parts(query)
    if not parts:
        raise ValueError("empty search query: give the words to look for")
    kiwi = get_extractor().kiwi  # the entity stage's Kiwi: the index was built by the same analysis
    parsed = parse_query(parts, [kiwi.tokenize(text) for text, _ in parts])
    if not parsed.terms:
        raise ValueError(
            f"the search query {query.strip()!r} has no searchable word "
            "(nouns, verb or adjective stems, foreign words or numbers)"
        )
    return parsed


def _search_warehouse(db: str | Path | None) -> Any:
    """The warehouse opened for reading, brought up to date first if it needs it: a file from an older newsetl
    (its schema migrated: the search macros change with it), or one whose index was never built or was
    interrupted (opened for writing once, with progress on stderr)."""
    from warehouse import open as open_warehouse
    from warehouse.search import build_pending, pending_count

    target = warehouse_target(db, load_config_or_none())
    with open_warehouse(target, read_only=True, wait_seconds=30) as store:
        ready = store.is_up_to_date() and not pending_count(store.con)
    if not ready:
        with open_warehouse(target, wait_seconds=30) as store:
            build_pending(store)
    return open_warehouse(target, read_only=True, wait_seconds=30)


# Table output cuts longer cells (article bodies) to this many terminal columns; CSV and JSON keep them whole.
TABLE_CELL_MAX_WIDTH = 60


def format_table(table: QueryTable, fmt: str = "table", max_cell_width: int = TABLE_CELL_MAX_WIDTH) -> str:
    """Render a query result as an aligned text table (wide cells cut with "…"), CSV or JSON lines."""
    if fmt == "json":
        return "\n".join(
            json.dumps(dict(zip(table.columns, row, strict=True)), ensure_ascii=False, default=str)
            for row in table.rows
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        return buffer.getvalue().rstrip("\n")
    cells = [[str(c) for c in table.columns]] + [
        [_cut("" if v is None else " ".join(str(v).split()), max_cell_width) for v in row] for row in table.rows
    ]
    widths = [max(_display_width(row[i]) for row in cells) for i in range(len(table.columns))]
    lines = []
    for number, row in enumerate(cells):
        lines.append(
            "  ".join(
                value + " " * (width - _display_width(value)) for value, width in zip(row, widths, strict=True)
            ).rstrip()
        )
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(lines)


def _cut(text: str, max_width: int) -> str:
    """`text` within `max_width` terminal columns, ending in "…" when it was longer."""
    if _display_width(text) <= max_width:
        return text
    kept, width = [], 0
    for char in text:
        width += _display_width(char)
        if width > max_width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _display_width(text: str) -> int:
    # Hangul and other East Asian wide characters take two terminal columns.
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def extract(targets: Iterable[str], *, site: str | None = None) -> Iterator[dict[str, Any]]:
    """Extract and clean article pages (local files or URLs): one dict per target, in order.

    A target that cannot be read or parsed gives `{"input": target, "error": "..."}` in its place;
    the others are still extracted. With `site`, the outlet's spider parses the page (falling back
    to the generic extractor when its selectors miss the body); an unknown key raises ValueError
    before any page is read.
    """
    if site is not None:
        from spiders.runner import available_sites

        if site not in available_sites():
            raise ValueError(f"unknown site {site!r}; known: {', '.join(available_sites())}")
    return _extract_each(targets, site)


def _extract_each(targets: Iterable[str], site: str | None) -> Iterator[dict[str, Any]]:
    for target in targets:
        try:
            page = _extract_one(target, site)
        except Exception as exc:  # noqa: BLE001 - one bad page never hides the others
            yield {"input": target, "error": _describe_failure(exc)}
            continue
        yield {"input": target, **page}


def _describe_failure(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def _refuse_binary(raw: bytes) -> None:
    from transforms.charset import binary_kind

    kind = binary_kind(raw)
    if kind:
        raise ValueError(f"not an HTML page: {kind}")


def _extract_one(target: str, site: str | None) -> dict[str, Any]:
    from transforms.charset import decode_html
    from transforms.clean import clean_article
    from transforms.extract import extract_generic

    if target.startswith(("http://", "https://")):
        import urllib.request

        request = urllib.request.Request(target, headers={"User-Agent": load_config().user_agent})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - user-given URL
            raw, content_type = response.read(), response.headers.get("Content-Type")
        _refuse_binary(raw)
        html = decode_html(raw, content_type)
        url = target
    else:
        path = Path(target)
        raw = path.read_bytes()
        _refuse_binary(raw)
        html = decode_html(raw)
        # A saved page is the article at its own address (images resolve against it), if it says so.
        url = _declared_url(html) or path.resolve().as_uri()
    parsed = _parse_with_site(site, html, url) if site else extract_generic(html, url)
    article = clean_article(parsed)
    if not article.title and not article.body:
        raise ValueError("no article found on the page")
    return {
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "subtitle": article.subtitle,
        "published_at": article.published_at,
        "authors": article.authors,
        "body": article.body,
        "images": [{"src": i.src, "caption": i.caption, "credit": i.credit} for i in article.images],
        "extractor": article.extractor,
    }


def _declared_url(html: str) -> str | None:
    from lxml import etree
    from lxml import html as lxml_html

    from transforms.metadata import canonical_url

    try:
        return canonical_url(lxml_html.document_fromstring(html))
    except (etree.ParserError, ValueError):
        return None


def _parse_with_site(site: str, html: str, url: str) -> Any:
    from parsel import Selector

    from spiders.runner import spider_class

    return spider_class(site)().parse_fields(Selector(text=html), url)


@dataclass(frozen=True, slots=True)
class BadLine:
    """An input line that could not be read as text: its 1-based number and why."""

    number: int
    reason: str

    def to_json(self) -> str:
        return json.dumps({"line": self.number, "error": self.reason}, ensure_ascii=False)


def text_lines(raw: bytes) -> list[str | BadLine]:
    """Input bytes as lines: split on LF only (a lone CR stays inside its line), a CRLF ending trimmed, each line
    decoded alone so that one bad byte costs only its own line (a BadLine naming it) and never the others."""
    lines: list[str | BadLine] = []
    chunks = raw.split(b"\n")
    if chunks and chunks[-1] == b"":
        chunks.pop()  # the newline that ends the last line opens no new one
    for number, chunk in enumerate(chunks, start=1):
        chunk = chunk.removesuffix(b"\r")
        try:
            lines.append(chunk.decode("utf-8"))
        except UnicodeDecodeError as exc:
            lines.append(
                BadLine(number, f"not UTF-8: byte 0x{chunk[exc.start]:02x} at byte {exc.start + 1} of the line")
            )
    return lines


def check_published_at(published_at: str | None) -> None:
    """The anchor for relative dates must be an ISO date or date-time: a mistake is refused before any tagging."""
    if not published_at:
        return
    try:
        dt.datetime.fromisoformat(published_at)
    except ValueError:
        raise ValueError(
            f"--published-at must be an ISO date or date-time (2026-12-01), not {published_at!r}"
        ) from None


def entities(
    lines: Iterable[str],
    *,
    published_at: str | None = None,
    model_path: str | Path | None = None,
    document: bool = False,
) -> Iterator[str]:
    """One JSON line of entities per input line, or one for the whole input with `document`."""
    from transforms.entities import entities_jsonl

    check_published_at(published_at)
    return entities_jsonl(lines, published_at, Path(model_path) if model_path else None, document=document)


def events(lines: Iterable[str], *, published_at: str | None = None) -> Iterator[str]:
    """One JSON line of deals and appointments per input line (entities tagged first, as the pipeline does)."""
    from transforms.events import events_jsonl

    check_published_at(published_at)
    return events_jsonl(lines, published_at)
