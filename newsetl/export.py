"""`newsetl export --format parquet DIR`: every warehouse table as Parquet, for tools that do not speak DuckDB."""

from __future__ import annotations

from pathlib import Path

from warehouse.analytics import ExportedTable

FORMATS = ("parquet",)


def export_tables(db_path: str | Path, out_dir: str | Path, *, fmt: str = "parquet") -> list[ExportedTable]:
    """Write each table of the warehouse at `db_path` under `out_dir`; `articles` and `mentions` are split
    into one folder per month of publication (`month=YYYY-MM`, readable as a Hive-partitioned dataset)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    from warehouse.analytics import export_parquet, open_for_reading

    with open_for_reading(db_path) as store:
        return export_parquet(store, out_dir)
