"""The live feed: a console reloads once for its own writes, and again for another console's
change, on every screen in its stack."""

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
from tests.tui.conftest import OPERATOR, manhole, report


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


async def accept_elsewhere(store: Store, code: str) -> None:
    """Another console, with its own connection, accepts the case."""
    other = Store(store.url)
    try:
        await asyncio.to_thread(act, other, SlaClock(), OPERATOR, code, Action.ACCEPT)
    finally:
        other.dispose()


def status_beneath(queue: QueueView) -> Status | None:
    return getattr(queue.model.row_at(queue.cursor), "status", None)


async def test_another_consoles_change_shows_on_the_case_screen_and_the_queue_beneath(
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
        case_screen = app.screen
        await until(pilot, lambda: case_screen.ready is not None, "its verbs")
        assert Action.ACCEPT in case_screen.available()

        await accept_elsewhere(seeded, code)
        await until(
            pilot,
            lambda: (
                getattr(case_screen.ready, "row", None) is not None
                and case_screen.ready.row.status is Status.ACCEPTED
            ),  # type: ignore[union-attr]
            "the case screen showing the case accepted",
        )
        assert Action.ACCEPT not in case_screen.available()
        await until(
            pilot,
            lambda: status_beneath(queue) is Status.ACCEPTED,
            "the queue beneath showing it accepted",
        )
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert queue.current_row is not None and queue.current_row.status is Status.ACCEPTED


async def test_a_change_made_while_a_modal_is_open_shows_once_it_closes(seeded: Store) -> None:
    (code,) = report(seeded)
    set_lang("en")
    app = GridcallApp(seeded, SlaClock(), OPERATOR, live=True, testing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        await until(pilot, lambda: app.header.live and queue.model.pending is None, "loaded")
        queue.reveal(q.detail(seeded, code).row)
        await until(pilot, lambda: getattr(queue.current_row, "code", "") == code, "on the case")
        notices: list[int | None] = []
        changed = app.store_changed
        app.store_changed = lambda newest: (notices.append(newest), changed(newest))[1]  # type: ignore[method-assign]

        await pilot.press("question_mark")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "help")
        await accept_elsewhere(seeded, code)
        await until(pilot, lambda: bool(notices), "the store's notice")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen", "back")
        await pilot.pause(0.1)
        assert queue.current_row is not None and queue.current_row.status is Status.ACCEPTED


async def test_a_case_reported_here_is_not_reloaded_for_again(seeded: Store) -> None:
    set_lang("en")
    app = GridcallApp(seeded, SlaClock(), OPERATOR, live=True, testing=True)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        await until(pilot, lambda: app.header.live and queue.model.pending is None, "loaded")
        shown: list[int] = []
        show = app.show_changes
        app.show_changes = lambda: (shown.append(1), show())[1]  # type: ignore[method-assign]
        notices: list[int | None] = []
        changed = app.store_changed
        app.store_changed = lambda newest: (notices.append(newest), changed(newest))[1]  # type: ignore[method-assign]

        detail = await asyncio.to_thread(app.report_case, manhole(seeded))
        await until(pilot, lambda: bool(notices), "the store's notice of the new case")
        assert notices[-1] == detail.newest_event
        await pilot.pause(0.3)
        assert shown == [], "the notice of the console's own report reloaded the queues"
