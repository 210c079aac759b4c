"""`gridcall serve ssh`: the console for the night shift, over SSH (asyncssh).

A user proves who they are with a public key registered to them (`gridcall user key add`), or,
when the centre allows it, their password under the console's own lockout. Only interactive
sessions on a terminal are served: commands, subsystems (sftp) and every kind of forwarding are
refused. Each session is a console in its own process on its own pseudo-terminal, forked from a
warm zygote (console.serve.zygote); this process only carries bytes between the SSH channel and
the terminal's master end, and follows the client's window.

A dropped link does not end the console: it goes on, detached, for `keep_minutes`, and the same
user connecting again gets it back as it was. A user who connects while their console is still
attached elsewhere chooses: take it over here, or open a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import pty
import signal
import struct
import termios
import time
from collections import defaultdict, deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncssh

from console import wallclock
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.errors import GridcallError, Invalid
from console.domain.lockout import Lockout
from console.i18n import lang_of, t
from console.queries.people import key_admits
from console.serve.zygote import CLIENT_ENV, Order, Run, Zygote
from console.services import auth

log = logging.getLogger("gridcall.ssh")
WHERE = "ssh"  # the trail's `where` for what happens over SSH
FAILURE_WINDOW = 15 * 60  # seconds over which an address's failed sign-ins are counted
STOP_GRACE = 5.0  # seconds a console has to end cleanly when the server stops
# A terminal left by a console that goes on elsewhere (taken over, idle): back to how the
# console found it, as Textual's driver leaves it on exit: keyboard protocol, mouse, bracketed
# paste and focus reports off, the alternate screen left, the cursor shown.
RELEASE = (
    b"\x1b[<u\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[?1049l\x1b[?25h"
)


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 2222
    host_key: Path = Path("ssh_host_ed25519_key")
    max_sessions: int = 20
    passwords: bool = False  # password authentication, off unless the centre turns it on
    keep_minutes: int = 10  # a detached console waits this long to be reattached
    idle_minutes: int = 60  # a link with no key for this long is closed (its console detaches)
    max_failures: int = 10  # failed sign-ins per address in FAILURE_WINDOW, then refused
    lang: str | None = None  # the server's language; None: each client's locale


def host_key(path: Path) -> asyncssh.SSHKey:
    """The server's ed25519 host key, made (readable by its owner only) on first start."""
    if path.exists():
        try:
            return asyncssh.read_private_key(path)
        except (OSError, asyncssh.KeyImportError) as exc:
            raise Invalid("error.bad_host_key", path=str(path), detail=str(exc)) from exc
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.export_private_key())
    return key


@dataclass(eq=False)
class Seat:
    """A console process and its terminal, with the link it is shown on (None: detached)."""

    login: str
    pid: int
    master: int
    client: str
    started: float = field(default_factory=time.monotonic)
    opened_at: datetime = field(default_factory=wallclock.now)
    link: _Link | None = None
    expiry: asyncio.TimerHandle | None = None
    why_ending: str = "quit"  # what the trail says when the console ends
    ending: bool = False  # told to end (not reattached in time, the server stopping)


