"""`gridcall run` on a real pseudo-terminal, read as a terminal would read it (pyte).

The console runs in its own process, as an operator starts it, with the environment a
terminal gives it (TERM, NO_COLOR…) and its clock stopped at the seed's anchor, so the lights
are the snapshots' lights. Everything it writes is kept (`sent`) and fed to a terminal
emulator (`screen`).
"""

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
from collections.abc import Callable
from pathlib import Path
from select import select
from types import TracebackType

import pyte
from wcwidth import wcwidth

from tests.conftest import ANCHOR

# The console's own entry point, with the clock stopped where the tests' stores were seeded.
_DRIVER = r"""
import sys
from datetime import datetime
from console import wallclock
wallclock.freeze(datetime.fromisoformat(sys.argv[1]))
sys.argv = ["gridcall", *sys.argv[2:]]
from console.launch import main
main()
"""
ROOT = Path(__file__).resolve().parents[2]
CASE_CODE = re.compile(r"[A-Z]20\d\d-\d{7}")


class OnPty:
    """One `gridcall run` on a pseudo-terminal of `size`."""

    def __init__(
        self,
        url: str,
        env: dict[str, str],
        tmp: Path,
        *,
        login: str,
        size: tuple[int, int] = (80, 24),
        lang: str = "en",
        args: tuple[str, ...] = (),
    ) -> None:
        self.size = size
        self.sent = b""
        self.screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self.screen)
        master, slave = pty.openpty()
        columns, lines = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        environ = {
            k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL")
        }
        environ |= {
            "PYTHONPATH": str(ROOT),
            "GRIDCALL_STATE_DIR": str(tmp / "state"),  # no shift token: the sign-in screen
            "GRIDCALL_CONFIG": str(tmp / "none.toml"),
            "COLUMNS": str(columns),
            "LINES": str(lines),
        } | env
        argv = ["run", "--db", url, "--user", login, "--lang", lang, *args]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _DRIVER, ANCHOR.isoformat(), *argv],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environ,
            start_new_session=True,
        )
        os.close(slave)
        self._master = master

    def __enter__(self) -> OnPty:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._master)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select([self._master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self._master, 65536)
        except OSError:  # the process has gone
            return False
        self.sent += data
        self._stream.feed(data)
        return True

    def wait_for(self, shown: Callable[[], bool], timeout: float = 30.0) -> None:
        """Read until `shown()` holds; fail with the screen if it never does."""
        deadline = time.monotonic() + timeout
        while not shown():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError("never shown:\n" + self.text)
            self._read(0.2)

    def wait_for_text(self, text: str, timeout: float = 30.0) -> None:
        self.wait_for(lambda: text in self.text, timeout)

    def settle(self, quiet: float = 0.5) -> None:
        """Read until the console has written nothing for `quiet` seconds."""
        while self._read(quiet):
            pass

    def type(self, keys: str | bytes) -> None:
        os.write(self._master, keys.encode() if isinstance(keys, str) else keys)

    def sign_in(self, password: str) -> None:
        """At the sign-in screen, with the login filled in: the password, then Enter; then
        wait for the queue's cases."""
        self.wait_for_text("demo password")
        self.settle(0.3)
        self.type(password + "\r")
        self.wait_for(lambda: CASE_CODE.search(self.text) is not None)
        self.settle()

    @property
    def lines(self) -> list[str]:
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
                stub = bool(data) and wcwidth(data[0]) == 2
            return "".join(shown)

        return [render(y) for y in range(screen.lines)]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
