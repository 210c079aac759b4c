"""Every screen of the console, at 80×24 and 160×48, in Chinese and in English.

One table: a screen's name and the keys that bring it up from the start. The snapshots share
one seeded SQLite store that no test writes to, with the clock stopped at the seed's anchor,
so a screen only changes when the code that draws it does. The door's screens start from a
console with a gate: the sign-in screen before anyone is signed in, the lock screen over a
signed-in console.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import cast

import pytest
from textual.pilot import Pilot

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Role, Status
from console.domain.lockout import Lockout
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.queries.handover import HandoverNote
from console.queries.reference import reference
from console.services.cases import act
from console.terminal import Colours, Terminal, read
from console.views.context import session_of
from console.views.screens.action_forms import ConflictNotice
from console.views.screens.grid_browser import REST
from console.views.screens.handover import HandoverScreen
from console.views.screens.sign_in import LockScreen
from console.views.widgets.queue import QueueView
from tests.conftest import ANCHOR, StoreFactory
from tests.tui.conftest import DISTRICT, OPERATOR, AppFactory
from tests.tui.quiet import until_quiet

Steps = Callable[[Pilot[None]], Awaitable[None]]


def _app(pilot: Pilot[None]) -> GridcallApp:
    return cast(GridcallApp, pilot.app)


def keys(*pressed: str, delay: float = 0.0) -> Steps:
    async def run(pilot: Pilot[None]) -> None:
        await until_quiet(pilot)
        for key in pressed:
            await pilot.press(key)
            await until_quiet(pilot, delay)

    return run


def on_case(status: Status, *pressed: str) -> Steps:
    """Put the cursor on the first case in `status`, then press the keys."""
    return on_filtered(q.QueueFilter(statuses=frozenset({status})), *pressed)


def on_filtered(f: q.QueueFilter, *pressed: str) -> Steps:
    """Put the cursor on the first case the filter keeps, then press the keys."""

    async def run(pilot: Pilot[None]) -> None:
        app = _app(pilot)
        await until_quiet(pilot)
        (row,) = q.page(
            app.session.store, app.session.actor, f, q.Sort.DEADLINE, limit=1, now=wallclock.now()
        )
        app.screen.query_one(QueueView).reveal(row)
        await until_quiet(pilot)
        for key in pressed:
            await pilot.press(key)
            await until_quiet(pilot)

    return run


def on_whistled(*pressed: str) -> Steps:
    """Put the cursor on the first case in progress whose whistle summoned departments (吹哨报到),
    then press the keys."""

    async def run(pilot: Pilot[None]) -> None:
        app = _app(pilot)
        await until_quiet(pilot)
        store, actor = app.session.store, app.session.actor
        f = q.QueueFilter(statuses=frozenset({Status.IN_PROGRESS}))
        rows = q.page(store, actor, f, q.Sort.DEADLINE, limit=500, now=wallclock.now())
        row = next(r for r in rows if q.detail(store, actor, r.code, timeline=False).tasks)
        app.screen.query_one(QueueView).reveal(row)
        await until_quiet(pilot)
        for key in pressed:
            await pilot.press(key)
            await until_quiet(pilot)

    return run


async def conflict(pilot: Pilot[None]) -> None:
    await until_quiet(pilot)
    message = "E2026-0000101 已被 op.jiangbin2 于 11-20 09:58 修改，请刷新后再办理"
    pilot.app.push_screen(ConflictNotice(message, session_of(pilot.app.screen).lang))
    await until_quiet(pilot)


async def locked(pilot: Pilot[None]) -> None:
    """The console left alone on the queue: the lock screen over it (pushed as the idle check
    does, without the trail's event, so the store stays unwritten)."""
    await keys("j")(pilot)
    pilot.app.push_screen(LockScreen(session_of(pilot.app.screen), Lockout().idle_minutes))
    await until_quiet(pilot)


NOTE = """交接班 · 江滨街道 · 11-20 17:58（本班自 11-20 08:31）

超期 2 件：
  ● E2026-0000101  处置中  -2时10分  江滨路12号门口占道经营
  ● E2026-0000123  已派遣  -35分  望江东路井盖破损

待审批延期 1 件：
  ○ E2026-0000230  处置中  申请延至 11-24 17:30  采荷路路灯不亮

交班说明：
E2026-0000101 的反映人要求今晚回电，已约 19:00。"""


async def handover(pilot: Pilot[None]) -> None:
    """The last shift's note, as it is shown to the next operator signing in (made here, so
    the store stays unwritten)."""
    await until_quiet(pilot)
    note = HandoverNote(
        7,
        "street:LJ01",
        "op.jiangbin2",
        "尹飞",
        ANCHOR - timedelta(minutes=2),
        ANCHOR - timedelta(hours=9, minutes=29),
        NOTE,
        ("E2026-0000101", "E2026-0000123", "E2026-0000230"),
    )
    pilot.app.push_screen(HandoverScreen(note, news=True))
    await until_quiet(pilot)


INTAKE_FILLED = (
    "n",
    *"下穿通道积水",
    "tab",
    *"水深40厘米",
    "tab",
    *"0107",
    "up",
    "enter",
    "tab",
    *"望江",
    "down",
    "enter",
    *"望江东路",
    "enter",
    *"张先生",
    "enter",
    *"13800001111",
)

# The command palette is left out: Textual gathers its providers' hits concurrently, so their
# order differs from run to run; test_actions drives it by keys instead.
SCREENS: dict[str, Steps] = {
    "queue": keys("j", "j"),
    "case": keys("j", "enter"),
    "case-tasks": on_whistled("enter"),
    "help": keys("question_mark"),
    "search": keys("slash", "社", "区", "enter", delay=0.25),
    "filter": keys("f", "down", "right", "right", "space"),
    "filter-pick": keys("f", *["down"] * 5, "0", "1"),
    "sort": keys("s"),
    "save-view": keys("S"),
    "marked": keys("space", "j", "space"),
    "bulk-confirm": on_case(Status.REPORTED, "space", "a"),
    "menu": on_case(Status.REPORTED, "full_stop"),
    "dispatch": on_case(Status.ACCEPTED, "d"),
    "urge": on_case(Status.IN_PROGRESS, "u"),  # 督办: its text and the reply within hours
    "reject-missing-reason": on_case(Status.REPORTED, "x", "enter"),
    "conflict": conflict,
    "grids": keys("b", delay=REST),
    "grid-queue": keys("b", "enter", delay=REST),
    "intake": keys("n"),
    "intake-filled": keys(*INTAKE_FILLED),
    "intake-discard": keys("n", *"积水", "escape"),
    "sign-in": keys(),
    # An unknown login: refused as a wrong password is, with nothing written.
    "sign-in-refused": keys(*"nobody", "tab", *"password", "enter", delay=0.1),
    "lock": locked,
    "handover": handover,
    "handover-none": keys("H"),
    "handover-draft": keys("H", "w"),
    "sign-out-offer": keys("ctrl+l"),
    "dashboard": keys("D"),
    "dashboard-units": keys("D", "u", "tab"),
}
# Opened on the sign-in screen (no one signed in yet), and with the door behind the console.
SIGNED_OUT = {"sign-in", "sign-in-refused"}
GATED = {"lock", "sign-out-offer"}
# Where the sign-in screen says it signs in: the same in every run, unlike the test's store.
STORE_SHOWN = "sqlite:////home/op/.local/share/gridcall/gridcall.db"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(
    snap_compare,
    snapshot_store,
    console_app: AppFactory,
    screen: str,
    size: tuple[int, int],
    lang: str,
) -> None:
    app = console_app(
        snapshot_store, lang=lang, gated=screen in GATED, signed_in=screen not in SIGNED_OUT
    )
    if app.gate is not None:
        app.gate.where = STORE_SHOWN
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])


