"""The dashboard's decisions, apart from its widgets: the periods and the ones they are compared
with, the headline figures and which way is better for each, the rows of its tables and the
queue each row drills down into."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum, StrEnum
from typing import TYPE_CHECKING

from console.domain.enums import Light, Status
from console.domain.figures import By, Tally, total
from console.domain.policy import Actor, Reach
from console.i18n import t
from console.queries.cases import QueueFilter
from console.queries.figures import Group
from console.queries.reference import Reference, name_in

if TYPE_CHECKING:
    from console.session import Session

# The open statuses in which no unit holds a case (the centre's own steps): a red case of "no
# unit" is one of these.
AT_THE_CENTRE = frozenset({Status.REPORTED, Status.ACCEPTED})


class Period(StrEnum):
    """The range the dashboard shows beside today and this week."""

    DAYS_7 = "7"
    DAYS_30 = "30"
    MONTH = "month"
    LAST_MONTH = "last_month"


@dataclass(frozen=True)
class Days:
    """Calendar days first…last (both whole), and the days they are compared with."""

    first: date
    last: date
    before_first: date
    before_last: date
    # Today is not over: it is compared with yesterday by the same time of day, not with the
    # whole of yesterday (at 8 a.m. every figure would read "down").
    so_far: bool = False


def _same_days_a_month_before(first: date, last: date) -> tuple[date, date]:
    """The 1st…nth of the month before (to its end when it is shorter)."""
    end = first - timedelta(days=1)
    start = end.replace(day=1)
    day = min(last.day, calendar.monthrange(start.year, start.month)[1])
    return start, start.replace(day=day)


def today_days(today: date) -> Days:
    yesterday = today - timedelta(days=1)
    return Days(today, today, yesterday, yesterday, so_far=True)


def week_days(today: date) -> Days:
    """Monday to today, against the same days of the week before."""
    monday = today - timedelta(days=today.weekday())
    week = timedelta(days=7)
    return Days(monday, today, monday - week, today - week)


def period_days(period: Period, today: date) -> Days:
    if period in (Period.DAYS_7, Period.DAYS_30):
        n = int(period.value)
        first = today - timedelta(days=n - 1)
        return Days(first, today, first - timedelta(days=n), first - timedelta(days=1))
    if period is Period.MONTH:
        first = today.replace(day=1)
        return Days(first, today, *_same_days_a_month_before(first, today))
    last = today.replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    return Days(first, last, *_same_days_a_month_before(first, last))


def reach(spans: tuple[Days, ...]) -> tuple[date, date]:
    """The days every span and the one before it lie within: read once, day by day."""
    return min(d.before_first for d in spans), max(d.last for d in spans)


def headline(
    daily: dict[Group, Tally], spans: tuple[Days, ...], by_now_yesterday: Tally
) -> tuple[tuple[Tally, Tally], ...]:
    """Each span's figures and those of the span before it, summed from the days' (a span
    `so_far`: against yesterday by the same time of day, `by_now_yesterday`)."""

    def over(first: date, last: date) -> Tally:
        return total(t for d, t in daily.items() if isinstance(d, date) and first <= d <= last)

    def before(d: Days) -> Tally:
        return by_now_yesterday if d.so_far else over(d.before_first, d.before_last)

    return tuple((over(d.first, d.last), before(d)) for d in spans)


class Better(Enum):
    UP = 1
    DOWN = -1
    NEITHER = 0  # more cases reported is neither good nor bad


@dataclass(frozen=True)
class Figure:
    key: str  # its name in the catalogue: dash.fig.<key>
    value: Callable[[Tally], float | None]
    rate: bool
    better: Better


HEADLINE: tuple[Figure, ...] = (
    Figure("reported", lambda t: t.reported, False, Better.NEITHER),
    Figure("accepted", lambda t: t.accepted, False, Better.NEITHER),
    Figure("closed", lambda t: t.closed, False, Better.UP),
    Figure("closure_rate", lambda t: t.closure_rate, True, Better.UP),
    Figure("on_time_rate", lambda t: t.on_time_rate, True, Better.UP),
    Figure("overdue_now", lambda t: t.overdue_now, False, Better.DOWN),
    Figure("satisfaction", lambda t: t.satisfaction, True, Better.UP),
    Figure("urges", lambda t: t.urges, False, Better.DOWN),
)


class Move(Enum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


@dataclass(frozen=True)
class Change:
    move: Move
    good: bool | None  # None: neither, or nothing to compare


def change(figure: Figure, now: Tally, before: Tally) -> Change | None:
    """How the figure moved since the period before; None when either has no value."""
    a, b = figure.value(now), figure.value(before)
    if a is None or b is None:
        return None
    if a == b:
        return Change(Move.SAME, None)
    move = Move.UP if a > b else Move.DOWN
    if figure.better is Better.NEITHER:
        return Change(move, None)
    return Change(move, (move is Move.UP) == (figure.better is Better.UP))


def areas_by(actor: Actor) -> By:
    """The places the reader's figures rank: the district's streets, a street's communities,
    a community's grids."""
    reach = actor.policy.reads
    if reach is Reach.STREET and actor.street is not None:
        return By.COMMUNITY
    if reach in (Reach.COMMUNITY, Reach.GRID):
        return By.GRID
    return By.STREET


