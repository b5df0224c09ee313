"""Read side of the warehouse: the report's queries and the Parquet export.

The analytics views themselves are schema (migrations 0002 and 0004); this module only reads them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from warehouse import open as open_warehouse
from warehouse.store import TIMEZONE, QueryResult, Warehouse, WarehouseError, _sql

# Tables big enough to want one folder per month (Hive style: month=2026-11/...).
MONTH_PARTITIONED = ("articles", "mentions")

# The day an article belongs to, for month partitions, the same way the views count days.
_ARTICLE_MONTH = f"strftime(timezone('{TIMEZONE}', coalesce(a.published_at, a.first_seen_at)), '%Y-%m')"

# How many rows each report section shows.
REPORT_LIMITS = {
    "trending": 15,
    "cooccurrence_matrix": 12,
    "cooccurrence_pairs": 15,
    "money": 12,
    "deals": 30,
    "people_moves": 30,
}

REPORT_QUERIES = (
    "overview",
    "trending",
    "source_daily",
    "cooccurrence_matrix",
    "cooccurrence_pairs",
    "money",
    "site_health",
    "deals",
    "people_moves",
)
# Sections whose view a file may lack (an older file another process held open while it was read): no rows.
_SECTION_VIEWS = {"site_health": "site_health_daily", "deals": "deal_facts", "people_moves": "people_moves"}


@dataclass(slots=True)
class ReportData:
    """The rows behind each section of the HTML report, by query name."""

    since: dt.date | None
    sections: dict[str, QueryResult] = field(default_factory=dict)

    def __getitem__(self, name: str) -> QueryResult:
        return self.sections[name]


@dataclass(slots=True)
class ExportedTable:
    table: str
    path: Path
    rows: int
    partitioned_by: str | None = None


def _report_sql(name: str) -> str:
    return resources.files("warehouse").joinpath("sql", "report", f"{name}.sql").read_text(encoding="utf-8")


def _bind(sql: str, values: dict[str, object]) -> dict[str, object]:
    """Only the named parameters a query uses: DuckDB rejects unused ones."""
    return {name: values[name] for name in set(re.findall(r"\$(\w+)", sql))}


def report_data(store: Warehouse, since: dt.date | None = None) -> ReportData:
    """Run every report query against an open warehouse (read-only is enough)."""
    data = ReportData(since)
    views = {row[0] for row in store.query(_sql("views.sql")).rows}
    for name in REPORT_QUERIES:
        sql = _report_sql(name)
        if name in _SECTION_VIEWS and _SECTION_VIEWS[name] not in views:
            # A file from before the section's data was recorded: the section says it has no rows.
            data.sections[name] = QueryResult([], [])
            continue
        values: dict[str, object] = {"since": since, "limit": REPORT_LIMITS.get(name, 0)}
        data.sections[name] = store.query(sql, _bind(sql, values))
    return data


def base_tables(store: Warehouse) -> list[str]:
    """The warehouse's tables (not views), in name order."""
    rows = store.query(_sql("base_tables.sql")).rows
    return [row[0] for row in rows]


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export_parquet(store: Warehouse, out_dir: str | Path) -> list[ExportedTable]:
    """Write every table as Parquet under `out_dir`: `<table>.parquet`, or for the month-partitioned
    tables a folder `<table>/month=YYYY-MM/*.parquet`. Re-exporting replaces what an earlier export wrote."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise WarehouseError(f"{out}: not a directory")
    out.mkdir(parents=True, exist_ok=True)
    exported = []
    for table in base_tables(store):
        rows = store.scalar(f"SELECT count(*) FROM {_quote_identifier(table)}")
        if table in MONTH_PARTITIONED:
            target = out / table
            if table == "articles":
                select = f"SELECT a.*, {_ARTICLE_MONTH} AS month FROM articles a"
            else:
                select = (
                    f"SELECT m.*, {_ARTICLE_MONTH} AS month FROM {_quote_identifier(table)} m "
                    "JOIN articles a USING (article_id)"
                )
            # OVERWRITE clears the folder first, so a month that no longer has rows leaves no stale file.
            store.con.execute(
                f"COPY ({select}) TO {_quote_literal(str(target))} "
                "(FORMAT parquet, PARTITION_BY (month), OVERWRITE true)"
            )
            exported.append(ExportedTable(table, target, rows, "month"))
        else:
            target = out / f"{table}.parquet"
            store.con.execute(f"COPY {_quote_identifier(table)} TO {_quote_literal(str(target))} (FORMAT parquet)")
            exported.append(ExportedTable(table, target, rows))
    return exported


def read_parquet_count(store: Warehouse, path: str | Path) -> int:
    """Rows in a Parquet file or a partitioned folder (for checks after an export)."""
    target = Path(path)
    pattern = str(target / "**" / "*.parquet") if target.is_dir() else str(target)
    return store.scalar(f"SELECT count(*) FROM read_parquet({_quote_literal(pattern)}, hive_partitioning = true)")


def open_for_reading(path: str | Path) -> Warehouse:
    """Open read-only, first bringing an older file's schema (and so its views) up to date.

    Migrating needs a brief writable open; a file another process is writing to stays as it is and the
    views it lacks show up as a clear error when queried.
    """
    store = open_warehouse(path, read_only=True)
    if store.is_up_to_date():
        return store
    store.close()
    # Locked by a running pipeline: that run migrates the file itself when it opens it.
    with contextlib.suppress(WarehouseError):
        open_warehouse(path).close()
    return open_warehouse(path, read_only=True)
