"""The DuckLake backend: the same tables as the DuckDB file, for many writers on many machines.

A DuckLake keeps its catalog in a database (PostgreSQL here) and its rows as Parquet files under a data
path (a directory or a bucket prefix). Every machine runs plain DuckDB and attaches the same lake, so
adding writers needs no coordination layer of ours: DuckLake's snapshot isolation decides who wins.

What differs from the single file, and how this module hides it from the flow and from queries:
- DuckLake has no PRIMARY KEY/UNIQUE constraints: the migrations run with their constraints stripped
  (the keys are remembered, to turn `INSERT OR REPLACE` into delete-then-insert by key).
- `UPDATE ... RETURNING` is not supported on lake tables: it becomes a SELECT then the UPDATE.
- Two transactions that both only append never conflict in DuckLake, so two writers inserting the same
  new article would both win. Every write transaction therefore also bumps one row in
  `lake_commit_token`: two overlapping writers then conflict at commit, the later one is rolled back and
  retried, and on retry it sees the other's rows (so its load updates them instead of duplicating them).
"""

from __future__ import annotations

import contextlib
import importlib.util
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from newsetl.config import LAKE_SCHEME, is_lake_target
from transforms.records import CleanArticle, FetchError, Mention
from warehouse.store import (
    TIMEZONE,
    LoadCounts,
    Warehouse,
    WarehouseError,
    _migrations,
    _sql,
)

DATA_PATH_MARK = "?data_path="
LAKE_ALIAS = "lake"
# Attempts for one write transaction that keeps losing commit races; the sleep between them grows.
MAX_ATTEMPTS = 30
MAX_BACKOFF_SECONDS = 2.0

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LakeTarget:
    """Where a lake lives. `catalog` is what follows `ducklake:` in DuckDB's ATTACH, e.g.
    `postgres:dbname=news host=10.0.0.5 port=5432`; `data_path` is where new Parquet files go
    (empty: the one stored in the catalog when the lake was created)."""

    catalog: str
    data_path: str = ""

    def __str__(self) -> str:
        text = LAKE_SCHEME + self.catalog
        return text + DATA_PATH_MARK + self.data_path if self.data_path else text


def parse_lake_target(target: str | LakeTarget) -> LakeTarget:
    """`ducklake:<catalog>[?data_path=<path>]` -> LakeTarget (the string form travels as a flow parameter)."""
    if isinstance(target, LakeTarget):
        return target
    if not is_lake_target(target):
        raise WarehouseError(f"{target}: not a DuckLake target (expected 'ducklake:<catalog>[?data_path=...]')")
    catalog, _, data_path = target[len(LAKE_SCHEME) :].partition(DATA_PATH_MARK)
    if not catalog.strip():
        raise WarehouseError(f"{target}: the DuckLake target names no catalog")
    return LakeTarget(catalog.strip(), data_path.strip())


def extension_file(package: str, name: str) -> Path:
    """The extension binary a `duckdb-extension-*` wheel ships for this DuckDB version (never downloaded)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise WarehouseError(
            f"the DuckDB extension {name!r} is not installed: "
            f"pip install {package.replace('_', '-')}=={duckdb.__version__}"
        )
    found = Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not found.exists():
        raise WarehouseError(
            f"{found}: no {name} extension for DuckDB {duckdb.__version__}; "
            f"install {package.replace('_', '-')}=={duckdb.__version__}"
        )
    return found


# -- DDL without constraints ------------------------------------------------------------------------

_CREATE_TABLE = re.compile(r"CREATE TABLE\s+(?:IF NOT EXISTS\s+)?(\w+)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_TABLE_KEY = re.compile(r",\s*PRIMARY KEY\s*\(([^)]*)\)(?=\s*\)\s*$)", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"^\s*(\w+)\b([^,\n]*?)\s+PRIMARY KEY\b", re.IGNORECASE | re.MULTILINE)
_INLINE_UNIQUE = re.compile(r"\s+UNIQUE\b(?!\s*\()", re.IGNORECASE)


def lake_ddl(statement: str) -> tuple[str, str | None, tuple[str, ...]]:
    """A migration statement as DuckLake accepts it: (statement, table, its key columns).

    A column's PRIMARY KEY becomes NOT NULL (what the key implied); a table-level key is dropped."""
    match = _CREATE_TABLE.match(statement.strip())
    if not match:
        return statement, None, ()
    table = match.group(1)
    keys: tuple[str, ...] = ()
    table_key = _TABLE_KEY.search(statement)
    if table_key:
        keys = tuple(part.strip() for part in table_key.group(1).split(","))
        statement = statement[: table_key.start()] + statement[table_key.end() :]
    column_key = _COLUMN_KEY.search(statement)
    if column_key:
        keys = (column_key.group(1),)
        not_null = "" if "NOT NULL" in column_key.group(2).upper() else " NOT NULL"
        statement = (
            statement[: column_key.start()]
            + column_key.group(0)[: -len("PRIMARY KEY")].rstrip()
            + not_null
            + statement[column_key.end() :]
        )
    return _INLINE_UNIQUE.sub("", statement), table, keys


