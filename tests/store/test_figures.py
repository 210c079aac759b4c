"""The centre's figures against a week of cases whose histories are written here by hand, and
every figure worked out by hand beside them — on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from console.db import Store
from console.domain.enums import Status, Step
from console.domain.figures import By, StepTime, Tally
from console.queries import cases as q
from console.queries import figures as fq
from console.queries.reference import reference
from tests.conftest import trail_findings
from tests.store.week import LATER, WEEK, Week


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
