"""Automatic 督办 through the services, on SQLite and PostgreSQL: the sweep urges a red case
once, raises it to the supervisor, urges a late department naming it; the trail written by
the system replays; an operator's urge asks for a reply the lead unit gives; two consoles
sweeping at once urge once; and the issue's scenario of a whistle with three departments."""

from __future__ import annotations

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Light, Status
from console.domain.figures import Summoned
from console.domain.oversight import SYSTEM, Missed, OversightRules, Rule
from console.domain.sla import SlaClock
from console.domain.whistle import TaskState, UnitRating, WhistleRules
from console.domain.workflow import Params, reply_light
from console.queries import figures
from console.queries.cases import CaseDetail, QueueFilter, Sort, detail, page
from console.queries.reference import reference
from console.services.cases import act
from console.services.oversight import Issued, sweep
from tests.conftest import StoreFactory, trail_findings
from tests.services.helpers import NOW, Cast, cast, walk

CLOCK = SlaClock()
RULES = OversightRules()
WHISTLE = WhistleRules(check_in_hours=1, feedback_hours=8)


@pytest.fixture(scope="module")
def c(seeded: Store) -> Cast:
    return cast(seeded)


def _mine(issued: list[Issued], code: str) -> list[Issued]:
    return [i for i in issued if i.code == code]


def _case(store: Store, c: Cast, code: str) -> CaseDetail:
    return detail(store, reference(store).actor(c.operator), code)


def test_a_red_case_is_urged_once_then_raised_to_the_supervisor(seeded: Store, c: Cast) -> None:
    d = walk(seeded, c, Status.DISPATCHED, first_code="x", start=NOW + timedelta(days=100))
    assert d.row.deadline_at is not None and d.step_started_at is not None
    red = d.row.deadline_at + timedelta(minutes=1)
    assert (
        _mine(sweep(seeded, CLOCK, RULES, now=d.row.deadline_at - timedelta(minutes=1)), d.code)
        == []
    )
    assert _mine(sweep(seeded, CLOCK, RULES, now=red, dry_run=True), d.code) == [
        Issued(d.code, Rule.URGE_WHEN_RED, c.section)
    ]
    assert _mine(sweep(seeded, CLOCK, RULES, now=red), d.code) == [
        Issued(d.code, Rule.URGE_WHEN_RED, c.section)
    ]
    assert sweep(seeded, CLOCK, RULES, now=red) == []  # the same moment: nothing more
    d = _case(seeded, c, d.code)
    [urge] = [e for e in d.timeline if e.action == "urge"]
    assert urge.actor == SYSTEM and urge.payload["rule"] == "urge_when_red"
    assert urge.payload["unit"] == c.section and d.urge_count == 1 and d.urged_red
    assert d.reply_by == CLOCK.add(red, 4 * 60, working=True)
    assert reply_light(CLOCK, d.state(), red) is Light.GREEN
    # Red for twice the sign step's limit: the deadline passed by one whole limit.
    limit = CLOCK.elapsed(d.step_started_at, d.row.deadline_at, working=True)
    raised_at = CLOCK.add(d.row.deadline_at, limit, working=True)
    assert _mine(sweep(seeded, CLOCK, RULES, now=raised_at - timedelta(minutes=1)), d.code) == []
    assert _mine(sweep(seeded, CLOCK, RULES, now=raised_at), d.code) == [
        Issued(d.code, Rule.SUPERVISOR_AFTER)
    ]
    d = _case(seeded, c, d.code)
    assert d.overseen_at == raised_at and d.urge_count == 1
    sup = reference(seeded).actor(c.supervisor)
    overseen = page(
        seeded, sup, QueueFilter(overseen=True), Sort.DEADLINE, limit=500, now=raised_at
    )
    assert d.code in [r.code for r in overseen]
    assert d.reply_by is not None
    for now, listed in ((d.reply_by - timedelta(minutes=1), False), (d.reply_by, True)):
        late = page(seeded, sup, QueueFilter(reply_late=True), Sort.DEADLINE, limit=500, now=now)
        assert (d.code in [r.code for r in late]) is listed
    assert trail_findings(seeded) == []


def test_an_operators_urge_asks_for_a_reply_the_lead_unit_gives(seeded: Store, c: Cast) -> None:
    start = NOW + timedelta(days=200)
    d = walk(seeded, c, Status.IN_PROGRESS, first_code="x", start=start)
    at = start + timedelta(hours=1)
    d = act(
        seeded,
        CLOCK,
        c.operator,
        d.code,
        Action.URGE,
        Params(text="请今日办结", reply_hours=2),
        now=at,
    )
    assert d.reply_by == CLOCK.add(at, 120, working=True) and d.urge_count == 1
    staff = reference(seeded).actor(c.section_staff)
    urged = page(seeded, staff, QueueFilter(urged=True), Sort.DEADLINE, limit=500, now=at)
    assert d.code in [r.code for r in urged]  # the lead unit is told in its queue
    late = d.reply_by + timedelta(minutes=1)  # type: ignore[operator]
    d = act(seeded, CLOCK, c.section_staff, d.code, Action.REPLY, Params(text="已安排"), now=late)
    assert d.reply_by is None
    assert d.timeline[0].payload == {"text": "已安排", "on_time": False}
    assert trail_findings(seeded) == []


