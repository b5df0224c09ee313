"""The DuckDB warehouse: the only module that talks to duckdb.

Rows arrive as typed records, go in through Arrow (executemany is ~30x slower), and every load batch
is one transaction: a run killed mid-batch leaves the file as it was before that batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from newsetl.config import is_lake_target
from transforms.records import CleanArticle, FetchError, Mention, PageState
from transforms.terms import ArticleTerms

if TYPE_CHECKING:
    import pyarrow as pa

    from transforms.events.model import ArticleEvents

logger = logging.getLogger("newsetl.warehouse")

TIMEZONE = "Asia/Seoul"  # Korean outlets publish in KST; day buckets in views follow it


class WarehouseError(RuntimeError):
    """A warehouse file that cannot be used, with the path and the reason in the message."""


class WarehouseLockedError(WarehouseError):
    pass


class WarehouseFullError(WarehouseError):
    """The disk under the warehouse filled up during a write; that write was rolled back."""


class QueryRefusedError(WarehouseError):
    """A user query that is not valid SQL, fails, or would change or leave the warehouse."""


# What `newsetl sql` runs: reads of the warehouse. SELECT covers DESCRIBE, SHOW, SUMMARIZE and PRAGMA reads.
READ_STATEMENT_TYPES = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


@dataclass(slots=True)
class LoadCounts:
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    mentions: int = 0
    entities_new: int = 0
    images: int = 0
    new_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)

    def add(self, other: LoadCounts) -> None:
        for name in (
            "articles_new",
            "articles_updated",
            "articles_unchanged",
            "mentions",
            "entities_new",
            "images",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.new_ids.extend(other.new_ids)
        self.updated_ids.extend(other.updated_ids)


@cache  # read once per process: the files ship with the package and never change while it runs
def _sql(name: str) -> str:
    """A statement from warehouse/sql/: every hand-written statement lives there, one file each."""
    return resources.files("warehouse").joinpath("sql", *name.split("/")).read_text(encoding="utf-8").strip()


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("warehouse").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _statements(script: str) -> list[str]:
    """Split a .sql file on semicolons at line ends; our SQL files keep one statement per such block."""
    body = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    return [part.strip() for part in re.split(r";\s*(?:\n|$)", body) if part.strip()]


# The entity_id of a mention that names no entity: a surname + title reference (윤 대표) that nothing in
# its article resolved. No entities row has it, so the entity views (inner joins) leave it out.
UNRESOLVED_ENTITY_ID = "unresolved"


def entity_id(entity_type: str, key: str) -> str:
    return hashlib.sha1(f"{entity_type}|{key}".encode()).hexdigest()[:16]


def entity_key(mention: Mention) -> str:
    """Values (money, dates) are one entity per value; names are one entity per resolved name."""
    if mention.type in ("MONEY", "DATE") and mention.normalized:
        return mention.normalized
    return mention.canonical or mention.surface


def body_hash(article: CleanArticle) -> str:
    stored = [
        article.title,
        article.subtitle,
        article.body,
        article.published_at,
        article.modified_at,
        article.authors,
        [(image.src, image.caption, image.credit) for image in article.images],
    ]
    return hashlib.sha1(json.dumps(stored, ensure_ascii=False).encode()).hexdigest()


class Warehouse:
    """A DuckDB file with the newsetl schema. Open it with `Warehouse.open(path)` or as a context manager;
    `warehouse.open(target)` picks this or a DuckLake by the target."""

    # One writer at a time (warehouse.lock.WriterLock): whoever holds the lock knows every other run is dead.
    exclusive_writer = True

    def __init__(self, path: str | Path, *, read_only: bool = False, wait_seconds: float = 0.0) -> None:
        self.path = Path(path)
        self.read_only = read_only
        # How long a writer waits for another process (a reader: `duckdb -readonly`, a notebook) to let go.
        self.wait_seconds = wait_seconds
        self._con: duckdb.DuckDBPyConnection | None = None

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, wait_seconds: float = 0.0) -> Warehouse:
        """Open (and migrate) the warehouse; a writer kept out by another process's handle retries with
        backoff for up to `wait_seconds` before it raises WarehouseLockedError naming that process."""
        if cls is Warehouse and is_lake_target(path):
            raise WarehouseError(f"{path}: a DuckLake target; open it with warehouse.open, which picks the backend")
        store = cls(path, read_only=read_only, wait_seconds=wait_seconds)
        deadline = time.monotonic() + wait_seconds
        pause = 0.2
        while True:
            try:
                store.connect()
                return store
            except WarehouseLockedError as exc:
                if time.monotonic() + pause > deadline:
                    raise
                if pause == 0.2:
                    logger.warning("waiting up to %.0f s for the warehouse: %s", wait_seconds, exc)
                time.sleep(pause)
                pause = min(pause * 2, 5.0)

    def connect(self) -> None:
        if self.read_only and not self.path.exists():
            raise WarehouseError(f"{self.path}: no such warehouse file (run `newsetl run` or `newsetl demo` first)")
        if not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and not os.access(self.path, os.W_OK):
                raise WarehouseError(
                    f"{self.path}: the warehouse file is read-only; queries can still read it "
                    "(`newsetl sql`), a run needs write access"
                )
        try:
            self._con = duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise WarehouseLockedError(
                    f"{self.path}: the warehouse is in use by another process ({message.strip()})"
                ) from exc
            if "not a valid DuckDB database" in message:
                raise WarehouseError(
                    f"{self.path}: not a DuckDB database (corrupt, or another kind of file); "
                    "restore it from a backup or point --db at a new path"
                ) from exc
            raise WarehouseError(f"{self.path}: cannot open the warehouse: {message.strip()}") from exc
        except duckdb.Error as exc:
            raise WarehouseError(f"{self.path}: not a usable DuckDB warehouse: {str(exc).strip()}") from exc
        self._con.execute(f"SET TimeZone = '{TIMEZONE}'")
        if not self.read_only:
            try:
                self.migrate()
            except BaseException:
                self.close()  # a half-opened handle would keep the file busy for this process
                raise

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Warehouse:
        if self._con is None:
            self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise WarehouseError(f"{self.path}: warehouse is closed")
        return self._con

    # -- schema --------------------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self.con.execute(_sql("has_schema_migrations.sql")).fetchall()[0][0]:
            return 0
        return self.con.execute(_sql("schema_version.sql")).fetchall()[0][0]

    def applied_migrations(self) -> set[int]:
        if not self.schema_version():
            return set()
        return {row[0] for row in self.con.execute(_sql("applied_migrations.sql")).fetchall()}

    def is_up_to_date(self) -> bool:
        """Whether every migration this newsetl ships is applied (a read-only handle cannot migrate: readers that
        need the newest tables, views or macros reopen for writing once when this is False)."""
        return bool(self.schema_version()) and {version for version, _, _ in _migrations()} <= self.applied_migrations()

    def migrate(self) -> list[int]:
        """Apply the migrations this file has not seen, each in its own transaction."""
        self.con.execute(_sql("create_schema_migrations.sql"))
        # By version, not by the highest one: a migration numbered below one already applied (branches merged
        # in another order than their numbers) still runs.
        done = self.applied_migrations()
        applied = []
        for version, name, script in _migrations():
            if version in done:
                continue
            try:
                with self.transaction():
                    for statement in _statements(script):
                        self.con.execute(statement)
                    self.con.execute(_sql("record_migration.sql"), [version, name])
            except duckdb.Error as exc:
                # Rolled back: the file stays at the last good version with its data intact.
                raise WarehouseError(
                    f"{self.path}: migration {version:04d}_{name} failed and was rolled back; "
                    f"the warehouse is still at schema version {self.schema_version()}: {str(exc).strip()}"
                ) from exc
            applied.append(version)
        import warehouse.search as search  # here: its pyarrow import stays out of `newsetl sql`

        if search.SEARCH_MIGRATION in applied:
            search.build_pending(self)  # on upgrade: the stored articles' search terms, built once
        return applied

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; a full disk becomes WarehouseFullError (the file keeps every earlier commit)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException as exc:
            with suppress(duckdb.Error):  # a failed COMMIT has already ended the transaction
                self.con.execute("ROLLBACK")
            self._raise_if_disk_full(exc)
            raise

    @contextmanager
    def single_write(self) -> Iterator[None]:
        """One statement outside a transaction (DuckDB commits it alone): a full disk is named the same way."""
        try:
            yield
        except duckdb.Error as exc:
            self._raise_if_disk_full(exc)
            raise

    @contextmanager
    def arrow_tables(self, **tables: pa.Table) -> Iterator[None]:
        """Arrow tables visible to SQL under their keyword names for the block (rows go in through Arrow:
        executemany is ~30x slower), unregistered however the block ends."""
        for name, table in tables.items():
            self.con.register(name, table)
        try:
            yield
        finally:
            for name in tables:
                self.con.unregister(name)

    def _raise_if_disk_full(self, exc: BaseException) -> None:
        if isinstance(exc, duckdb.Error) and "No space left on device" in str(exc):
            raise WarehouseFullError(
                f"{self.path}: the disk is full; this write was rolled back and everything committed "
                "before it is intact: free some space and run again"
            ) from exc

    # -- runs ----------------------------------------------------------------------------------

    def start_run(self, run_id: str, started_at: dt.datetime, sites: Sequence[str]) -> None:
        with self.single_write():
            self.con.execute(_sql("start_run.sql"), [run_id, started_at, list(sites)])

    def finish_run(
        self,
        run_id: str,
        *,
        status: str,
        pages_fetched: int,
        counts: LoadCounts,
        errors: int,
        stats: dict[str, Any],
    ) -> None:
        with self.single_write():
            self.con.execute(
                _sql("finish_run.sql"),
                [
                    dt.datetime.now(dt.UTC),
                    status,
                    pages_fetched,
                    counts.articles_new,
                    counts.articles_updated,
                    counts.articles_unchanged,
                    counts.mentions,
                    errors,
                    json.dumps(stats, ensure_ascii=False, default=str),
                    run_id,
                ],
            )

    def close_abandoned_runs(self, status: str, now: dt.datetime) -> list[str]:
        """Mark runs still 'running' with `status`; return their ids (see flows.run_history)."""
        rows = self.query(_sql("close_abandoned_runs.sql"), [status, now]).rows
        return sorted(row[0] for row in rows)

    def record_errors(self, run_id: str, errors: Iterable[FetchError]) -> int:
        rows = list(errors)
        if not rows:
            return 0
        now = dt.datetime.now(dt.UTC)
        import pyarrow as pa  # here, not at the top: `newsetl sql` never needs its ~0.7 s import

        table = pa.table(
            {
                "run_id": [run_id] * len(rows),
                "url": [error.url for error in rows],
                "source": [error.source or None for error in rows],
                "http_status": pa.array([error.http_status for error in rows], pa.int32()),
                "error": [error.error for error in rows],
                "at": [error.at or now.isoformat() for error in rows],
            }
        )
        with self.transaction(), self.arrow_tables(incoming_errors=table):
            self.con.execute(_sql("record_errors.sql"))
        return len(rows)

    # -- crawl state ---------------------------------------------------------------------------

    def page_states(self, sources: Sequence[str] | None = None) -> dict[str, PageState]:
        rows = self.con.execute(_sql("page_states.sql"), {"sources": list(sources) if sources else None}).fetchall()
        return {row[0]: PageState(*row) for row in rows}

    # -- loading -------------------------------------------------------------------------------

    def load_batch(
        self,
        run_id: str,
        articles: Sequence[CleanArticle],
        mentions: Sequence[Sequence[Mention]],
        *,
        unchanged: Sequence[PageState] = (),
        signatures: Mapping[str, Sequence[int]] | None = None,
        duplicates: Mapping[str, tuple[str, float]] | None = None,
        events: Mapping[str, ArticleEvents] | None = None,
        now: dt.datetime | None = None,
        terms: Sequence[ArticleTerms] | None = None,
    ) -> LoadCounts:
        """Store one batch in one transaction: new and changed articles with their images and
        mentions, the previous version of each changed article, and the crawl state of every page.

        `signatures` (article id -> MinHash values) and `duplicates` (article id -> (id of the copy
        stored first, similarity)) come from `transforms.dedupe`, `events` (by article id) from `transforms.events`;
        `terms` (one per article, from `transforms.terms`) replace the search terms of the new and changed ones."""
        if len(articles) != len(mentions):
            raise ValueError("load_batch needs one mention list per article")
        now = now or dt.datetime.now(dt.UTC)
        counts = LoadCounts()
        incoming = _dedupe_latest(articles, mentions)
        with self.transaction():
            existing = self._existing_hashes([article.article_id for article, _ in incoming])
            changed = _new_or_changed(incoming, existing, counts)
            counts.articles_unchanged += len(unchanged)
            if changed:
                self._write_articles(run_id, changed, now, counts, signatures or {}, duplicates or {}, events)
                by_id = dict(zip([a.article_id for a in articles], terms, strict=True)) if terms else {}
                new = [article.article_id for article, _ in changed if article.article_id not in existing]
                self.write_search_terms([article.article_id for article, _ in changed], by_id, unstored=new)
            incoming_ids = {article.article_id for article, _ in incoming}
            relinks = [
                (target, similarity, article_id)
                for article_id, (target, similarity) in (duplicates or {}).items()
                if article_id not in incoming_ids
            ]
            if relinks:
                # A stored copy that turns out to be later than a newly seen one now points at it. The dedupe
                # step returns the links of every stored article ranked after the batch's earliest one, mostly
                # unchanged: one set-based UPDATE that touches only rows whose link differs (executemany ran
                # one statement per link, thousands per batch late in a run).
                import pyarrow as pa  # here, not at the top: `newsetl sql` never needs its ~0.7 s import

                table = pa.table(
                    {
                        "article_id": pa.array([row[2] for row in relinks], pa.string()),
                        "duplicate_of": pa.array([row[0] for row in relinks], pa.string()),
                        "duplicate_similarity": pa.array([row[1] for row in relinks], pa.float64()),
                    }
                )
                with self.arrow_tables(incoming_relinks=table):
                    self.con.execute(_sql("relink_duplicates.sql"))
            self._write_crawl_state([article for article, _ in incoming], unchanged, now)
        return counts

    def _write_events(self, article_ids: list[str], events: Mapping[str, ArticleEvents]) -> None:
        """Replace the deals and appointments of new and changed articles (none found: none kept)."""
        # Here, not at the top: pyarrow and the entity package (Kiwi) stay out of `newsetl sql`.
        from transforms.events.model import ArticleEvents
        from warehouse.events import event_tables

        tables = event_tables(
            {article_id: events.get(article_id, ArticleEvents()) for article_id in article_ids}, entity_id
        )
        with self.arrow_tables(**tables):
            for statement in _statements(_sql("load_events.sql")):
                self.con.execute(statement)

    def write_search_terms(
        self, article_ids: Sequence[str], terms: Mapping[str, ArticleTerms], *, unstored: Collection[str] = ()
    ) -> None:
        """Replace the search index rows of these articles (inside the caller's transaction); `unstored` are
        those this load stores for the first time (the index cannot hold them yet)."""
        import warehouse.search as search

        loading, rows, reordering = (
            _statements(_sql(name)) for name in (search.LOAD_SQL, search.ROWS_SQL, search.REORDER_SQL)
        )
        search.write_terms(self.con, article_ids, terms, loading, rows, reordering, unstored=set(unstored))

    def _existing_hashes(self, article_ids: list[str]) -> dict[str, str]:
        if not article_ids:
            return {}
        rows = self.con.execute(_sql("existing_hashes.sql"), [article_ids]).fetchall()
        return dict(rows)

    def _write_articles(
        self,
        run_id: str,
        changed: list[tuple[CleanArticle, Sequence[Mention]]],
        now: dt.datetime,
        counts: LoadCounts,
        signatures: Mapping[str, Sequence[int]],
        duplicates: Mapping[str, tuple[str, float]],
        events: Mapping[str, ArticleEvents] | None = None,
    ) -> None:
        articles = [article for article, _ in changed]
        mention_table, entity_table = _mentions_tables(changed)
        params = {"run_id": run_id, "now": now}
        with self.arrow_tables(
            incoming_articles=_articles_table(articles, signatures, duplicates),
            incoming_images=_images_table(articles),
            incoming_mentions=mention_table,
            incoming_entities=entity_table,
        ):
            for statement in _statements(_sql("load_batch.sql")):
                named = {key: value for key, value in params.items() if f"${key}" in statement}
                self.con.execute(statement, named)
            counts.entities_new += self.con.execute(_sql("count_new_entities.sql")).fetchall()[0][0]
            self.con.execute(_sql("drop_new_entities.sql"))
        counts.mentions += mention_table.num_rows
        counts.images += sum(len(article.images) for article in articles)
        if events is not None:
            self._write_events([article.article_id for article in articles], events)

    def _write_crawl_state(
        self, articles: Sequence[CleanArticle], unchanged: Sequence[PageState], now: dt.datetime
    ) -> None:
        states = [
            PageState(
                url=article.url,
                article_id=article.article_id,
                source=article.source,
                etag=article.etag,
                last_modified=article.last_modified,
                content_hash=article.content_hash,
                last_status=200,
            )
            for article in articles
        ] + list(unchanged)
        if not states:
            return
        import pyarrow as pa  # here, not at the top: `newsetl sql` never needs its ~0.7 s import

        table = pa.table(
            {
                "url": [state.url for state in states],
                "article_id": [state.article_id for state in states],
                "source": [state.source for state in states],
                "etag": [state.etag for state in states],
                "last_modified": [state.last_modified for state in states],
                "content_hash": [state.content_hash for state in states],
                "last_status": pa.array([state.last_status for state in states], pa.int32()),
            }
        )
        with self.arrow_tables(incoming_state=table):
            self.con.execute(_sql("upsert_crawl_state.sql"), {"now": now})

    def signatures_between(
        self, start: dt.datetime | None, end: dt.datetime | None, exclude: Sequence[str] = ()
    ) -> list[tuple[str, Sequence[int], dt.datetime | None]]:
        """Stored MinHash signatures (with publication times) of articles published in [start, end]
        (all when a bound is None). The values are rows of one uint32 array: a window of tens of
        thousands of articles costs megabytes, not the hundreds a list of Python ints would."""
        table = self.con.execute(
            _sql("signatures_between.sql"), {"start": start, "end": end, "exclude": list(exclude)}
        ).to_arrow_table()
        if table.num_rows == 0:
            return []
        values = table.column("minhash").combine_chunks().flatten().to_numpy()
        rows = values.reshape(table.num_rows, -1)
        return list(
            zip(table.column("article_id").to_pylist(), rows, table.column("published_at").to_pylist(), strict=True)
        )

    def record_site_health(self, run_id: str, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = [
            "source",
            "pages",
            "articles",
            "fetch_errors",
            "empty_body_share",
            "missing_date_share",
            "missing_byline_share",
            "warning",
            "fallback_share",
        ]
        import pyarrow as pa  # here, not at the top: `newsetl sql` never needs its ~0.7 s import

        table = pa.table({column: [row.get(column) for row in rows] for column in columns})
        with self.transaction(), self.arrow_tables(incoming_health=table):
            self.con.execute(_sql("record_site_health.sql"), {"run_id": run_id})

    def previous_site_health(self, run_id: str) -> dict[str, dict[str, float]]:
        """Each site's shares in its latest run before `run_id`."""
        rows = self.query(_sql("previous_site_health.sql"), [run_id]).as_dicts()
        return {row.pop("source"): row for row in rows}

    # -- reading -------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> QueryResult:
        """Run one query and fetch it whole (DuckDB wants a result finished before the next query)."""
        cursor = self.con.execute(sql, params) if params is not None else self.con.execute(sql)
        columns = [column[0] for column in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if cursor.description else []
        return QueryResult(columns, rows)

    def read_query(self, sql: str) -> QueryResult:
        """Run a user's query that may only read this warehouse (`newsetl sql`).

        Statements other than reads (ATTACH, DETACH, USE, COPY, EXPORT, INSTALL/LOAD, SET, CALL, any write)
        are refused before anything runs; the connection is then cut off from the file system, so a SELECT
        cannot read or write other files either. Several statements run in order; the last result is returned.
        """
        try:
            statements = self.con.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryRefusedError(_first_line(exc)) from exc
        if not statements:
            raise QueryRefusedError("empty query")
        for statement in statements:
            if statement.type not in READ_STATEMENT_TYPES:
                kind = statement.type.name.replace("_", " ")
                raise QueryRefusedError(f"only reads are allowed here; refused a {kind} statement")
        self.restrict_to_reads()
        result = QueryResult([], [])
        try:
            for statement in statements:
                result = self.query(statement.query)
        except duckdb.Error as exc:
            raise QueryRefusedError(_first_line(exc)) from exc
        return result

    def restrict_to_reads(self) -> None:
        """No file access beyond the open warehouse, and no way to turn it back on in this connection."""
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        result = self.query(sql, params)
        return result.rows[0][0] if result.rows else None


def _first_line(exc: BaseException) -> str:
    """DuckDB's message without the caret diagram and hints that follow it."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _dedupe_latest(
    articles: Sequence[CleanArticle], mentions: Sequence[Sequence[Mention]]
) -> list[tuple[CleanArticle, Sequence[Mention]]]:
    """One row per article id: the same page reached by two URL variants is stored once."""
    latest: dict[str, tuple[CleanArticle, Sequence[Mention]]] = {}
    for article, article_mentions in zip(articles, mentions, strict=True):
        latest[article.article_id] = (article, article_mentions)
    return list(latest.values())


def _new_or_changed(
    incoming: Sequence[tuple[CleanArticle, Sequence[Mention]]], existing: Mapping[str, str], counts: LoadCounts
) -> list[tuple[CleanArticle, Sequence[Mention]]]:
    """The articles to write: new ones and those whose stored body hash differs; each is counted."""
    changed: list[tuple[CleanArticle, Sequence[Mention]]] = []
    for article, article_mentions in incoming:
        old = existing.get(article.article_id)
        if old is None:
            counts.articles_new += 1
            counts.new_ids.append(article.article_id)
            changed.append((article, article_mentions))
        elif old != body_hash(article):
            counts.articles_updated += 1
            counts.updated_ids.append(article.article_id)
            changed.append((article, article_mentions))
        else:
            counts.articles_unchanged += 1
    return changed


def _articles_table(
    articles: Sequence[CleanArticle],
    signatures: Mapping[str, Sequence[int]],
    duplicates: Mapping[str, tuple[str, float]],
) -> pa.Table:
    links = [duplicates.get(a.article_id) for a in articles]
    import pyarrow as pa  # here, not at the top: `newsetl sql` never needs its ~0.7 s import

    return pa.table(
        {
            "article_id": [a.article_id for a in articles],
            "url": [a.url for a in articles],
            "source": [a.source for a in articles],
            "title": [a.title for a in articles],
            "subtitle": [a.subtitle or None for a in articles],
            "section": [a.section or None for a in articles],
            "published_at": [a.published_at for a in articles],
            "modified_at": [a.modified_at for a in articles],
            "authors": pa.array([list(a.authors) for a in articles], pa.list_(pa.string())),
            "body": [a.body for a in articles],
            "body_hash": [body_hash(a) for a in articles],
            "extractor": [a.extractor for a in articles],
            "duplicate_of": pa.array([link[0] if link else None for link in links], pa.string()),
            "duplicate_similarity": pa.array([link[1] if link else None for link in links], pa.float64()),
            "minhash": pa.array(
                [list(signatures[a.article_id]) if a.article_id in signatures else None for a in articles],
                pa.list_(pa.uint32()),
            ),
        }
    )


def _images_table(articles: Sequence[CleanArticle]) -> pa.Table:
    rows = [
        (article.article_id, position, image.src, image.caption or None, image.credit or None)
        for article in articles
        for position, image in enumerate(article.images)
    ]
    names = ["article_id", "position", "src", "caption", "credit"]
    import pyarrow as pa  # here, not at the top: `newsetl sql` never needs its ~0.7 s import

    types = [pa.string(), pa.int32(), pa.string(), pa.string(), pa.string()]
    return pa.table(
        {
            name: pa.array([row[i] for row in rows], kind)
            for i, (name, kind) in enumerate(zip(names, types, strict=True))
        }
    )


def _mentions_tables(changed: Sequence[tuple[CleanArticle, Sequence[Mention]]]) -> tuple[pa.Table, pa.Table]:
    mention_rows: dict[str, list[Any]] = {
        name: []
        for name in (
            "article_id",
            "entity_id",
            "surface",
            "start_char",
            "end_char",
            "type",
            "normalized",
            "title",
            "org",
        )
    }
    entities: dict[str, tuple[str, str, str | None]] = {}
    for article, article_mentions in changed:
        seen_spans: set[tuple[int, int, str]] = set()
        for mention in article_mentions:
            span = (mention.start, mention.end, mention.type)
            if span in seen_spans:
                continue
            seen_spans.add(span)
            if mention.attrs.get("unresolved"):
                identifier = UNRESOLVED_ENTITY_ID
            else:
                key = entity_key(mention)
                identifier = entity_id(mention.type, key)
                # A value's name is the value itself, so it does not depend on which wording was loaded first.
                name = key if mention.type in ("MONEY", "DATE") else mention.canonical or mention.surface
                entities.setdefault(identifier, (name, mention.type, mention.normalized))
            for column, value in (
                ("article_id", article.article_id),
                ("entity_id", identifier),
                ("surface", mention.surface),
                ("start_char", mention.start),
                ("end_char", mention.end),
                ("type", mention.type),
                ("normalized", mention.normalized),
                ("title", mention.attrs.get("title")),
                ("org", mention.attrs.get("org")),
            ):
                mention_rows[column].append(value)
    import pyarrow as pa  # here, not at the top: `newsetl sql` never needs its ~0.7 s import

    mention_table = pa.table(
        {
            name: pa.array(values, pa.int32() if name in ("start_char", "end_char") else pa.string())
            for name, values in mention_rows.items()
        }
    )
    entity_table = pa.table(
        {
            "entity_id": pa.array(list(entities), pa.string()),
            "name": pa.array([value[0] for value in entities.values()], pa.string()),
            "type": pa.array([value[1] for value in entities.values()], pa.string()),
            "normalized": pa.array([value[2] for value in entities.values()], pa.string()),
        }
    )
    return mention_table, entity_table
