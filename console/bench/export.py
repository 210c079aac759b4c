"""`gridcall export cases` of the whole store, timed and weighed: the command run as its own
process by a district supervisor (who reads every case), its peak resident memory read from
the kernel's account of that process alone (wait4's rusage, not the bench's own)."""

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
        proc = subprocess.Popen(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        assert proc.stderr is not None
        said = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"gridcall export cases --format {fmt} failed: {said.strip()}")
        size = out.stat().st_size
    # Linux counts ru_maxrss in KiB.
    return Exported(took, usage.ru_maxrss / 1024, size / 2**20)
