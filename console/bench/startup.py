"""Start-up and memory: `gridcall run` in a fresh process on a pseudo-terminal of 160×48, as
a person would start it, beside an empty Textual app started the same way (the floor)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from select import select as wait_for_input

from console.bench.stores import LOGIN
from console.credentials import ENV_TOKEN
from console.db import Store
from console.services.auth import SHIFT, issue_token

# An empty Textual app, started the same way as the console: the floor every start-up is
# compared with.
_FLOOR = r"""
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("READY")

Empty().run()
"""
PAGE_DOWN = b"\x1b[6~"
CASE_CODE = re.compile(rb"[A-Z]20\d\d-\d{7}")


def _in_terminal(
    argv: list[str], shows: re.Pattern[bytes], pages: int = 0, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Start `argv` on a real pseudo-terminal of 160×48, as a person would at a console; time
    until the screen shows `shows`; then press PgDn `pages` times and read the process's peak
    memory."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": "160", "LINES": "48"} | (env or {})
    env.pop("TEXTUAL", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    first = None
    try:
        deadline = started + 120
        while first is None and time.perf_counter() < deadline:
            ready, _, _ = wait_for_input([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            if shows.search(seen):
                first = time.perf_counter() - started
        if first is None:
            tail = seen[-400:].decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(argv[-4:])}: never showed its first screen: {tail}")
        for _ in range(pages):
            os.write(master, PAGE_DOWN)
            _drain(master, 0.02)
        _drain(master, 1.0 if pages else 0.2)
        rss = _peak_rss_mb(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    return {"first": first * 1000, "rss": rss}


def _drain(master: int, seconds: float) -> None:
    """Read what the app writes for a while, as a terminal would (a full pty blocks it)."""
    until = time.perf_counter() + seconds
    while (left := until - time.perf_counter()) > 0:
        ready, _, _ = wait_for_input([master], [], [], left)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                return


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def floor() -> float:
    return _in_terminal([sys.executable, "-c", _FLOOR], re.compile(rb"READY"))["first"]


def start(url: str) -> dict[str, float]:
    """`gridcall run` itself, to the first screen that shows cases; then 60 PgDn. The operator
    signed in with `gridcall login` before the shift, so the console opens on the queue."""
    store = Store(url)
    token = issue_token(store, LOGIN, kind=SHIFT, hours=1)
    store.dispose()
    argv = [sys.executable, "-m", "console.launch", "run", "--db", url, "--user", LOGIN]
    return _in_terminal(argv, CASE_CODE, pages=60, env={ENV_TOKEN: token})
