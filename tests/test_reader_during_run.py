"""A reader that holds the warehouse open (`duckdb -readonly`, a notebook) during a run never fails it: the run's
writes wait for the file and the run completes (a real `newsetl run` over the loopback mirror, a real reader)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse import Warehouse

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
READER_HOLDS_SECONDS = 5
# Holds the file from before the run until the run holds its writer lock (its run id is in the lock file, so
# its first write is next), then a few seconds more: the run's writes must wait for it.
READER = """
import json, sys, time, duckdb
from pathlib import Path
connection = duckdb.connect(sys.argv[1], read_only=True)
print("reading", flush=True)
lock = Path(sys.argv[1] + ".lock")
deadline = time.monotonic() + 240
while time.monotonic() < deadline:
    try:
        if json.loads(lock.read_text() or "{}").get("run_id"):
            break
    except (OSError, ValueError):
        pass
    time.sleep(0.05)
time.sleep(float(sys.argv[2]))
connection.close()
"""


def test_a_run_waits_for_a_reader_and_completes(tmp_path: Path, mirror_server) -> None:
    db = tmp_path / "w.duckdb"
    Warehouse.open(db).close()  # an existing warehouse, as a reader would find it
    config = tmp_path / "newsetl.toml"
    lines = ["[politeness]", "autothrottle = false"]
    for key, url in mirror_server.base_urls.items():
        lines += [f"[sites.{key}]", f'base_url = "{url}"' if key == "zdnet" else "enabled = false"]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER,
            str(db),
            str(READER_HOLDS_SECONDS),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
        env["PREFECT_HOME"] = str(tmp_path / "prefect")
        run = subprocess.run(
            [str(BIN / "newsetl"), "run", "--quiet", "--config", str(config), "--db", str(db)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        reader.kill()
        reader.wait()
    assert run.returncode == 0, run.stderr[-2000:]
    with Warehouse.open(db, read_only=True) as store:
        assert store.query("SELECT status, articles_new FROM runs").rows == [("completed", 12)]
