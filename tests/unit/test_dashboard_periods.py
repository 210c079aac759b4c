"""The dashboard's periods and what each is compared with, and which way a figure's arrow
reads as better: the calendar's edges (a Sunday, a month's end, a leap year) worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from console.domain.figures import Tally
from console.views.viewmodels.dashboard import (
    HEADLINE,
    Days,
    Move,
    Period,
    change,
    headline,
    period_days,
    reach,
    today_days,
    week_days,
)

day = date.fromisoformat


def days(first: str, last: str, before_first: str, before_last: str) -> Days:
    return Days(day(first), day(last), day(before_first), day(before_last))


def test_today_is_compared_with_yesterday_by_the_same_time() -> None:
    assert today_days(date(2026, 12, 1)) == Days(
        date(2026, 12, 1), date(2026, 12, 1), date(2026, 11, 30), date(2026, 11, 30), so_far=True
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Thursday: Monday to Thursday, against Monday to Thursday of the week before.
        (day("2026-12-03"), days("2026-11-30", "2026-12-03", "2026-11-23", "2026-11-26")),
        # Sunday: the whole week.
        (day("2026-12-06"), days("2026-11-30", "2026-12-06", "2026-11-23", "2026-11-29")),
        # Monday: the day alone, against last Monday.
        (day("2026-11-30"), days("2026-11-30", "2026-11-30", "2026-11-23", "2026-11-23")),
    ],
)
def test_this_week_is_monday_to_today(today: date, expected: Days) -> None:
    assert week_days(today) == expected


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        (
            Period.DAYS_7,
            day("2026-12-03"),
            days("2026-11-27", "2026-12-03", "2026-11-20", "2026-11-26"),
        ),
        (
            Period.DAYS_30,
            day("2026-12-03"),
            days("2026-11-04", "2026-12-03", "2026-10-05", "2026-11-03"),
        ),
        # This month so far, against the same days of the month before.
        (
            Period.MONTH,
            day("2026-12-03"),
            days("2026-12-01", "2026-12-03", "2026-11-01", "2026-11-03"),
        ),
        # ... to its end when it is shorter: 31 March against February's 29 days of 2028.
        (
            Period.MONTH,
            day("2028-03-31"),
            days("2028-03-01", "2028-03-31", "2028-02-01", "2028-02-29"),
        ),
        # The month before, whole, against the one before it; across a year's end.
        (
            Period.LAST_MONTH,
            day("2027-01-15"),
            days("2026-12-01", "2026-12-31", "2026-11-01", "2026-11-30"),
        ),
        (
            Period.LAST_MONTH,
            day("2026-03-31"),
            days("2026-02-01", "2026-02-28", "2026-01-01", "2026-01-28"),
        ),
    ],
)
def test_the_range_and_the_one_before_it(period: Period, today: date, expected: Days) -> None:
    assert period_days(period, today) == expected


FIGURE = {f.key: f for f in HEADLINE}


def test_an_arrow_is_good_or_bad_by_the_figure() -> None:
    more_closed = change(FIGURE["closed"], Tally(closed=5), Tally(closed=3))
    assert more_closed is not None and (more_closed.move, more_closed.good) == (Move.UP, True)
    more_overdue = change(FIGURE["overdue_now"], Tally(overdue_now=2), Tally(overdue_now=1))
    assert more_overdue is not None and (more_overdue.move, more_overdue.good) == (Move.UP, False)
    more_reported = change(FIGURE["reported"], Tally(reported=9), Tally(reported=4))
    assert more_reported is not None and (more_reported.move, more_reported.good) == (Move.UP, None)
    same = change(FIGURE["urges"], Tally(urges=1), Tally(urges=1))
    assert same is not None and same.move is Move.SAME


def test_a_rate_with_nothing_to_divide_by_has_no_arrow() -> None:
    assert change(FIGURE["satisfaction"], Tally(rated=0), Tally(rated=2, satisfied=1)) is None


def test_each_period_is_summed_from_its_days() -> None:
    """Six periods from one read, day by day: a week is its days' sum, the days outside it
    count in the week before or not at all."""
    spans = (today_days(day("2026-12-03")), week_days(day("2026-12-03")))
    assert reach(spans) == (day("2026-11-23"), day("2026-12-03"))
    daily = {
        day("2026-11-23"): Tally(reported=1, accepted=1, closed=1, closed_on_time=1),
        day("2026-11-26"): Tally(reported=2, accepted=2, suspended=1),
        day("2026-11-27"): Tally(reported=50),  # after last week's Thursday: in neither
        day("2026-12-02"): Tally(reported=4, accepted=4, closed=2, urges=3),
        day("2026-12-03"): Tally(reported=8, accepted=6, closed=3, closed_on_time=3),
    }
    by_now_yesterday = Tally(reported=1, accepted=1)
    (today, yesterday), (week, last_week) = headline(daily, spans, by_now_yesterday)
    # Today so far against yesterday by the same time of day, not against the whole of it.
    assert (today.reported, yesterday.reported) == (8, 1)
    assert week == Tally(reported=12, accepted=10, closed=5, closed_on_time=3, urges=3)
    assert last_week == Tally(reported=3, accepted=3, closed=1, closed_on_time=1, suspended=1)
    assert last_week.closure_rate == 0.5  # closed 1 of due 3 − 1 suspended
