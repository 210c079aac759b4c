"""Read models of cases: queue rows by keyset page, one case in full, its timeline, counts.

Everything returned is a plain frozen dataclass, detached from any session.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    and_,
    func,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.codes import is_case_code
from console.domain.enums import (
    OPEN_STATUSES,
    Level,
    Light,
    Rating,
    Role,
    Source,
    Status,
    Urgency,
)
from console.domain.errors import NotFound
from console.domain.limits import CODE_MAX, SEARCH_MAX, check_text
from console.domain.policy import Actor, ReporterView, reporter_view
from console.domain.whistle import Task, from_json
from console.domain.workflow import WITH_UNIT, CaseState, LevelLimits, level_limits_of
from console.models import RETURN_REQUESTED, STEP_MIN_COLUMNS, AuditEvent, Case
from console.queries import text_search
from console.queries.reference import Reference, reference
from console.queries.scope import district_wide, visible_to

C = Case.__table__.c
E = AuditEvent.__table__.c
# Who sees everything: scripts and reports that act for the whole district.
DISTRICT_WIDE = Actor(login="district", role=Role.ADMIN)


class Sort(StrEnum):
    DEADLINE = "deadline"  # most pressing first; cases without a running clock last
    REPORTED = "reported"  # newest first
    URGENCY = "urgency"  # urgent first, then by deadline
    UPDATED = "updated"  # most recently changed first
    REVIEW = "review"  # shelved cases by their review day, oldest first (none: first of all)


@dataclass(frozen=True)
class QueueFilter:
    statuses: frozenset[Status] = OPEN_STATUSES
    lights: frozenset[Light] = frozenset()
    urgency: Urgency | None = None
    category: str | None = None  # a code; a module or category code matches its subtree
    source: Source | None = None
    street: str | None = None
    community: str | None = None
    grid: str | None = None
    unit: str | None = None
    level: Level | None = None
    text: str = ""
    negate: bool = False  # the text selects the cases that do NOT contain it (k9s `/!term`)
    unrated: bool = False  # not followed up yet: no satisfaction rating recorded
    triage: bool = False  # imported with an unsure category or grid: for an operator to set
    late_overall: bool = False  # open and past the overall deadline 办结时限
    # 督办: urged with a reply owed (the lead unit's to answer), that reply past its deadline,
    # and raised to the supervisor (督办件).
    urged: bool = False
    reply_late: bool = False
    overseen: bool = False
    return_requested: bool = False  # a unit asked to give it back: the centre decides
    # Shelved and due for review by this day (the centre's today when asked), or shelved
    # without a review day at all (shelved before the day was asked for).
    review_due_by: date | None = None
    # Reported within [reported_from, reported_until), UTC (console.domain.period); None: open.
    reported_from: datetime | None = None
    reported_until: datetime | None = None


# QueueFilter's fields of 督办, in the order the filter's chips offer them.
URGE_FILTERS = ("urged", "reply_late", "overseen")


@dataclass(frozen=True)
class CaseRow:
    """One line of the queue."""

    id: int
    code: str
    title: str
    status: Status
    urgency: Urgency
    category_id: int
    grid_id: int
    street_id: int
    lead_unit_id: int | None
    level: Level
    source: Source
    deadline_at: datetime | None
    warn_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    return_reason: str | None = None  # a unit's request to give it back, waiting (退回待批)
    review_on: date | None = None  # a shelved case's next review day (挂账复核)
    reply_by: datetime | None = None  # an urge's reply owed by the lead unit (督办回复)

    def light(self, now: datetime) -> Light:
        if self.deadline_at is None:
            return Light.NONE
        if now >= self.deadline_at:
            return Light.RED
        if self.warn_at is not None and now >= self.warn_at:
            return Light.YELLOW
        return Light.GREEN

    def urged(self, now: datetime) -> Light:
        """The mark of an open 督办 on the unit's row: yellow while its reply is owed, red once
        the reply is late; none when no reply is owed (as workflow.reply_light reads it)."""
        if self.reply_by is None or self.status not in WITH_UNIT:
            return Light.NONE
        return Light.RED if now >= self.reply_by else Light.YELLOW


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    from_status: Status | None
    to_status: Status
    reason: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class CaseDetail:
    """A case in full, as the case pane and `case show` present it."""

    row: CaseRow
    kind: str
    description: str
    category_code: str
    grid_code: str
    street_code: str
    community_id: int
    reporter_name: str | None
    reporter_phone: str | None
    address: str
    lat: float | None
    lon: float | None
    co_units: tuple[str, ...]
    returned_units: tuple[str, ...]
    lead_unit_code: str | None
    step_started_at: datetime | None
    suspended_from: Status | None
    paused_deadline_min: int | None
    paused_warn_min: int | None
    ext_until: datetime | None
    ext_reason: str | None
    rework_count: int
    urge_count: int
    duplicate_of: str | None
    attachments: tuple[str, ...]
    result: str | None
    rating: Rating | None
    rating_comment: str | None
    closed_at: datetime | None
    community_code: str | None = None
    handled_by: str | None = None
    handled_unit: str | None = None
    confidential: bool = False
    late_steps: int = 0
    ext_count: int = 0
    step_min: tuple[int, ...] = ()
    timed_from: datetime | None = None
    to_triage: bool = False
    due_at: datetime | None = None
    due_given: bool = False
    paused_due_min: int | None = None
    tasks: tuple[Task, ...] = ()
    reply_by: datetime | None = None
    reply_warn: datetime | None = None
    urged_red: bool = False
    overseen_at: datetime | None = None
    level_limits: LevelLimits | None = None
    timeline: tuple[TimelineEntry, ...] = field(default=())

    @property
    def code(self) -> str:
        return self.row.code

    def reporter_view(self, actor: Actor) -> ReporterView:
        """How much of the reporter this user sees (the policy's `reporter_view`)."""
        return reporter_view(
            actor,
            street=self.street_code,
            lead_unit=self.lead_unit_code,
            confidential=self.confidential,
        )

    @property
    def newest_event(self) -> int | None:
        """The number of the case's latest audit event (read with its timeline)."""
        return max((e.seq for e in self.timeline), default=None)

    def state(self) -> CaseState:
        """The case as the workflow sees it."""
        r = self.row
        return CaseState(
            code=r.code,
            status=r.status,
            street=self.street_code,
            grid=self.grid_code,
            category=self.category_code,
            urgency=r.urgency,
            level=r.level,
            lead_unit=self.lead_unit_code,
            co_units=self.co_units,
            returned_units=self.returned_units,
            rework_count=self.rework_count,
            urge_count=self.urge_count,
            step_started_at=self.step_started_at,
            deadline_at=r.deadline_at,
            warn_at=r.warn_at,
            suspended_from=self.suspended_from,
            paused_deadline_min=self.paused_deadline_min,
            paused_warn_min=self.paused_warn_min,
            ext_until=self.ext_until,
            ext_reason=self.ext_reason,
            rating=self.rating,
            duplicate_of=self.duplicate_of,
            closed_at=self.closed_at,
            community=self.community_code,
            handled_by=self.handled_by,
            handled_unit=self.handled_unit,
            late_steps=self.late_steps,
            ext_count=self.ext_count,
            step_min=self.step_min,
            timed_from=self.timed_from,
            registered_at=r.created_at,
            due_at=self.due_at,
            due_given=self.due_given,
            paused_due_min=self.paused_due_min,
            tasks=self.tasks,
            reply_by=self.reply_by,
            reply_warn=self.reply_warn,
            urged_red=self.urged_red,
            overseen_at=self.overseen_at,
            return_reason=r.return_reason,
            review_on=r.review_on,
            level_limits=self.level_limits,
        )


ROW_COLUMNS = (
    C.id,
    C.code,
    C.title,
    C.status,
    C.urgency,
    C.category_id,
    C.grid_id,
    C.street_id,
    C.lead_unit_id,
    C.level,
    C.source,
    C.deadline_at,
    C.warn_at,
    C.created_at,
    C.updated_at,
    C.version,
    C.return_reason,
    C.review_on,
    C.reply_by,
)


def case_row(r: Any) -> CaseRow:
    """A selected row of `ROW_COLUMNS` as a queue row."""
    return CaseRow(
        r.id,
        r.code,
        r.title,
        Status(r.status),
        Urgency(r.urgency),
        r.category_id,
        r.grid_id,
        r.street_id,
        r.lead_unit_id,
        Level(r.level),
        Source(r.source),
        r.deadline_at,
        r.warn_at,
        r.created_at,
        r.updated_at,
        r.version,
        r.return_reason,
        r.review_on,
        r.reply_by,
    )


class Walk(StrEnum):
    """How SQLite reads the whole district's open queue: each is the status test spelled as
    the indexes it is for spell their condition, so that no other index can serve it."""

    NONE = ""  # no walk: the open queue's partial indexes (models.OPEN_CONDITION)
    ORDER = "+"  # a walk index, in the queue's order (models.WALK_CONDITION)
    TEXT = "+ +"  # the text walk: a count testing every open case's text (TEXT_WALK_CONDITION)


def status_in(statuses: Iterable[Status], *, walk: Walk = Walk.NONE) -> ColumnElement[bool]:
    """The case has one of these statuses. Inlined and sorted, so that the open queue's partial
    indexes recognise their condition: a bound parameter would hide it from SQLite's planner."""
    column = literal_column(f"{walk}{C.status}") if walk else C.status
    return column.in_([literal_column(f"'{s.value}'") for s in sorted(statuses)])


def _category_ids(ref: Reference, code: str) -> list[int]:
    return [c.id for c in ref.categories.values() if c.code.startswith(code) and c.is_leaf]


# True of every case, on the walk index's first column: without table statistics SQLite's
# planner takes the status index, or any index holding the columns tested, for the whole
# table's and reads it all; a range on its first column has it read the walk index instead
# (at a million cases, a district-wide count of the open queue in 13 ms rather than 240).
WALK_FROM_THE_TOP: ColumnElement[bool] = literal_column(f"({C.deadline_at} IS NULL)") >= 0


def conditions(
    f: QueueFilter, ref: Reference, now: datetime, *, walk: Walk = Walk.NONE
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.statuses:
        where.append(status_in(f.statuses, walk=walk))
    if walk is Walk.ORDER:
        where.append(WALK_FROM_THE_TOP)
    if f.lights:
        parts = []
        if Light.RED in f.lights:
            parts.append(C.deadline_at <= now)
        if Light.YELLOW in f.lights:
            parts.append(and_(C.warn_at <= now, C.deadline_at > now))
        if Light.GREEN in f.lights:
            parts.append(C.warn_at > now)
        if Light.NONE in f.lights:
            parts.append(C.deadline_at.is_(None))
        where.append(or_(*parts))
    if f.urgency:
        where.append(C.urgency == f.urgency.value)
    if f.category:
        where.append(C.category_id.in_(_category_ids(ref, f.category)))
    if f.source:
        where.append(C.source == f.source.value)
    if f.street:
        where.append(C.street_id == ref.area(f.street).id)
    if f.community:
        where.append(C.community_id == ref.area(f.community).id)
    if f.grid:
        where.append(C.grid_id == ref.area(f.grid).id)
    if f.unit:
        where.append(C.lead_unit_id == ref.unit(f.unit).id)
    if f.level:
        where.append(C.level == f.level.value)
    text = f.text.strip()
    check_text("search", text, SEARCH_MAX)
    check_text("category", f.category, CODE_MAX)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # ILIKE: SQLite's LIKE ignores ASCII case and PostgreSQL's does not, so `e2026` found
        # cases on one store and none on the other. (SQLite renders it lower() LIKE lower(),
        # the same test; the gram index is of the lowered text on both, so it still narrows.)
        # But ILIKE lowers every text it tests: a term with no letter that has case (Chinese,
        # digits) matches the same with LIKE, at a third of PostgreSQL's cost per case (a
        # district's count at a million cases: 145 ms → 48).
        caseless = text.lower() == text.upper()
        matches = or_(
            *(
                column.like(pattern, escape="\\")
                if caseless
                else column.ilike(pattern, escape="\\")
                for column in (C.title, C.code, C.address)
            )
        )
        where.append(not_(matches) if f.negate else matches)
    if f.unrated:
        where.append(C.rating.is_(None))
    if f.triage:
        where.append(C.to_triage.is_(True))
    if f.late_overall:
        where.append(and_(status_in(OPEN_STATUSES), C.due_at <= now))
    if f.urged or f.reply_late:  # a reply is owed while a unit holds the case
        where.append(and_(status_in(WITH_UNIT), C.reply_by.is_not(None)))
    if f.reply_late:
        where.append(C.reply_by <= now)
    if f.overseen:
        where.append(C.overseen_at.is_not(None))
    if f.return_requested:
        where.append(literal_column(RETURN_REQUESTED, Boolean))
    if f.review_due_by is not None:
        due = or_(C.review_on.is_(None), C.review_on <= f.review_due_by)
        where.append(and_(C.status == Status.SUSPENDED.value, due))
    if f.reported_from is not None:
        where.append(C.created_at >= f.reported_from)
    if f.reported_until is not None:
        where.append(C.created_at < f.reported_until)
    return where


# A keyset position: the sort values of the last row shown, ending with its id.
Key = tuple[Any, ...]


def _order(sort: Sort, *, reverse: bool = False) -> list[Any]:
    """The queue's ORDER BY; `reverse` walks it backwards (for paging up from a key)."""
    if sort in (Sort.DEADLINE, Sort.URGENCY):
        # Cases without a running clock last (models.NO_CLOCK: the open queue's indexes).
        no_clock = C.deadline_at.is_(None)
        deadline = (
            [no_clock.desc(), C.deadline_at.desc(), C.id.desc()]
            if reverse
            else [no_clock.asc(), C.deadline_at.asc(), C.id.asc()]
        )
        if sort is Sort.DEADLINE:
            return deadline
        # "urgent" sorts above "normal"
        return [C.urgency.asc() if reverse else C.urgency.desc(), *deadline]
    if sort is Sort.REVIEW:
        # No review day first: both stores then agree where NULL sorts.
        dated = C.review_on.is_not(None)
        if reverse:
            return [dated.desc(), C.review_on.desc(), C.id.desc()]
        return [dated.asc(), C.review_on.asc(), C.id.asc()]
    column = C.created_at if sort is Sort.REPORTED else C.updated_at
    if reverse:
        return [column.asc(), C.id.asc()]
    return [column.desc(), C.id.desc()]


def _after_deadline(deadline: datetime | None, case_id: int) -> ColumnElement[bool]:
    if deadline is None:
        return and_(C.deadline_at.is_(None), C.id > case_id)
    return or_(
        C.deadline_at > deadline,
        and_(C.deadline_at == deadline, C.id > case_id),
        C.deadline_at.is_(None),
    )


def _before_deadline(deadline: datetime | None, case_id: int) -> ColumnElement[bool]:
    if deadline is None:
        return or_(C.deadline_at.is_not(None), and_(C.deadline_at.is_(None), C.id < case_id))
    return or_(C.deadline_at < deadline, and_(C.deadline_at == deadline, C.id < case_id))


def _beyond(sort: Sort, key: Key, *, reverse: bool) -> ColumnElement[bool]:
    """Rows strictly after `key` in the sort's order (before it when `reverse`)."""
    deadline = _before_deadline if reverse else _after_deadline
    if sort is Sort.DEADLINE:
        return deadline(key[0], key[1])
    if sort is Sort.URGENCY:
        ahead = C.urgency > key[0] if reverse else C.urgency < key[0]
        return or_(ahead, and_(C.urgency == key[0], deadline(key[1], key[2])))
    if sort is Sort.REVIEW:
        return _beyond_review(key[0], key[1], reverse=reverse)
    column = C.created_at if sort is Sort.REPORTED else C.updated_at
    if reverse:
        return or_(column > key[0], and_(column == key[0], C.id > key[1]))
    return or_(column < key[0], and_(column == key[0], C.id < key[1]))


def _beyond_review(day: date | None, case_id: int, *, reverse: bool) -> ColumnElement[bool]:
    """Rows after (before, `reverse`) a review key: no day first, then by day and id."""
    undated = C.review_on.is_(None)
    if day is None:
        if reverse:
            return and_(undated, C.id < case_id)
        return or_(C.review_on.is_not(None), and_(undated, C.id > case_id))
    if reverse:
        return or_(undated, C.review_on < day, and_(C.review_on == day, C.id < case_id))
    return or_(C.review_on > day, and_(C.review_on == day, C.id > case_id))


def key_of(row: CaseRow, sort: Sort) -> Key:
    if sort is Sort.DEADLINE:
        return (row.deadline_at, row.id)
    if sort is Sort.URGENCY:
        return (row.urgency.value, row.deadline_at, row.id)
    if sort is Sort.REPORTED:
        return (row.created_at, row.id)
    if sort is Sort.REVIEW:
        return (row.review_on, row.id)
    return (row.updated_at, row.id)


def where_of(
    s: Session,
    actor: Actor,
    f: QueueFilter,
    ref: Reference,
    now: datetime,
    *,
    sort: Sort | None = None,
    counting: bool = False,
) -> list[ColumnElement[bool]]:
    """The queue's whole condition: what the user may see, the filter, and for a text search
    the cases the search index names (the LIKE in `conditions` still decides). A page in
    `sort`, or a count (`counting`), of the whole district's open queue may walk the walk
    indexes (`_walks`); a search's count of it may read every case's text from the text walk
    (`Walk.TEXT`, `_reads_every_text`)."""
    term = f.text.strip()
    walks = _walks(s, actor, f)
    narrowed = None
    if term and not f.negate and not (counting and _reads_every_text(s, actor, f)):
        narrowed = text_search.narrowing(s, term, text_search.COMMON)
        if narrowed is None and counting:
            # A count goes through the search index while it names fewer cases than testing
            # each case of the scope would cost: three times as many where each is a row read
            # (COUNT_THROUGH_INDEX), fewer beside the text walk.
            scope = _scope_count(s, actor, replace(f, text=""), ref, now)
            factor = text_search.COUNT_THROUGH_INDEX
            if walks:
                factor = text_search.COUNT_THROUGH_INDEX_BESIDE_TEXT_WALK
            narrowed = text_search.narrowing(s, term, round(factor * scope))
    walk = Walk.NONE
    if narrowed is None and (counting or sort in WALKED) and walks:
        walk = Walk.TEXT if counting and term else Walk.ORDER
    where = [visible_to(actor, ref), *conditions(f, ref, now, walk=walk)]
    if narrowed is not None:
        where.append(narrowed)
    return where


# The orders the walk indexes hold (models.WALK_DEADLINE, WALK_URGENCY).
WALKED = frozenset({Sort.DEADLINE, Sort.URGENCY})


def _walks(s: Session, actor: Actor, f: QueueFilter) -> bool:
    """Whether SQLite reads this queue through the walk indexes (models.WALK_CONDITION): the
    whole open queue of the district, with no street to read it by (the street's own partial
    indexes serve a street's queue)."""
    return s.get_bind().dialect.name == "sqlite" and _district_open_queue(actor, f)


def _reads_every_text(s: Session, actor: Actor, f: QueueFilter) -> bool:
    """Whether a search's count of this queue reads the text of every case in it from the
    text walk (models.WALK_TEXT), never the gram index: PostgreSQL, the whole district. No cheap
    question tells it how many cases its gram index names (SQLite's FTS5 has one), and given
    the gram test beside the text walk it works out every open case's grams (路 at a million
    cases: 1.3 s); reading each open case's text in parallel takes 140-210 ms for any term."""
    return s.get_bind().dialect.name == "postgresql" and _district_open_queue(actor, f)


def _district_open_queue(actor: Actor, f: QueueFilter) -> bool:
    """The whole open queue of the district, with no street to read it by."""
    return f.statuses == OPEN_STATUSES and f.street is None and district_wide(actor)


def _scope_count(s: Session, actor: Actor, f: QueueFilter, ref: Reference, now: datetime) -> int:
    """The cases of the queue `f` without its text: what a search in it could find."""
    where = where_of(s, actor, f, ref, now, counting=True)
    return int(s.execute(select(func.count()).select_from(Case).where(*where)).scalar_one())


def page(
    store: Store,
    actor: Actor,
    f: QueueFilter,
    sort: Sort,
    *,
    after: Key | None = None,
    before: Key | None = None,
    offset: int = 0,
    limit: int = 100,
    now: datetime,
) -> list[CaseRow]:
    """Up to `limit` queue rows in queue order: from the top (skipping `offset`), just after
    the key `after`, or just before the key `before`, always returned top to bottom."""
    ref = reference(store)
    reverse = before is not None
    with store.read() as s:
        where = where_of(s, actor, f, ref, now, sort=sort)
        if after is not None:
            where.append(_beyond(sort, after, reverse=False))
        if before is not None:
            where.append(_beyond(sort, before, reverse=True))
        rows = _rows(s, where, _order(sort, reverse=reverse), limit, offset)
    return rows[::-1] if reverse else rows


def last_page(
    store: Store, actor: Actor, f: QueueFilter, sort: Sort, *, limit: int, now: datetime
) -> list[CaseRow]:
    """The bottom of the queue, top to bottom."""
    ref = reference(store)
    with store.read() as s:
        where = where_of(s, actor, f, ref, now, sort=sort)
        return _rows(s, where, _order(sort, reverse=True), limit)[::-1]


def _rows(
    s: Session, where: list[ColumnElement[bool]], order: list[Any], limit: int, offset: int = 0
) -> list[CaseRow]:
    """A page of queue rows in `order`.

    PostgreSQL finds the page's ids first and reads the rows after: its planner (15) cannot
    keep an index's order through `status IN (…)`, so for, say, handled cases by report time it
    read and sorted every match (3,567 rows, 15 ms at 1M cases). Asked for ids alone, it walks
    the street's index in order, checks the status in the index itself and stops at the page's
    end (2 ms). SQLite checks index columns before it reads a row anyway.
    """
    if s.get_bind().dialect.name != "postgresql":
        stmt = select(*ROW_COLUMNS).where(*where).order_by(*order).limit(limit).offset(offset)
        return [case_row(r) for r in s.execute(stmt)]
    ids = select(C.id).where(*where).order_by(*order).limit(limit).offset(offset)
    stmt = select(*ROW_COLUMNS).where(C.id.in_(ids.correlate(None).scalar_subquery()))
    return [case_row(r) for r in s.execute(stmt.order_by(*order))]


def count(store: Store, actor: Actor, f: QueueFilter, *, now: datetime) -> int:
    ref = reference(store)
    with store.read() as s:
        where = where_of(s, actor, f, ref, now, counting=True)
        return int(s.execute(select(func.count()).select_from(Case).where(*where)).scalar_one())


def position(
    store: Store, actor: Actor, f: QueueFilter, sort: Sort, row: CaseRow, *, now: datetime
) -> int:
    """Where this case stands in the queue: how many of its rows come before it. The queue
    jumps there (a keyset count, not a scan of the rows) to show a case it did not hold."""
    ref = reference(store)
    with store.read() as s:
        stmt = (
            select(func.count())
            .select_from(Case)
            .where(
                *where_of(s, actor, f, ref, now, sort=sort),
                _beyond(sort, key_of(row, sort), reverse=True),
            )
        )
        return int(s.execute(stmt).scalar_one())


def _detail(s: Session, ref: Reference, case: Any, timeline: bool) -> CaseDetail:
    events: tuple[TimelineEntry, ...] = ()
    if timeline:
        rows = s.execute(
            select(E.seq, E.at, E.actor, E.action, E.from_status, E.to_status, E.reason, E.payload)
            .where(E.case_id == case.id)
            .order_by(E.seq.desc())
        )
        events = tuple(
            TimelineEntry(
                r.seq,
                r.at,
                r.actor,
                r.action,
                Status(r.from_status) if r.from_status else None,
                Status(r.to_status),
                r.reason,
                json.loads(r.payload),
            )
            for r in rows
        )
    duplicate_of = None
    if case.duplicate_of_id is not None:
        duplicate_of = s.execute(select(C.code).where(C.id == case.duplicate_of_id)).scalar_one()
    grid = ref.areas[case.grid_id]
    return CaseDetail(
        row=case_row(case),
        kind=case.kind,
        description=case.description,
        category_code=ref.categories[case.category_id].code,
        grid_code=grid.code,
        street_code=ref.areas[case.street_id].code,
        community_id=case.community_id,
        reporter_name=case.reporter_name,
        reporter_phone=case.reporter_phone,
        address=case.address,
        lat=case.lat,
        lon=case.lon,
        co_units=tuple(case.co_units or ()),
        returned_units=tuple(case.returned_units or ()),
        lead_unit_code=ref.units[case.lead_unit_id].code if case.lead_unit_id else None,
        step_started_at=case.step_started_at,
        suspended_from=Status(case.suspended_from) if case.suspended_from else None,
        paused_deadline_min=case.paused_deadline_min,
        paused_warn_min=case.paused_warn_min,
        ext_until=case.ext_until,
        ext_reason=case.ext_reason,
        rework_count=case.rework_count,
        urge_count=case.urge_count,
        duplicate_of=duplicate_of,
        attachments=tuple(case.attachments or ()),
        result=case.result,
        rating=Rating(case.rating) if case.rating else None,
        rating_comment=case.rating_comment,
        closed_at=case.closed_at,
        community_code=ref.areas[case.community_id].code,
        handled_by=case.handled_by,
        handled_unit=case.handled_unit,
        confidential=bool(case.confidential),
        late_steps=case.late_steps,
        ext_count=case.ext_count,
        step_min=tuple(getattr(case, name) for name in STEP_MIN_COLUMNS),
        timed_from=case.timed_from,
        to_triage=case.to_triage,
        due_at=case.due_at,
        due_given=case.due_given,
        paused_due_min=case.paused_due_min,
        tasks=from_json(case.tasks),
        reply_by=case.reply_by,
        reply_warn=case.reply_warn,
        urged_red=bool(case.urged_red),
        overseen_at=case.overseen_at,
        level_limits=level_limits_of(case.level_limits),
        timeline=events,
    )


def load_detail(
    s: Session, ref: Reference, actor: Actor, code: str, *, timeline: bool = True
) -> CaseDetail:
    """Within an open session, as `actor` reads it: a case out of their scope is no case.
    Services read any case they act on (`DISTRICT_WIDE`): the workflow refuses what the
    user may not do."""
    if not is_case_code(code):  # nothing else can be a case: the store is not asked
        raise NotFound("error.no_case", code=code)
    case = s.execute(select(Case.__table__).where(C.code == code, visible_to(actor, ref))).first()
    if case is None:
        raise NotFound("error.no_case", code=code)
    return _detail(s, ref, case, timeline)


def detail(store: Store, actor: Actor, code: str, *, timeline: bool = True) -> CaseDetail:
    """One case in full, if this user may read it; else NotFound, as for a case that is not."""
    with store.read() as s:
        return load_detail(s, reference(store), actor, code, timeline=timeline)


def codes_of(store: Store, actor: Actor, ids: Iterable[int]) -> list[str]:
    """The codes of these cases that this user may read, in id order: the queue marks cases
    by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    ref = reference(store)
    with store.read() as s:
        return list(
            s.execute(
                select(C.code).where(C.id.in_(wanted), visible_to(actor, ref)).order_by(C.id)
            ).scalars()
        )


def duplicates_of(store: Store, actor: Actor, code: str) -> list[str]:
    """Codes of the cases merged into this one that this user may read."""
    ref = reference(store)
    with store.read() as s:
        target = s.execute(
            select(C.id).where(C.code == code, visible_to(actor, ref))
        ).scalar_one_or_none()
        if target is None:
            raise NotFound("error.no_case", code=code)
        return list(
            s.execute(
                select(C.code).where(C.duplicate_of_id == target, visible_to(actor, ref))
            ).scalars()
        )
