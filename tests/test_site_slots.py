"""Per-site crawl slots without a Prefect server: flock'd files the kernel frees when the holder dies, so a run
killed with SIGKILL never blocks the next run of its outlets (real processes, real files, a real `newsetl run`).

That next run also shows that a reader holding the warehouse open (`duckdb -readonly`, a notebook) never fails
a run: its writes wait for the file and it completes. (One run serves both: each costs a process start with
Prefect's temporary server.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flows.site_limits import SiteBusyError, local_site_slots
from newsetl.api import mirror_config
from warehouse import Warehouse
from warehouse.lock import HeldFile

BIN = Path(sys.executable).parent
NAMES = ["newsetl-site-alpha", "newsetl-site-beta"]
READER_HOLDS_SECONDS = 5
# Holds the file from before the run until the run holds its writer lock (its run id, not the killed run's that
# the lock file may still name, is in the lock file, so its first write is next), then a few seconds more: the
# run's writes must wait for it.
READER = """
import json, sys, time, duckdb
from pathlib import Path
connection = duckdb.connect(sys.argv[1], read_only=True)
print("reading", flush=True)
lock = Path(sys.argv[1] + ".lock")
deadline = time.monotonic() + 240
while time.monotonic() < deadline:
    try:
        if json.loads(lock.read_text() or "{}").get("run_id") not in ("", None, sys.argv[3]):
            break
    except (OSError, ValueError):
        pass
    time.sleep(0.05)
time.sleep(float(sys.argv[2]))
connection.close()
"""


def _hold_in_child(directory: Path, crawls_per_site: int = 1) -> subprocess.Popen:
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from flows.site_limits import local_site_slots
        with local_site_slots(Path({str(directory)!r}), {NAMES!r}, {crawls_per_site}, 5, "child-run"):
            print("held", flush=True)
            time.sleep(120)
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_a_live_holder_keeps_the_slot_and_a_killed_one_frees_it_at_once(tmp_path: Path) -> None:
    child = _hold_in_child(tmp_path)
    try:
        with pytest.raises(SiteBusyError) as busy, local_site_slots(tmp_path, NAMES, 1, 0.6):
            pass
        assert f"pid {child.pid}" in str(busy.value) and "child-run" in str(busy.value)
    finally:
        child.kill()
        child.wait()
    started = time.monotonic()
    with local_site_slots(tmp_path, NAMES, 1, 0):
        assert time.monotonic() - started < 5


def test_crawls_per_site_slots_are_shared_out(tmp_path: Path) -> None:
    child = _hold_in_child(tmp_path, crawls_per_site=2)
    try:
        with (
            local_site_slots(tmp_path, NAMES, 2, 0),
            pytest.raises(SiteBusyError),
            local_site_slots(tmp_path, NAMES, 2, 0),
        ):
            pass
    finally:
        child.kill()
        child.wait()


@pytest.mark.slow
def test_a_run_killed_while_crawling_does_not_block_the_next_run_which_waits_for_a_reader(
    tmp_path: Path, mirror_server
) -> None:
    config = tmp_path / "newsetl.toml"
    # zdnet on the mirror, every other site off: no real site is ever contacted.
    served = mirror_config({"zdnet": mirror_server.base_urls["zdnet"]})
    config.write_text(f"[crawl]\nbatch_size = 4\n{served}\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # its own ephemeral server database and slot files
    db = tmp_path / "w.duckdb"
    Warehouse.open(db).close()  # an existing warehouse, as a reader would find it
    command = [str(BIN / "newsetl"), "run", "--quiet", "--config", str(config), "--db", str(db)]
    slot = HeldFile(tmp_path / "prefect" / "site-slots" / "newsetl-site-zdnet.0.slot")

    victim = subprocess.Popen(command, cwd=tmp_path, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and victim.poll() is None:
            if slot.path.exists() and not slot.try_acquire():
                break  # the run holds the outlet's slot: it is crawling
            slot.release()
            time.sleep(0.1)
        assert victim.poll() is None, "the run ended before it was seen holding its slot"
    finally:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
    with Warehouse.open(db, read_only=True) as store:
        loaded_before = store.scalar("SELECT count(*) FROM articles")  # batches the killed run committed
    killed_run = json.loads(Path(f"{db}.lock").read_text(encoding="utf-8") or "{}").get("run_id") or ""

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(READER_HOLDS_SECONDS), killed_run],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        rerun = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False)
    finally:
        reader.kill()
        reader.wait()
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    with Warehouse.open(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM articles WHERE source = 'zdnet'") == 12
        last_run = store.query("SELECT status, articles_new FROM runs ORDER BY started_at DESC LIMIT 1").rows
    assert last_run == [("completed", 12 - loaded_before)]
