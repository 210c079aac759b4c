"""From the keyboard, on SQLite and PostgreSQL: the reporter as the reader may see them, the
reveal key (P) and its trail, and the dispatch and whistle forms offering only the units
within the operator's reach."""

from __future__ import annotations

from dataclasses import replace

from textual.pilot import Pilot

from console.app import GridcallApp
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.queries.reference import reference
from console.services.cases import act, create_case
from console.views.screens.action_forms import ActionForm
from console.views.screens.case import CaseScreen
from console.views.screens.intake import IntakeScreen, Stepper
from console.views.widgets.case_pane import CasePane
from console.views.widgets.picker import Picker
from console.views.widgets.queue import QueueView
from tests.conftest import ANCHOR
from tests.tui.conftest import DISTRICT, OPERATOR, AppFactory, manhole, report
from tests.tui.quiet import until_quiet

WIDE = (160, 40)  # the pane beside the queue
PHONE = "13912345678"


def called_in(store: Store) -> str:
    """A case of the operator's street, reported by a caller who left a name and a phone."""
    new = replace(manhole(store), reporter_name="张先生", reporter_phone=PHONE)
    return create_case(store, SlaClock(), OPERATOR, new).code


async def on_case(app: GridcallApp, pilot: Pilot[None], code: str) -> CasePane:
    await until_quiet(pilot)
    queue = app.screen.query_one(QueueView)
    queue.reveal(q.detail(app.session.store, q.DISTRICT_WIDE, code).row)
    await until_quiet(pilot)
    pane = app.screen.query_one(CasePane)
    assert code in pane.text
    return pane


def messages(app: GridcallApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_reveal_key_shows_the_phone_and_the_timeline_records_it(
    seeded: Store, console_app: AppFactory
) -> None:
    code = called_in(seeded)
    app = console_app(seeded, lang="en")
    async with app.run_test(size=WIDE) as pilot:
        pane = await on_case(app, pilot, code)
        assert "张先生  139****5678" in pane.text
        assert PHONE not in pane.text
        await pilot.press("P")
        await until_quiet(pilot)
        assert f"张先生  {PHONE}" in pane.text
        assert "reporter's phone revealed" in pane.text  # the timeline's new line
        assert any(code in m and "trail" in m for m in messages(app))
    newest = q.detail(seeded, q.DISTRICT_WIDE, code).timeline[0]
    assert (newest.action, newest.actor) == ("reveal", OPERATOR)


async def test_a_reader_who_sees_the_reporter_masked_is_refused(
    seeded: Store, console_app: AppFactory
) -> None:
    code = called_in(seeded)
    events = len(q.detail(seeded, q.DISTRICT_WIDE, code).timeline)
    app = console_app(seeded, login=DISTRICT, lang="en")  # a district supervisor: masked
    async with app.run_test(size=WIDE) as pilot:
        pane = await on_case(app, pilot, code)
        assert "张*  139****5678" in pane.text
        await pilot.press("P")
        await until_quiet(pilot)
        assert "张*  139****5678" in pane.text
        assert any("for the street's operators" in m for m in messages(app))
    assert len(q.detail(seeded, q.DISTRICT_WIDE, code).timeline) == events


async def unit_pickers(app: GridcallApp, pilot: Pilot[None], code: str, key: str) -> list[Picker]:
    """The form of `key` on case `code`: its unit pickers, each listing every unit it offers."""
    await on_case(app, pilot, code)
    await pilot.press(key)
    await until_quiet(pilot)
    form = app.screen
    assert isinstance(form, ActionForm)
    return list(form.query(Picker))


async def test_the_forms_offer_only_units_within_reach(
    seeded: Store, console_app: AppFactory
) -> None:
    (code,) = report(seeded, accepted=True)
    ref = reference(seeded)
    street = ref.area(ref.actor(OPERATOR).street or "")

    async def offered(login: str, key: str) -> list[set[str]]:
        app = console_app(seeded, login=login, lang="en")
        async with app.run_test(size=WIDE) as pilot:
            return [
                {hit.code for hit in p.found} for p in await unit_pickers(app, pilot, code, key)
            ]

    for key in ("d", "w"):  # dispatch: the lead and co-handlers; whistle: the lead, summoned
        pickers = await offered(OPERATOR, key)
        assert len(pickers) == 2
        for units in pickers:
            assert f"S-{street.code}-CG" in units  # the street's own section
            assert any(ref.unit(u).street_id is None for u in units)  # the district's
            elsewhere = {u for u in units if ref.unit(u).street_id not in (None, street.id)}
            assert not elsewhere, key
        for units in await offered(DISTRICT, key):
            assert any(ref.unit(u).street_id not in (None, street.id) for u in units), key


async def test_a_tip_is_taken_down_with_its_reporter_confidential(
    seeded: Store, console_app: AppFactory
) -> None:
    app = console_app(seeded, lang="en")
    title = "疑似聚众赌博线索"
    async with app.run_test(size=(100, 32)) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, IntakeScreen)
        confidential = app.screen.query_one("#confidential", Stepper)
        assert confidential.value == "no"
        await pilot.press(*title, "tab", "tab", *"030204", "enter")  # 黄赌毒线索: a tip
        await pilot.pause()
        assert confidential.value == "yes"
        await pilot.press("tab", *"望江社区", "enter", *"清泰街", "enter")
        await pilot.press(*"李先生", "enter", *"13900001111", "enter")  # Enter saves
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    rows = q.page(
        seeded, q.DISTRICT_WIDE, q.QueueFilter(text=title), q.Sort.REPORTED, limit=5, now=ANCHOR
    )
    (row,) = rows
    d = q.detail(seeded, q.DISTRICT_WIDE, row.code)
    assert d.category_code == "030204" and d.confidential


async def test_a_case_that_leaves_the_units_scope_reads_as_gone_not_as_a_lost_store(
    seeded: Store, console_app: AppFactory
) -> None:
    """A liaison returns a case (not theirs) and the centre grants it: on the case screen it
    is then no case of theirs — said so, with no verbs — and the console stays live."""
    ref = reference(seeded)
    liaison = "liaison.cg"
    unit = ref.units[ref.user(liaison).unit_id or 0].code
    (code,) = report(seeded, accepted=True)
    act(seeded, SlaClock(), OPERATOR, code, Action.DISPATCH, Params(unit=unit))
    app = console_app(seeded, login=liaison, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await until_quiet(pilot)
        queue = app.screen.query_one(QueueView)
        queue.reveal(q.detail(seeded, q.DISTRICT_WIDE, code).row)
        await until_quiet(pilot)
        await pilot.press("enter")
        await until_quiet(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        await pilot.press("t", *"不属本单位", "enter")
        await until_quiet(pilot)
        asked = q.detail(seeded, q.DISTRICT_WIDE, code)
        assert asked.row.status is Status.DISPATCHED and asked.row.return_reason == "不属本单位"
        assert "return requested" in screen.query_one(CasePane).text
        act(seeded, SlaClock(), OPERATOR, code, Action.APPROVE_RETURN)
        screen.reload_case()  # as the store's notice of the change has it read again
        await until_quiet(pilot)
        assert q.detail(seeded, q.DISTRICT_WIDE, code).row.status is Status.ACCEPTED
        assert app.screen is screen
        assert f"no case {code}" in screen.query_one(CasePane).text
        assert screen.available() == []
        assert app.header.live
