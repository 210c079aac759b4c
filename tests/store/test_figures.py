"""The centre's figures against a week of cases whose histories are written here by hand, and
every figure worked out by hand beside them — on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Rating, Status, Step
from console.domain.figures import By, StepTime, Tally
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.queries import figures as fq
from console.queries.reference import reference
from console.services.cases import act
from tests.conftest import trail_findings
from tests.services.helpers import NOW, cast, new_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK = fq.Span.days(date(2026, 11, 16), date(2026, 11, 22), SHANGHAI)  # Mon–Sun; NOW is Wed
DAY = timedelta(days=1)  # Wednesday to Thursday, same hour: 450 working minutes
LATER = NOW + timedelta(days=60)  # when the figures are read
M = timedelta(minutes=7)


class Week:
    """Ten cases, their histories by hand (times from NOW, Wed 18 Nov 10:00 in Shanghai)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.c = c = cast(store)
        self.codes: dict[str, str] = {}
        op, sup, staff = c.operator, c.supervisor, c.section_staff
        dept = c.departments[0]
        self.dept = dept
        self.closed_path = [
            (op, Action.ACCEPT, Params()),
            (op, Action.DISPATCH, Params(unit=c.section)),
            (staff, Action.SIGN, Params()),
            (staff, Action.HANDLED, Params(result="已劝离摊贩")),
            (op, Action.SEND_VERIFY, Params()),
            (op, Action.VERIFY, Params(passed=True)),
        ]
        # A: round the loop in 7-minute steps, rated satisfied.
        self.case("A", NOW, self.closed_path, (op, Action.RATE, Params(rating=Rating.SATISFIED)))
        # B: accepted a working day late, then the same; the resident is dissatisfied.
        self.case("B", NOW, [])
        self.steps("B", NOW + DAY, self.closed_path)
        self.steps(
            "B",
            NOW + DAY + 7 * M,
            [(op, Action.RATE, Params(rating=Rating.DISSATISFIED, comment="摊贩第二天又来了"))],
        )
        # C rejected, D a duplicate of A, I and J never accepted (J just after local midnight).
        self.case("C", NOW, [(op, Action.REJECT, Params(reason="信息不全"))])
        self.case("D", NOW, [(op, Action.DUPLICATE, Params(other_case=self.codes["A"]))])
        self.case("I", NOW, [])
        self.case("J", datetime(2026, 11, 19, 16, 30, tzinfo=UTC), [])  # 20 Nov 00:30 local
        # E: accepted, then set aside (缓办).
        self.case(
            "E",
            NOW,
            [(op, Action.ACCEPT, Params()), (sup, Action.SUSPEND, Params(reason="等待政策"))],
        )
        # F: returned by the section, sent to a department, signed, urged once; never handled.
        self.case(
            "F",
            NOW,
            [
                (op, Action.ACCEPT, Params()),
                (op, Action.DISPATCH, Params(unit=c.section)),
                (staff, Action.RETURN, Params(reason="不属本单位")),
                (op, Action.DISPATCH, Params(unit=dept)),
                (c.staff[dept], Action.SIGN, Params()),
                (op, Action.URGE, Params(text="请加快")),
            ],
        )
        # G: extended, urged twice, suspended overnight, failed verification once, rated basic.
        until = NOW + timedelta(days=20)
        self.case(
            "G",
            NOW,
            [
                (op, Action.ACCEPT, Params()),
                (op, Action.DISPATCH, Params(unit=c.section)),
                (staff, Action.SIGN, Params()),
                (staff, Action.EXTEND, Params(until=until, reason="需采购配件")),
                (sup, Action.APPROVE_EXTENSION, Params()),
                (op, Action.URGE, Params()),
                (op, Action.URGE, Params()),
                (sup, Action.SUSPEND, Params(reason="等待业主")),
            ],
        )
        self.steps(
            "G",
            NOW + 8 * M + DAY,
            [
                (sup, Action.RESUME, Params()),
                (staff, Action.HANDLED, Params(result="已修复")),
                (op, Action.SEND_VERIFY, Params()),
                (op, Action.VERIFY, Params(passed=False, reason="仍有破损")),
                (staff, Action.HANDLED, Params(result="已重新修复")),
                (op, Action.SEND_VERIFY, Params()),
                (op, Action.VERIFY, Params(passed=True)),
                (op, Action.RATE, Params(rating=Rating.BASIC)),
            ],
        )
        # H: the week before — not this week's.
        self.case("H", NOW - timedelta(days=7), [])

    def case(
        self,
        name: str,
        at: datetime,
        path: list[tuple[str, Action, Params]],
        *more: tuple[str, Action, Params],
    ) -> None:
        self.codes[name] = new_case(self.store, self.c, at, title=f"案件{name}").code
        self.steps(name, at + M, [*path, *more])

    def steps(self, name: str, at: datetime, path: list[tuple[str, Action, Params]]) -> None:
        for login, action, params in path:
            act(self.store, SlaClock(), login, self.codes[name], action, params, now=at)
            at += M


@pytest.fixture(scope="module")
def week(district: Store) -> Week:
    return Week(district)


