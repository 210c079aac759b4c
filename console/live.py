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
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

CHANNEL = "gridcall_cases"
POLL_SECONDS = 0.25
NEWEST_EVENT = "SELECT seq FROM audit_head WHERE id = 1"


def publish(session: Session, code: str) -> None:
    """Announce, on commit, that this case changed (PostgreSQL; SQLite needs no notice)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :code)"), {"channel": CHANNEL, "code": code}
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
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

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
