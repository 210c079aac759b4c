"""The live feed: a console reloads once for its own writes, and again for another console's
change, on every screen in its stack."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from textual.pilot import Pilot
from textual.strip import Strip

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.sla import SlaClock
from console.live import ChangeWatcher
from console.present import time_left
from console.queries import cases as q
from console.queries import figures as fq
from console.queries.grids import grid_card
from console.services.cases import act
from console.terminal import UNICODE, Terminal
from console.views.screens import dashboard
from console.views.screens.actions import ActionScreen
from console.views.screens.grid_browser import GridBrowserScreen
from console.views.widgets.case_pane import CasePane
from console.views.widgets.queue import QueueView
from tests.tui.conftest import OPERATOR, manhole, report, screen_text, session


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        await pilot.pause(0.05)


@pytest.fixture(autouse=True)
def no_minute_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """The minute's redraw would add reloads that these tests count; the test of the minute
    calls it itself."""
    monkeypatch.setattr(wallclock, "to_next_minute", lambda at: 3600.0)


async def following(pilot: Pilot[None], app: GridcallApp) -> QueueView:
    """The queue, loaded, once the live watcher is connected and the screens caught up with
    it: every change from now on is announced."""
    queue = app.screen.query_one(QueueView)
    await until(pilot, lambda: app.caught_up and queue.model.pending is None, "following")
    return queue


def calls(obj: object, name: str) -> list[tuple[Any, ...]]:
    """Each call of `obj.name` from now on, by its arguments; the calls still go through."""
    made: list[tuple[Any, ...]] = []
    original = getattr(obj, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        made.append(args)
        return original(*args, **kwargs)

    setattr(obj, name, recorded)
    return made


def live_app(store: Store) -> GridcallApp:
    """The console in English with the live feed on, as an operator runs it."""
    return GridcallApp(session(store, OPERATOR, "en"), live=True, testing=True, terminal=Terminal())


async def on_case(pilot: Pilot[None], app: GridcallApp, store: Store, code: str) -> QueueView:
    """The queue, loaded, with its cursor on case `code`."""
    queue = await following(pilot, app)
    queue.reveal(q.detail(store, q.DISTRICT_WIDE, code).row)
    await until(pilot, lambda: getattr(queue.current_row, "code", "") == code, "on the case")
    return queue


async def open_case_screen(pilot: Pilot[None], app: GridcallApp) -> ActionScreen:
    """Enter on the queue of a narrow terminal: the case screen, once its verbs are known."""
    await pilot.press("enter")
    await until(pilot, lambda: type(app.screen).__name__ == "CaseScreen", "case screen")
    screen = cast(ActionScreen, app.screen)
    await until(pilot, lambda: screen.ready is not None, "its verbs")
    return screen


async def accept_elsewhere(store: Store, code: str) -> None:
    """Another console, with its own connection, accepts the case."""
    other = Store(store.url)
    try:
        await asyncio.to_thread(act, other, SlaClock(), OPERATOR, code, Action.ACCEPT)
    finally:
        other.dispose()


def status_beneath(queue: QueueView) -> Status | None:
    return getattr(queue.model.row_at(queue.cursor), "status", None)


def status_read(screen: ActionScreen) -> Status | None:
    """The status of the case the screen's verbs act on, as it last read it."""
    ready = screen.ready
    return ready.row.status if ready is not None else None


async def test_own_action_is_reloaded_once_anothers_change_again(seeded: Store) -> None:
    mine, theirs = report(seeded, 2)
    app = live_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await on_case(pilot, app, seeded, mine)
        await until(pilot, lambda: app.screen.ready is not None, "its verbs")

        acted = calls(queue, "reload_after_action")
        reloads = calls(queue, "reload")
        notices = calls(app, "store_changed")

        await pilot.press("a")  # accept: no form
        await until(pilot, lambda: bool(notices), "the store's notice of my action")
        assert q.detail(seeded, q.DISTRICT_WIDE, mine).row.status is Status.ACCEPTED
        await pilot.pause(0.3)
        assert acted == [(mine,)], "my action reloaded the queue once, after it"
        assert reloads == [], "the notice of my own action reloaded the queue again"

        await accept_elsewhere(seeded, theirs)
        await until(pilot, lambda: len(reloads) == 1, "another console's change shown")
        assert notices[-1] == (q.detail(seeded, q.DISTRICT_WIDE, theirs).newest_event,)


async def test_the_queue_behind_the_case_screen_follows_an_action_taken_there(
    seeded: Store,
) -> None:
    (code,) = report(seeded)
    app = live_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: Enter opens the case screen
        queue = await on_case(pilot, app, seeded, code)
        await open_case_screen(pilot, app)

        await pilot.press("a")
        await until(
            pilot,
            lambda: status_beneath(queue) is Status.ACCEPTED,
            "the queue behind it showing the case accepted",
        )
        await pilot.press("escape")
        assert queue.current_row is not None and queue.current_row.code == code


async def test_another_consoles_change_shows_on_the_case_screen_and_the_queue_beneath(
    seeded: Store,
) -> None:
    (code,) = report(seeded)
    app = live_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: Enter opens the case screen
        queue = await on_case(pilot, app, seeded, code)
        case_screen = await open_case_screen(pilot, app)
        assert Action.ACCEPT in case_screen.available()

        await accept_elsewhere(seeded, code)
        await until(
            pilot,
            lambda: status_read(case_screen) is Status.ACCEPTED,
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
    app = live_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await on_case(pilot, app, seeded, code)
        notices = calls(app, "store_changed")

        await pilot.press("question_mark")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "help")
        await accept_elsewhere(seeded, code)
        await until(pilot, lambda: bool(notices), "the store's notice")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen", "back")
        await pilot.pause(0.1)
        assert queue.current_row is not None and queue.current_row.status is Status.ACCEPTED