def lake_statements(script: str) -> list[str]:
    """A migration script as single statements, comments dropped (a trailing `-- note` may sit between
    a column's comma and a table-level key). Splits on semicolons outside quoted text."""
    statements, current, quote = [], [], ""
    index = 0
    while index < len(script):
        char = script[index]
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current.append(char)
        elif script.startswith("--", index):
            index = script.find("\n", index)
            if index < 0:
                break
            continue
        elif char == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    statements.append("".join(current).strip())
    return [statement for statement in statements if statement]


@cache
def table_keys() -> dict[str, tuple[str, ...]]:
    """Each table's key as the migrations declare it (the lake cannot enforce it, loads keep it)."""
    keys = {"schema_migrations": ("version",)}
    for _, _, script in _migrations():
        for statement in lake_statements(script):
            _, table, columns = lake_ddl(statement)
            if table and columns:
                keys[table] = columns
    return keys


def is_write_conflict(error: BaseException) -> bool:
    """DuckLake's optimistic concurrency said no: the transaction was rolled back and may be retried."""
    text = str(error)
    return isinstance(error, duckdb.Error) and (
        "conflict" in text.lower()
        # two commits raced for the same snapshot id in the catalog and DuckLake's own retries ran out
        or ("duplicate key value" in text and "ducklake_snapshot" in text)
    )


# -- the statements DuckLake lacks ------------------------------------------------------------------

_INSERT_OR_REPLACE = re.compile(r"^\s*INSERT OR REPLACE INTO\s+(\w+)\s+(SELECT\b.*)$", re.IGNORECASE | re.DOTALL)
_UPDATE_RETURNING = re.compile(
    r"^\s*UPDATE\s+(\w+)\s+SET\s+(.*?)\s+WHERE\s+(.*?)\s+RETURNING\s+(.*?)\s*;?\s*$", re.IGNORECASE | re.DOTALL
)
_SCRATCH = "lake_replacing"


class _Rows:
    """A fetched result standing in for a cursor, for rewritten statements."""

    def __init__(self, description: Any, rows: list[tuple[Any, ...]]) -> None:
        self.description = description
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


def _named_subset(params: Any, sql: str) -> Any:
    if isinstance(params, dict):
        return {key: value for key, value in params.items() if f"${key}" in sql}
    return params


class LakeConnection:
    """The DuckDB connection the store's code sees: statements DuckLake lacks are rewritten, and a
    statement outside a transaction that loses a commit race is simply run again."""

    def __init__(self, owner: LakeWarehouse, con: duckdb.DuckDBPyConnection) -> None:
        self._owner = owner
        self._con = con

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def execute(self, sql: str, params: Any = None) -> Any:
        replace = _INSERT_OR_REPLACE.match(sql)
        returning = _UPDATE_RETURNING.match(sql)
        if replace or returning:

            def rewritten() -> Any:
                if replace:
                    return self._insert_or_replace(replace.group(1), replace.group(2), params)
                assert returning is not None
                return self._update_returning(*returning.groups(), params=params)

            if self._owner.in_transaction:
                return rewritten()
            return self._owner.retrying(lambda: self._owner.in_own_transaction(rewritten))
        if self._owner.in_transaction or sql.strip().upper().startswith(("SELECT", "BEGIN", "COMMIT", "ROLLBACK")):
            return self._run(sql, params)
        return self._owner.retrying(lambda: self._run(sql, params))

    def _run(self, sql: str, params: Any) -> Any:
        return self._con.execute(sql, params) if params is not None else self._con.execute(sql)

    def _insert_or_replace(self, table: str, select: str, params: Any) -> Any:
        keys = table_keys().get(table)
        if not keys:
            raise WarehouseError(f"INSERT OR REPLACE INTO {table}: the migrations declare no key for it")
        self._run(f"CREATE OR REPLACE TEMP TABLE {_SCRATCH} AS {select}", params)
        incoming = [row[0] for row in self._con.execute(f"DESCRIBE {_SCRATCH}").fetchall()]
        columns = [row[0] for row in self._con.execute(_sql("lake/table_columns.sql"), [LAKE_ALIAS, table]).fetchall()]
        # INSERT OR REPLACE matches by position: the n-th selected value fills the n-th column.
        match = " AND ".join(f'r."{incoming[columns.index(key)]}" = t."{key}"' for key in keys)
        self._con.execute(f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM {_SCRATCH} r WHERE {match})")
        result = self._con.execute(f"INSERT INTO {table} SELECT * FROM {_SCRATCH}")
        counted = result.fetchall()
        self._con.execute(f"DROP TABLE {_SCRATCH}")
        return _Rows([("Count", "NUMBER", None, None, None, None, None)], counted)

    def _update_returning(self, table: str, assignments: str, condition: str, returned: str, params: Any) -> Any:
        # Positional parameters: the SET clause's come first, then the WHERE clause's.
        if isinstance(params, list | tuple):
            split = assignments.count("?")
            set_params, where_params = list(params[:split]), list(params[split:])
        else:
            set_params = _named_subset(params, assignments + condition)
            where_params = _named_subset(params, condition)
        self._run(f"SELECT {returned} FROM {table} WHERE {condition}", where_params or None)
        description = self._con.description
        rows = self._con.fetchall()
        self._run(f"UPDATE {table} SET {assignments} WHERE {condition}", set_params or None)
        return _Rows(description, rows)


