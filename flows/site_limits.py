"""A Prefect global concurrency limit per outlet: at most `crawls_per_site` crawls of one site at once.

The writer lock already serialises runs on one warehouse; this limit also covers runs writing to
different warehouses (or a manual run beside a scheduled one) on the same Prefect server, so two
of them never hit one outlet together. Limits are created on first use; politeness bookkeeping
that fails (no API reachable) is logged and never fails the run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

LIMIT_PREFIX = "newsetl-site-"
# A slot is a lease the holder keeps renewing; a run killed outright (SIGKILL) stops renewing, and its
# slot frees itself this many seconds later instead of after the default five minutes.
SLOT_LEASE_SECONDS = 60.0  # the least the Prefect server accepts

logger = logging.getLogger("newsetl.flows")


def site_limit_names(sites: Iterable[str]) -> list[str]:
    return [LIMIT_PREFIX + key for key in sorted(set(sites))]


def ensure_site_limits(sites: Iterable[str], crawls_per_site: int) -> list[str]:
    """Create (or resize) the per-site limits; return the names that exist, [] if the API is unreachable."""
    from prefect.client.orchestration import get_client

    names = site_limit_names(sites)
    if not names or crawls_per_site <= 0:
        return []
    try:
        with get_client(sync_client=True) as client:
            for name in names:
                client.upsert_global_concurrency_limit_by_name(name, crawls_per_site)
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        logger.warning("per-site concurrency limits unavailable, crawling without them: %s", exc)
        return []
    return names


@contextmanager
def site_slots(names: list[str], timeout_seconds: float | None) -> Iterator[None]:
    """Hold one slot of every named limit (all or none) while the body runs."""
    if not names:
        yield
        return
    from prefect.concurrency.sync import concurrency

    with concurrency(names, occupy=1, timeout_seconds=timeout_seconds, lease_duration=SLOT_LEASE_SECONDS, strict=False):
        yield
