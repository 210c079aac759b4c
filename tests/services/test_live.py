"""Change notices: a console's watcher wakes within a second or two of another's commit."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from console.domain.actions import Action
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.live import ChangeWatcher
from console.queries import cases as q
from console.services.cases import act
from tests.services.helpers import NOW, cast, new_case


def test_watcher_wakes_on_another_connections_commit(stores) -> None:  # type: ignore[no-untyped-def]
    store = stores.seeded(cases=5)
    c = cast(store)
    d = new_case(store, c)
    watcher = ChangeWatcher(store.engine.url)
    try:
        assert watcher.wait(0.2) is None, "nothing changed yet"
        timer = threading.Timer(
            0.3,
            lambda: act(
                store,
                SlaClock(),
                c.operator,
                d.code,
                Action.NOTE,
                Params(text="已电话回复"),
                now=NOW + timedelta(minutes=1),
            ),
        )
        started = time.monotonic()
        timer.start()
        newest = watcher.wait(5.0)
        assert time.monotonic() - started < 2.0
        timer.join()
        # The store's newest audit event, so that a console can tell its own write's echo.
        assert newest == q.detail(store, q.DISTRICT_WIDE, d.code).newest_event
        assert watcher.wait(0.3) is None, "one change, one wake-up"
    finally:
        watcher.close()


def test_watcher_raises_when_the_store_is_gone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.engine import make_url

    watcher = ChangeWatcher(make_url("postgresql+psycopg://nobody:x@127.0.0.1:9/none"))
    try:
        watcher.wait(0.1)
    except Exception as exc:  # the console shows "offline" and retries
        assert "127.0.0.1" in str(exc) or "connect" in str(exc).lower()
    else:
        raise AssertionError("an unreachable server must raise")
    finally:
        watcher.close()
