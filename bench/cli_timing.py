"""How long everyday commands take to answer (a benchmark, not a test): `make bench-cli`, also run by `make bench`.

    python bench/cli_timing.py [--repeat 5] [--json FILE]

Times, as a person at a shell would see them (the wall clock of the whole process, its start included):
- `newsetl --help` and `newsetl sql "select 1"` against a small warehouse: target under 0.5 s;
- a refused second `newsetl run`: another process holds the warehouse's writer lock, so the run says who holds it
  and exits 2, before Prefect or Scrapy start: target under 2 s.
Each command runs --repeat times after one warm-up run (the page cache and .pyc files); the median wall time is
reported beside the fastest, the slowest and the median CPU time. No command here fetches a page.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NEWSETL = str(Path(sys.executable).with_name("newsetl"))
TARGETS = {"newsetl --help": 0.5, 'newsetl sql "select 1"': 0.5, "refused second run": 2.0}


def wall_seconds(command: list[str], cwd: Path, expect: int, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each of `repeat` runs of `command` (after one warm-up); each must exit `expect`.
    CPU time (user + system of the child) is what the command itself costs when the shared machine is busy."""
    times = []
    for attempt in range(repeat + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if result.returncode != expect:
            raise SystemExit(
                f"{' '.join(command)}: exit {result.returncode}, expected {expect}: {result.stderr[-500:]}"
            )
        if attempt:
            times.append((elapsed, cpu))
    return times


def measure(repeat: int) -> dict[str, list[tuple[float, float]]]:
    # Environment of a plain shell: no config file in the directory, Prefect home kept out of the user's.
    from warehouse import Warehouse, WriterLock

    with tempfile.TemporaryDirectory(prefix="newsetl-cli-bench-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("PREFECT_HOME", str(work / "prefect"))
        db = work / "bench.duckdb"
        with Warehouse.open(db):
            pass  # an empty warehouse with every migration applied
        figures = {
            "newsetl --help": wall_seconds([NEWSETL, "--help"], work, 0, repeat),
            'newsetl sql "select 1"': wall_seconds([NEWSETL, "sql", "select 1", "--db", str(db)], work, 0, repeat),
        }
        with WriterLock(db, run_id="cli-bench-holder"):
            refused = [NEWSETL, "run", "--db", str(db), "--site", "zdnet", "--quiet"]
            figures["refused second run"] = wall_seconds(refused, work, 2, repeat)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = measure(args.repeat)
    print(f"{'command':<26} {'median':>8} {'fastest':>8} {'slowest':>8} {'CPU':>8} {'target':>8}")
    report = {}
    for name, runs in figures.items():
        walls = [wall for wall, _ in runs]
        median, cpu = statistics.median(walls), statistics.median(cpu for _, cpu in runs)
        verdict = "ok" if median < TARGETS[name] else "OVER"
        print(
            f"{name:<26} {median:>7.2f}s {min(walls):>7.2f}s {max(walls):>7.2f}s {cpu:>7.2f}s "
            f"{TARGETS[name]:>7.1f}s {verdict}"
        )
        report[name] = {"median": median, "fastest": min(walls), "slowest": max(walls), "cpu_median": cpu}
        report[name]["target"] = TARGETS[name]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times stretch with it; CPU does not)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
