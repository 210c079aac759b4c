"""Every text field of the console takes hostile text inertly (#20): pasted escape sequences,
C1 controls, bidi overrides, NUL and markup, and a paste of a megabyte.

Each screen that has a text field is opened as an operator would open it, and EVERY Input and
TextArea on it is queried — a field added later is covered without a word here. A paste holds
no control, bidi or NUL character once in the field (the domain's own character classes),
markup stays literal text, a paste past the field's limit is refused and the limit said, the
focus stays on the field and the console keeps running. The forms that write are then sent,
and what reached the store is checked: nothing unsafe, and nothing at all from a refused paste.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sqlalchemy import text
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.actions import Action
from console.domain.errors import Invalid
from console.domain.limits import BIDI, CONTROLS, PASSWORD_MAX
from console.domain.whistle import Task
from console.domain.workflow import TABLE
from console.queries import cases as q
from console.services.auth import hash_password
from console.views.screens.action_forms import ActionForm, fields_of
from console.views.screens.find_modals import FilterScreen, RefField, SaveViewScreen
from console.views.screens.handover import HandoverForm
from console.views.screens.intake import IntakeScreen
from console.views.screens.main import MainScreen
from console.views.screens.sign_in import SignInScreen
from console.views.widgets.picker import PickerScreen
from tests.conftest import refused
from tests.tui.conftest import AppFactory, report
from tests.tui.quiet import until_quiet
from tests.tui.test_actions import select

SIZE = (100, 32)
UNSAFE = re.compile(f"[{CONTROLS}{BIDI}]")
MARKUP = "[bold red]x[/]"
PASTES = {
    "osc": "A\x1b]2;T\x07B",
    "osc, string terminator": "A\x1b]0;pwned\x1b\\B",
    "csi": "A\x1b[31mB\x1b[2J",
    "c1": "A\x9b31mB\x85C",
    "bidi": "A\u202eB\u2066C\u2067D\u2068E\u2069F",
    "nul": "A\x00B",
    "markup": MARKUP,
}
# Everything at once, as a form is sent with it.
MIXED = "A\x1b]2;T\x07B\x9b\x85C\u202eD\u2066E\u2069\x00" + MARKUP
MEGABYTE = "标" * (1 << 20)


def limit_of(field: Widget) -> int:
    """The most characters the field takes: an Input's max_length, a TextArea's own."""
    return int(getattr(field, "max_length", 0) or 0)


def value_of(field: Widget) -> str:
    return field.value if isinstance(field, Input) else field.text  # type: ignore[attr-defined]


def set_value(field: Widget, value: str) -> None:
    if isinstance(field, Input):
        field.value = value
    else:
        assert isinstance(field, TextArea)
        field.load_text(value)


def text_fields(screen: Screen[Any]) -> list[Widget]:
    found: list[Widget] = [*screen.query(Input), *screen.query(TextArea)]
    return [f for f in found if f.focusable]


def said(app: GridcallApp) -> list[str]:
    return [n.message for n in app._notifications]


async def paste(app: GridcallApp, pilot: Pilot[None], field: Widget, payload: str) -> str:
    """Paste into the field, emptied first, as a terminal delivers a paste: to the App."""
    field.focus()
    await pilot.pause()
    set_value(field, "")
    app.post_message(events.Paste(payload))
    await pilot.pause()
    return value_of(field)


async def paste_hostile(app: GridcallApp, pilot: Pilot[None], screen: Screen[Any]) -> list[str]:
    """Every payload into every text field of the screen; the fields' ids, for the record."""
    fields = text_fields(screen)
    assert fields, f"{type(screen).__name__} shows no text field"
    for field in fields:
        name = f"{type(screen).__name__} #{field.id or type(field).__name__}"
        kept = value_of(field)
        for kind, payload in PASTES.items():
            value = await paste(app, pilot, field, payload)
            assert not UNSAFE.search(value), (name, kind, value)
            assert app.focused is field, (name, kind, app.focused)
            assert app.screen is screen, (name, kind)
        assert value == MARKUP, (name, value)  # kept as it was typed: no markup read
        most = limit_of(field)
        assert 0 < most < len(MEGABYTE), f"{name} takes text of any length"
        before = {n.identity for n in app._notifications}
        value = await paste(app, pilot, field, MEGABYTE)
        assert value == "", (name, len(value))  # refused whole, not cut without a word
        words = [n.message for n in app._notifications if n.identity not in before]
        assert any(f"{most:,}" in w or str(most) in w for w in words), (name, words)
        assert app.focused is field and app.screen is screen, name
        set_value(field, kept)
        await pilot.pause()
    assert app.is_running and app._exception is None
    return [str(f.id) for f in fields]


