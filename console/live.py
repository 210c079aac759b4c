"""Change notices: every console learns within a second or two that a case changed.

PostgreSQL: services NOTIFY on the channel inside their transaction (delivered on commit) and
consoles LISTEN. SQLite: consoles poll `PRAGMA data_version` on a dedicated connection, which
changes whenever another connection commits.

A notice says only that something was committed. The watcher answers with the number of the
store's newest audit event, so that a console can tell the echo of its own action, which it
has already reloaded for, from another console's change (every change to a case appends an
event, numbered in commit order).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

CHANNEL = "gridcall_cases"
POLL_SECONDS = 0.25
NEWEST_EVENT = "SELECT seq FROM audit_head WHERE id = 1"


def publish(session: Session, *codes: str) -> None:
    """Announce, on commit, that these cases changed (PostgreSQL; SQLite needs no notice): a
    notice each, in one statement."""
    if codes and session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, code) FROM unnest(CAST(:codes AS text[])) AS code"),
            {"channel": CHANNEL, "codes": list(codes)},
        )


class ChangeWatcher:
    """Blocks until another connection commits (or a timeout passes); one per console.

    Runs in a worker thread. Raises the driver's error when the store goes away; the caller
    reports that and makes a new watcher to reconnect.
    """

    def __init__(self, url: URL) -> None:
        self.url = url
        self.backend = url.get_backend_name()
        self._conn: Any = None
        self._version: int | None = None

    def _connect(self) -> Any:
        if self.backend == "sqlite":
            conn = sqlite3.connect(self.url.database or ":memory:", check_same_thread=False)
            self._version = conn.execute("PRAGMA data_version").fetchone()[0]
            return conn
        import psycopg  # only a PostgreSQL console pays for loading the driver

        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        pg = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
        pg.execute(f"LISTEN {CHANNEL}")
        return pg

    def connect(self) -> bool:
        """Connect unless connected; True when it connected just now. Only commits after the
        connection are announced: what came before it went unseen."""
        if self._conn is not None:
            return False
        self._conn = self._connect()
        return True

    def wait(self, timeout: float) -> int | None:
        """After a commit elsewhere, the number of the store's newest audit event; None when
        the timeout passed with none."""
        self.connect()
        if self.backend == "sqlite":
            deadline = time.monotonic() + timeout
            while True:
                version = self._conn.execute("PRAGMA data_version").fetchone()[0]
                if version != self._version:
                    self._version = version
                    return self._newest_event()
                if time.monotonic() >= deadline:
                    return None
                time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        changed = False
        for _notice in self._conn.notifies(timeout=timeout, stop_after=1):
            changed = True
        if not changed:
            self._conn.execute("SELECT 1")  # notice a dead server even when all is quiet
            return None
        return self._newest_event()

    def _newest_event(self) -> int:
        return int(self._conn.execute(NEWEST_EVENT).fetchone()[0])

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


class Echoes:
    """Tells the notice of this console's own write, which the screen that wrote shows itself,
    from another console's change, which needs a reload.

    Writes are marked from the worker threads that make them; notices are judged on the main
    thread. A notice can come back between a write's commit and its mark: while any write of
    this console's is in flight, a notice is held, and judged once the write is marked.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shown_through = 0  # the newest event that a reload started after
        self._in_flight = 0
        self._held: int | None = None

    def writing(self) -> None:
        with self._lock:
            self._in_flight += 1

    def written(self, newest: int | None) -> int | None:
        """A write is over: `newest` is its event (None when it failed). The notice held
        meanwhile, if any, to be judged now."""
        with self._lock:
            self._in_flight -= 1
            if newest is not None:
                self._shown_through = max(self._shown_through, newest)
            if self._in_flight:
                return None
            held, self._held = self._held, None
            return held

    def judge(self, newest: int | None) -> bool | None:
        """A notice of the store's newest event (None: unknown, e.g. after an outage): True
        when it needs a reload, False when it is the echo of writes already shown, None when
        it is held until the write in flight is marked."""
        with self._lock:
            if newest is None:
                return True
            if self._in_flight:
                self._held = max(self._held or 0, newest)
                return None
            if newest <= self._shown_through:
                return False
            self._shown_through = newest
            return True