async def test_a_change_before_the_watcher_connects_is_shown(
    seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another console's accept lands after the queue's first page was read, but before the
    live watcher has connected (it starts only once the first page is shown): no notice will
    come for it, so the console reloads once it is watching."""
    (code,) = report(seeded)
    connect = ChangeWatcher.connect

    def accepted_meanwhile(watcher: ChangeWatcher) -> bool:
        if watcher._conn is None:
            other = Store(seeded.url)
            try:
                act(other, SlaClock(), OPERATOR, code, Action.ACCEPT)
            finally:
                other.dispose()
        return connect(watcher)

    monkeypatch.setattr(ChangeWatcher, "connect", accepted_meanwhile)
    app = live_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        case_id = q.detail(seeded, q.DISTRICT_WIDE, code).row.id

        def status_shown() -> Status | None:
            at = queue.model.position_of(case_id)
            return getattr(queue.model.row_at(at), "status", None) if at is not None else None

        await until(pilot, lambda: status_shown() is not None, "the first page with the case")
        await following(pilot, app)
        assert status_shown() is Status.ACCEPTED


async def test_the_grid_browsers_card_follows_another_consoles_report(seeded: Store) -> None:
    (code,) = report(seeded)
    grid_id = q.detail(seeded, q.DISTRICT_WIDE, code).row.grid_id
    app = live_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_case(pilot, app, seeded, code)
        await pilot.press("b")  # the browser opens at the grid of the case under the cursor
        await until(pilot, lambda: isinstance(app.screen, GridBrowserScreen), "the browser")
        card = app.screen.query_one("#browser-card-body")

        def open_cases_read(n: int) -> bool:
            return f"open cases  {n} · overdue" in screen_text(card)

        before = grid_card(seeded, app.session.actor, grid_id, wallclock.now()).open_cases
        await until(pilot, lambda: open_cases_read(before), "the grid's card")

        other = Store(seeded.url)
        try:
            await asyncio.to_thread(report, other)
        finally:
            other.dispose()
        await until(pilot, lambda: open_cases_read(before + 1), "the card counting the new case")


async def test_a_case_reported_here_is_not_reloaded_for_again(seeded: Store) -> None:
    app = live_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await following(pilot, app)
        shown = calls(app, "show_changes")
        notices = calls(app, "store_changed")

        detail = await asyncio.to_thread(app.session.report, manhole(seeded))
        await until(pilot, lambda: bool(notices), "the store's notice of the new case")
        assert notices[-1] == (detail.newest_event,)
        await pilot.pause(0.3)
        assert shown == [], "the notice of the console's own report reloaded the queues"


async def test_a_case_turns_red_on_screen_when_its_deadline_passes(seeded: Store) -> None:
    """Nothing in the store changes: the minute passing is enough to show the new light, the
    time left, the case pane and the header's red count."""
    (code,) = report(seeded)
    deadline = q.detail(seeded, q.DISTRICT_WIDE, code).row.deadline_at
    assert deadline is not None and deadline > wallclock.now()
    app = live_app(seeded)
    async with app.run_test(size=(160, 40)) as pilot:  # wide: the case pane beside the queue
        queue = await on_case(pilot, app, seeded, code)
        await until(pilot, lambda: app.header.counts is not None, "the header's counts")
        red_before = app.header.counts.red  # type: ignore[union-attr]
        line = queue.cursor - queue.scroll_offset.y
        assert not queue.render_line(line).text.startswith(UNICODE.red)
        pane = app.screen.query_one(CasePane)
        await until(pilot, lambda: code in pane.text, "the case in the pane")
        assert "overdue" not in pane.text.splitlines()[0]

        drawn: list[str] = []  # the queue's lines as the compositor asks for them from now on
        draw = queue.render_line

        def drawing(y: int) -> Strip:
            strip = draw(y)
            drawn.append(strip.text)
            return strip

        queue.render_line = drawing  # type: ignore[method-assign]
        later = deadline + timedelta(minutes=1)
        wallclock.freeze(later)
        app.minute_passed()
        await until(
            pilot,
            lambda: any(
                text.startswith(UNICODE.red)
                and code in text
                and time_left(q.detail(seeded, q.DISTRICT_WIDE, code).row, later, "en") in text
                for text in drawn
            ),
            "the row drawn red, with the time it is overdue",
        )
        await until(pilot, lambda: "overdue" in pane.text.splitlines()[0], "the pane overdue")
        await until(
            pilot,
            lambda: app.header.counts is not None and app.header.counts.red > red_before,
            "the header counting it red",
        )


async def test_the_dashboard_follows_another_consoles_report(
    seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "RELOAD_GAP", 0.0)  # each change read at once
    app = live_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await following(pilot, app)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, dashboard.DashboardScreen), "it")
        tile = app.screen.query_one("#dash-reported")

        def today_reads(n: int) -> bool:
            return screen_text(tile).splitlines()[1].split()[1].rstrip("↑↓=") == str(n)

        s = app.session
        before = fq.tally(seeded, s.actor, s.days(s.today(), s.today()), wallclock.now()).reported
        await until(pilot, lambda: today_reads(before), "today's reported")

        other = Store(seeded.url)
        try:
            await asyncio.to_thread(report, other)
        finally:
            other.dispose()
        await until(pilot, lambda: today_reads(before + 1), "the new case counted today")