def test_every_figure_of_the_week_as_worked_out_by_hand(week: Week) -> None:
    reader = reference(week.store).actor(week.c.operator)
    got = fq.tally(week.store, reader, WEEK, LATER)
    assert got == Tally(
        reported=9,  # A B C D E F G I J; H was the week before
        accepted=5,  # A B E F G
        invalid=1,
        duplicate=1,
        dispatched=4,  # A B F G
        closed=3,  # A B G
        closed_on_time=2,  # A G; B's acceptance ran late
        suspended=1,  # E
        open=4,  # E F I J
        overdue_now=3,  # F I J
        overdue_ever=4,  # B F I J
        reworked=1,  # G
        returned=1,  # F
        extended=1,  # G
        urges=3,  # F once, G twice
        rated=3,
        satisfied=1,
        basic=1,
        dissatisfied=1,
    )
    assert got.due == 4  # 应结案数 = accepted 5 − suspended 1
    assert got.closure_rate == 3 / 4
    assert got.on_time_rate == 2 / 4
    assert (got.rework_rate, got.return_rate, got.extension_rate) == (1 / 4, 1 / 4, 1 / 4)
    assert got.satisfaction == 2 / 3


def test_the_figures_follow_the_readers_scope(week: Week) -> None:
    ref = reference(week.store)
    elsewhere = ref.actor(week.c.other_operator)
    assert fq.tally(week.store, elsewhere, WEEK, LATER) == Tally()
    everyone = fq.tally(week.store, ref.actor("sup.district1"), WEEK, LATER)
    assert everyone.reported == 9


def test_the_week_before_is_the_previous_period(week: Week) -> None:
    reader = reference(week.store).actor(week.c.operator)
    before = WEEK.before()
    assert (before.first, before.last) == (date(2026, 11, 9), date(2026, 11, 15))
    assert fq.tally(week.store, reader, before, LATER).reported == 1  # H


def test_grouped_by_unit_day_and_street(week: Week) -> None:
    ref = reference(week.store)
    reader = ref.actor(week.c.operator)
    by_unit = fq.tally_by(week.store, reader, WEEK, LATER, By.UNIT)
    section, dept = ref.unit(week.c.section).id, ref.unit(week.dept).id
    assert {k: v.reported for k, v in by_unit.items()} == {section: 3, dept: 1, None: 5}
    assert by_unit[section].closed_on_time == 2 and by_unit[dept].overdue_now == 1
    by_day = fq.tally_by(week.store, reader, WEEK, LATER, By.DAY)
    # J was reported on the 19th in UTC, the 20th in the centre's zone.
    assert {k: v.reported for k, v in by_day.items()} == {
        date(2026, 11, 18): 8,
        date(2026, 11, 20): 1,
    }
    by_week = fq.tally_by(week.store, reader, WEEK, LATER, By.WEEK)
    assert {k: v.reported for k, v in by_week.items()} == {date(2026, 11, 16): 9}
    street = ref.area(week.c.street).id
    assert fq.tally_by(week.store, reader, WEEK, LATER, By.STREET) == {
        street: fq.tally(week.store, reader, WEEK, LATER)
    }


def test_working_minutes_per_step_over_the_closed_cases(week: Week) -> None:
    reader = reference(week.store).actor(week.c.operator)
    times = fq.step_times(week.store, reader, WEEK)
    # A: 7 7 7 7 14; B: 450 7 7 7 14 (accepted a working day on); G: 7 7 7 49 28 — its
    # overnight suspension counts in no step, its rework adds a second handling and check.
    assert times[Step.ACCEPT.value] == StepTime(3, (7 + 450 + 7) / 3, 450)
    assert times[Step.DISPATCH.value] == StepTime(3, 7, 7)
    assert times[Step.HANDLE.value] == StepTime(3, (7 + 7 + 49) / 3, 49)
    assert times[Step.VERIFY.value] == StepTime(3, (14 + 14 + 28) / 3, 28)
    assert times["total"] == StepTime(3, (42 + 485 + 98) / 3, 485)


def test_reported_and_closed_per_day(week: Week) -> None:
    reader = reference(week.store).actor(week.c.operator)
    days = fq.trend(week.store, reader, WEEK)
    assert [d for d, _, _ in days] == [date(2026, 11, 16) + timedelta(days=i) for i in range(7)]
    assert {d: (r, c) for d, r, c in days if r or c} == {
        date(2026, 11, 18): (8, 1),  # A closed the day it came
        date(2026, 11, 19): (0, 2),  # B and G the next day
        date(2026, 11, 20): (1, 0),
    }


def test_red_light_and_repeat_places(week: Week) -> None:
    ref = reference(week.store)
    reader = ref.actor(week.c.operator)
    red = fq.red_cases(week.store, reader, LATER)
    # Red now whenever reported: H, of the week before, too.
    assert {r.code for r in red} == {week.codes[n] for n in "FIJH"}
    units = fq.red_units(week.store, reader, LATER)
    assert [(u, n) for u, n, _ in units] == [(None, 3), (ref.unit(week.dept).id, 1)]
    grid, category = ref.area(week.c.grid).id, ref.category(week.c.category).id
    assert fq.hotspots(week.store, reader, WEEK) == [(grid, category, 9)]
    assert fq.dissatisfied(week.store, reader, WEEK) == [
        (week.codes["B"], "案件B", "摊贩第二天又来了", ref.unit(week.c.section).id)
    ]


def test_a_record_kept_by_the_workflow_matches_its_trail(week: Week) -> None:
    assert trail_findings(week.store) == []


def test_status_of_the_hand_written_cases(week: Week) -> None:
    status = {
        n: q.detail(week.store, q.DISTRICT_WIDE, code, timeline=False).row.status
        for n, code in week.codes.items()
    }
    assert status == {
        "A": Status.CLOSED,
        "B": Status.CLOSED,
        "C": Status.INVALID,
        "D": Status.DUPLICATE,
        "I": Status.REPORTED,
        "J": Status.REPORTED,
        "E": Status.SUSPENDED,
        "F": Status.IN_PROGRESS,
        "G": Status.CLOSED,
        "H": Status.REPORTED,
    }
