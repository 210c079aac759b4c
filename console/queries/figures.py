"""The centre's figures as the store sums them: one pass of aggregates over a period's cases
within the reader's scope, never the cases themselves. What each figure means, and the rates
made of them, are domain.figures'.

A period is a half-open span of instants [start, end); its cases are those reported in it,
found through the reported-time indexes (`ix_cases_created`, `ix_cases_street_created`).
A period of whole days is read from the figure cells instead (services.cells keeps them): the
counts of its cases summed per day, community and lead unit, to which only what the clock
changes is added — the open cases past their deadline now, found through the open-queue
indexes. A span of other instants, or a reader whose scope the cells cannot draw (a grid
worker, a unit), is summed from the cases themselves.

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
    TIMESTAMP,
    ColumnElement,
    Connection,
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.enums import OPEN_STATUSES, Rating, Status
from console.domain.figures import KEPT, By, StepTime, Summoned, Tally, p90_rank, total
from console.domain.period import midnight
from console.domain.policy import Actor
from console.domain.whistle import UnitRating
from console.domain.workflow import STEPS
from console.models import (
    CELL_COUNTS,
    STEP_MIN_COLUMNS,
    WHISTLED,
    AreaCell,
    Case,
    ClosedCell,
    FigureCell,
    Meta,
)
from console.queries.cases import status_in
from console.queries.reference import reference
from console.queries.scope import cell_scope, visible_to

C = Case.__table__.c
F = FigureCell.__table__.c
A = AreaCell.__table__.c
K = ClosedCell.__table__.c
CELLS_KEY = "figure_cells"  # its value: the zone the cells' days are counted in
# What the cells can be grouped by, from which cells (per unit and handler only when by one of
# them); a week is summed from its days.
CELL_GROUPS: dict[By | None, tuple[Any, Any]] = {
    None: (A, None),
    By.STREET: (A, A.street_id),
    By.COMMUNITY: (A, A.community_id),
    By.UNIT: (F, F.unit_id),
    By.HANDLER: (F, F.handler),
    By.DAY: (A, A.day),
    By.WEEK: (A, A.day),
}

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


def _late_ever() -> ColumnElement[bool]:
    """domain.figures.late_ever, in SQL."""
    suspended_late = and_(C.status == Status.SUSPENDED.value, C.paused_deadline_min == 0)
    return or_(C.late_steps > 0, suspended_late)


def _overdue_now(now: datetime) -> ColumnElement[bool]:
    return and_(status_in(OPEN_STATUSES), C.deadline_at <= now)


def kept_columns() -> dict[str, Any]:
    """One aggregate per count of domain.figures.KEPT (`counted`'s rules, summed), named as
    the figure cells' columns."""
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
        "open": n(status_in(OPEN_STATUSES)),
        "late_ever": n(_late_ever()),
        "reworked": n(C.rework_count > 0),
        "returned": n(_returned()),
        "extended": n(C.ext_count > 0),
        "urges": func.coalesce(func.sum(C.urge_count), 0),
        "rated": n(C.rating.is_not(None)),
        "satisfied": n(C.rating == Rating.SATISFIED.value),
        "basic": n(C.rating == Rating.BASIC.value),
        "dissatisfied": n(C.rating == Rating.DISSATISFIED.value),
    }
    assert tuple(columns) == CELL_COUNTS
    return columns


def _tally_columns(now: datetime) -> list[Any]:
    """One aggregate per field of `Tally`, in its order."""
    overdue_now = _overdue_now(now)
    kept = kept_columns()
    columns = {
        name: kept[name] for name in Tally.names() if name not in ("overdue_now", "overdue_ever")
    } | {
        "overdue_now": func.count().filter(overdue_now),
        "overdue_ever": func.count().filter(or_(_late_ever(), overdue_now)),
    }
    return [columns[name] for name in Tally.names()]


def local_day(s: Session, column: Any, span: Span) -> Any:
    """The centre's calendar day of an instant column, as a date."""
    return day_in(s.get_bind().dialect.name, column, span.tz, span.start)


def day_in(dialect: str, column: Any, tz: ZoneInfo, at: datetime) -> Any:
    """The calendar day in `tz` of an instant column (on SQLite, by the zone's offset at `at`)."""
    if dialect == "postgresql":
        return cast(func.timezone(tz.key, column), Date)
    return func.date(column, _shift(tz, at))


def _shift(tz: ZoneInfo, at: datetime) -> str:
    """SQLite's modifier that moves a UTC instant into `tz`, by its offset at `at`."""
    offset = at.astimezone(tz).utcoffset() or timedelta()
    return f"{int(offset.total_seconds() // 60):+d} minutes"


