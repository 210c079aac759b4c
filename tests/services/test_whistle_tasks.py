"""吹哨报到 through the services, on SQLite and PostgreSQL: a whistle with three departments,
their check-ins and feedback, a waiver, the lead's result, the street's ratings — each an
audit event, the tasks on the case's row, the trail replaying to them."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Light, Status
from console.domain.errors import Forbidden, IllegalTransition
from console.domain.figures import Summoned, Weights
from console.domain.sla import SlaClock
from console.domain.whistle import TaskState, UnitRating, WhistleRules
from console.domain.workflow import Params
from console.queries import figures
from console.queries.cases import CaseDetail
from console.queries.reference import name_in, reference
from console.reports.bulletin import bulletin, range_of
from console.services.cases import act
from tests.conftest import refused, trail_findings
from tests.services.helpers import NOW, Cast, cast, walk
from tests.store.tamper import forge

CLOCK = SlaClock()
RULES = WhistleRules(check_in_hours=1, feedback_hours=8)


@pytest.fixture(scope="module")
def c(seeded: Store) -> Cast:
    return cast(seeded)


def _whistled(store: Store, c: Cast) -> tuple[CaseDetail, tuple[str, ...]]:
    """A case the section leads, whistled with the first three departments summoned."""
    d = walk(store, c, Status.ACCEPTED, first_code="x")
    summoned = tuple(c.departments)
    d = act(
        store,
        CLOCK,
        c.operator,
        d.code,
        Action.WHISTLE,
        Params(unit=c.section, co_units=summoned, instruction="联合执法"),
        now=NOW + timedelta(minutes=30),
        whistle=RULES,
    )
    return d, summoned


def test_three_departments_report_for_duty_and_the_lead_closes(seeded: Store, c: Cast) -> None:
    d, (first, second, third) = _whistled(seeded, c)
    assert [(t.unit, t.state) for t in d.tasks] == [(u, TaskState.TO_CHECK_IN) for u in d.co_units]
    whistled_at = NOW + timedelta(minutes=30)
    assert d.tasks[0].check_in_by == CLOCK.add(whistled_at, 60, working=True)
    assert d.tasks[0].feedback_by == CLOCK.add(whistled_at, 8 * 60, working=True)
    assert d.timeline[0].payload["hours"] == [1, 8]
    assert all(t.light(whistled_at) is Light.GREEN for t in d.tasks)
    at = whistled_at + timedelta(minutes=20)
    d = act(seeded, CLOCK, c.section_staff, d.code, Action.SIGN, Params(), now=at)
    for unit in (first, second):
        d = act(seeded, CLOCK, c.staff[unit], d.code, Action.CHECK_IN, Params(), now=at)
        d = act(
            seeded, CLOCK, c.staff[unit], d.code, Action.FEEDBACK, Params(text="已配合"), now=at
        )
    # The third is late: its light is red, and the lead's result waits for it.
    late = d.tasks[2].check_in_by + timedelta(minutes=1)
    assert d.tasks[2].light(late) is Light.RED
    with refused(IllegalTransition, f"still owe their feedback: {third}"):
        act(seeded, CLOCK, c.section_staff, d.code, Action.HANDLED, Params(result="x"), now=late)
    with pytest.raises(Forbidden):  # the lead may not waive it, nor the operator
        act(seeded, CLOCK, c.operator, d.code, Action.WAIVE, Params(unit=third, reason="x"))
    waive = Params(unit=third, reason="该部门无执法权")
    d = act(seeded, CLOCK, c.supervisor, d.code, Action.WAIVE, waive, now=late)
    assert d.tasks[2].state is TaskState.WAIVED and d.tasks[2].waive_reason == "该部门无执法权"
    d = act(
        seeded, CLOCK, c.section_staff, d.code, Action.HANDLED, Params(result="已清理"), now=late
    )
    assert d.row.status is Status.HANDLED
    for unit, rating in ((first, UnitRating.TIMELY), (second, UnitRating.ADEQUATE)):
        d = act(
            seeded,
            CLOCK,
            c.operator,
            d.code,
            Action.RATE_UNIT,
            Params(unit=unit, unit_rating=rating),
            now=late,
        )
    assert [t.rating for t in d.tasks] == [UnitRating.TIMELY, UnitRating.ADEQUATE, None]
    assert [e.action for e in reversed(d.timeline)][-8:] == [
        "check-in",
        "feedback",
        "check-in",
        "feedback",
        "waive",
        "handled",
        "rate-unit",
        "rate-unit",
    ]
    assert trail_findings(seeded) == []


def test_the_figures_sum_each_departments_answers(seeded: Store, c: Cast) -> None:
    """Two whistles on cases reported in one hour: per department, summoned, released,
    checked in and fed back by the deadline, rated — for readers of the street, none for
    another street's."""
    start = NOW + timedelta(days=40)
    first, second, third = c.departments
    codes = []
    for i in range(2):
        d = walk(seeded, c, Status.ACCEPTED, first_code="x", start=start + timedelta(minutes=i))
        summon = Params(unit=c.section, co_units=(first, second) if i == 0 else (first, third))
        d = act(seeded, CLOCK, c.operator, d.code, Action.WHISTLE, summon, now=start, whistle=RULES)
        codes.append(d.code)
    early, late = start + timedelta(minutes=30), start + timedelta(days=3)
    a, b = codes
    act(seeded, CLOCK, c.staff[first], a, Action.CHECK_IN, Params(), now=early)
    act(seeded, CLOCK, c.staff[first], a, Action.FEEDBACK, Params(text="好"), now=early)
    act(seeded, CLOCK, c.staff[first], b, Action.FEEDBACK, Params(text="迟"), now=late)
    act(seeded, CLOCK, c.supervisor, a, Action.WAIVE, Params(unit=second, reason="无关"), now=late)
    rate = Params(unit=first, unit_rating=UnitRating.TIMELY)
    act(seeded, CLOCK, c.operator, a, Action.RATE_UNIT, rate, now=late)
    rate = Params(unit=first, unit_rating=UnitRating.POOR)
    act(seeded, CLOCK, c.operator, b, Action.RATE_UNIT, rate, now=late)
    span = figures.Span(start, start + timedelta(hours=1), ZoneInfo("Asia/Shanghai"))
    ref = reference(seeded)
    got = figures.summoned(seeded, ref.actor(c.operator), span)
    assert got == {
        first: Summoned(2, 0, 1, 1, timely=1, poor=1),
        second: Summoned(1, 1, 0, 0),
        third: Summoned(1, 0, 0, 0),
    }
    assert got[first].check_in_rate == 0.5 and got[second].feedback_rate is None
    assert figures.summoned(seeded, ref.actor(c.other_operator), span) == {}
    # The report's assessment: a table of the departments, the most summoned first.
    tz = ZoneInfo("Asia/Shanghai")
    day = start.astimezone(tz).date()
    doc = bulletin(seeded, ref.actor(c.operator), range_of(day, day, tz), late, "en", Weights())
    [table] = [x for x in doc.tables() if x.name == "assess_summoned"]
    assert table.title == "Departments summoned by a whistle"
    assert [x.title for x in table.columns][1:5] == [
        "summoned",
        "released",
        "checked in on time",
        "fed back on time",
    ]
    name = name_in(ref.unit(first), "en")
    assert table.rows[0] == (name, 2, 0, 0.5, 0.5, 1, 0, 1)
    assert {row[0] for row in table.rows} == {name_in(ref.unit(u), "en") for u in c.departments}


