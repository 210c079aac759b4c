"""A keymap from the config file moves a key: the footer and the help name the new key, the
old one no longer acts (refused keymaps are tests/unit/test_settings_schema.py's)."""

from __future__ import annotations

from console.app import GridcallApp
from console.config import Settings
from console.domain.enums import Status
from console.queries import cases as q
from console.terminal import Terminal
from console.views.screens.help import HelpScreen
from console.views.widgets.keybar import KeyBar
from tests.tui.conftest import report, session
from tests.tui.quiet import until_quiet
from tests.tui.test_actions import select


async def test_accept_moved_to_k_shows_k_and_a_no_longer_accepts(busy) -> None:
    (code,) = report(busy)
    app = GridcallApp(
        session(busy, lang="en"),
        settings=Settings(keymap={"action.accept": "K"}),
        live=False,
        testing=True,
        terminal=Terminal(),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        footer = app.screen.query_one(KeyBar).render().plain
        assert "K accept" in footer and "a accept" not in footer, footer
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        shown = dict(help_screen.bindings_shown)
        assert shown["K"] == "accept (at once)" and "a" not in shown
        await pilot.press("escape")

        await pilot.press("a")
        await until_quiet(pilot)
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.REPORTED
        await pilot.press("K")
        await until_quiet(pilot)
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.ACCEPTED
