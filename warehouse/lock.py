"""Advisory lock files that name their holder: one writer per warehouse (`WriterLock`), and the generic
`HeldFile` that the per-site crawl slots use too.

flock is released by the kernel when the holder dies (even by SIGKILL), so a killed run never
leaves a stale lock; the file's text names the holder for the error message.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from pathlib import Path
from typing import IO

from newsetl.config import is_lake_target
from warehouse.store import WarehouseLockedError

POLL_SECONDS = 0.5


class HeldFile:
    """An exclusive flock on `path` whose text says who holds it (pid, host, run, since)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def try_acquire(self, run_id: str = "") -> bool:
        """Take the lock if it is free; never waits."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "run_id": run_id,
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        handle.write(json.dumps(holder))
        handle.flush()
        self._handle = handle
        return True

    def holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "unknown holder"
        return (
            f"pid {info.get('pid')} on {info.get('host')}, run {info.get('run_id') or '?'}, since {info.get('since')}"
        )

    def release(self) -> None:
        if self._handle is not None:
            self._handle.seek(0)
            self._handle.truncate()
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class WriterLock:
    def __init__(self, db_path: str | Path, *, run_id: str = "", wait_seconds: float = 0.0) -> None:
        # A DuckLake has many writers: its own commit-time conflict checks replace this lock.
        self.lake = is_lake_target(db_path)
        self.db_path = Path(db_path)
        self.path = self.db_path.with_name(self.db_path.name + ".lock")
        self.run_id = run_id
        self.wait_seconds = wait_seconds
        self._file = HeldFile(self.path)

    def holder(self) -> str:
        return self._file.holder()

    def acquire(self) -> WriterLock:
        if self.lake:
            return self
        deadline = time.monotonic() + self.wait_seconds
        while not self._file.try_acquire(self.run_id):
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"{self.db_path}: another newsetl run is writing to this warehouse "
                    f"({self.holder()}); "
                    "try again when it finishes, or pass --wait SECONDS"
                )
            time.sleep(POLL_SECONDS)
        return self

    def release(self) -> None:
        self._file.release()

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
