"""`gridcall run` in a fresh process on a pseudo-terminal, as a person would start it: start-up
and memory at 160×48, beside an empty Textual app started the same way (the floor); and the
bytes the console writes to an 80×24 terminal, per cursor move and per idle minute."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from select import select as wait_for_input

from console.bench.stores import LOGIN
from console.bench.terminal import end, on_shift, spawn

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
DOWN = b"\x1b[B"
CASE_CODE = re.compile(rb"[A-Z]20\d\d-\d{7}")
# The console, with its clock set on by less than a minute so that a minute turns TURN seconds
# after it starts: the bench waits seconds for the minute's redraw, not up to a minute.
_SHIFTED = r"""
import sys
from datetime import UTC, datetime, timedelta
from console import wallclock
real = datetime.now(UTC)
shift = timedelta(seconds=60 - float(sys.argv[1]) - real.second - real.microsecond / 1e6)
wallclock.now = lambda: datetime.now(UTC) + shift
sys.argv = ["gridcall", *sys.argv[2:]]
from console.launch import main
main()
"""
TURN = 20.0  # seconds from the start to the minute's turn
MOVES = 20  # cursor moves measured
QUIET = 0.25  # seconds without output that end a key's repaint


def _first_screen(
    proc: subprocess.Popen[bytes],
    master: int,
    shows: re.Pattern[bytes],
    started: float,
    name: str,
) -> float:
    """Read until the screen shows `shows`; the seconds from `started`."""
    seen = b""
    deadline = started + 120
    while time.perf_counter() < deadline:
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
            return time.perf_counter() - started
    tail = seen[-400:].decode("utf-8", "replace")
    raise RuntimeError(f"{name}: never showed its first screen: {tail}")


def _in_terminal(
    argv: list[str], shows: re.Pattern[bytes], pages: int = 0, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Start `argv` on a pseudo-terminal of 160×48; time until the screen shows `shows`; then
    press PgDn `pages` times and read the process's peak memory."""
    proc, master = spawn(argv, (160, 48), {"TERM": "xterm-256color"} | (env or {}))
    started = time.perf_counter()  # once it runs: the bench's own fork is not its start
    try:
        first = _first_screen(proc, master, shows, started, " ".join(argv[-4:]))
        for _ in range(pages):
            os.write(master, PAGE_DOWN)
            drain(master, 0.02)
        drain(master, 1.0 if pages else 0.2)
        rss = _peak_rss_mb(proc.pid)
    finally:
        end(proc, master)
    return {"first": first * 1000, "rss": rss}


def drain(master: int, seconds: float) -> int:
    """Read what the app writes for a while, as a terminal would (a full pty blocks it); how
    many bytes it wrote."""
    written = 0
    until = time.perf_counter() + seconds
    while (left := until - time.perf_counter()) > 0:
        ready, _, _ = wait_for_input([master], [], [], left)
        if ready:
            try:
                written += len(os.read(master, 65536))
            except OSError:
                break
    return written


def _until_quiet(master: int) -> int:
    """Read until the app has written nothing for QUIET seconds; how many bytes it wrote."""
    written = 0
    while wait_for_input([master], [], [], QUIET)[0]:
        try:
            written += len(os.read(master, 65536))
        except OSError:
            break
    return written


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
    argv = [sys.executable, "-m", "console.launch", "run", "--db", url, "--user", LOGIN]
    return _in_terminal(argv, CASE_CODE, pages=60, env=on_shift(url, LOGIN))


def traffic(url: str) -> dict[str, list[float]]:
    """What `gridcall run` writes to an 80×24 terminal (TERM=xterm-256color): the bytes after
    each of MOVES presses of ↓ in the queue, each until QUIET seconds pass without output; and
    the bytes of an idle minute: everything written from the last move's quiet until 3 s after
    the minute turns (the console's clock is set so that it turns TURN s after the start;
    every periodic redraw of the console falls on the turn)."""
    argv = [sys.executable, "-c", _SHIFTED, str(TURN), "run", "--db", url, "--user", LOGIN]
    started = time.perf_counter()
    proc, master = spawn(argv, (80, 24), {"TERM": "xterm-256color"} | on_shift(url, LOGIN))
    try:
        _first_screen(proc, master, CASE_CODE, started, "gridcall run")
        drain(master, 1.0)
        moves = []
        for _ in range(MOVES):
            os.write(master, DOWN)
            moves.append(float(_until_quiet(master)))
        _until_quiet(master)
        turn = started + TURN
        if time.perf_counter() > turn - 1:
            raise RuntimeError("the console took too long to start: the minute turned unseen")
        idle = drain(master, turn + 3 - time.perf_counter())
    finally:
        end(proc, master)
    return {"move": moves, "idle": [float(idle)]}
