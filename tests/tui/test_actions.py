"""Actions from the keyboard: verbs in the footer only when allowed, small modals, the service
called with the version the operator saw, conflicts, bulk actions — on SQLite and PostgreSQL."""

from __future__ import annotations

from textual.pilot import Pilot

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.queries import lookup
from console.queries.reference import reference
from console.services.cases import act
from console.views.screens.action_forms import ActionForm, Confirm, ConflictNotice
from console.views.widgets.case_pane import CasePane
from console.views.widgets.find import ViewBar
from console.views.widgets.keybar import KeyBar
from console.views.widgets.picker import Picker
from console.views.widgets.queue import QueueView
from tests.tui.conftest import DISTRICT, OPERATOR, AppFactory, report, screen_text
from tests.tui.quiet import until_quiet

SIZE = (100, 30)


def queue_of(app: GridcallApp) -> QueueView:
    return app.screen_stack[1].query_one(QueueView)


def footer(app: GridcallApp) -> set[str]:
    """The names of the keys the footer shows."""
    return set(app.screen.query_one(KeyBar).descriptions)


def pane_text(app: GridcallApp) -> str:
    """The case pane's words, its wrapped lines joined again."""
    return " ".join(line.strip() for line in app.screen.query_one(CasePane).text.splitlines())


async def select(app: GridcallApp, pilot: Pilot[None], code: str) -> None:
    """Put the cursor on this case wherever it stands in the queue, and let the console read it."""
    queue = queue_of(app)
    queue.reveal(q.detail(app.session.store, q.DISTRICT_WIDE, code).row)
    await until_quiet(pilot)
    assert queue.current_row is not None and queue.current_row.code == code


def events(store: Store, code: str) -> int:
    return len(q.detail(store, q.DISTRICT_WIDE, code).timeline)


async def test_accept_then_dispatch_through_the_modals(busy, console_app: AppFactory) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        await select(app, pilot, code)
        assert "accept" in footer(app)
        assert "dispatch" not in footer(app)
        seen = events(busy, code)

        await pilot.press("a")  # accepting runs at once: no modal
        await until_quiet(pilot)
        accepted = q.detail(busy, q.DISTRICT_WIDE, code)
        assert accepted.row.status is Status.ACCEPTED
        assert len(accepted.timeline) == seen + 1
        # The accepted case is still open, so still in view 1: the cursor stays on it.
        assert queue.current_row is not None and queue.current_row.code == code

        await select(app, pilot, code)
        assert "dispatch" in footer(app)
        await pilot.press("d")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, ActionForm)
        ref = reference(busy)
        expected = ref.default_unit(
            ref.category_by_code[accepted.category_code], ref.area(accepted.grid_code)
        )
        assert expected is not None
        picker = form.query_one("#field-unit", Picker)
        assert picker.value == expected.code  # the category's default unit is suggested
        await pilot.press("enter")
        await until_quiet(pilot)
        assert not isinstance(app.screen, ActionForm)
        dispatched = q.detail(busy, q.DISTRICT_WIDE, code)
        assert dispatched.row.status is Status.DISPATCHED
        assert dispatched.lead_unit_code == expected.code
        assert len(dispatched.timeline) == seen + 2


async def test_dispatch_to_a_unit_found_by_typing(busy, console_app: AppFactory) -> None:
    (code,) = report(busy, accepted=True)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("d")
        await until_quiet(pilot)
        await pilot.press(*"fire", "enter")
        await until_quiet(pilot)
        detail = q.detail(busy, q.DISTRICT_WIDE, code)
        assert detail.row.status is Status.DISPATCHED
        assert detail.lead_unit_code == "U-XF"  # the fire brigade


async def test_reject_without_reason_shows_the_error_and_changes_nothing(
    busy, console_app: AppFactory
) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        before = q.detail(busy, q.DISTRICT_WIDE, code)
        await pilot.press("x")
        await until_quiet(pilot)
        assert isinstance(app.screen, ActionForm)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, ActionForm)  # still open
        error = app.screen.query_one("#error-reason")
        assert error.display
        assert "reason is required" in screen_text(error)
        await pilot.press("escape")
        await until_quiet(pilot)
        assert not isinstance(app.screen, ActionForm)
        after = q.detail(busy, q.DISTRICT_WIDE, code)
        assert after.row.version == before.row.version
        assert after.row.status is Status.REPORTED


