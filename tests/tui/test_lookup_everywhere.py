"""One answer per query: the intake form, the action forms and the filters find the same
entries for the same words, through the pickers each screen builds, on the demo store.

Each field keeps to what it may offer: a filter may also name a whole group of categories
(it filters its subtree), and keeps to the operator's street, as the dispatch form keeps to
the units within the operator's reach, nearest to the case first. Within that, the answer is
one.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.enums import Status
from console.queries import cases as q
from console.queries.reference import reference
from console.views.screens.action_forms import ActionForm
from console.views.screens.find_modals import FilterScreen, RefField
from console.views.screens.intake import IntakeScreen
from console.views.widgets.picker import Picker, PickerScreen
from console.views.widgets.queue import QueueView
from tests.tui.conftest import OPERATOR, AppFactory
from tests.tui.quiet import until_quiet

CATEGORY_QUERIES = ("0102", "０１０２", "占道", "road", "Street order", "城市管理 积水")
GRID_QUERIES = ("ｌｊ０１０１", "lj0101", "望江", "wangjiang")
UNIT_QUERIES = ("城市管理", "fire", "公安", "lj0101")


async def found(pilot: Pilot[None], picker: Picker, text: str) -> list[str]:
    picker.box.value = text
    await pilot.pause()
    return [hit.code for hit in picker.found]


async def in_intake(pilot: Pilot[None], field: str, queries: tuple[str, ...]) -> list[list[str]]:
    app = pilot.app
    await pilot.press("n")
    await until_quiet(pilot)
    assert isinstance(app.screen, IntakeScreen)
    picker = app.screen.query_one(f"#{field}", Picker)
    picker.focus()
    answers = [await found(pilot, picker, text) for text in queries]
    picker.box.value = ""
    await pilot.press("escape")
    await until_quiet(pilot)
    return answers


async def in_action_form(
    pilot: Pilot[None], key: str, field: str, queries: tuple[str, ...]
) -> list[list[str]]:
    app = pilot.app
    assert isinstance(app, GridcallApp)
    f = q.QueueFilter(statuses=frozenset({Status.ACCEPTED}))
    (row,) = q.page(
        app.session.store, app.session.actor, f, q.Sort.DEADLINE, limit=1, now=wallclock.now()
    )
    app.screen.query_one(QueueView).reveal(row)
    await until_quiet(pilot)
    await pilot.press(key)
    await until_quiet(pilot)
    assert isinstance(app.screen, ActionForm)
    picker = app.screen.query_one(f"#field-{field}", Picker)
    picker.focus()
    answers = [await found(pilot, picker, text) for text in queries]
    await pilot.press("escape")
    await until_quiet(pilot)
    return answers


async def in_filters(pilot: Pilot[None], field: str, queries: tuple[str, ...]) -> list[list[str]]:
    app = pilot.app
    await pilot.press("f")
    await until_quiet(pilot)
    assert isinstance(app.screen, FilterScreen)
    app.screen.query_one(f"#f-{field}", RefField).focus()
    await pilot.press("space")
    await until_quiet(pilot)
    modal = app.screen
    assert isinstance(modal, PickerScreen)
    answers = [await found(pilot, modal.picker, text) for text in queries]
    await pilot.press("escape", "escape")
    await until_quiet(pilot)
    return answers


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_same_words_find_the_same_entries_everywhere(
    snapshot_store: Store, console_app: AppFactory, lang: str
) -> None:
    ref = reference(snapshot_store)
    app = console_app(snapshot_store, login=OPERATOR, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_quiet(pilot)
        intake = await in_intake(pilot, "category", CATEGORY_QUERIES)
        form = await in_action_form(pilot, "number_sign", "category", CATEGORY_QUERIES)
        filters = await in_filters(pilot, "category", CATEGORY_QUERIES)
        for text, a, b, c in zip(CATEGORY_QUERIES, intake, form, filters, strict=True):
            assert a, text
            assert a == b, text
            assert [code for code in c if ref.category_by_code[code].is_leaf] == a, text
        assert intake[0] == intake[1]  # full-width digits as typed by a Chinese input method

        intake = await in_intake(pilot, "grid", GRID_QUERIES)
        filters = await in_filters(pilot, "grid", GRID_QUERIES)
        for text, a, c in zip(GRID_QUERIES, intake, filters, strict=True):
            assert a, text
            assert a == c, text
        assert intake[0] == intake[1]

        form = await in_action_form(pilot, "d", "unit", UNIT_QUERIES)
        filters = await in_filters(pilot, "unit", UNIT_QUERIES)
        for text, b, c in zip(UNIT_QUERIES, form, filters, strict=True):
            assert c, text
            assert sorted(b) == sorted(c), text  # within reach: the district's and the street's
