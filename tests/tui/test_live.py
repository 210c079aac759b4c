"""The live feed: a console reloads once for its own action, and again for another console's."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.pilot import Pilot

from console.app import GridcallApp
from console.db import Store
from console.domain.enums import Status
from console.domain.sla import SlaClock
from console.domain.workflow import Action
from console.i18n import set_lang
from console.queries import cases as q
from console.services.cases import act
from console.views.queue import QueueView
from tests.tui.conftest import OPERATOR, report


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        await pilot.pause(0.05)


async def test_own_action_is_reloaded_once_anothers_change_again(seeded: Store) -> None:
    mine, theirs = report(seeded, 2)
    set_lang("en")
    app = GridcallApp(seeded, SlaClock(), OPERATOR, live=True, testing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        await until(pilot, lambda: app.header.live and queue.model.pending is None, "loaded")
        queue.reveal(q.detail(seeded, mine).row)
        await until(pilot, lambda: getattr(queue.current_row, "code", "") == mine, "on my case")
        await until(pilot, lambda: app.screen.ready is not None, "its verbs")

        reloads: list[int] = []
        reload = queue.reload
        queue.reload = lambda *a, **k: (reloads.append(1), reload(*a, **k))[1]  # type: ignore[method-assign]
        notices: list[int | None] = []
        changed = app.store_changed
        app.store_changed = lambda newest: (notices.append(newest), changed(newest))[1]  # type: ignore[method-assign]

        await pilot.press("a")  # accept: no form
        await until(pilot, lambda: bool(notices), "the store's notice of my action")
        assert q.detail(seeded, mine).row.status is Status.ACCEPTED
        await pilot.pause(0.3)
        assert len(reloads) == 1, "the notice of my own action reloaded the queue again"

        other = Store(seeded.url)
        try:
            await asyncio.to_thread(act, other, SlaClock(), OPERATOR, theirs, Action.ACCEPT)
        finally:
            other.dispose()
        await until(pilot, lambda: len(reloads) == 2, "another console's change shown")
        assert notices[-1] == q.detail(seeded, theirs).newest_event


async def test_the_queue_behind_the_case_screen_follows_an_action_taken_there(
    seeded: Store,
) -> None:
    (code,) = report(seeded)
    set_lang("en")
    app = GridcallApp(seeded, SlaClock(), OPERATOR, live=True, testing=True)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: Enter opens the case screen
        queue = app.screen.query_one(QueueView)
        await until(pilot, lambda: app.header.live and queue.model.pending is None, "loaded")
        queue.reveal(q.detail(seeded, code).row)
        await until(pilot, lambda: getattr(queue.current_row, "code", "") == code, "on the case")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "CaseScreen", "case screen")
        await until(pilot, lambda: app.screen.ready is not None, "its verbs")

        await pilot.press("a")
        await until(
            pilot,
            lambda: getattr(queue.model.row_at(queue.cursor), "status", None) is Status.ACCEPTED,
            "the queue behind it showing the case accepted",
        )
        await pilot.press("escape")
        assert queue.current_row is not None and queue.current_row.code == code
