"""At most `crawls_per_site` crawls of one outlet at once, across runs and warehouses.

The writer lock already serialises runs on one warehouse; this limit also covers runs writing to
different warehouses (or a manual run beside a scheduled one), so two of them never hit one outlet
together. Two homes for the slots, by where Prefect runs:
- a Prefect server (PREFECT_API_URL set): a global concurrency limit per outlet, held as a lease the
  holder renews; the server outlives a killed run and frees its slot when the lease lapses;
- no server (ephemeral mode, each run starts a temporary one that dies with it): flock'd slot files
  under PREFECT_HOME. Prefect's leases live in the temporary server's memory there, so a run killed
  while holding one left the slot counted forever and every later run of that outlet waited out the
  crawl timeout; the kernel frees a dead process's flock at once.
Limits are created on first use; politeness bookkeeping that fails (no API reachable) is logged and
never fails the run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from warehouse.lock import POLL_SECONDS, HeldFile

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
    if _ephemeral():
        return names  # slot files need no set-up
    try:
        with get_client(sync_client=True) as client:
            for name in names:
                client.upsert_global_concurrency_limit_by_name(name, crawls_per_site)
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        logger.warning("per-site concurrency limits unavailable, crawling without them: %s", exc)
        return []
    return names


class SiteBusyError(RuntimeError):
    """Every slot of an outlet stayed taken by live runs for the whole wait."""


@contextmanager
def site_slots(
    names: list[str], timeout_seconds: float | None, crawls_per_site: int = 1, run_id: str = ""
) -> Iterator[None]:
    """Hold one slot of every named limit (all or none) while the body runs."""
    if not names:
        yield
        return
    if _ephemeral():
        with local_site_slots(slot_directory(), names, crawls_per_site, timeout_seconds, run_id):
            yield
        return
    from prefect.concurrency.sync import concurrency

    with concurrency(names, occupy=1, timeout_seconds=timeout_seconds, lease_duration=SLOT_LEASE_SECONDS, strict=False):
        yield


@contextmanager
def local_site_slots(
    directory: Path, names: list[str], crawls_per_site: int, timeout_seconds: float | None, run_id: str = ""
) -> Iterator[None]:
    """One free slot file per name (`<name>.<n>.slot`, n < crawls_per_site), waiting while all are held by live
    processes; a dead holder's slot is free at once. Raises SiteBusyError, naming the holders, after the wait."""
    deadline = time.monotonic() + (timeout_seconds if timeout_seconds is not None else float("inf"))
    with ExitStack() as held:
        for name in names:
            slots = [HeldFile(directory / f"{name}.{number}.slot") for number in range(max(1, crawls_per_site))]
            while not any(slot.try_acquire(run_id) for slot in slots):
                if time.monotonic() >= deadline:
                    holders = "; ".join(slot.holder() for slot in slots)
                    raise SiteBusyError(f"{name}: every crawl slot is held by a running crawl ({holders})")
                time.sleep(POLL_SECONDS)
            held.callback(next(slot for slot in slots if slot.held).release)
        yield


def slot_directory() -> Path:
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()) / "site-slots"


def _ephemeral() -> bool:
    """True when no Prefect server is configured: each process runs a temporary one of its own."""
    from prefect.settings import PREFECT_API_URL

    return not PREFECT_API_URL.value()
