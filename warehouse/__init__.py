"""The DuckDB warehouse: schema migrations, batch loads, queries. The only package that imports duckdb."""

from __future__ import annotations

from pathlib import Path

from newsetl.config import is_lake_target
from warehouse.lake import LakeWarehouse
from warehouse.lock import WriterLock
from warehouse.store import (
    LoadCounts,
    QueryRefusedError,
    QueryResult,
    Warehouse,
    WarehouseError,
    WarehouseFullError,
    WarehouseLockedError,
)


def open(target: str | Path, *, read_only: bool = False, wait_seconds: float = 0.0) -> Warehouse:  # noqa: A001
    """Open (and migrate) the warehouse a target names (newsetl.config.warehouse_target): a DuckLake for a
    `ducklake:` target (many writers), else the DuckDB file at that path (one writer)."""
    if is_lake_target(target):
        return LakeWarehouse.open(str(target), read_only=read_only)
    return Warehouse.open(target, read_only=read_only, wait_seconds=wait_seconds)


__all__ = [
    "LoadCounts",
    "QueryRefusedError",
    "QueryResult",
    "Warehouse",
    "WarehouseError",
    "WarehouseFullError",
    "WarehouseLockedError",
    "WriterLock",
    "open",
]
