"""Every action of the loop, driven from the queue by its key, on both backends.

For each action the test finds a seeded case and a user the domain lets take it, signs in as
that user, puts the cursor on the case, presses the action's key, types what the form needs
(or answers y), and checks the store: one new audit event for exactly that action.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from console import wallclock
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Role, Status
from console.domain.sla import SlaClock
from console.domain.workflow import TABLE, Params, allowed_actions
from console.queries import cases as q
from console.queries.reference import reference
from console.services.cases import act, create_case
from console.views.screens.action_forms import ActionForm, Confirm
from console.views.screens.actions import VERBS
from console.views.widgets.picker import Picker
from console.views.widgets.queue import QueueView
from tests.tui.conftest import OPERATOR, AppFactory, manhole
from tests.tui.quiet import until_quiet

ROLES = (
    Role.OPERATOR,
    Role.SUPERVISOR,
    Role.COMMUNITY,
    Role.SECTION,
    Role.LIAISON,
    Role.GRID_WORKER,
)
TYPED = {
    "reason": "现场核实后需要",
    "result": "已现场处置完毕",
    "text": "请抓紧办理",
    "instruction": "请按时限处置",
    "comment": "处理及时",
    "photo": "https://photos.lj.example/e1.jpg",
}
KEYS = {v.action: v.key for v in VERBS}


def find_case(store: Store, action: Action) -> tuple[str, str, str]:
    """(login, case, another open case) such that the domain lets that user take the action."""
    ref = reference(store)
    actors = [ref.actor(u.login) for u in ref.users.values() if u.role in ROLES]
    f = q.QueueFilter(statuses=frozenset(TABLE[action].sources or Status))
    rows = q.page(store, q.DISTRICT_WIDE, f, q.Sort.DEADLINE, limit=3000, now=wallclock.now())
    every = q.QueueFilter(statuses=frozenset(Status))
    cases = q.page(store, q.DISTRICT_WIDE, every, q.Sort.DEADLINE, limit=3000, now=wallclock.now())
    for row in rows:
        state = q.detail(store, q.DISTRICT_WIDE, row.code, timeline=False).state()
        for actor in actors:
            if action in allowed_actions(state, actor, self_closable=ref.self_closable):
                # The original of a duplicate must be a case the user may read.
                other = next(
                    r.code for r in cases if r.code != row.code and r.street_id == row.street_id
                )
                return actor.login, row.code, other
    raise AssertionError(f"no seeded case on which anyone may {action.value}")


async def fill(pilot: Pilot[None], form: ActionForm, other_case: str) -> None:
    """Type what the form still needs, field by field, then Enter on its first field."""
    for name in form.fields:
        widget = form.query_one(f"#field-{name}")
        if name in TYPED and name in form.required:
            widget.focus()
            await pilot.press(*TYPED[name])
        elif name == "other_case":
            widget.focus()
            await pilot.press(*other_case)
        elif name == "co_units":
            widget.focus()
            for term in ("公安", "供电"):  # two summoned: one may be the lead itself
                await pilot.press(*term, "enter")
        elif name == "category":
            widget.focus()
            current = form.subject.category_code
            await pilot.press(*("010101" if current != "010101" else "010102"))
    first = form.query_one(f"#field-{form.fields[0]}")
    if isinstance(first, Picker) and first.multi:
        first = form.query_one(Input)
    first.focus()
    await pilot.press("enter")


@pytest.mark.parametrize("action", [v.action for v in VERBS], ids=lambda a: a.value)
async def test_every_action_by_its_key(busy, console_app: AppFactory, action: Action) -> None:
    if action is Action.SELF_CLOSE:  # found on patrol, of a kind its grid's worker handles
        clutter = replace(manhole(busy), title="3幢楼道堆放纸箱", category="040104")
        create_case(busy, SlaClock(), OPERATOR, clutter)
    if action in (Action.APPROVE_RETURN, Action.REFUSE_RETURN):  # a unit's return, waiting
        unit_login, asked, _ = find_case(busy, Action.RETURN)
        act(busy, SlaClock(), unit_login, asked, Action.RETURN, Params(reason="不属本单位"))
    login, code, other = find_case(busy, action)
    before = q.detail(busy, q.DISTRICT_WIDE, code)
    app = console_app(busy, login=login, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9")  # the view of every case: rating and reopening take closed ones
        await until_quiet(pilot)
        queue = app.screen.query_one(QueueView)
        queue.reveal(before.row)
        await until_quiet(pilot)
        assert queue.current_row is not None and queue.current_row.code == code
        await pilot.press(KEYS[action])
        await until_quiet(pilot)
        if isinstance(app.screen, ActionForm):
            await fill(pilot, app.screen, other)
            await until_quiet(pilot)
        if isinstance(app.screen, Confirm):
            await pilot.press("y")
            await until_quiet(pilot)
        assert type(app.screen).__name__ == "MainScreen", f"still on {app.screen!r}"
    after = q.detail(busy, q.DISTRICT_WIDE, code)
    assert after.row.version == before.row.version + 1
    assert len(after.timeline) == len(before.timeline) + 1
    assert after.timeline[0].action == action.value
    assert after.timeline[0].actor == login