def _local_week(s: Session, span: Span) -> Any:
    """The Monday of the ISO week a case was reported in."""
    if s.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("week", func.timezone(span.tz.key, C.created_at)), Date)
    # SQLite: the day, moved to the Sunday on or after it ('weekday 0'), then back six days.
    return func.date(C.created_at, _shift(span.tz, span.start), "weekday 0", "-6 days")


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


def cells_zone(s: Session | Connection) -> str | None:
    """The zone the figure cells count days in; None while the store has none built."""
    meta = Meta.__table__.c
    return s.execute(select(meta.value).where(meta.key == CELLS_KEY)).scalar()


def _cells_where(
    s: Session, actor: Actor, store: Store, span: Span, cells: Any
) -> list[Any] | None:
    """The cells (`cells`: a cells table's columns) of the span's days within the reader's
    scope; None when the cells cannot answer for this span or this reader."""
    whole = Span.days(span.first, span.last, span.tz)
    if (whole.start, whole.end) != (span.start, span.end) or cells_zone(s) != span.tz.key:
        return None
    scope = cell_scope(actor, reference(store), cells.street_id, cells.community_id)
    if scope is None:
        return None
    where = [scope, cells.day >= span.first, cells.day <= span.last]
    if span.street is not None:
        where.append(cells.street_id == span.street)
    return where


def _from_cells(
    s: Session, actor: Actor, store: Store, span: Span, now: datetime, by: By | None
) -> dict[Group, Tally] | None:
    if by not in CELL_GROUPS:
        return None
    cells, cell_key = CELL_GROUPS[by]
    where = _cells_where(s, actor, store, span, cells)
    if where is None:
        return None
    sums = [func.sum(cells[name]) for name in CELL_COUNTS]
    cell_rows: list[tuple[Any, ...]]
    if cell_key is None:
        cell_rows = [(None, *r) for r in s.execute(select(*sums).where(*where)).all()]
    else:
        cell_rows = [
            tuple(r)
            for r in s.execute(
                select(cell_key, *sums)
                .where(*where)
                .group_by(cell_key)
                .having(func.sum(cells.reported) > 0)
            )
        ]
    overdue_now = _overdue_now(now)
    clock = [
        func.count(),
        func.count().filter(not_(_late_ever())),
    ]
    clock_where = [*cohort(actor, store, span), overdue_now]
    late: dict[Group, tuple[int, int]]
    if by is None:
        whole = s.execute(select(*clock).where(*clock_where)).one()
        late = {None: (whole[0], whole[1])}
    else:
        case_key = _group(s, By.DAY if by is By.WEEK else by, span).label("g")
        late = {
            _key(r[0]): (r[1], r[2])
            for r in s.execute(select(case_key, *clock).where(*clock_where).group_by(case_key))
        }
    found: dict[Group, Tally] = {}
    for cell in cell_rows:
        if not cell[1]:
            continue
        group = _key(cell[0])
        if by in (By.UNIT, By.HANDLER):
            group = group or None  # the cells' unit 0 or handler '': none
        kept = dict(zip(CELL_COUNTS, (int(v) for v in cell[1:]), strict=True))
        now_late, newly_late = late.get(group, (0, 0))
        counts = {name: kept[column] for name, column in zip(KEPT, CELL_COUNTS, strict=True)}
        counts["overdue_now"] = int(now_late)
        counts["overdue_ever"] += int(newly_late)
        tally = Tally(**counts)
        if by is By.WEEK:  # the Monday of the day's ISO week
            assert isinstance(group, date)
            group = group - timedelta(days=group.weekday())
            tally = total((found.get(group, Tally()), tally))
        found[group] = tally
    return found


def tally(store: Store, actor: Actor, span: Span, now: datetime) -> Tally:
    """The period's figures, whole."""
    return tally_by(store, actor, span, now, None).get(None, Tally())


def tally_by(
    store: Store, actor: Actor, span: Span, now: datetime, by: By | None
) -> dict[Group, Tally]:
    """The period's figures for each group that has cases (`None` the whole when `by` is)."""
    with store.read() as s:
        rolled = _from_cells(s, actor, store, span, now, by)
        if rolled is not None:
            return rolled
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
    mean, the p90 by nearest rank — worked out from how many cases took each number of
    minutes, all steps' counts in one statement over one pass of the cohort."""
    names = [*(st.value for st in STEPS), "total"]
    with store.read() as s:
        where = [*cohort(actor, store, span), C.status == Status.CLOSED.value]
        every_step = sum((C[name] for name in STEP_MIN_COLUMNS), literal_column("0", Integer))
        minutes = [*(C[name] for name in STEP_MIN_COLUMNS), every_step]
        closed = select(*(m.label(f"m{i}") for i, m in enumerate(minutes))).where(*where).cte()
        counts = union_all(
            *(
                select(literal(i).label("step"), closed.c[f"m{i}"], func.count()).group_by(
                    closed.c[f"m{i}"]
                )
                for i in range(len(names))
            )
        )
        taken: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(names))}
        for i, value, n in s.execute(counts):
            taken[int(i)].append((int(value), int(n)))
    return {name: _step_time(taken[i]) for i, name in enumerate(names)}


