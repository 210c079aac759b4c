"""The centre's figures as the store sums them: one pass of aggregates over a period's cases
within the reader's scope, never the cases themselves. What each figure means, and the rates
made of them, are domain.figures'.

A period is a half-open span of instants [start, end); its cases are those reported in it,
found through the reported-time indexes (`ix_cases_created`, `ix_cases_street_created`).
Days and weeks are the centre's calendar: PostgreSQL converts with the zone itself; SQLite,
which knows no zones, adds the zone's offset at the period's start (exact for China, which
keeps no summer time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    cast,
    func,
    literal_column,
    not_,
    or_,
    over,
    select,
)
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.enums import OPEN_STATUSES, Rating, Status
from console.domain.figures import By, StepTime, Tally, p90_rank
from console.domain.period import midnight
from console.domain.policy import Actor
from console.domain.workflow import STEPS
from console.models import STEP_MIN_COLUMNS, Case
from console.queries.cases import status_in
from console.queries.reference import reference
from console.queries.scope import visible_to

C = Case.__table__.c

Group = int | str | date | None  # an id, a code, a day; None for the whole period


@dataclass(frozen=True)
class Span:
    """[start, end) in UTC, and the zone its days are counted in."""

    start: datetime
    end: datetime
    tz: ZoneInfo
    street: int | None = None  # narrowed to one street's cases, within the reader's scope

    @classmethod
    def days(cls, first: date, last: date, tz: ZoneInfo, street: int | None = None) -> Span:
        """The local calendar days first…last, both whole."""
        return cls(midnight(first, tz), midnight(last + timedelta(days=1), tz), tz, street)

    @property
    def first(self) -> date:
        return self.start.astimezone(self.tz).date()

    @property
    def last(self) -> date:
        return (self.end.astimezone(self.tz) - timedelta(microseconds=1)).date()

    def before(self) -> Span:
        """The span of the same length just before this one: the previous week, month…"""
        if self.first.day == 1 and (self.last + timedelta(days=1)).day == 1:
            previous_last = self.first - timedelta(days=1)
            return Span.days(previous_last.replace(day=1), previous_last, self.tz, self.street)
        length = self.last - self.first + timedelta(days=1)
        return Span.days(self.first - length, self.first - timedelta(days=1), self.tz, self.street)


def _returned() -> ColumnElement[bool]:
    # returned_units is a JSON list: its text is "[]" until a unit returns the case.
    return cast(C.returned_units, String) != "[]"


def _accepted() -> ColumnElement[bool]:
    waiting = status_in({Status.REPORTED, Status.INVALID, Status.DUPLICATE})
    set_aside_unaccepted = and_(
        C.status == Status.SUSPENDED.value, C.suspended_from == Status.REPORTED.value
    )
    return and_(not_(waiting), not_(set_aside_unaccepted))


def _tally_columns(now: datetime) -> list[Any]:
    """One aggregate per field of `Tally`, in its order."""
    open_ = status_in(OPEN_STATUSES)
    overdue_now = and_(open_, C.deadline_at <= now)
    suspended_late = and_(C.status == Status.SUSPENDED.value, C.paused_deadline_min == 0)
    closed = C.status == Status.CLOSED.value
    dispatched = or_(C.lead_unit_id.is_not(None), _returned())

    def n(condition: ColumnElement[bool]) -> Any:
        return func.count().filter(condition)

    columns = {
        "reported": func.count(),
        "accepted": n(_accepted()),
        "invalid": n(C.status == Status.INVALID.value),
        "duplicate": n(C.status == Status.DUPLICATE.value),
        "dispatched": n(dispatched),
        "closed": n(closed),
        "closed_on_time": n(and_(closed, C.late_steps == 0)),
        "suspended": n(C.status == Status.SUSPENDED.value),
        "open": n(open_),
        "overdue_now": n(overdue_now),
        "overdue_ever": n(or_(C.late_steps > 0, overdue_now, suspended_late)),
        "reworked": n(C.rework_count > 0),
        "returned": n(_returned()),
        "extended": n(C.ext_count > 0),
        "urges": func.coalesce(func.sum(C.urge_count), 0),
        "rated": n(C.rating.is_not(None)),
        "satisfied": n(C.rating == Rating.SATISFIED.value),
        "basic": n(C.rating == Rating.BASIC.value),
        "dissatisfied": n(C.rating == Rating.DISSATISFIED.value),
    }
    assert tuple(columns) == Tally.names()
    return list(columns.values())


def local_day(s: Session, column: Any, span: Span) -> Any:
    """The centre's calendar day of an instant column, as a date."""
    if s.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(span.tz.key, column), Date)
    offset = span.start.astimezone(span.tz).utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    return func.date(column, f"{minutes:+d} minutes")