def counts(store: Store) -> tuple[int, ...]:
    with store.read() as s:
        return tuple(
            int(s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("cases", "audit_events", "saved_views", "handovers")
        )


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def assert_stored_inertly(*values: str | None) -> None:
    for value in values:
        assert value is not None
        assert not UNSAFE.search(value), value
    assert any(MARKUP in (value or "") for value in values), values


def last_event(store: Store) -> list[str]:
    with store.read() as s:
        reason, payload = s.execute(
            text("SELECT reason, payload FROM audit_events ORDER BY seq DESC LIMIT 1")
        ).one()
    return [reason or "", *strings(json.loads(payload))]


# --- screens that write nothing ------------------------------------------------------------------


async def test_the_sign_in_fields(seeded: Store, console_app: AppFactory) -> None:
    app = console_app(seeded, signed_in=False, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert await paste_hostile(app, pilot, app.screen) == ["door-login", "door-password"]


async def test_the_search_box_the_filters_and_their_pickers(
    seeded: Store, console_app: AppFactory
) -> None:
    app = console_app(seeded, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("slash")
        await until_quiet(pilot)
        assert "find-input" in await paste_hostile(app, pilot, main)
        await pilot.press("escape")
        await until_quiet(pilot)

        await pilot.press("f")
        await until_quiet(pilot)
        filters = app.screen
        assert isinstance(filters, FilterScreen)
        await paste_hostile(app, pilot, filters)
        filters.query_one("#f-category", RefField).focus()
        await pilot.press("space")
        await until_quiet(pilot)
        assert isinstance(app.screen, PickerScreen)
        await paste_hostile(app, pilot, app.screen)


async def test_the_command_palette(seeded: Store, console_app: AppFactory) -> None:
    app = console_app(seeded, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("ctrl+p")
        await until_quiet(pilot)
        await paste_hostile(app, pilot, app.screen)


async def test_every_action_form(seeded: Store, console_app: AppFactory) -> None:
    """Every action whose form has a field to type in, from the table and the forms module."""
    (code,) = report(seeded)
    typed = [a for a in TABLE if fields_of(a)]
    app = console_app(seeded, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        # Summoned departments, one owing its feedback, one answered and not yet rated: the
        # forms that name them (waive, rate a department) have some to offer.
        owes, answered = sorted(app.session.reference.unit_by_code)[:2]
        now = wallclock.now()
        task = Task(owes, now, now, now, now)
        tasks = (task, replace(task, unit=answered, checked_in_at=now, fed_back_at=now))
        subject = replace(q.detail(seeded, q.DISTRICT_WIDE, code), tasks=tasks)
        covered = set()
        for action in typed:
            form = main.form(action, subject)
            await app.push_screen(form)
            await until_quiet(pilot)
            if text_fields(form):
                covered.add(action)
                await paste_hostile(app, pilot, form)
            form.dismiss(None)
            await until_quiet(pilot)
        # the forms asking for words, among them
        assert {Action.REJECT, Action.RETURN, Action.ESCALATE, Action.EXTEND} <= covered
        assert {Action.SUSPEND, Action.REVIEW, Action.NOTE, Action.URGE} <= covered
        assert {Action.REPLY, Action.FEEDBACK, Action.HANDLED, Action.SELF_CLOSE} <= covered
        assert Action.WAIVE in covered


# --- forms sent after the paste ------------------------------------------------------------------


async def test_the_intake_form_and_what_it_saves(seeded: Store, console_app: AppFactory) -> None:
    app = console_app(seeded, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        fields = await paste_hostile(app, pilot, form)
        assert {"title", "description", "address", "reporter", "phone"} <= set(fields)

        before = counts(seeded)
        await paste(app, pilot, form.query_one("#title"), MEGABYTE)
        await pilot.press("ctrl+s")
        await until_quiet(pilot)
        assert counts(seeded) == before and app.screen is form  # refused: no title

        await paste(app, pilot, form.query_one("#title"), MIXED)
        await pilot.press("tab")
        await paste(app, pilot, form.query_one("#description"), MIXED + "\n" + MIXED)
        await pilot.press("tab")
        await pilot.press(*"010705", "enter", "tab")
        await pilot.press(*"望江清泰街")
        await until_quiet(pilot)
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")
        await until_quiet(pilot)
        assert counts(seeded)[0] == before[0] + 1, said(app)
        with seeded.read() as s:
            title, description = s.execute(
                text("SELECT title, description FROM cases ORDER BY id DESC LIMIT 1")
            ).one()
        assert_stored_inertly(title, description)


async def test_a_reason_and_a_note_and_what_they_write(
    seeded: Store, console_app: AppFactory
) -> None:
    (code,) = report(seeded)
    app = console_app(seeded, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        for key, field in (("o", "#field-text"), ("x", "#field-reason")):
            await pilot.press(key)
            await until_quiet(pilot)
            form = app.screen
            assert isinstance(form, ActionForm)
            before = counts(seeded)
            await paste(app, pilot, form.query_one(field), MEGABYTE)
            await pilot.press("enter")
            await until_quiet(pilot)
            assert counts(seeded) == before and app.screen is form  # refused: nothing typed
            await paste(app, pilot, form.query_one(field), MIXED)
            await pilot.press("enter")
            await until_quiet(pilot)
            if key == "x":  # rejecting ends the case: asked again
                await pilot.press("y")
                await until_quiet(pilot)
            assert counts(seeded)[1] == before[1] + 1, said(app)
            assert_stored_inertly(*last_event(seeded))


async def test_saving_a_view_and_the_name_it_keeps(seeded: Store, console_app: AppFactory) -> None:
    app = console_app(seeded, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("S")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, SaveViewScreen)
        assert await paste_hostile(app, pilot, form) == ["save-name"]
        name = form.query_one("#save-name", Input)
        before = counts(seeded)
        await paste(app, pilot, name, MEGABYTE)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert counts(seeded) == before  # nothing named: nothing saved
        assert "a view needs a name" in said(app)
        assert app.screen is form  # and the dialog stays, to name it
        await paste(app, pilot, name, MIXED)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert counts(seeded)[2] == before[2] + 1, said(app)
        with seeded.read() as s:
            names = s.execute(text("SELECT name FROM saved_views")).scalars().all()
        assert any(MARKUP in n for n in names) and not any(UNSAFE.search(n) for n in names)


async def test_the_handover_and_the_note_it_keeps(seeded: Store, console_app: AppFactory) -> None:
    app = console_app(seeded, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("H", "w")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, HandoverForm)
        assert await paste_hostile(app, pilot, form) == ["handover-editor"]
        editor = form.query_one(TextArea)
        before = counts(seeded)
        await paste(app, pilot, editor, MEGABYTE)
        await pilot.press("ctrl+s")
        await until_quiet(pilot)
        assert counts(seeded) == before and app.screen is form  # empty: refused
        await paste(app, pilot, editor, MIXED + "\n" + MIXED)
        await pilot.press("ctrl+s")
        await until_quiet(pilot)
        assert counts(seeded)[3] == before[3] + 1, said(app)
        with seeded.read() as s:
            (body,) = s.execute(text("SELECT body FROM handovers ORDER BY id DESC LIMIT 1")).one()
        assert_stored_inertly(body)


def test_no_password_is_longer_than_the_sign_in_box_takes() -> None:
    """A password the sign-in box could not take whole would lock its user out."""
    assert hash_password("p" * PASSWORD_MAX)
    with refused(Invalid, f"a password has at most {PASSWORD_MAX} characters"):
        hash_password("p" * (PASSWORD_MAX + 1))