async def test_reject_asks_again_before_ending_the_case(busy, console_app: AppFactory) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("x", *"no", "enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await until_quiet(pilot)
        detail = q.detail(busy, q.DISTRICT_WIDE, code)
        assert detail.row.status is Status.INVALID
        assert detail.timeline[0].reason == "no"


async def test_a_conflict_names_who_changed_the_case_and_reload_fixes_it(
    busy, console_app: AppFactory
) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        # Another operator writes a note while this console still shows the old version.
        act(busy, SlaClock(), "op.jiangbin2", code, Action.NOTE, Params(text="caller rang again"))
        await pilot.press("a")
        await until_quiet(pilot)
        notice = app.screen
        assert isinstance(notice, ConflictNotice)
        assert "op.jiangbin2" in screen_text(notice.query_one("#conflict-message"))
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.REPORTED
        await pilot.press("r")
        await until_quiet(pilot)
        assert not isinstance(app.screen, ConflictNotice)
        assert queue_of(app).current_row.code == code  # type: ignore[union-attr]
        await pilot.press("a")
        await until_quiet(pilot)
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.ACCEPTED


async def test_a_forbidden_key_is_not_shown_and_does_nothing(busy, console_app: AppFactory) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        before = q.detail(busy, q.DISTRICT_WIDE, code)
        shown = footer(app)
        assert "accept" in shown
        # Not from this status (dispatch) and not for an operator (suspend: supervisors).
        assert "dispatch" not in shown and "suspend" not in shown
        await pilot.press("d", "z")
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.version == before.row.version


async def test_without_the_store_the_console_is_read_only(busy, console_app: AppFactory) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        assert "accept" in footer(app)
        app.header.live = False  # what the live watcher does when the store goes away
        await until_quiet(pilot)
        assert "accept" not in footer(app) and "actions" not in footer(app)
        await pilot.press("a", "full_stop")
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.REPORTED
        app.header.live = True  # back: the keys return
        await until_quiet(pilot)
        assert "accept" in footer(app)


async def test_bulk_accept_of_marked_cases(busy, console_app: AppFactory) -> None:
    # Three waiting cases and one already accepted, which is refused while the others go through.
    codes = report(busy, 3) + report(busy, accepted=True)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        for code in codes:
            await select(app, pilot, code)
            await pilot.press("space")
        await until_quiet(pilot)
        assert len(queue.marked) == 4
        await pilot.press("a")
        await until_quiet(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await until_quiet(pilot)
        statuses = [q.detail(busy, q.DISTRICT_WIDE, c).row.status for c in codes]
        assert statuses == [Status.ACCEPTED] * 4
        assert not queue.marked
        messages = [n.message for n in app._notifications]
        assert any("3 done, 1 refused" in m and codes[3] in m for m in messages), messages


async def test_act_from_the_case_screen(busy, console_app: AppFactory) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert "受理" in footer(app)
        await pilot.press("a")
        await until_quiet(pilot)
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.ACCEPTED
        assert "已受理" in app.screen.query_one(CasePane).text
        assert "受理" not in footer(app)
        assert "派遣" in footer(app)


async def test_command_palette_offers_the_allowed_actions(busy, console_app: AppFactory) -> None:
    (code,) = report(busy, accepted=True)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("ctrl+p", *"escal")
        await until_quiet(pilot)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, ActionForm)
        assert app.screen.action is Action.ESCALATE
        await pilot.press(*"big", "enter")
        await until_quiet(pilot)
        detail = q.detail(busy, q.DISTRICT_WIDE, code)
        assert detail.row.level.value == "community"
        assert detail.row.status is Status.ACCEPTED


def test_unit_picker_puts_the_likely_units_first(busy) -> None:
    """This grid's worker, its community and its street's sections come before the rest."""
    ref = reference(busy)
    actor = ref.actor(OPERATOR)
    row = q.page(
        busy,
        actor,
        q.QueueFilter(statuses=frozenset({Status.ACCEPTED})),
        q.Sort.DEADLINE,
        limit=1,
        now=wallclock.now(),
    )[0]
    detail = q.detail(busy, q.DISTRICT_WIDE, row.code)
    items = lookup.units(ref, "", case=detail, browse=True)
    codes = [i.code for i in items]
    assert len(codes) == len(ref.units)
    grid = ref.area(detail.grid_code)
    assert codes.index(f"W-{grid.code}") < 3
    community = ref.areas[grid.community_id].code  # type: ignore[index]
    assert codes.index(f"C-{community}") < 4
    sections = [c for c in codes[:6] if c.startswith(f"S-{detail.street_code}")]
    assert len(sections) == 2


def test_every_action_has_a_key_and_a_form_for_what_it_requires() -> None:
    """The forms read the table: every field an action requires has a place in its form."""
    from console.domain.workflow import TABLE
    from console.views.screens.action_forms import FIELD_ORDER, fields_of
    from console.views.screens.actions import VERBS

    assert {v.action for v in VERBS} == set(TABLE)
    keys = [v.key for v in VERBS]
    assert len(keys) == len(set(keys))
    # Keys the queue, the find bar, intake and the grid browser already use.
    taken = set("jkgGrqnfsSb") | {"enter", "space", "question_mark", "slash"} | set("123456789")
    assert not taken & set(keys)
    for action, row in TABLE.items():
        assert set(row.requires) <= set(fields_of(action)) <= set(FIELD_ORDER)


async def test_the_key_shown_in_the_action_menu_chooses_its_action(
    busy, console_app: AppFactory
) -> None:
    """The menu lists each action beside its key: pressing that key there does it, as it does
    from the queue (an operator reads "a  accept" and presses a)."""
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("full_stop")
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "ActionMenu"
        await pilot.press("a")  # accepting runs at once: no modal
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.ACCEPTED


async def test_a_case_escalated_to_the_district_leaves_the_street_a_note_and_reaches_key_2(
    busy, console_app: AppFactory
) -> None:
    (code,) = report(busy, accepted=True)
    for _ in range(3):  # grid → community → street → district
        act(busy, SlaClock(), OPERATOR, code, Action.ESCALATE, Params(reason="需区级协调"))
    app = console_app(busy, lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        before = q.detail(busy, q.DISTRICT_WIDE, code)
        shown = footer(app)
        assert "dispatch" not in shown and "escalate" not in shown and "urge" not in shown
        # The pane says in words why the keys are gone.
        assert "held by the district platform: read only here" in pane_text(app)
        await pilot.press("d", "w")
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.version == before.row.version

    app = console_app(busy, login=DISTRICT, lang="zh")
    async with app.run_test(size=(160, 48)) as pilot:
        await until_quiet(pilot)
        await pilot.press("2")
        await until_quiet(pilot)
        queue = app.screen.query_one(QueueView)
        assert code in [row.code for row in queue.model.rows or []]
        assert {row.level.value for row in queue.model.rows or []} == {"district"}
        bar = app.screen.query_one(ViewBar).render().plain
        assert bar.startswith(" 2 上报至区级 ")
        await select(app, pilot, code)
        assert "派遣" in footer(app)
        assert "只读" not in pane_text(app)


async def test_a_case_escalated_to_the_community_reaches_its_key_2_and_its_own_units(
    busy, console_app: AppFactory
) -> None:
    """难事不出社区: the community's workstation finds the case in key 2 and may give it only
    to its own grid workers and team: the dispatch form offers nothing else."""
    (code,) = report(busy, accepted=True)
    act(busy, SlaClock(), OPERATOR, code, Action.ESCALATE, Params(reason="需社区协调"))
    app = console_app(busy, login="co.lj0101", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("2")
        await until_quiet(pilot)
        assert app.screen.query_one(ViewBar).render().plain.startswith(" 2 上报至社区 ")
        assert code in [row.code for row in queue_of(app).model.rows or []]
        await select(app, pilot, code)
        assert "派遣" in footer(app)
        await pilot.press("d")
        await until_quiet(pilot)
        assert isinstance(app.screen, ActionForm)
        offered = {hit.code for hit in app.screen.query_one("#field-unit", Picker).found}
        assert "C-LJ0101" in offered and "W-LJ010101" in offered
        assert all(c == "C-LJ0101" or c.startswith("W-LJ0101") for c in offered), offered


async def test_a_key_before_the_cursors_news_never_acts_on_the_row_that_was_there(
    busy, console_app: AppFactory
) -> None:
    """New rows came in (a search) and the cursor stands on another case, but the screen has
    not yet heard of it: the key must not act on the case read for the old row."""
    first, second = report(busy, 2, accepted=True)
    for code in (first, second):
        act(busy, SlaClock(), OPERATOR, code, Action.DISPATCH, Params(unit="S-LJ01-CG"))
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, first)
        screen = app.screen
        old = screen.subject
        assert old is not None and old.code == first
        await pilot.press("slash", *second[-7:])
        await until_quiet(pilot, 0.3)  # past the search box's pause
        await pilot.press("enter")
        await until_quiet(pilot)
        assert queue_of(app).model.total == 1
        assert queue_of(app).current_row is not None
        assert queue_of(app).current_row.code == second
        # As if the queue's Highlighted for the new row had not been handled yet.
        screen._following, screen.subject = first, old
        await pilot.press("u")
        await until_quiet(pilot)
        assert not isinstance(app.screen, ActionForm), "urged the case no longer under the cursor"