def test_a_department_acts_only_for_its_own_task(seeded: Store, c: Cast) -> None:
    d, (first, _, _) = _whistled(seeded, c)
    # The grid's worker reads the case, but the whistle summoned no task of theirs.
    with refused(Forbidden, "may not check in"):
        act(seeded, CLOCK, c.staff[c.grid_unit], d.code, Action.CHECK_IN, Params())
    with refused(Forbidden, "may not check in"):  # the lead is given no task
        act(seeded, CLOCK, c.section_staff, d.code, Action.CHECK_IN, Params())
    d = act(seeded, CLOCK, c.staff[first], d.code, Action.CHECK_IN, Params(), now=NOW)
    assert [t.state for t in d.tasks] == [
        TaskState.CHECKED_IN,
        TaskState.TO_CHECK_IN,
        TaskState.TO_CHECK_IN,
    ]


def test_verify_finds_tasks_changed_without_their_event(seeded: Store, c: Cast) -> None:
    d, _ = _whistled(seeded, c)
    assert trail_findings(seeded) == []
    forge(seeded, "UPDATE cases SET tasks = '[]' WHERE code = :c", c=d.code)
    found = trail_findings(seeded)
    assert len(found) == 1 and d.code in found[0], found
    units = ",".join(f"{u}:to_check_in" for u in c.departments)
    assert found[0].endswith(f"tasks - ≠ {units}"), found
