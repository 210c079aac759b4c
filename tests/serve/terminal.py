"""A person's terminal for the tests: a real program on a pseudo-terminal, its screen read by a
terminal emulator (pyte), keys typed into it, its window resized."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable

import pyte

WAIT = 30.0  # seconds a screen may take to show up on a busy 2-core CI machine


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the pty, as a login
    shell's is, so that it gets SIGWINCH and `ssh` can ask for a password on /dev/tty."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    def __init__(
        self, argv: list[str], cols: int = 80, rows: int = 24, env: dict[str, str] | None = None
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()  # every byte the program wrote
        self._lock = threading.Lock()
        master, slave = pty.openpty()
        self._size(slave, cols, rows)
        self.master = master
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=os.environ | {"TERM": "xterm-256color"} | (env or {}),
            preexec_fn=_own_terminal,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @staticmethod
    def _size(fd: int, cols: int, rows: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.raw += data
                self.stream.feed(data)

    def text(self) -> str:
        """The screen's lines. Read cell by cell: a wide (CJK) character's second cell holds
        an empty string, which pyte's own `display` trips over."""
        with self._lock:
            buffer, width = self.screen.buffer, self.screen.columns
            lines = (
                "".join(buffer[y][x].data for x in range(width)) for y in range(self.screen.lines)
            )
            return "\n".join(line.rstrip() for line in lines)

    def wait_for(self, wanted: str | Callable[[str], bool], timeout: float = WAIT) -> str:
        """The screen once it shows `wanted`; fails with the screen as it is otherwise."""
        test = wanted if callable(wanted) else (lambda screen: wanted in screen)
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            screen = self.text()
            if test(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"the screen never showed {wanted!r}:\n{self.text()}")

    def type(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def resize(self, cols: int, rows: int) -> None:
        with self._lock:
            self.screen.resize(rows, cols)
        self._size(self.master, cols, rows)  # the kernel tells the program (SIGWINCH)

    def exit_code(self, timeout: float = WAIT) -> int:
        return self.proc.wait(timeout)

    def kill(self) -> None:
        """The link drops: the client is killed outright, saying nothing to the server."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        if self.master < 0:
            return
        self.kill()
        self._reader.join(1)
        os.close(self.master)
        self.master = -1
