"""A console whose terminal goes ends, as a program on a terminal should.

A terminal goes when its window is closed, its tmux pane or SSH link is killed, or whoever
held its master end dies. The kernel hangs it up: the program it controls gets SIGHUP (and
SIGCONT), and from then on every read of it returns at once with nothing (end-of-file; EIO
on some systems) and every write fails with EIO. Textual's Linux driver (8.x) reads on past
that end: its input thread finds the terminal readable, reads nothing and goes round again,
a core at 100% for as long as the process lives (a console with no controlling terminal,
which no SIGHUP reaches, lived so for hours). Its writer thread dies of the first failed
write, and the App blocks once the writes queued for it have filled the queue.

Here SIGHUP, or the end of the terminal's input, ends the console as quitting does (its user
signed out), and what it would still have drawn is dropped.
"""

from __future__ import annotations

import asyncio
import errno
import io
import os
import selectors
import signal
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual._xterm_parser import XTermParser
from textual.app import App
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class HangupDriver(LinuxDriver):
    """Textual's Linux driver, with a console that ends when its terminal goes."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        # Beside Textual's own handlers of the terminal's signals (SIGTSTP, SIGCONT).
        on_signal(signal.SIGHUP, app.exit)
        self._file = _output(self._file)

    def _sigcont_application(self, *_: object) -> None:
        # The kernel sends SIGCONT with the SIGHUP of a hang-up, and Textual sets the terminal
        # up again on it (as after ^Z and fg): a terminal gone has nothing to set up, and the
        # console is on its way out.
        if os.isatty(self.fileno):
            super()._sigcont_application()

    def run_input_thread(self) -> None:
        """Textual's reading of the terminal (LinuxDriver.run_input_thread, 8.2), up to its
        end: there it stops reading and the console ends."""
        # The module's parser class, looked up now: the paste guard replaces it there.
        parser: XTermParser = linux_driver.XTermParser(self._debug)  # type: ignore[attr-defined]
        decode = getincrementaldecoder("utf-8")().decode
        with selectors.SelectSelector() as selector:
            selector.register(self.fileno, selectors.EVENT_READ)
            while not self.exit_event.is_set():
                if selector.select(0.1) and not self._feed(parser, decode):
                    self._app.call_later(self._app.exit)  # posted from this thread, as events are
                    return
                for event in parser.tick():
                    self.process_message(event)

    def _feed(self, parser: XTermParser, decode: Callable[[bytes], str]) -> bool:
        """What the terminal has sent, to the parser and on as events; False at its end."""
        try:
            data = os.read(self.fileno, 4096)
        except OSError as exc:
            if exc.errno != errno.EIO:
                raise
            data = b""
        if not data:
            return False
        text = decode(data)
        if text:  # not only the first bytes of a character: "" would tell the parser it ended
            for event in parser.feed(text):
                self.process_message(event)
        return True


class _TerminalOut(io.FileIO):
    """The terminal's end the console draws on, where what a terminal that has gone would
    have shown is dropped: Textual's writer thread would die of the first EIO, and the App,
    once the thread's queue had filled, wait for it for ever."""

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            if exc.errno != errno.EIO:
                raise
            return memoryview(data).nbytes


def _output(file: io.TextIOWrapper | None) -> io.TextIOWrapper | None:
    """`file` (Textual's, stderr) written through `_TerminalOut`."""
    if file is None:
        return None
    raw = _TerminalOut(file.fileno(), "w", closefd=False)
    return io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=file.encoding,
        errors=file.errors,
        line_buffering=file.line_buffering,
    )


def on_signal(sig: signal.Signals, then: Callable[[], Any]) -> None:
    """Run `then` on the console's event loop when `sig` arrives: the handler itself runs
    between two bytecodes of the loop's thread, where nothing may be awaited or locked."""

    def handler(signum: int, frame: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # before the loop or after it: nothing on screen to act on
        loop.call_soon_threadsafe(then)

    signal.signal(sig, handler)
