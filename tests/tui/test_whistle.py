"""吹哨报到 at the console: a summoned department's liaison sees its task in the case pane,
with its own light, and checks in by its key; the lead's pane names every department."""

from __future__ import annotations

from console.domain.actions import Action
from console.domain.sla import SlaClock
from console.domain.whistle import TaskState
from console.domain.workflow import Params
from console.queries import cases as q
from console.services.cases import act
from console.views.screens.action_forms import Confirm
from console.views.widgets.case_pane import CasePane
from tests.tui.conftest import OPERATOR, AppFactory, report
from tests.tui.quiet import until_quiet
from tests.tui.test_actions import SIZE, footer, select

LIAISON = "liaison.ga"  # the district's public security bureau, summoned


def whistled(store) -> str:  # type: ignore[no-untyped-def]
    (code,) = report(store, accepted=True)
    summon = Params(unit="S-LJ01-CG", co_units=("U-GA", "U-SW"))
    act(store, SlaClock(), OPERATOR, code, Action.WHISTLE, summon)
    return code


async def test_a_summoned_liaison_checks_in_from_its_console(busy, console_app: AppFactory) -> None:
    code = whistled(busy)
    app = console_app(busy, login=LIAISON, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("enter")  # the case full screen: its pane and its keys
        await until_quiet(pilot)
        shown = app.screen.query_one(CasePane).text
        assert "Summoned departments" in shown
        tasks = [line for line in shown.splitlines() if "to check in" in line]
        assert len(tasks) == 2 and all("on time" in line for line in tasks), shown  # green
        assert "check in" in footer(app) and "sign for" not in footer(app)
        await pilot.press("I")
        await until_quiet(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await until_quiet(pilot)
        d = q.detail(busy, q.DISTRICT_WIDE, code)
        assert [(t.unit, t.state) for t in d.tasks] == [
            ("U-GA", TaskState.CHECKED_IN),
            ("U-SW", TaskState.TO_CHECK_IN),
        ]
        assert d.timeline[0].action == "check-in" and d.timeline[0].actor == LIAISON
        assert "checked in" in app.screen.query_one(CasePane).text
        assert "check in" not in footer(app) and "file feedback" in footer(app)


async def test_the_waive_form_offers_only_the_departments_that_owe(
    busy, console_app: AppFactory
) -> None:
    code = whistled(busy)
    act(busy, SlaClock(), LIAISON, code, Action.FEEDBACK, Params(text="已派员到场"))
    app = console_app(busy, login="sup.jiangbin", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("enter")
        await until_quiet(pilot)
        pane = app.screen.query_one(CasePane).text
        assert "吹哨报到" in pane and "已反馈" in pane and "待报到" in pane
        await pilot.press("W")
        await until_quiet(pilot)
        form = app.screen
        offered = form.query_one("#field-unit")
        assert [o.id for o in offered.options] == ["U-SW"]  # type: ignore[attr-defined]
        form.query_one("#field-reason").focus()
        await pilot.press(*"非本部门职责", "enter")
        await until_quiet(pilot)
    d = q.detail(busy, q.DISTRICT_WIDE, code)
    assert [t.state for t in d.tasks] == [TaskState.FED_BACK, TaskState.WAIVED]
    assert d.timeline[0].reason == "非本部门职责"