@dataclass(frozen=True)
class RankRow:
    name: str
    tally: Tally
    drill: QueueFilter

    def below(self, target: float) -> bool:
        """Marked red: its on-time closure rate is below the centre's target."""
        rate = self.tally.on_time_rate
        return rate is not None and rate < target


def _unit_filter(ref: Reference, unit: Group) -> QueueFilter:
    if unit is None:
        return QueueFilter(statuses=AT_THE_CENTRE)
    return QueueFilter(unit=ref.units[int(unit)].code)  # type: ignore[arg-type]


def unit_name(ref: Reference, unit: int | None, lang: str, none: str) -> str:
    return none if unit is None else name_in(ref.units[unit], lang)


def ranked(
    groups: dict[Group, Tally], by: By, ref: Reference, lang: str, none: str
) -> list[RankRow]:
    """One row per place or unit, the best on-time closure first; those with no rate (nothing
    due to close) last, the most reported first among equals."""
    rows: list[RankRow] = []
    for key, tally in groups.items():
        if by is By.UNIT:
            unit = None if key is None else int(key)  # type: ignore[arg-type]
            rows.append(RankRow(unit_name(ref, unit, lang, none), tally, _unit_filter(ref, key)))
            continue
        if key is None:
            continue  # a case always lies in a place; nothing to drill into
        area = ref.areas[int(key)]  # type: ignore[arg-type]
        f = {
            By.STREET: QueueFilter(street=area.code),
            By.COMMUNITY: QueueFilter(community=area.code),
            By.GRID: QueueFilter(grid=area.code),
        }[by]
        rows.append(RankRow(name_in(area, lang), tally, f))

    def order(row: RankRow) -> tuple[bool, float, int]:
        rate = row.tally.on_time_rate
        return (rate is None, -(rate or 0.0), -row.tally.reported)

    return sorted(rows, key=order)


def red_drill(ref: Reference, unit: int | None) -> QueueFilter:
    """The queue of a unit's cases in red now."""
    base = _unit_filter(ref, unit)
    return QueueFilter(statuses=base.statuses, unit=base.unit, lights=frozenset({Light.RED}))


@dataclass(frozen=True)
class Headline:
    """Each period's figures and those of the period before it, by row: today, week, range."""

    rows: tuple[tuple[Tally, Tally], ...]


@dataclass(frozen=True)
class Tables:
    red: list[tuple[int | None, int, datetime]]
    ranking: list[RankRow]
    trend: list[tuple[date, int, int]]


# What the dashboard reads, in one place: its screen shows them, the bench times them.


def read_headline(session: Session, spans: tuple[Days, ...]) -> Headline:
    """The tiles' figures: one read, day by day, for all the periods and those before them;
    and yesterday by this time, today's match."""
    daily = session.figures_by(session.days(*reach(spans)), By.DAY)
    by_now_yesterday = session.figures(session.by_now_yesterday())
    return Headline(headline(daily, spans, by_now_yesterday))


def read_tables(session: Session, chosen: Days, units: bool) -> Tables:
    """The red units, the ranking (the places, or the units) and the trend of the range."""
    span = session.days(chosen.first, chosen.last)
    by = By.UNIT if units else areas_by(session.actor)
    lang = session.lang
    no_unit = t("dash.no_unit", lang)
    ranking = ranked(session.figures_by(span, by), by, session.reference, lang, no_unit)
    return Tables(session.red_units(), ranking, session.trend(span))