# The queue as each kind of terminal draws it, at 80×24: 16 colours (the terminal's own red,
# yellow and green), a vt100 (ASCII, no colour: the cursor in reverse video) and monochrome
# (NO_COLOR or --theme mono: the lights' shapes). The district supervisor's queue, which has
# a case of every light in its first lines.
TERMINALS = {
    "16-colours": Terminal(colours=Colours.C16),
    "vt100": read({"TERM": "vt100"}),
    "mono": read({"TERM": "xterm-256color", "NO_COLOR": "1"}),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("terminal", list(TERMINALS))
def test_queue_on_terminal(
    snap_compare, snapshot_store, console_app: AppFactory, terminal: str, lang: str
) -> None:
    app = console_app(snapshot_store, login=DISTRICT, lang=lang, terminal=TERMINALS[terminal])
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("j", "j"))


@pytest.fixture(scope="module")
def approvals_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The snapshots' store with a unit's return waiting (退回待批) and a suspended case whose
    review day has gone by (挂账复核): made here, not in the store every other screen shares."""
    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("approvals"))
    store = factory.seeded(cases=400, seed=16)
    ref = reference(store)
    operator = ref.actor(OPERATOR)
    clock = SlaClock()
    f = q.QueueFilter(statuses=frozenset({Status.DISPATCHED, Status.IN_PROGRESS}))
    dispatched = q.page(store, operator, f, q.Sort.DEADLINE, limit=2, now=ANCHOR)
    asked = q.detail(store, operator, dispatched[0].code)
    unit = next(
        u.login for u in ref.users.values() if ref.actor(u.login).own_unit == asked.lead_unit_code
    )
    act(
        store,
        clock,
        unit,
        asked.code,
        Action.RETURN,
        Params(reason="属物业管理范围，非本单位职责"),
        now=ANCHOR,
    )
    supervisor = next(
        u.login
        for u in ref.users.values()
        if u.role is Role.SUPERVISOR and u.street_id == ref.area("LJ01").id
    )
    shelved_at = ANCHOR - timedelta(days=10)
    review_on = (ANCHOR - timedelta(days=3)).date()  # gone by at the anchor: red
    shelve = Params(reason="等待产权单位答复", review_on=review_on)
    act(store, clock, supervisor, dispatched[1].code, Action.SUSPEND, shelve, now=shelved_at)
    yield store
    factory.close()


APPROVALS: dict[str, Steps] = {
    "case-return-requested": on_filtered(q.QueueFilter(return_requested=True), "enter"),
    "refuse-return": on_filtered(q.QueueFilter(return_requested=True), "R"),
    "case-review-due": on_filtered(q.QueueFilter(statuses=frozenset({Status.SUSPENDED})), "enter"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", list(APPROVALS))
def test_approvals_screen(
    snap_compare, approvals_store: Store, console_app: AppFactory, screen: str, lang: str
) -> None:
    app = console_app(approvals_store, lang=lang)
    assert snap_compare(app, terminal_size=(80, 24), run_before=APPROVALS[screen])