def test_two_consoles_sweeping_at_once_urge_once(stores: StoreFactory) -> None:
    first = stores.seeded(cases=0)
    c = cast(first)
    d = walk(first, c, Status.DISPATCHED, first_code="x", start=NOW + timedelta(days=300))
    assert d.row.deadline_at is not None
    at = d.row.deadline_at + timedelta(days=30)  # red long enough to raise it too
    second = Store(first.url)  # another console: its own engine on the same store
    results: list[list[Issued]] = []
    gate = threading.Barrier(2)

    def run(store: Store) -> None:
        gate.wait()
        results.append(sweep(store, CLOCK, RULES, now=at))

    threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    second.dispose()
    issued = sorted((i.code, i.rule) for r in results for i in r)
    assert issued == sorted([(d.code, Rule.URGE_WHEN_RED), (d.code, Rule.SUPERVISOR_AFTER)])
    d = _case(first, c, d.code)
    assert [e.action for e in d.timeline].count("urge") == 2
    assert trail_findings(first) == []


def test_a_whistle_with_three_departments_one_late_urged_then_waived(
    seeded: Store, c: Cast
) -> None:
    """The issue's Done-when: two departments check in and file; the third is late, turns red
    and is urged by the system, naming it; the supervisor waives it; the lead closes (handled,
    verified); the street rates each department; the figures show their timeliness."""
    start = NOW + timedelta(days=400)
    d = walk(seeded, c, Status.ACCEPTED, first_code="x", start=start)
    first, second, third = c.departments
    whistled_at = start + timedelta(minutes=30)
    summon = Params(unit=c.section, co_units=(first, second, third), instruction="联合执法")
    d = act(
        seeded, CLOCK, c.operator, d.code, Action.WHISTLE, summon, now=whistled_at, whistle=WHISTLE
    )
    at = whistled_at + timedelta(minutes=20)
    d = act(seeded, CLOCK, c.section_staff, d.code, Action.SIGN, Params(), now=at)
    for unit in (first, second):
        d = act(seeded, CLOCK, c.staff[unit], d.code, Action.CHECK_IN, Params(), now=at)
        d = act(
            seeded, CLOCK, c.staff[unit], d.code, Action.FEEDBACK, Params(text="已配合"), now=at
        )
    late = d.tasks[2].check_in_by + timedelta(minutes=1)
    assert d.tasks[2].light(late) is Light.RED
    assert _mine(sweep(seeded, CLOCK, RULES, now=late), d.code) == [
        Issued(d.code, Rule.URGE_LATE_DEPARTMENTS, third, Missed.CHECK_IN)
    ]
    assert _mine(sweep(seeded, CLOCK, RULES, now=late), d.code) == []
    d = _case(seeded, c, d.code)
    urge = d.timeline[0]
    assert (urge.actor, urge.action) == (SYSTEM, "urge")
    assert urge.payload == {
        "rule": "urge_late_departments",
        "unit": third,
        "missed": "check_in",
        "count": 1,
    }
    waive = Params(unit=third, reason="该部门无执法权")
    d = act(seeded, CLOCK, c.supervisor, d.code, Action.WAIVE, waive, now=late)
    assert d.tasks[2].state is TaskState.WAIVED
    assert _mine(sweep(seeded, CLOCK, RULES, now=late + timedelta(days=3)), d.code) != [
        Issued(d.code, Rule.URGE_LATE_DEPARTMENTS, third, Missed.FEEDBACK)
    ]
    d = act(
        seeded, CLOCK, c.section_staff, d.code, Action.HANDLED, Params(result="已清理"), now=late
    )
    d = act(seeded, CLOCK, c.operator, d.code, Action.VERIFY, Params(passed=True), now=late)
    assert d.row.status is Status.CLOSED
    for unit, rating in (
        (first, UnitRating.TIMELY),
        (second, UnitRating.ADEQUATE),
        (third, UnitRating.POOR),
    ):
        rate = Params(unit=unit, unit_rating=rating)
        d = act(seeded, CLOCK, c.operator, d.code, Action.RATE_UNIT, rate, now=late)
    span = figures.Span(start, start + timedelta(hours=1), ZoneInfo("Asia/Shanghai"))
    got = figures.summoned(seeded, reference(seeded).actor(c.operator), span)
    assert got == {
        first: Summoned(1, 0, 1, 1, timely=1),
        second: Summoned(1, 0, 1, 1, adequate=1),
        third: Summoned(1, 1, 0, 0, poor=1),
    }
    assert got[first].check_in_rate == 1.0 and got[third].check_in_rate is None
    assert trail_findings(seeded) == []
