"""The SLA clock: worked examples on fixed dates, then properties over 2024–2026."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.enums import Light
from console.domain.sla import SlaClock, WorkingHours, is_working_day

SH = ZoneInfo("Asia/Shanghai")
CLOCK = SlaClock()
DAY = 450  # working minutes in a default working day
ORDER = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """A Shanghai wall-clock instant, handed to the clock in UTC as the database would."""
    return datetime(y, mo, d, h, mi, s, tzinfo=SH).astimezone(UTC)


def due(start: datetime, minutes: int, *, working: bool = True) -> datetime:
    """add(), checked for a UTC result and shown as Shanghai wall-clock time."""
    result = CLOCK.add(start, minutes, working=working)
    assert result.tzinfo is UTC
    return result.astimezone(SH).replace(tzinfo=None)


# --- examples -------------------------------------------------------------------------------


def test_working_hours_defaults() -> None:
    hours = WorkingHours()
    assert hours.minutes_per_day == DAY
    assert hours.tz == SH
    assert WorkingHours(periods=((time(9), time(17)),)).minutes_per_day == 480
    assert WorkingHours(tz="Asia/Urumqi").tz == ZoneInfo("Asia/Urumqi")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((time(12), time(8)),),
        ((time(8), time(12)), (time(11), time(15))),
        ((time(13), time(17)), (time(8), time(12))),
    ],
)
def test_working_hours_rejects_bad_periods(periods: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValueError):
        WorkingHours(periods=periods)


def test_friday_afternoon_runs_into_monday() -> None:
    friday_4pm = sh(2025, 3, 7, 16)  # an ordinary Friday
    assert due(friday_4pm, 90) == datetime(2025, 3, 7, 17, 30)  # the end of Friday, not Monday
    assert due(friday_4pm, 91) == datetime(2025, 3, 10, 8, 31)
    # 90 minutes on Friday (16:00–17:30), the other 30 on Monday from 08:30.
    assert due(friday_4pm, 120) == datetime(2025, 3, 10, 9, 0)
    assert due(friday_4pm, 180) == datetime(2025, 3, 10, 10, 0)
    assert CLOCK.elapsed(friday_4pm, sh(2025, 3, 10, 10), working=True) == 180
    # Urgent: wall-clock.
    assert due(friday_4pm, 120, working=False) == datetime(2025, 3, 7, 18, 0)


def test_lunch_report_starts_counting_at_1330() -> None:
    lunch = sh(2025, 3, 5, 12, 30)
    assert not CLOCK.is_working_minute(lunch)
    assert due(lunch, 0) == datetime(2025, 3, 5, 12, 30)  # zero minutes: start unchanged
    assert due(lunch, 1) == datetime(2025, 3, 5, 13, 31)
    assert due(lunch, 60) == datetime(2025, 3, 5, 14, 30)
    assert CLOCK.elapsed(lunch, sh(2025, 3, 5, 13, 30), working=True) == 0
    assert CLOCK.elapsed(lunch, sh(2025, 3, 5, 14, 30), working=True) == 60


def test_deadline_ends_a_working_minute() -> None:
    morning = sh(2025, 3, 5, 8, 30)
    assert due(morning, 210) == datetime(2025, 3, 5, 12, 0)  # end of the morning, not 13:30
    assert due(morning, 211) == datetime(2025, 3, 5, 13, 31)
    assert due(morning, DAY) == datetime(2025, 3, 5, 17, 30)  # not 08:30 the next day
    assert due(sh(2025, 3, 5, 12), 1) == datetime(2025, 3, 5, 13, 31)  # 12:00 is off hours
    assert CLOCK.is_working_minute(sh(2025, 3, 5, 8, 30))
    assert CLOCK.is_working_minute(sh(2025, 3, 5, 11, 59, 59))
    assert not CLOCK.is_working_minute(sh(2025, 3, 5, 12))
    assert not CLOCK.is_working_minute(sh(2025, 3, 5, 17, 30))
    assert not CLOCK.is_working_minute(sh(2025, 3, 8, 10))  # Saturday


def test_seconds_are_kept_and_elapsed_floors() -> None:
    start = sh(2025, 3, 5, 9, 0, 30)
    assert due(start, 10) == datetime(2025, 3, 5, 9, 10, 30)
    assert CLOCK.elapsed(start, sh(2025, 3, 5, 9, 10, 29), working=True) == 9
    assert CLOCK.elapsed(start, sh(2025, 3, 5, 9, 10, 29), working=False) == 9
    assert CLOCK.elapsed(sh(2025, 3, 5, 10), sh(2025, 3, 5, 9), working=True) == 0


def test_inputs_in_any_zone_outputs_in_utc() -> None:
    local = datetime(2025, 3, 7, 16, tzinfo=SH)
    berlin = local.astimezone(ZoneInfo("Europe/Berlin"))
    assert CLOCK.add(local, 120, working=True) == CLOCK.add(berlin, 120, working=True)
    assert CLOCK.add(berlin, 120, working=True).tzinfo is UTC
    assert CLOCK.add(berlin, 0, working=True).tzinfo is UTC
    with pytest.raises(ValueError):
        CLOCK.add(datetime(2025, 3, 7, 16), 10, working=True)
    with pytest.raises(ValueError):
        CLOCK.add(local, -1, working=True)


def test_spring_festival_2026_calendar() -> None:
    # chinese_calendar 1.11: 15–23 Feb off; Saturdays 14 and 28 Feb are swapped working days.
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 14))
    assert not any(is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert is_working_day(date(2026, 2, 24))
    assert is_working_day(date(2026, 2, 28))
    assert not is_working_day(date(2026, 3, 1))


def test_spring_festival_2026_normal_case() -> None:
    friday = sh(2026, 2, 13, 15)
    # A one-day limit: 150 min on Friday, 300 on the swapped working Saturday 14 Feb.
    assert due(friday, DAY) == datetime(2026, 2, 14, 15, 0)
    # Two days: 150 + 450 before the festival, the other 300 after it on Tuesday 24 Feb.
    assert due(friday, 2 * DAY) == datetime(2026, 2, 24, 15, 0)
    # Reported on the swapped Saturday afternoon, one day: due after the festival.
    saturday = sh(2026, 2, 14, 16)
    assert due(saturday, DAY) == datetime(2026, 2, 24, 16, 0)
    # Reported during the festival: counting starts on 24 Feb at 08:30.
    assert due(sh(2026, 2, 17, 10), DAY) == datetime(2026, 2, 24, 17, 30)
    assert CLOCK.elapsed(sh(2026, 2, 14, 17), sh(2026, 2, 24, 9), working=True) == 60
    assert CLOCK.remaining(sh(2026, 2, 20, 10), sh(2026, 2, 24, 9), working=True) == 30


def test_spring_festival_2026_urgent_case_counts_wall_clock() -> None:
    eve = sh(2026, 2, 16, 22)  # the eve, a holiday
    assert due(eve, 120, working=False) == datetime(2026, 2, 17, 0, 0)
    assert due(eve, 24 * 60, working=False) == datetime(2026, 2, 17, 22, 0)
    assert CLOCK.elapsed(eve, sh(2026, 2, 18, 22), working=False) == 48 * 60
    assert CLOCK.elapsed(eve, sh(2026, 2, 18, 22), working=True) == 0


def test_national_day_week_2026() -> None:
    # Off 1–7 Oct; Wednesday 30 Sep and Thursday 8 Oct work, and so does Saturday 10 Oct.
    assert is_working_day(date(2026, 9, 30))
    assert not any(is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 10, 11))
    assert due(sh(2026, 9, 30, 16), 120) == datetime(2026, 10, 8, 9, 0)
    assert due(sh(2026, 10, 3, 10), DAY) == datetime(2026, 10, 8, 17, 30)
    assert due(sh(2026, 10, 9, 17), 60) == datetime(2026, 10, 10, 9, 0)  # swapped Saturday
    assert due(sh(2026, 10, 10, 17), 60) == datetime(2026, 10, 12, 9, 0)  # Sunday is off
    assert due(sh(2026, 9, 30, 16), 120, working=False) == datetime(2026, 9, 30, 18, 0)


def test_fallback_calendar_2027() -> None:
    # chinese_calendar 1.11 has no 2027: Monday–Friday minus 1 Jan, 1 May, 1–3 Oct.
    assert not is_working_day(date(2027, 1, 1))  # Friday, New Year's Day
    assert is_working_day(date(2027, 1, 4))
    assert not is_working_day(date(2027, 1, 9))  # Saturday
    assert not is_working_day(date(2027, 10, 1))
    assert is_working_day(date(2027, 10, 4))  # Monday: the fallback knows no Golden Week
    assert is_working_day(date(2027, 2, 8))  # nor Spring Festival
    assert not is_working_day(date(2003, 5, 1))  # and before 2004 likewise
    assert due(sh(2026, 12, 31, 17), 60) == datetime(2027, 1, 4, 9, 0)
    assert due(sh(2027, 9, 30, 17), 60) == datetime(2027, 10, 4, 9, 0)  # Thu → Mon


def test_far_spans_grow_the_calendar() -> None:
    start = sh(2025, 6, 2, 8, 30)
    deadline = CLOCK.add(start, 5000 * DAY, working=True)  # about twenty years of work
    assert deadline.year >= 2044
    assert CLOCK.elapsed(start, deadline, working=True) == 5000 * DAY
    early = sh(1999, 12, 31, 17)  # Friday; 1 Jan 2000 is a Saturday
    assert due(early, 60) == datetime(2000, 1, 3, 9, 0)


def test_warn_at_and_light() -> None:
    start = sh(2025, 3, 10, 8, 30)
    deadline = CLOCK.add(start, DAY, working=True)  # 17:30 the same day
    warn = CLOCK.warn_at(start, deadline, working=True)
    # ⌈0.75 × 450⌉ = 338 minutes: 210 in the morning, 128 after lunch.
    assert warn.astimezone(SH).replace(tzinfo=None) == datetime(2025, 3, 10, 15, 38)
    assert warn.tzinfo is UTC
    assert CLOCK.light(sh(2025, 3, 10, 15, 37), warn, deadline) is Light.GREEN
    assert CLOCK.light(sh(2025, 3, 10, 15, 38), warn, deadline) is Light.YELLOW
    assert CLOCK.light(sh(2025, 3, 10, 17, 30), warn, deadline) is Light.RED
    assert CLOCK.light(sh(2025, 3, 10, 17, 30), None, None) is Light.NONE
    assert CLOCK.light(sh(2025, 3, 10, 9), None, deadline) is Light.GREEN
    # Urgent, wall-clock: 4 h → warn after 3 h.
    u_deadline = CLOCK.add(start, 240, working=False)
    u_warn = CLOCK.warn_at(start, u_deadline, working=False)
    assert u_warn.astimezone(SH).replace(tzinfo=None) == datetime(2025, 3, 10, 11, 30)
    # The ratio is read as the decimal it was written as: 0.8 × 450 is 360, not 361.
    ratio = SlaClock(warn_ratio=0.8)
    assert ratio.warn_at(start, deadline, working=True) == CLOCK.add(start, 360, working=True)
    with pytest.raises(ValueError):
        SlaClock(warn_ratio=1.5)


def test_remaining_signs() -> None:
    deadline = sh(2025, 3, 7, 17, 30)  # Friday
    assert CLOCK.remaining(sh(2025, 3, 7, 16), deadline, working=True) == 90
    assert CLOCK.remaining(deadline, deadline, working=True) == 0
    assert CLOCK.remaining(sh(2025, 3, 8, 12), deadline, working=True) == 0  # weekend: no loss
    assert CLOCK.remaining(sh(2025, 3, 10, 8, 30, 1), deadline, working=True) == -1
    assert CLOCK.remaining(sh(2025, 3, 10, 10), deadline, working=True) == -90
    assert CLOCK.remaining(sh(2025, 3, 8, 12), deadline, working=False) == -(18 * 60 + 30)
    assert CLOCK.remaining(sh(2025, 3, 7, 17, 29, 30), deadline, working=True) == 0


def test_custom_hours_and_zone() -> None:
    # A centre in Ürümqi keeping 10:00–14:00 and 15:30–19:30 local time.
    hours = WorkingHours(
        periods=((time(10), time(14)), (time(15, 30), time(19, 30))),
        tz=ZoneInfo("Asia/Urumqi"),
    )
    clock = SlaClock(hours)
    assert hours.minutes_per_day == 480
    start = datetime(2025, 3, 7, 19, tzinfo=ZoneInfo("Asia/Urumqi"))  # Friday
    deadline = clock.add(start, 60, working=True)
    assert deadline == datetime(2025, 3, 10, 10, 30, tzinfo=ZoneInfo("Asia/Urumqi"))
    assert clock.elapsed(start, deadline, working=True) == 60


# --- properties -----------------------------------------------------------------------------

INSTANTS = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2026, 12, 31, 23, 59, 59),
    timezones=st.just(UTC),
)
# Whole-minute instants: starts as the seeder and the services produce them.
MINUTE_INSTANTS = st.integers(0, (3 * 366 - 1) * 24 * 60).map(
    lambda m: datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=m)
)
MINUTES = st.integers(0, 20_000)
SMALL = st.integers(0, 10_000)
PROPERTY = settings(max_examples=150, deadline=None)
US = timedelta(microseconds=1)


@PROPERTY
@given(INSTANTS, st.integers(1, 20_000))
def test_working_deadline_ends_a_working_minute(start: datetime, minutes: int) -> None:
    deadline = CLOCK.add(start, minutes, working=True)
    assert deadline > start
    # The instant just before the deadline was worked: the deadline is inside an office period
    # or exactly at its end, never the (working) start of a period or an off-hours instant.
    assert CLOCK.is_working_minute(deadline - US)
    local = deadline.astimezone(SH)
    if CLOCK.is_working_minute(deadline):
        assert local.timetz().replace(tzinfo=None) not in (time(8, 30), time(13, 30))
    else:
        assert local.timetz().replace(tzinfo=None) in (time(12), time(17, 30))


@PROPERTY
@given(MINUTE_INSTANTS, st.integers(1, 20_000))
def test_whole_minute_deadline_is_a_working_minute_end(start: datetime, minutes: int) -> None:
    deadline = CLOCK.add(start, minutes, working=True)
    assert deadline.second == deadline.microsecond == 0
    assert CLOCK.is_working_minute(deadline - timedelta(minutes=1))


@PROPERTY
@given(INSTANTS, MINUTES, MINUTES, st.booleans())
def test_add_is_monotonic_in_minutes(start: datetime, a: int, b: int, working: bool) -> None:
    lo, hi = sorted((a, b))
    assert CLOCK.add(start, lo, working=working) <= CLOCK.add(start, hi, working=working)
    if lo < hi:
        assert CLOCK.add(start, lo, working=working) < CLOCK.add(start, hi, working=working)


@PROPERTY
@given(INSTANTS, INSTANTS, MINUTES, st.booleans())
def test_add_is_monotonic_in_start(s1: datetime, s2: datetime, m: int, working: bool) -> None:
    early, late = sorted((s1, s2))
    assert CLOCK.add(early, m, working=working) <= CLOCK.add(late, m, working=working)


@PROPERTY
@given(INSTANTS, MINUTES, st.booleans())
def test_elapsed_inverts_add(start: datetime, minutes: int, working: bool) -> None:
    deadline = CLOCK.add(start, minutes, working=working)
    assert CLOCK.elapsed(start, deadline, working=working) == minutes
    assert CLOCK.remaining(start, deadline, working=working) == minutes
    if minutes > 0:  # the earliest such instant: a microsecond less is not enough
        assert CLOCK.elapsed(start, deadline - US, working=working) == minutes - 1


@PROPERTY
@given(INSTANTS, SMALL, SMALL)
def test_add_composes(start: datetime, a: int, b: int) -> None:
    step = CLOCK.add(CLOCK.add(start, a, working=True), b, working=True)
    assert step == CLOCK.add(start, a + b, working=True)


@PROPERTY
@given(INSTANTS, INSTANTS, INSTANTS)
def test_elapsed_is_additive_and_bounded(a: datetime, b: datetime, c: datetime) -> None:
    s, m, e = sorted((a, b, c))
    whole = CLOCK.elapsed(s, e, working=True)
    parts = CLOCK.elapsed(s, m, working=True) + CLOCK.elapsed(m, e, working=True)
    assert parts <= whole <= parts + 1  # flooring loses less than a minute on each part
    assert whole <= CLOCK.elapsed(s, e, working=False)


@PROPERTY
@given(
    MINUTE_INSTANTS, st.integers(1, 20_000), st.integers(0, 20_000), st.integers(0, 60 * 24 * 60)
)
def test_suspension_shifts_the_deadline_by_the_suspended_time(
    start: datetime, limit: int, used: int, pause: int
) -> None:
    deadline = CLOCK.add(start, limit, working=True)
    suspended = CLOCK.add(start, min(used, limit), working=True)
    left = CLOCK.remaining(suspended, deadline, working=True)
    assert left == limit - min(used, limit)
    resumed = suspended + timedelta(minutes=pause)  # any later instant, working or not
    new = CLOCK.add(resumed, left, working=True)
    assert CLOCK.elapsed(resumed, new, working=True) == left
    # The deadline moved by exactly the working time spent suspended.
    if left > 0:
        assert CLOCK.elapsed(deadline, new, working=True) == CLOCK.elapsed(
            suspended, resumed, working=True
        )


@PROPERTY
@given(INSTANTS, st.integers(0, 20_000), INSTANTS)
def test_resuming_with_what_was_left(start: datetime, limit: int, resumed: datetime) -> None:
    deadline = CLOCK.add(start, limit, working=True)
    left = max(0, CLOCK.remaining(start, deadline, working=True))
    new = CLOCK.add(resumed, left, working=True)
    assert CLOCK.elapsed(resumed, new, working=True) == left


@PROPERTY
@given(INSTANTS, MINUTES, st.booleans(), st.lists(INSTANTS, min_size=2, max_size=12))
def test_light_never_goes_back(
    start: datetime, minutes: int, working: bool, nows: list[datetime]
) -> None:
    deadline = CLOCK.add(start, minutes, working=working)
    warn = CLOCK.warn_at(start, deadline, working=working)
    lights = [CLOCK.light(now, warn, deadline) for now in sorted(nows)]
    ranks = [ORDER[light] for light in lights]
    assert ranks == sorted(ranks)
    assert CLOCK.light(deadline, warn, deadline) is Light.RED
    assert CLOCK.light(deadline, warn, None) is Light.NONE


@PROPERTY
@given(INSTANTS, MINUTES, st.booleans())
def test_warn_at_lies_between_start_and_deadline(
    start: datetime, minutes: int, working: bool
) -> None:
    deadline = CLOCK.add(start, minutes, working=working)
    warn = CLOCK.warn_at(start, deadline, working=working)
    assert warn.tzinfo is UTC
    assert start <= warn <= deadline
    used = CLOCK.elapsed(start, warn, working=working)
    assert used == -(-3 * minutes // 4)  # ⌈0.75 × minutes⌉
    if minutes > 0:
        assert CLOCK.light(warn, warn, deadline) is Light.YELLOW or warn == deadline


@PROPERTY
@given(INSTANTS, MINUTES, st.booleans(), st.sampled_from((0.0, 0.75, 0.8, 1.0)))
def test_deadline_and_warn_is_add_then_warn_at(
    start: datetime, minutes: int, working: bool, ratio: float
) -> None:
    clock = SlaClock(warn_ratio=ratio)
    deadline = clock.add(start, minutes, working=working)
    warn = clock.warn_at(start, deadline, working=working)
    assert clock.deadline_and_warn(start, minutes, working=working) == (deadline, warn)


@PROPERTY
@given(INSTANTS, INSTANTS, st.booleans())
def test_remaining_is_elapsed_with_a_sign(a: datetime, b: datetime, working: bool) -> None:
    r = CLOCK.remaining(a, b, working=working)
    if a <= b:
        assert r == CLOCK.elapsed(a, b, working=working)
    else:
        overdue = CLOCK.elapsed(b, a, working=working)
        assert -overdue - 1 <= r <= -overdue
