"""A keymap from the config file moves a key: the footer and the help name the new key, the
old one no longer acts (refused keymaps are tests/unit/test_settings_schema.py's)."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import console.views
from console.app import GridcallApp
from console.config import Settings
from console.domain.enums import Status
from console.i18n.catalog import CATALOG
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


def test_every_binding_is_named_in_both_languages() -> None:
    """The help screen and the key bar name a binding by `key.<id>`: a binding without its
    words would show its catalogue key to the operator."""
    for module in pkgutil.walk_packages(console.views.__path__, "console.views."):
        importlib.import_module(module.name)
    classes: list[type] = [DOMNode]
    seen: set[type] = set()
    while classes:
        cls = classes.pop()
        if cls in seen:
            continue
        seen.add(cls)
        classes.extend(cls.__subclasses__())
    ids = {
        b.id
        for cls in seen
        if issubclass(cls, DOMNode) and cls.__module__.startswith("console.")
        for b in cls.__dict__.get("BINDINGS", [])
        if isinstance(b, Binding) and b.id and not b.id.startswith("view.")
    }
    assert {"app.next_field", "find.done", "menu.close"} <= ids
    unnamed = sorted(i for i in ids if f"key.{i}" not in CATALOG)
    assert not unnamed
