"""The intake form, driven by key presses as an operator with a caller on the line would."""

from __future__ import annotations

import itertools

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea

from console import wallclock
from console.db import Store
from console.domain.enums import Source, Status, Urgency
from console.domain.limits import ADDRESS_MAX, PHONE_MAX, REPORTER_NAME_MAX, TITLE_MAX
from console.i18n import t, when
from console.queries import cases as q
from console.queries.reference import reference
from console.views.screens.intake import IntakeScreen
from console.views.viewmodels.intake import deadlines
from console.views.widgets.picker import Picker
from console.views.widgets.queue import QueueView
from tests.tui.conftest import OPERATOR, AppFactory, screen_text
from tests.tui.quiet import until_quiet

LIAISON = "liaison.cg"
# The busy store is shared by a module's tests: every case made here gets a title of its own.
_serial = itertools.count(1)


def _title(stem: str) -> str:
    return f"{stem}{next(_serial)}号"


async def _type(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


def _case_titled(store: Store, title: str) -> q.CaseDetail:
    """The one case with this title (the search matches parts of titles: keep exact ones)."""
    rows = q.page(
        store,
        q.DISTRICT_WIDE,
        q.QueueFilter(text=title),
        q.Sort.REPORTED,
        now=wallclock.now(),
        limit=20,
    )
    (code,) = [r.code for r in rows if r.title == title]
    return q.detail(store, q.DISTRICT_WIDE, code)


def _count(store: Store) -> int:
    return q.count(store, q.DISTRICT_WIDE, q.QueueFilter(statuses=frozenset()), now=wallclock.now())


async def test_a_call_becomes_a_case_in_the_queue(busy, console_app: AppFactory) -> None:
    app = console_app(busy)
    title = _title("占道经营")
    async with app.run_test(size=(100, 32)) as pilot:
        await until_quiet(pilot)
        before = _count(busy)
        await pilot.press("n")
        assert isinstance(app.screen, IntakeScreen)
        assert app.focused is app.screen.query_one("#title", Input)  # the hotline is preset
        await _type(pilot, title)
        await pilot.press("tab")
        await _type(pilot, "摆摊")
        await pilot.press("tab")
        await _type(pilot, "占道")  # a name …
        category = app.screen.query_one("#category", Picker)
        assert [m.code for m in category.found] == ["010203"]
        await pilot.press("enter", "tab")  # take it; past urgency (the category's)
        await _type(pilot, "望江社区")  # … a community narrows to its grids
        grid = app.screen.query_one("#grid", Picker)
        assert grid.found[0].code == "LJ010101"
        assert all(m.code.startswith("LJ0101") for m in grid.found)
        await pilot.press("enter")
        await _type(pilot, "清泰街")
        await pilot.press("enter")
        await _type(pilot, "张先生")
        await pilot.press("enter")
        await _type(pilot, "13800001111")
        await pilot.pause()
        preview = screen_text(app.screen.query_one("#intake-preview"))
        await pilot.press("enter")  # Enter on the last field saves
        await until_quiet(pilot)

        assert type(app.screen).__name__ == "MainScreen"
        d = _case_titled(busy, title)
        assert d.category_code == "010203"
        assert d.grid_code == "LJ010101"
        assert d.row.source is Source.HOTLINE
        assert (d.reporter_name, d.reporter_phone) == ("张先生", "13800001111")
        assert d.description == "摆摊"
        assert d.row.status is Status.REPORTED and d.row.urgency is Urgency.NORMAL
        assert d.row.deadline_at is not None and d.row.deadline_at > wallclock.now()
        assert [e.action for e in d.timeline] == ["new"]
        assert _count(busy) == before + 1
        # What the form showed before saving is what the case got.
        tz = app.session.tz
        assert when(d.row.deadline_at, tz) in preview
        ref = reference(busy)
        unit = ref.default_unit(ref.category("010203"), ref.grid("LJ010101"))
        assert unit is not None and unit.name in preview
        # The queue shows the new case under its cursor, wherever it stands, and says so.
        queue = app.screen.query_one(QueueView)
        assert queue.current_row is not None and queue.current_row.code == d.code
        assert any(d.code in n.message for n in app._notifications)


async def test_a_code_an_address_and_a_changed_urgency(busy, console_app: AppFactory) -> None:
    app = console_app(busy, lang="en")
    title = _title("积水")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        await _type(pilot, title)
        await pilot.press("tab", "tab")
        await _type(pilot, "010705")  # a code
        await pilot.press("enter")
        preview = screen_text(app.screen.query_one("#intake-preview"))
        assert "urgent (category's)" in preview  # the underpass category is urgent
        await pilot.press("right")  # as category → normal
        await pilot.press("tab")
        await _type(pilot, "望江清泰街")  # an address names the community (社区 left out)
        grid = app.screen.query_one("#grid", Picker)
        assert grid.found and all(m.code.startswith("LJ0101") for m in grid.found)
        await pilot.press("down", "enter")
        # What was typed is an address: it fills the address field, not typed twice.
        assert app.screen.query_one("#address", Input).value == "望江清泰街"
        preview = screen_text(app.screen.query_one("#intake-preview"))
        await pilot.press("ctrl+s")
        await until_quiet(pilot)

        d = _case_titled(busy, title)
        assert (d.category_code, d.grid_code) == ("010705", "LJ010102")
        assert d.row.urgency is Urgency.NORMAL
        assert d.address == "望江清泰街"
        assert d.reporter_name is None and d.reporter_phone is None
        due = deadlines(
            app.session.clock, reference(busy).category("010705"), Urgency.NORMAL, d.row.created_at
        )
        assert d.row.deadline_at == due.accept_by
        assert when(d.row.deadline_at, app.session.tz) in preview
        assert "accept by" in preview and "normal" in preview


async def test_a_missing_title_is_named_and_nothing_is_saved(busy, console_app: AppFactory) -> None:
    app = console_app(busy)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        before = _count(busy)
        await pilot.press("n", "escape")  # nothing typed: Esc closes at once
        assert type(app.screen).__name__ == "MainScreen"
        await pilot.press("n", "tab", "tab")
        await _type(pilot, "占道")
        await pilot.press("enter", "tab")
        await _type(pilot, "望江")
        await pilot.press("enter")
        await _type(pilot, "清泰街")
        await pilot.press("enter", "enter")
        await _type(pilot, "12")  # not a phone number
        await pilot.press("ctrl+s")
        await until_quiet(pilot)

        assert isinstance(app.screen, IntakeScreen)
        problems = screen_text(app.screen.query_one("#intake-problems"))
        assert "标题：必填" in problems and "电话：应为 5–15 位数字" in problems
        assert "类别" not in problems and "网格" not in problems
        assert app.screen.query_one("#row-title").has_class("-invalid")
        assert app.screen.query_one("#row-reporter").has_class("-invalid")
        assert not app.screen.query_one("#row-address").has_class("-invalid")
        assert app.focused is app.screen.query_one("#title", Input)
        assert _count(busy) == before
        # Something was typed: Esc asks first; n keeps the form, y discards it.
        await pilot.press("escape")
        assert type(app.screen).__name__ == "ConfirmDiscard"
        await pilot.press("n")
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("escape", "y")
        assert type(app.screen).__name__ == "MainScreen"
        assert _count(busy) == before


async def test_a_liaison_is_told_why_not(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=LIAISON)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        before = _count(busy)
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        role = t("role.liaison", "zh")
        expected = t("error.forbidden_new", "zh", login=LIAISON, role=role)
        assert expected in [n.message for n in app._notifications]
        assert _count(busy) == before


async def test_a_paste_past_a_fields_limit_is_refused_and_said(
    busy, console_app: AppFactory
) -> None:
    app = console_app(busy)
    async with app.run_test(size=(100, 32)) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, IntakeScreen)
        limits = {"title": TITLE_MAX, "address": ADDRESS_MAX, "reporter": REPORTER_NAME_MAX}
        limits["phone"] = PHONE_MAX  # the domain's, not a number of the form's own
        for name, most in limits.items():
            assert form.query_one(f"#{name}", Input).max_length == most
        title = form.query_one("#title", Input)
        title.post_message(events.Paste("标" * 5000))
        await pilot.pause()
        assert title.value == ""  # not cut without a word: refused, and said
        said = [n.message for n in app._notifications]
        lang = app.session.lang
        field = t("intake.field.title", lang)
        assert t("intake.too_long", lang, field=field, max=TITLE_MAX) in said, said
        assert "200" in said[-1]


