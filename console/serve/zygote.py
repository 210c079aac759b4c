"""Session processes for the SSH server, forked from a parent that has everything loaded.

A console's imports (Textual, SQLAlchemy, the screens) and the store's reference data cost
most of its start-up. The zygote pays them once, when the server starts: it is forked from the
server before any event loop or thread exists, loads what a console needs, and then forks one
child per SSH session, already warm. Each child is its own process on its own pseudo-terminal,
so one console's crash or hang never touches another or the server.

The server sends an `Order` and the terminal's slave end over a Unix socket (SCM_RIGHTS); the
zygote answers with the child's pid. The kernel reaps the children (SIGCHLD ignored); the
server learns of a child's end from its terminal (the master reads EOF or EIO).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import struct
import sys
import termios
import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

# Passed on from the SSH client to its console; anything else it sends is ignored.
CLIENT_ENV = ("COLORTERM", "NO_COLOR")


@dataclass(frozen=True)
class Order:
    """One console to start: for whom, on what terminal."""

    login: str
    term: str
    cols: int
    rows: int
    lang: str
    env: dict[str, str] = field(default_factory=dict)


Run = Callable[[Order], int]


class Zygote:
    """The server's handle on the forking parent."""

    def __init__(self, prepare: Callable[[], Run]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _serve(theirs, prepare)  # never returns
        theirs.close()
        self.pid = pid
        self._socket = ours
        self._lock = threading.Lock()  # one order at a time on the socket

    def spawn(self, order: Order, terminal: int) -> int:
        """Start a console on the terminal's slave end `terminal`; its pid. Blocks for the
        zygote's fork (milliseconds): call it off the event loop."""
        with self._lock:
            socket.send_fds(self._socket, [json.dumps(asdict(order)).encode()], [terminal])
            reply = self._socket.recv(256)
        if not reply:
            raise RuntimeError("the session zygote has gone")
        return int(json.loads(reply)["pid"])

    def close(self) -> None:
        self._socket.close()  # the zygote reads EOF and exits
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _serve(sock: socket.socket, prepare: Callable[[], Run]) -> None:
    """The zygote's life: load, then fork a console per order until the server goes."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the consoles
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a ^C at the server's terminal is the server's
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    log = os.dup(2)  # the server's stderr, for a console's crash report
    try:
        run = prepare()
    except BaseException:
        os.write(log, traceback.format_exc().encode())
        os._exit(70)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 65536, 1)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)  # the server closed its end
        order = Order(**json.loads(message))
        pid = os.fork()
        if pid == 0:
            sock.close()
            _console(run, order, fds[0], log)  # never returns
        for fd in fds:
            os.close(fd)
        sock.send(json.dumps({"pid": pid}).encode())


def _console(run: Run, order: Order, terminal: int, log: int) -> None:
    """In the forked child: make `terminal` this process's controlling terminal, as a login
    shell's is (window changes then arrive as SIGWINCH), and run the console on it."""
    for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    code = 70
    try:
        os.setsid()
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
        size = struct.pack("HHHH", order.rows, order.cols, 0, 0)
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, size)
        for fd in (0, 1, 2):
            os.dup2(terminal, fd)
        os.close(terminal)
        for name in ("COLUMNS", "LINES", *CLIENT_ENV):
            os.environ.pop(name, None)
        os.environ["TERM"] = order.term
        os.environ.update({k: v for k, v in order.env.items() if k in CLIENT_ENV})
        code = run(order)
    except BaseException:
        os.write(log, f"console of {order.login} failed:\n{traceback.format_exc()}".encode())
    finally:
        os._exit(code)