def _step_time(taken: list[tuple[int, int]]) -> StepTime:
    """From (minutes, how many cases took them)."""
    n = sum(k for _, k in taken)
    if not n:
        return StepTime(0, None, None)
    rank, seen = p90_rank(n), 0
    p90 = None
    for value, k in sorted(taken):
        seen += k
        if seen >= rank:
            p90 = value
            break
    return StepTime(n, sum(v * k for v, k in taken) / n, p90)


def trend(store: Store, actor: Actor, span: Span) -> list[tuple[date, int, int]]:
    """(day, reported, closed) for every day of the span, days without either included."""
    with store.read() as s:
        reported, closed = _trend_cells(s, actor, store, span) or _trend_cases(
            s, actor, store, span
        )
    days = [span.first + timedelta(days=i) for i in range((span.last - span.first).days + 1)]
    return [(d, reported.get(d, 0), closed.get(d, 0)) for d in days]


Counts = dict[Group, int]


def _trend_cells(
    s: Session, actor: Actor, store: Store, span: Span
) -> tuple[Counts, Counts] | None:
    reported_where = _cells_where(s, actor, store, span, A)
    closed_where = _cells_where(s, actor, store, span, K)
    if reported_where is None or closed_where is None:
        return None
    reported = s.execute(
        select(A.day, func.sum(A.reported)).where(*reported_where).group_by(A.day)
    ).all()
    closed = s.execute(select(K.day, func.sum(K.closed)).where(*closed_where).group_by(K.day))
    return (
        {_key(d): int(n) for d, n in reported},
        {_key(d): int(n) for d, n in closed},
    )


def _trend_cases(s: Session, actor: Actor, store: Store, span: Span) -> tuple[Counts, Counts]:
    day = local_day(s, C.created_at, span).label("d")
    reported: dict[Any, int] = dict(
        s.execute(select(day, func.count()).where(*cohort(actor, store, span)).group_by(day)).all()
    )
    closed_day = local_day(s, C.closed_at, span).label("d")
    closed: dict[Any, int] = dict(
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
    return (
        {_key(k): int(v) for k, v in reported.items()},
        {_key(k): int(v) for k, v in closed.items()},
    )


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


def summoned(store: Store, actor: Actor, span: Span) -> dict[str, Summoned]:
    """吹哨报到: per department (its code), how it answered the whistles on the period's cases
    — summoned, released, checked in and fed back by their deadlines, rated — the most
    summoned first.

    Summed by the store from the tasks the cases keep (a JSON list each), expanded by each
    backend's own JSON functions: only the period's cases are read (the reported-time
    indexes), and a case no whistle summoned for expands to nothing. The trail holds the same
    answers, but as events to be matched to the whistle that made each task."""
    with store.read() as s:
        if s.get_bind().dialect.name == "postgresql":
            task = func.json_array_elements(C.tasks).table_valued("value").alias("task")

            def field(key: str) -> Any:
                return task.c.value.op("->>")(key)

            def instant(key: str) -> Any:
                return cast(field(key), TIMESTAMP(timezone=True))

        else:
            task = func.json_each(C.tasks).table_valued("value").alias("task")

            def field(key: str) -> Any:
                return func.json_extract(task.c.value, f"$.{key}")

            def instant(key: str) -> Any:
                return func.julianday(field(key))

        def count(condition: ColumnElement[bool]) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        unit = field("unit")
        n = func.count()
        rows = s.execute(
            select(
                unit,
                n,
                count(field("waived_at").is_not(None)),
                count(instant("checked_in_at") <= instant("check_in_by")),
                count(instant("fed_back_at") <= instant("feedback_by")),
                *(count(field("rating") == r.value) for r in UnitRating),
            )
            .select_from(Case.__table__)
            .join(task, true())
            .where(*cohort(actor, store, span), text(WHISTLED))
            .group_by(unit)
            .order_by(n.desc(), unit)
        ).all()
    return {str(r[0]): Summoned(*(int(v) for v in r[1:])) for r in rows}


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