async def _to_the_grid(pilot: Pilot[None]) -> None:
    """A new case with its title and category, the cursor in the grid's field."""
    await until_quiet(pilot)
    await pilot.press("n")
    await _type(pilot, _title("井盖"))
    await pilot.press("tab", "tab")
    await _type(pilot, "010102")
    await pilot.press("enter", "tab")


async def test_an_address_on_a_road_offers_the_grid_it_lies_in_first(
    busy, console_app: AppFactory
) -> None:
    # Issue #20: 凤凰山路…号, a road of the demo's own addresses, found no grid.
    ref = reference(busy)
    street = ref.user(OPERATOR).street_id
    road, segment = next(
        (road, segs[1])
        for road, segs in sorted(ref.roads.items())
        if len(segs) > 1 and ref.areas[segs[1].grid_id].street_id == street
    )
    number = (segment.first + segment.last) // 2
    address = f"{road}{number}号"
    grid_code = ref.areas[segment.grid_id].code
    app = console_app(busy)
    async with app.run_test(size=(100, 32)) as pilot:
        await _to_the_grid(pilot)
        await _type(pilot, address)
        grid = app.screen.query_one("#grid", Picker)
        assert grid.found[0].code == grid_code
        # the stretch of the road that lies there says why it stands first
        first = str(grid.query_one(OptionList).get_option_at_index(0).prompt)
        assert f"{road} {segment.first}–{segment.last}号" in first
        await pilot.press("enter")
        assert grid.value == grid_code
        assert app.screen.query_one("#address", Input).value == address