def _local_week(s: Session, span: Span) -> Any:
    """The Monday of the ISO week a case was reported in."""
    if s.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("week", func.timezone(span.tz.key, C.created_at)), Date)
    offset = span.start.astimezone(span.tz).utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    # SQLite: the day, moved to the Sunday on or after it ('weekday 0'), then back six days.
    return func.date(C.created_at, f"{minutes:+d} minutes", "weekday 0", "-6 days")


def _group(s: Session, by: By, span: Span) -> Any:
    if by is By.DAY:
        return local_day(s, C.created_at, span)
    if by is By.WEEK:
        return _local_week(s, span)
    return {
        By.STREET: C.street_id,
        By.COMMUNITY: C.community_id,
        By.GRID: C.grid_id,
        By.UNIT: C.lead_unit_id,
        By.HANDLER: C.handled_by,
        By.CATEGORY: C.category_id,
        By.SOURCE: C.source,
        By.URGENCY: C.urgency,
    }[by]


def _key(value: Any) -> Group:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)  # SQLite's date()
    return value  # type: ignore[no-any-return]


def cohort(actor: Actor, store: Store, span: Span) -> list[ColumnElement[bool]]:
    """The cases reported in the span that this reader may read (of one street only, when
    the span is narrowed to it)."""
    return [*readable(actor, store, span), C.created_at >= span.start, C.created_at < span.end]


def readable(actor: Actor, store: Store, span: Span) -> list[ColumnElement[bool]]:
    where = [visible_to(actor, reference(store))]
    if span.street is not None:
        where.append(C.street_id == span.street)
    return where


def tally(store: Store, actor: Actor, span: Span, now: datetime) -> Tally:
    """The period's figures, whole."""
    return tally_by(store, actor, span, now, None).get(None, Tally())


def tally_by(
    store: Store, actor: Actor, span: Span, now: datetime, by: By | None
) -> dict[Group, Tally]:
    """The period's figures for each group that has cases (`None` the whole when `by` is)."""
    with store.read() as s:
        columns = _tally_columns(now)
        where = cohort(actor, store, span)
        if by is None:
            row = s.execute(select(*columns).where(*where)).one()
            return {None: Tally(*(int(v) for v in row))} if row[0] else {}
        key = _group(s, by, span).label("g")
        rows = s.execute(select(key, *columns).where(*where).group_by(key)).all()
    return {_key(r[0]): Tally(*(int(v) for v in r[1:])) for r in rows}


def step_times(store: Store, actor: Actor, span: Span) -> dict[str, StepTime]:
    """Working minutes per step (and `total`) over the period's closed cases: how many, the
    mean, the p90 by nearest rank."""
    found: dict[str, StepTime] = {}
    with store.read() as s:
        where = [*cohort(actor, store, span), C.status == Status.CLOSED.value]
        total = sum((C[name] for name in STEP_MIN_COLUMNS), literal_column("0", Integer))
        columns = [
            *zip((st.value for st in STEPS), (C[n] for n in STEP_MIN_COLUMNS), strict=True),
            ("total", total),
        ]
        for step, value in columns:
            ranked = (
                select(value.label("v"), over(func.row_number(), order_by=value).label("pos"))
                .where(*where)
                .subquery()
            )
            n, mean = s.execute(select(func.count(), func.avg(value)).where(*where)).one()
            n = int(n)
            p90 = None
            if n:
                p90 = s.execute(select(ranked.c.v).where(ranked.c.pos == p90_rank(n))).scalar_one()
            found[step] = StepTime(n, float(mean) if mean is not None else None, p90)
    return found


