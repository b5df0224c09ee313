"""Run history housekeeping in the `runs` table."""

from __future__ import annotations

import datetime as dt

from warehouse import Warehouse

ABANDONED = "abandoned"


def close_abandoned_runs(store: Warehouse, now: dt.datetime) -> list[str]:
    """Mark runs still 'running' as abandoned; return their ids.

    Only call this holding the writer lock: then no other run is alive, so a 'running' row belongs
    to a run that was killed (its committed batches stay, its open batch was rolled back).
    """
    return store.close_abandoned_runs(ABANDONED, now)