class LakeWarehouse(Warehouse):
    """The newsetl tables in a DuckLake. Same methods and SQL as `Warehouse`; open it with
    `warehouse.open("ducklake:postgres:dbname=... host=...?data_path=/srv/lake")`."""

    # Many writers at once: a 'running' row may belong to a live run on another machine.
    exclusive_writer = False

    def __init__(self, target: str | LakeTarget, *, read_only: bool = False, wait_seconds: float = 0.0) -> None:
        self.target = parse_lake_target(target)
        super().__init__(Path("."), read_only=read_only, wait_seconds=wait_seconds)
        self.path = str(self.target)  # type: ignore[assignment]  # messages name the lake, not a file
        self.in_transaction = False
        self.conflicts_retried = 0  # commit races lost and run again (for tests and logs)
        self._token_ready = False
        self._lake_con: LakeConnection | None = None

    # -- opening -------------------------------------------------------------------------------

    def connect(self) -> None:
        # Extensions come from the installed wheels only: nothing is fetched or auto-loaded at run time.
        raw = duckdb.connect(
            ":memory:", config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
        try:
            if self.target.catalog.startswith("postgres:"):
                raw.execute(f"LOAD '{extension_file('duckdb_extension_postgres_scanner', 'postgres_scanner')}'")
            if re.match(r"^[a-z0-9]+://", self.target.data_path) and not self.target.data_path.startswith("file://"):
                raw.execute(f"LOAD '{extension_file('duckdb_extension_httpfs', 'httpfs')}'")
            raw.execute(f"LOAD '{extension_file('duckdb_extension_ducklake', 'ducklake')}'")
            options = []
            if self.target.data_path:
                options.append(f"DATA_PATH {_literal(self.target.data_path)}")
            if self.read_only:
                options.append("READ_ONLY")
            attach = f"ATTACH {_literal(LAKE_SCHEME + self.target.catalog)} AS {LAKE_ALIAS}"
            raw.execute(attach + (f" ({', '.join(options)})" if options else ""))
            raw.execute(f"USE {LAKE_ALIAS}")
            raw.execute(f"SET TimeZone = '{TIMEZONE}'")
        except duckdb.Error as exc:
            raw.close()
            raise WarehouseError(f"{self.path}: cannot attach the DuckLake: {str(exc).strip()}") from exc
        except BaseException:
            raw.close()
            raise
        self._con = raw
        self._lake_con = LakeConnection(self, raw)
        if self.read_only:
            if not self._has_table("schema_migrations"):
                self.close()
                raise WarehouseError(f"{self.path}: this lake has no newsetl tables yet (run `newsetl run` first)")
            return
        try:
            self.migrate()
        except BaseException:
            self.close()
            raise

    def restrict_to_reads(self) -> None:
        # The lake reads its data files and its catalog through DuckDB's file system and extensions, so
        # external access stays on; the statement check in read_query and a read-only ATTACH keep it a reader.
        self.con.execute("SET lock_configuration = true")

    def close(self) -> None:
        self._lake_con = None
        super().close()

    @property
    def con(self) -> Any:
        if self._lake_con is None:
            raise WarehouseError(f"{self.path}: warehouse is closed")
        return self._lake_con

    def _has_table(self, name: str) -> bool:
        return bool(self.con.execute(_sql("lake/has_table.sql"), [LAKE_ALIAS, name]).fetchall()[0][0])

    # -- schema --------------------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self._has_table("schema_migrations"):
            return 0
        return self.con.execute(_sql("schema_version.sql")).fetchall()[0][0]

    def migrate(self) -> list[int]:
        """Create the bookkeeping tables, then apply each missing migration in its own transaction.
        Two machines opening a new lake at once race; the loser retries and finds the work done."""
        self.retrying(self._create_bookkeeping)
        self._token_ready = True
        applied = []
        for version, name, script in _migrations():
            if self.retrying(lambda v=version, n=name, s=script: self._apply_migration(v, n, s)):
                applied.append(version)
        return applied

    def _create_bookkeeping(self) -> None:
        with self.transaction():
            self.con.execute(lake_ddl(_sql("create_schema_migrations.sql"))[0])
            self.con.execute(_sql("lake/create_commit_token.sql"))
            self.con.execute(_sql("lake/seed_commit_token.sql"))

    def _apply_migration(self, version: int, name: str, script: str) -> bool:
        try:
            with self.transaction():
                # By version: one numbered below an applied one (branches merged out of order) still runs.
                if self.con.execute("SELECT count(*) FROM schema_migrations WHERE version = ?", [version]).fetchall()[
                    0
                ][0]:
                    return False
                for statement in lake_statements(script):
                    self.con.execute(lake_ddl(statement)[0])
                self.con.execute(_sql("record_migration.sql"), [version, name])
        except duckdb.Error as exc:
            if is_write_conflict(exc):
                raise
            raise WarehouseError(
                f"{self.path}: migration {version:04d}_{name} failed and was rolled back; "
                f"the lake is still at schema version {self.schema_version()}: {str(exc).strip()}"
            ) from exc
        return True

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.in_transaction:  # a rewritten statement inside a write method: already covered
            yield
            return
        raw = self._raw()
        raw.execute("BEGIN TRANSACTION")
        self.in_transaction = True
        try:
            if self._token_ready:
                # Makes any two overlapping write transactions conflict, appends included (see module doc).
                raw.execute(_sql("lake/bump_commit_token.sql"))
            yield
        except BaseException:
            self.in_transaction = False
            with contextlib.suppress(duckdb.Error):
                raw.execute("ROLLBACK")
            raise
        self.in_transaction = False
        try:
            raw.execute("COMMIT")
        except duckdb.Error:
            with contextlib.suppress(duckdb.Error):  # a failed commit has usually rolled back already
                raw.execute("ROLLBACK")
            raise

    def in_own_transaction(self, action: Callable[[], T]) -> T:
        with self.transaction():
            return action()

    def retrying(self, action: Callable[[], T]) -> T:
        """Run `action` (one whole transaction) again each time it loses a commit race."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return action()
            except duckdb.Error as exc:
                if not is_write_conflict(exc) or attempt == MAX_ATTEMPTS:
                    raise
                self.conflicts_retried += 1
                # Jittered, growing pause, so the writers that collided do not collide again in step.
                time.sleep(min(MAX_BACKOFF_SECONDS, 0.02 * 2**attempt) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    def _raw(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise WarehouseError(f"{self.path}: warehouse is closed")
        return self._con

    # -- writes: each is one transaction, retried whole on a conflict --------------------------

    def load_batch(
        self,
        run_id: str,
        articles: Sequence[CleanArticle],
        mentions: Sequence[Sequence[Mention]],
        **options: Any,
    ) -> LoadCounts:
        # On a retry the existing-article check runs again, so rows another writer just stored are
        # updated (or left unchanged), never inserted twice.
        return self.retrying(lambda: Warehouse.load_batch(self, run_id, articles, mentions, **options))

    def record_errors(self, run_id: str, errors: Iterable[FetchError]) -> int:
        rows: list[FetchError] = list(errors)
        return self.retrying(lambda: Warehouse.record_errors(self, run_id, rows))

    def record_site_health(self, run_id: str, rows: Sequence[dict[str, Any]]) -> None:
        self.retrying(lambda: Warehouse.record_site_health(self, run_id, rows))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
