"""督办 at the console: the operator's urge form asks for a reply within hours, the lead unit
sees the reply deadline with its light and answers by its key (U), and the console's own sweep
of automatic 督办 urges a red case as the system and shows it."""

from __future__ import annotations

from datetime import timedelta

from console.db import Store
from console.domain.actions import Action
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.services.cases import act, create_case
from console.views.widgets.case_pane import CasePane
from console.views.widgets.queue import QueueHeader
from console.wallclock import now
from tests.tui.conftest import OPERATOR, AppFactory, manhole, report
from tests.tui.quiet import until_quiet
from tests.tui.test_actions import SIZE, footer, queue_of, select

LIAISON = "liaison.ga"  # the district's public security bureau, given the lead


def dispatched(store: Store) -> str:
    (code,) = report(store, accepted=True)
    act(store, SlaClock(), OPERATOR, code, Action.DISPATCH, Params(unit="U-GA"))
    return code


async def test_the_operator_urges_asking_for_a_reply_within_hours(
    busy: Store, console_app: AppFactory
) -> None:
    code = dispatched(busy)
    app = console_app(busy, login=OPERATOR, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("u")
        await until_quiet(pilot)
        form = app.screen
        form.query_one("#field-text").focus()
        await pilot.press(*"please today")
        form.query_one("#field-reply_hours").focus()
        await pilot.press("0", "enter")  # no reply can be asked within no time
        await until_quiet(pilot)
        assert app.screen is form and "1 to 720 hours" in str(
            form.query_one("#error-reply_hours").render()
        )
        await pilot.press("backspace", "3", "enter")
        await until_quiet(pilot)
    d = q.detail(busy, q.DISTRICT_WIDE, code)
    assert d.urge_count == 1 and d.reply_by is not None
    assert d.timeline[0].payload["reply_hours"] == 3 and d.timeline[0].payload["text"]


async def test_the_lead_unit_replies_by_its_key(busy: Store, console_app: AppFactory) -> None:
    code = dispatched(busy)
    act(busy, SlaClock(), OPERATOR, code, Action.URGE, Params(text="请今日处理", reply_hours=4))
    app = console_app(busy, login=LIAISON, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("enter")
        await until_quiet(pilot)
        pane = app.screen.query_one(CasePane).text
        [line] = [x for x in pane.splitlines() if "reply due" in x]
        assert "on time" in line  # its own light: green
        assert "reply to the urge" in footer(app)
        await pilot.press("U")
        await until_quiet(pilot)
        await pilot.press(*"已安排民警", "enter")
        await until_quiet(pilot)
        assert "reply due" not in app.screen.query_one(CasePane).text
        assert "reply to the urge" not in footer(app)
    d = q.detail(busy, q.DISTRICT_WIDE, code)
    assert d.reply_by is None
    assert (d.timeline[0].action, d.timeline[0].actor) == ("reply", LIAISON)


async def test_the_consoles_sweep_urges_a_red_case_as_the_system(
    busy: Store, console_app: AppFactory
) -> None:
    then = now() - timedelta(days=3)  # reported, accepted and dispatched three days ago
    code = create_case(busy, SlaClock(), OPERATOR, manhole(busy, 0), now=then).code
    act(busy, SlaClock(), OPERATOR, code, Action.ACCEPT, now=then)
    act(busy, SlaClock(), OPERATOR, code, Action.DISPATCH, Params(unit="U-GA"), now=then)
    app = console_app(busy, login=OPERATOR, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert "reply due" not in app.screen.query_one(CasePane).text
        app.sweep()  # as the console does at start and every minute while it is live
        await until_quiet(pilot)
        pane = app.screen.query_one(CasePane).text
        assert "reply due" in pane and "raised to the supervisor" in pane  # read anew
    d = q.detail(busy, q.DISTRICT_WIDE, code)
    assert [(e.actor, e.payload.get("rule")) for e in d.timeline[:2]] == [
        ("system", "supervisor_after"),
        ("system", "urge_when_red"),
    ]


def _row_line(app, code: str) -> str:  # type: ignore[no-untyped-def]
    """The queue's line of this case as drawn, the cursor put on it first."""
    queue = queue_of(app)
    return queue.render_line(queue.cursor - queue.scroll_offset.y).text


async def test_the_lead_units_queue_marks_an_urge_owed_and_late(
    busy: Store, console_app: AppFactory
) -> None:
    """The lead unit is notified in its queue: a row whose urge awaits its reply carries "!",
    "!!" once the reply is late, a row without an urge nothing."""
    quiet, owed = dispatched(busy), dispatched(busy)
    act(busy, SlaClock(), OPERATOR, owed, Action.URGE, Params(text="请今日处理", reply_hours=4))
    # Urged a week ago, four working hours to reply: late now.
    week_ago = now() - timedelta(days=7)
    (late,) = report(busy, accepted=True)
    act(busy, SlaClock(), OPERATOR, late, Action.DISPATCH, Params(unit="U-GA"), now=week_ago)
    urge = Params(text="请尽快回复", reply_hours=4)
    act(busy, SlaClock(), OPERATOR, late, Action.URGE, urge, now=week_ago)
    for lang, header in (("en", "!"), ("zh", "督")):
        app = console_app(busy, login=LIAISON, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await until_quiet(pilot)
            heading = str(app.screen.query_one(QueueHeader).render())
            assert heading.split()[2] == header, heading
            marks = {}
            for code in (quiet, owed, late):
                await select(app, pilot, code)
                # light, time left, then the mark's two cells before the code
                line = _row_line(app, code)
                marks[code] = line[line.index(code) - 3 : line.index(code) - 1]
            assert marks == {quiet: "  ", owed: "! ", late: "!!"}, marks
