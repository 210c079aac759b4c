"""`gridcall export cases` of the whole store, timed and weighed: the command run as its own
process by a district supervisor (who reads every case), its peak resident memory read from
the kernel's account of that process alone (wait4's rusage, not the bench's own).

A child forked from the bench carries the bench's high-water mark into its `ru_maxrss` (Linux
keeps it across exec: a 300 MB bench read as a 300 MB export), so the export is forked by a
small launcher, itself started afresh, which reports its child's peak."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from console.credentials import ENV_TOKEN
from console.db import Store
from console.services.auth import SHIFT, issue_token

DISTRICT = "sup.district1"  # reads the whole district: the export holds every case
# Runs argv[1:] with stdout on /dev/null, waits for it, prints its peak resident KiB and ends
# with its exit code.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, flush=True)
sys.exit(os.waitstatus_to_exitcode(status))
"""


@dataclass(frozen=True)
class Exported:
    seconds: float
    peak_mb: float  # the exporting process's peak resident set
    size_mb: float  # the file written


def export_whole(url: str, fmt: str) -> Exported:
    """Every case of the store at `url` exported in `fmt` to a temporary file, then removed."""
    store = Store(url)
    token = issue_token(store, DISTRICT, kind=SHIFT, hours=1)
    store.dispose()
    env = {**os.environ, ENV_TOKEN: token}
    env.pop("GRIDCALL_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="gridcall-export-") as tmp:
        out = Path(tmp) / f"cases.{fmt}"
        argv = [sys.executable, "-m", "console.launch", "--lang", "zh", "export", "cases"]
        argv += ["--all", "--format", fmt, "-o", str(out), "--db", url]
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, *argv], env=env, capture_output=True, text=True
        )
        took = time.perf_counter() - started
        if done.returncode != 0:
            said = done.stderr.strip()
            raise RuntimeError(f"gridcall export cases --format {fmt} failed: {said}")
        size = out.stat().st_size
    # Linux counts ru_maxrss in KiB.
    return Exported(took, int(done.stdout) / 1024, size / 2**20)
