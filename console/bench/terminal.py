"""A program on a real pseudo-terminal, read as a terminal would read it: everything it writes
is fed to a terminal emulator (pyte), whose screen is read line by line. The bench times what
the screen shows with it (`Terminal.wait_for` says when the screen first showed a thing); the
tests drive `gridcall run` with it (tests/tui/pty.py)."""

from __future__ import annotations

import atexit
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterable
from select import select
from types import TracebackType

import pyte
from wcwidth import wcwidth

from console.credentials import ENV_TOKEN
from console.db import Store
from console.services.auth import SHIFT, issue_token

WIDE_FROM = "\u1100"  # the first character that may take two cells (Hangul Jamo)
# Every program spawned here and not yet ended, to end with the process that spawned it.
_running: set[subprocess.Popen[bytes]] = set()


def spawn(
    argv: list[str],
    size: tuple[int, int],
    env: dict[str, str] | None = None,
    drop: Iterable[str] = (),
) -> tuple[subprocess.Popen[bytes], int]:
    """`argv` on a real pseudo-terminal of `size` (columns, lines), as a person would start it
    at a console, with this environment less `drop` plus `env`; the process and the terminal's
    end to read and type into. It returns once the program runs: time its start from then.
    (Taking the terminal in the child makes Popen fork rather than vfork, and a fork costs
    the spawning process's size: some 40 ms from a bench of 500 MB, none of it the program's.)"""
    columns, lines = size
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    # TEXTUAL (devtools, debug) would change what the app does and writes.
    left_out = {"TEXTUAL", *drop}
    environ = {k: v for k, v in os.environ.items() if k not in left_out}
    environ |= {"COLUMNS": str(columns), "LINES": str(lines)} | (env or {})
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environ,
        start_new_session=True,
        preexec_fn=_take_terminal,
    )
    os.close(slave)
    _running.add(proc)
    return proc, master


def _take_terminal() -> None:
    """In the child, after setsid and before exec: the pseudo-terminal on its stdin becomes
    its controlling terminal, as a login's does. So when the terminal goes (its end closed,
    even by the death of whoever held it) the kernel sends the program SIGHUP, as a real
    terminal closing would; without one it would only read EOF, and nothing else."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def end(proc: subprocess.Popen[bytes], master: int) -> None:
    """Kill a program `spawn` started, and close its terminal."""
    proc.kill()
    proc.wait()
    os.close(master)
    _running.discard(proc)


@atexit.register
def _end_all() -> None:
    """At the spawning process's end, by its return, ^C or SystemExit: every program it left
    running is killed. (Were it killed itself, closing its terminals' ends hangs them up.)"""
    for proc in _running:
        proc.kill()
        proc.wait()


class Terminal:
    """One program on a pseudo-terminal of `size`, its screen kept by pyte."""

    def __init__(
        self,
        argv: list[str],
        size: tuple[int, int] = (80, 24),
        env: dict[str, str] | None = None,
        drop: Iterable[str] = (),
    ) -> None:
        self.size = size
        self._sent = bytearray()
        self.screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self.screen)
        self.process, self._master = spawn(argv, size, env, drop)
        # perf_counter() at the last read: when the screen last took in what the program wrote.
        self.read_at = time.perf_counter()
        self._lines: list[str] | None = None  # the screen's lines, read once per change

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        end(self.process, self._master)

    @property
    def sent(self) -> bytes:
        """Every byte the program has written."""
        return bytes(self._sent)

    def read(self, timeout: float) -> bool:
        """Read what the program wrote within `timeout` seconds into the screen; False if it
        wrote nothing (or has gone)."""
        ready, _, _ = select([self._master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self._master, 65536)
        except OSError:  # the process has gone
            return False
        self.read_at = time.perf_counter()
        self._sent += data
        self._stream.feed(data)
        self._lines = None
        return True

    def wait_for(self, shown: Callable[[], bool], timeout: float = 30.0) -> float:
        """Read until `shown()` holds; the perf_counter() of the read that made it hold (the
        last read, if it held already). Fails with the screen if it never does."""
        deadline = time.monotonic() + timeout
        while True:
            # All that has come is read before the screen is looked at: looking takes
            # milliseconds, and a reader that fell behind would stamp each frame late.
            while self.read(0):
                pass
            if shown():
                return self.read_at
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError("never shown:\n" + self.text)
            self.read(0.2)

    def wait_for_text(self, text: str, timeout: float = 30.0) -> float:
        return self.wait_for(lambda: text in self.text, timeout)

    def settle(self, quiet: float = 0.5) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        while self.read(quiet):
            pass

    def type(self, keys: str | bytes) -> float:
        """Type `keys` in one burst, as one write; the perf_counter() just after it."""
        os.write(self._master, keys.encode() if isinstance(keys, str) else keys)
        return time.perf_counter()

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._render()
        return self._lines

    def _render(self) -> list[str]:
        # pyte's own `display` fails (IndexError) on a cell whose data is empty, which a wide
        # character overwritten by half leaves behind: the cells are read here as they are.
        screen = self.screen

        def render(y: int) -> str:
            line, shown, stub = screen.buffer[y], [], False
            for x in range(screen.columns):
                if stub:  # the second half of a wide character
                    stub = False
                    continue
                data = line[x].data
                shown.append(data)
                # Nothing below U+1100 is wide: most cells are told without asking wcwidth.
                stub = data >= WIDE_FROM and wcwidth(data[0]) == 2
            return "".join(shown)

        return [render(y) for y in range(screen.lines)]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def console(url: str, login: str, size: tuple[int, int] = (160, 48)) -> Terminal:
    """`gridcall run --db url --user login` on a pseudo-terminal of `size` (256 colours). The
    user signed in with `gridcall login` before the shift, so the console opens on the queue."""
    argv = [sys.executable, "-m", "console.launch", "run", "--db", url, "--user", login]
    return Terminal(argv, size, {"TERM": "xterm-256color"} | on_shift(url, login))


def on_shift(url: str, login: str) -> dict[str, str]:
    """The environment of a console whose user signed in with `gridcall login` before the
    shift (a shift token, kept in the store as a sign-in): it opens on the queue."""
    store = Store(url)
    token = issue_token(store, login, kind=SHIFT, hours=1)
    store.dispose()
    return {ENV_TOKEN: token}
