"""`gridcall run` in a fresh process on a pseudo-terminal, as a person would start it: start-up
and memory at 160×48, beside an empty Textual app started the same way (the floor); and the
bytes the console writes to an 80×24 terminal, per cursor move and per idle minute."""

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


def _start(
    argv: list[str], size: tuple[int, int], env: dict[str, str] | None
) -> tuple[subprocess.Popen[bytes], int]:
    """`argv` on a real pseudo-terminal of `size` (columns, lines), as a person would start it
    at a console; the process and the terminal's end the bench reads."""
    columns, lines = size
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = (
        os.environ
        | {"TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
        | (env or {})
    )
    env.pop("TEXTUAL", None)
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    return proc, master


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


def _stop(proc: subprocess.Popen[bytes], master: int) -> None:
    proc.kill()
    proc.wait()
    os.close(master)


def _in_terminal(
    argv: list[str], shows: re.Pattern[bytes], pages: int = 0, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Start `argv` on a pseudo-terminal of 160×48; time until the screen shows `shows`; then
    press PgDn `pages` times and read the process's peak memory."""
    started = time.perf_counter()
    proc, master = _start(argv, (160, 48), env)
    try:
        first = _first_screen(proc, master, shows, started, " ".join(argv[-4:]))
        for _ in range(pages):
            os.write(master, PAGE_DOWN)
            drain(master, 0.02)
        drain(master, 1.0 if pages else 0.2)
        rss = _peak_rss_mb(proc.pid)
    finally:
        _stop(proc, master)
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
    store = Store(url)
    token = issue_token(store, LOGIN, kind=SHIFT, hours=1)
    store.dispose()
    argv = [sys.executable, "-m", "console.launch", "run", "--db", url, "--user", LOGIN]
    return _in_terminal(argv, CASE_CODE, pages=60, env={ENV_TOKEN: token})


def traffic(url: str) -> dict[str, list[float]]:
    """What `gridcall run` writes to an 80×24 terminal (TERM=xterm-256color): the bytes after
    each of MOVES presses of ↓ in the queue, each until QUIET seconds pass without output; and
    the bytes of an idle minute: everything written from the last move's quiet until 3 s after
    the minute turns (the console's clock is set so that it turns TURN s after the start;
    every periodic redraw of the console falls on the turn)."""
    store = Store(url)
    token = issue_token(store, LOGIN, kind=SHIFT, hours=1)
    store.dispose()
    argv = [sys.executable, "-c", _SHIFTED, str(TURN), "run", "--db", url, "--user", LOGIN]
    started = time.perf_counter()
    proc, master = _start(argv, (80, 24), {ENV_TOKEN: token})
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
        _stop(proc, master)
    return {"move": moves, "idle": [float(idle)]}