class NightShift:
    """The server's state: the sessions it carries and the addresses it distrusts."""

    def __init__(
        self, store: Store, options: Options, lang: str, lockout: Lockout, tz: ZoneInfo
    ) -> None:
        self.store = store
        self.tz = tz  # the centre's time, in what the server says
        self.options = options
        self.lang = lang  # the server's own words (log lines) and the fallback for clients
        self.lockout = lockout
        self.seats: list[Seat] = []
        self.failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self.zygote: Zygote | None = None
        self.tasks: set[asyncio.Task[None]] = set()  # kept until done: the loop holds weak refs

    def soon(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` on the loop without waiting for it (a trail event, a console to open)."""
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # --- addresses ----------------------------------------------------------------------------

    def distrusted(self, address: str) -> bool:
        times = self.failures[address]
        while times and times[0] < time.monotonic() - FAILURE_WINDOW:
            times.popleft()
        return len(times) >= self.options.max_failures

    def failed(self, address: str) -> None:
        self.failures[address].append(time.monotonic())

    # --- the trail, off the event loop ---------------------------------------------------------

    async def record(self, login: str, what: TrailEvent, payload: dict[str, Any]) -> None:
        try:
            await asyncio.to_thread(auth.record, self.store, login, what, payload)
        except GridcallError as exc:
            log.error("trail: %s %s not written: %s", login, what.value, exc)

    # --- seats --------------------------------------------------------------------------------

    def seats_of(self, login: str) -> list[Seat]:
        """The user's consoles that go on (not those told to end)."""
        return [s for s in self.seats if s.login == login and not s.ending]

    async def open_seat(self, link: _Link) -> Seat:
        assert self.zygote is not None
        master, slave = pty.openpty()
        os.set_blocking(master, False)
        order = Order(
            login=link.login,
            term=link.term,
            cols=link.cols,
            rows=link.rows,
            lang=self.options.lang or lang_of(link.env) or self.lang,
            env={k: v for k, v in link.env.items() if k in CLIENT_ENV},
        )
        try:
            pid = await asyncio.to_thread(self.zygote.spawn, order, slave)
        finally:
            os.close(slave)
        seat = Seat(link.login, pid, master, link.client, link=link)
        link.seat = seat
        self.seats.append(seat)
        asyncio.get_running_loop().add_reader(master, self._output, seat)
        if link.gone:
            self.detach(seat)  # the client left while its console was starting
        log.info("%s from %s: console %d opened (%s %dx%d)", *link.who, pid, *link.screen)
        await self.record(
            link.login,
            TrailEvent.SSH_OPENED,
            {"from": link.client, "key": link.key, "pid": pid, "term": link.term},
        )
        return seat

    def attach(self, seat: Seat, link: _Link) -> None:
        """Show `seat` on `link`: a new terminal, which the console draws afresh."""
        if seat.expiry is not None:
            seat.expiry.cancel()
            seat.expiry = None
        seat.link = link
        link.seat = seat
        self.resume(seat)  # its last link may have left it paused
        resize(seat.master, link.cols, link.rows)
        _signal(seat.pid, signal.SIGUSR1)

    def detach(self, seat: Seat) -> None:
        """The link is gone; the console goes on until it is reattached or its time is up."""
        seat.link = None
        self.resume(seat)  # read on while nobody watches, even if the link had paused it
        minutes = self.options.keep_minutes
        seat.expiry = asyncio.get_running_loop().call_later(minutes * 60, self._expire, seat)
        log.info("%s: console %d detached, kept %d min", seat.login, seat.pid, minutes)
        self.soon(
            self.record(seat.login, TrailEvent.SSH_DETACHED, {"pid": seat.pid, "minutes": minutes})
        )

    def _expire(self, seat: Seat) -> None:
        seat.why_ending = "not reattached"
        self.end(seat)

    def end(self, seat: Seat) -> None:
        """Ask the console to end; from now on it is nobody's to reattach."""
        seat.ending = True
        _signal(seat.pid, signal.SIGTERM)

    def _output(self, seat: Seat) -> None:
        """The console wrote: on to its link, or nowhere while it is detached (a terminal
        nobody reads must still be read, or the console blocks)."""
        try:
            data = os.read(seat.master, 65536)
        except BlockingIOError:
            return
        except OSError as exc:
            if exc.errno != errno.EIO:
                log.error("%s: console %d: %s", seat.login, seat.pid, exc)
            data = b""
        if not data:
            self._ended(seat)
            return
        if seat.link is not None:
            seat.link.show(data)

    def pause(self, seat: Seat) -> None:
        asyncio.get_running_loop().remove_reader(seat.master)

    def resume(self, seat: Seat) -> None:
        """Read the console's terminal again (add_reader replaces a reader already there)."""
        if seat in self.seats:
            asyncio.get_running_loop().add_reader(seat.master, self._output, seat)

    def _ended(self, seat: Seat) -> None:
        """The console's process is gone (quit, signed out, stopped, crashed)."""
        asyncio.get_running_loop().remove_reader(seat.master)
        os.close(seat.master)
        self.seats.remove(seat)
        if seat.expiry is not None:
            seat.expiry.cancel()
        minutes = round((time.monotonic() - seat.started) / 60)
        log.info(
            "%s: console %d ended (%s) after %d min", seat.login, seat.pid, seat.why_ending, minutes
        )
        if seat.link is not None:
            seat.link.end(seat.why_ending)
        self.soon(
            self.record(
                seat.login,
                TrailEvent.SSH_ENDED,
                {"pid": seat.pid, "why": seat.why_ending, "minutes": minutes},
            )
        )

    async def stop(self) -> None:
        """SIGTERM: every console ends cleanly and its user is told why; then the server."""
        for seat in self.seats:
            seat.why_ending = "server stopped"
            self.end(seat)
        until = time.monotonic() + STOP_GRACE
        while self.seats and time.monotonic() < until:
            await asyncio.sleep(0.05)
        for seat in list(self.seats):
            _signal(seat.pid, signal.SIGKILL)
            self._ended(seat)
        await asyncio.gather(*self.tasks)  # the trail's last events
        await asyncio.sleep(0.1)  # the links' last words reach their clients


def resize(master: int, cols: int, rows: int) -> None:
    """Set the terminal's size; the kernel tells the console (SIGWINCH)."""
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


class _Link(asyncssh.SSHServerSession[bytes]):
    """One SSH session channel: a client's terminal, showing a seat."""

    def __init__(self, night: NightShift, conn: _Connection) -> None:
        self.night = night
        self.conn = conn
        self.login = conn.login
        self.client = conn.client
        self.key = conn.key
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term = ""
        self.cols, self.rows = 80, 24
        self.env: dict[str, str] = {}
        self.seat: Seat | None = None
        self.choosing: Callable[[bytes], None] | None = None  # the take-over question's answer
        self.idle: asyncio.TimerHandle | None = None
        self.gone = False  # the channel has closed

    @property
    def who(self) -> tuple[str, str]:
        return self.login, self.client

    @property
    def screen(self) -> tuple[str, int, int]:
        return self.term, self.cols, self.rows

    @property
    def lang(self) -> str:
        return self.night.options.lang or lang_of(self.env) or self.night.lang

    def say(self, key: str, **params: object) -> None:
        assert self.chan is not None
        text = t(key, self.lang, **params).replace("\n", "\r\n")
        self.chan.write(f"\r\n{text}\r\n".encode())

    # --- what the client asks for ------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        self.term = term_type or "vt100"
        self.cols, self.rows = term_size[0] or 80, term_size[1] or 24
        return True

    def shell_requested(self) -> bool:
        # Only a console on a terminal: `ssh -T` (no terminal) gets nothing to type into.
        if not self.term:
            log.info("%s from %s: refused a shell without a terminal", *self.who)
        return bool(self.term)

    def exec_requested(self, command: str) -> bool:
        log.info("%s from %s: refused a command: %.60r", *self.who, command)
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("%s from %s: refused subsystem %.30r", *self.who, subsystem)
        return False

    def session_started(self) -> None:
        assert self.chan is not None
        self.env = {
            str(k): str(v) for k, v in self.chan.get_environment().items() if isinstance(k, str)
        }
        self.night.soon(self._seat())
        self._touch()

    async def _seat(self) -> None:
        await self.conn.settled.wait()
        if not self.conn.proven:
            return
        night = self.night
        mine = night.seats_of(self.login)
        detached = [s for s in mine if s.link is None]
        if detached:
            seat = max(detached, key=lambda s: s.started)
            night.attach(seat, self)
            log.info("%s from %s: console %d reattached", *self.who, seat.pid)
            await night.record(
                self.login, TrailEvent.SSH_REATTACHED, {"from": self.client, "pid": seat.pid}
            )
            return
        if mine:
            self._ask(mine[-1])
            return
        await self._open()

    async def _open(self) -> None:
        night = self.night
        if len(night.seats) >= night.options.max_sessions:
            self.say("ssh.full", n=night.options.max_sessions)
            self._close(1)
            return
        await night.open_seat(self)

    def _ask(self, other: Seat) -> None:
        """The user's console is on another terminal: take it over here, or open another."""
        where = other.link.client if other.link is not None else other.client
        since = other.opened_at.astimezone(self.night.tz).strftime("%H:%M")
        self.say("ssh.attached_elsewhere", where=where, since=since)

        def answer(data: bytes) -> None:
            choice = data[:1].lower()
            if choice == b"t" and other in self.night.seats:
                self.choosing = None
                self._take_over(other)
            elif choice == b"n":
                self.choosing = None
                self.night.soon(self._open())
            elif choice in (b"q", b"\x03", b"\x04", b"\x1b"):
                self.choosing = None
                self._close(0)

        self.choosing = answer

    def _take_over(self, seat: Seat) -> None:
        before = seat.link
        if before is not None:
            before.seat = None
            before.release()
            before.say("ssh.taken_over", where=self.client)
            before._close(0)
        self.night.attach(seat, self)
        log.info("%s from %s: console %d taken over", *self.who, seat.pid)
        self.night.soon(
            self.night.record(
                self.login,
                TrailEvent.SSH_REATTACHED,
                {"from": self.client, "pid": seat.pid, "took_over": True},
            )
        )

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self._touch()
        if self.choosing is not None:
            self.choosing(data)
        elif self.seat is not None:
            # The console is not reading: a key lost beats a server blocked.
            with contextlib.suppress(BlockingIOError):
                os.write(self.seat.master, data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.cols, self.rows = width or self.cols, height or self.rows
        if self.seat is not None:
            resize(self.seat.master, self.cols, self.rows)

    def pause_writing(self) -> None:
        if self.seat is not None:
            self.night.pause(self.seat)

    def resume_writing(self) -> None:
        if self.seat is not None:
            self.night.resume(self.seat)

    def eof_received(self) -> bool:
        return True  # keep the channel half-open: the console decides when it ends

    def connection_lost(self, exc: Exception | None) -> None:
        self.gone = True
        if self.idle is not None:
            self.idle.cancel()
        seat, self.seat = self.seat, None
        if seat is not None and seat.link is self and seat in self.night.seats:
            self.night.detach(seat)

    # --- what the server tells the client ----------------------------------------------------

    def show(self, data: bytes) -> None:
        if self.chan is not None and not self.chan.is_closing():
            self.chan.write(data)

    def release(self) -> None:
        self.show(RELEASE)

    def end(self, why: str) -> None:
        """The console has ended: say why when it was not the user's doing, then close."""
        self.seat = None
        if why == "server stopped":
            self.say("ssh.server_stopped")
        self._close(0)

    def _close(self, status: int) -> None:
        if self.chan is not None and not self.chan.is_closing():
            self.chan.exit(status)

    def _touch(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
        minutes = self.night.options.idle_minutes
        self.idle = asyncio.get_running_loop().call_later(minutes * 60, self._idle_out, minutes)

    def _idle_out(self, minutes: int) -> None:
        log.info("%s from %s: no key for %d min, link closed", *self.who, minutes)
        self.release()
        self.say("ssh.idle", minutes=minutes, keep=self.night.options.keep_minutes)
        self._close(0)


class _Connection(asyncssh.SSHServer):
    """One client's connection: who they are, and what they may open."""

    def __init__(self, night: NightShift) -> None:
        self.night = night
        self.conn: asyncssh.SSHServerConnection | None = None
        self.client = "?"
        self.login = ""
        self.key: str | None = None  # the fingerprint of the key that proved the login
        self.proven = False
        self.authenticated = False  # SSH accepted a key or a password (the trail may refuse)
        self.failures = 0  # wrong passwords on this connection, each counted for the address
        # Set once the sign-in is settled (and in the trail): a session waits for it.
        self.settled = asyncio.Event()

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.client = f"{peer[0]}:{peer[1]}" if peer else "?"

    @property
    def address(self) -> str:
        return self.client.rsplit(":", 1)[0]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.authenticated and not self.failures and self.login:
            self.night.failed(self.address)  # no key opened it: one failure for the address
            log.info("%s from %s: not signed in", self.login, self.client)

    def begin_auth(self, username: str) -> bool:
        if self.night.distrusted(self.address):
            log.warning("%s: refused, too many failed sign-ins", self.client)
            raise asyncssh.DisconnectError(
                asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                t("ssh.distrusted", self.night.lang),
            )
        self.login = username
        return True  # every login must prove itself

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        fingerprint = key.get_fingerprint("sha256")
        admits = await asyncio.to_thread(
            key_admits, self.night.store, username, fingerprint, wallclock.now()
        )
        if admits:
            self.key = fingerprint
        return admits

    def password_auth_supported(self) -> bool:
        return self.night.options.passwords

    async def validate_password(self, username: str, password: str) -> bool:
        self.key = None
        try:
            await asyncio.to_thread(
                auth.sign_in,
                self.night.store,
                username,
                password,
                where=WHERE,
                lockout=self.night.lockout,
            )
        except GridcallError:
            self.failures += 1
            self.night.failed(self.address)
            return False
        self.proven = True
        return True

    async def auth_completed(self) -> None:
        self.authenticated = True
        try:
            await self._signed_in()
        finally:
            self.settled.set()

    async def _signed_in(self) -> None:
        if self.key is None:
            return  # a password: its sign-in is in the trail already
        try:
            await asyncio.to_thread(
                auth.sign_in_by_key,
                self.night.store,
                self.login,
                self.key,
                where=WHERE,
                client=self.client,
            )
        except GridcallError:
            assert self.conn is not None
            self.conn.close()  # disabled or locked out since the key was looked at
            return
        self.proven = True
        log.info("%s from %s: signed in with key %s", self.login, self.client, self.key)

    def session_requested(self) -> _Link:
        return _Link(self.night, self)

    def connection_requested(self, *args: Any) -> bool:
        log.info("%s from %s: refused a port forward", self.login, self.client)
        return False

    def server_requested(self, *args: Any) -> bool:
        log.info("%s from %s: refused a remote port forward", self.login, self.client)
        return False

    def unix_connection_requested(self, *args: Any) -> bool:
        return False

    def unix_server_requested(self, *args: Any) -> bool:
        return False


async def _listen(night: NightShift, key: asyncssh.SSHKey) -> asyncssh.SSHAcceptor:
    options = night.options
    return await asyncssh.create_server(
        lambda: _Connection(night),
        options.host,
        options.port,
        server_host_keys=[key],
        encoding=None,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        keepalive_interval=30,
        keepalive_count_max=3,
        login_timeout=60,
    )


async def _serve(night: NightShift, key: asyncssh.SSHKey, said: Callable[[str], None]) -> None:
    options = night.options
    try:
        server = await _listen(night, key)
    except OSError as exc:
        raise Invalid(
            "error.cannot_listen", address=f"{options.host}:{options.port}", detail=exc.strerror
        ) from exc
    port = server.sockets[0].getsockname()[1]
    said(
        t(
            "ssh.listening",
            night.lang,
            host=options.host,
            port=port,
            fingerprint=key.get_fingerprint(),
        )
    )
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    await stopped.wait()
    log.info("stopping: %d console(s) to end", len(night.seats))
    server.close()
    await night.stop()


def serve(
    store: Store,
    options: Options,
    lang: str,
    lockout: Lockout,
    tz: ZoneInfo,
    warm: Callable[[], Run],
    said: Callable[[str], None],
) -> None:
    """Run the server until SIGTERM or ^C. `warm` runs in the zygote and returns how to run a
    console there; `said` prints the server's first line (address and host key)."""
    logging.basicConfig(format="%(asctime)s %(name)s %(message)s", level=logging.INFO)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    key = host_key(options.host_key)
    night = NightShift(store, options, lang, lockout, tz)
    # Forked before the event loop and its threads exist, so the zygote inherits neither.
    store.engine.dispose()
    night.zygote = Zygote(warm)
    try:
        asyncio.run(_serve(night, key, said))
    finally:
        night.zygote.close()
