"""The DuckDB warehouse: schema migrations, batch loads, queries. The only package that imports duckdb."""

from warehouse.lock import WriterLock
from warehouse.store import (
    LoadCounts,
    PageState,
    QueryRefusedError,
    QueryResult,
    Warehouse,
    WarehouseError,
    WarehouseFullError,
    WarehouseLockedError,
)

__all__ = [
    "LoadCounts",
    "PageState",
    "QueryRefusedError",
    "QueryResult",
    "Warehouse",
    "WarehouseError",
    "WarehouseFullError",
    "WarehouseLockedError",
    "WriterLock",
]