def trend(store: Store, actor: Actor, span: Span) -> list[tuple[date, int, int]]:
    """(day, reported, closed) for every day of the span, days without either included."""
    with store.read() as s:
        day = local_day(s, C.created_at, span).label("d")
        reported = dict(
            s.execute(
                select(day, func.count()).where(*cohort(actor, store, span)).group_by(day)
            ).all()
        )
        closed_day = local_day(s, C.closed_at, span).label("d")
        closed = dict(
            s.execute(
                select(closed_day, func.count())
                .where(
                    *readable(actor, store, span),
                    C.closed_at >= span.start,
                    C.closed_at < span.end,
                    C.status == Status.CLOSED.value,
                )
                .group_by(closed_day)
            ).all()
        )
    reported = {_key(k): int(v) for k, v in reported.items()}
    closed = {_key(k): int(v) for k, v in closed.items()}
    days = [span.first + timedelta(days=i) for i in range((span.last - span.first).days + 1)]
    return [(d, reported.get(d, 0), closed.get(d, 0)) for d in days]


@dataclass(frozen=True)
class RedCase:
    code: str
    title: str
    unit_id: int | None
    grid_id: int
    deadline_at: datetime


def _red(actor: Actor, store: Store, now: datetime, street: int | None) -> list[Any]:
    where = [visible_to(actor, reference(store)), status_in(OPEN_STATUSES), C.deadline_at <= now]
    if street is not None:
        where.append(C.street_id == street)
    return where


def red_cases(
    store: Store, actor: Actor, now: datetime, limit: int = 500, street: int | None = None
) -> list[RedCase]:
    """Open cases past their step's deadline right now, the longest overdue first: the
    seeds' red-light list."""
    with store.read() as s:
        rows = s.execute(
            select(C.code, C.title, C.lead_unit_id, C.grid_id, C.deadline_at)
            .where(*_red(actor, store, now, street))
            .order_by(C.deadline_at, C.id)
            .limit(limit)
        ).all()
    return [RedCase(*r) for r in rows]


def red_units(
    store: Store, actor: Actor, now: datetime, street: int | None = None
) -> list[tuple[int | None, int, datetime]]:
    """(lead unit or None for cases no unit holds, cases in red now, the oldest deadline
    among them), the most cases first."""
    with store.read() as s:
        rows = s.execute(
            select(C.lead_unit_id, func.count(), func.min(C.deadline_at))
            .where(*_red(actor, store, now, street))
            .group_by(C.lead_unit_id)
            .order_by(func.count().desc(), func.min(C.deadline_at))
        ).all()
    return [(unit, int(n), oldest) for unit, n, oldest in rows]


def hotspots(
    store: Store, actor: Actor, span: Span, at_least: int = 3, limit: int = 20
) -> list[tuple[int, int, int]]:
    """(grid, category, cases) reported at least `at_least` times in the period: the same
    problem in the same place again and again, the most first."""
    with store.read() as s:
        n = func.count()
        rows = s.execute(
            select(C.grid_id, C.category_id, n)
            .where(*cohort(actor, store, span))
            .group_by(C.grid_id, C.category_id)
            .having(n >= at_least)
            .order_by(n.desc(), C.grid_id, C.category_id)
            .limit(limit)
        ).all()
    return [(int(g), int(c), int(k)) for g, c, k in rows]


def dissatisfied(
    store: Store, actor: Actor, span: Span, limit: int = 50
) -> list[tuple[str, str, str | None, int | None]]:
    """(code, title, the resident's comment, lead unit) of the period's cases rated
    dissatisfied, the latest reported first."""
    with store.read() as s:
        rows = s.execute(
            select(C.code, C.title, C.rating_comment, C.lead_unit_id)
            .where(*cohort(actor, store, span), C.rating == Rating.DISSATISFIED.value)
            .order_by(C.created_at.desc(), C.id.desc())
            .limit(limit)
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
