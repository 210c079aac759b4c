"""The console's rough edges (#20), each as an operator met it: where the cursor goes after an
action, pasted text, the save-view dialog, the intake form's notice, bulk confirmations, times
and words in the operator's own zone and language, quitting mid-keystroke, huge descriptions,
and a form sent while the store is away."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from console.app import GridcallApp
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.errors import StoreError
from console.domain.sla import SlaClock
from console.i18n import t
from console.queries import cases as q
from console.queries import views as qv
from console.services.cases import act
from console.views.screens.action_forms import Confirm
from console.views.screens.intake import IntakeScreen
from console.views.widgets.queue import QueueView
from tests.tui.conftest import OPERATOR, AppFactory, report, screen_text
from tests.tui.quiet import until_quiet
from tests.tui.test_actions import select

SIZE = (100, 30)


def queue_of(app: GridcallApp) -> QueueView:
    return app.screen_stack[1].query_one(QueueView)


def toasts(app: GridcallApp) -> list[str]:
    return [n.message for n in app._notifications]


# --- 1. the cursor after an action ---------------------------------------------------------------


async def test_an_action_leaves_the_cursor_on_the_case_it_acted_on(
    busy, console_app: AppFactory
) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)  # view 1: every open case, accepted ones too
        await pilot.press("a")
        await until_quiet(pilot)
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.ACCEPTED
        queue = queue_of(app)
        assert queue.current_row is not None and queue.current_row.code == code
        assert "left this view" not in " ".join(toasts(app))


async def test_a_case_that_leaves_the_view_says_where_the_cursor_went(
    busy, console_app: AppFactory
) -> None:
    codes = report(busy, 2)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("2")  # new from 12345: an accepted case is no longer in it
        await until_quiet(pilot)
        await select(app, pilot, codes[0])
        await pilot.press("a")
        await until_quiet(pilot)
        queue = queue_of(app)
        landed = queue.current_row
        assert landed is not None and landed.code != codes[0]
        said = t("act.left_view", "en", code=codes[0], action="accept", landed=landed.code)
        assert said in toasts(app)
        assert f"{codes[0]}: accept done, and it left this view; cursor on {landed.code}" == said


# --- 10. q then a key at once --------------------------------------------------------------------


async def test_a_key_right_after_quit_is_ignored(busy, console_app: AppFactory) -> None:
    (code,) = report(busy, accepted=True)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        # As a terminal sends them, both in before the first is handled.
        for key in ("q", "d"):
            app.post_message(events.Key(key, key))
        await pilot.pause()
    assert app.return_code in (0, None)
    assert app._exception is None