async def test_an_address_in_another_street_names_where_it_lies_not_nothing(
    busy, console_app: AppFactory
) -> None:
    # A call about a road wholly in another street found "nothing matches", as if the road
    # were unknown: it names the grid and says it lies outside the operator's centre.
    ref = reference(busy)
    street = ref.user(OPERATOR).street_id
    road, segment = next(
        (road, segs[0])
        for road, segs in sorted(ref.roads.items())
        if all(ref.areas[s.grid_id].street_id != street for s in segs)
    )
    app = console_app(busy)
    async with app.run_test(size=(100, 32)) as pilot:
        await _to_the_grid(pilot)
        await _type(pilot, f"{road}{segment.first}号")
        grid = app.screen.query_one("#grid", Picker)
        assert grid.found == []  # nothing the operator may take
        said = str(grid.query_one(OptionList).get_option_at_index(0).prompt)
        assert t("intake.grid_beyond", "zh") in said
        assert ref.areas[segment.grid_id].code in said
        assert t("picker.no_match", "zh") not in said


async def test_fields_typed_ahead_of_tab_land_where_tab_took_them(
    busy, console_app: AppFactory
) -> None:
    """A night-shift operator over SSH types title⇥description in one burst, faster than the
    form draws: what follows Tab goes to the next field, not the end of the title."""
    app = console_app(busy)
    async with app.run_test(size=(100, 32)) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        await until_quiet(pilot)
        assert isinstance(app.screen, IntakeScreen)
        keys = [*"井盖", "tab", *"缺失"]
        for key in keys:  # one read from the terminal
            app.post_message(events.Key(key, "\t" if key == "tab" else key))
        await until_quiet(pilot)
        assert app.screen.query_one("#title", Input).value == "井盖"
        assert app.focused is not None and app.focused.id == "description"
        assert app.screen.query_one("#description", TextArea).text == "缺失"
