"""The tables: territory, people, units, categories, cases and their append-only audit trail.

Coded values are stored as their enum strings (console.domain.enums). Every timestamp is stored
in UTC and comes back timezone-aware on both backends (`UTCDateTime`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from console.domain.audit import TrailEvent
from console.domain.enums import OPEN_STATUSES
from console.domain.figures import KEPT
from console.domain.workflow import STEPS


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; SQLite keeps them as naive UTC text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The columns of `CaseState.step_min`, in the order of its steps.
STEP_MIN_COLUMNS = tuple(f"{step.value}_min" for step in STEPS)
# The open queue, as the queue's query spells it (statuses inlined, sorted): its partial
# indexes serve only a query whose condition reads exactly the same.
OPEN_CONDITION = "status IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES)))
# Cases without a running clock sort after the rest: "deadline_at IS NULL" first in the
# order, so that one index serves it on both backends (SQLite cannot index NULLS LAST).
NO_CLOCK = "(deadline_at IS NULL)"
# The same condition, written so that no index on status can serve it (SQLite's unary plus):
# the district's whole open queue (a view, a light, a common word searched) walks the walk
# indexes below, which carry this condition, in the queue's order and stops at a page's worth
# of matches, where the status index would have SQLite read every open case, test it, sort.
# Their columns: the order, then what the district's views test, so a count reads them alone.
WALK_CONDITION = "+" + OPEN_CONDITION
WALK_DEADLINE = (text(NO_CLOCK), "deadline_at", "id", "warn_at", "level", "urgency")
WALK_URGENCY = (text("urgency DESC"), text(NO_CLOCK), "deadline_at", "id", "warn_at", "level")
# A count of the district's open queue for a common word tests the text of every open case: the
# text walk holds it beside what the views test (and the status its condition tests), so the
# count reads no row of the table. Its condition is spelled once more apart (a second unary
# plus) so that only such a count can use it and the walks above keep the pages and counts.
TEXT_WALK_CONDITION = "+ " + WALK_CONDITION
WALK_TEXT = ("title", "code", "address", "deadline_at", "warn_at", "level", "urgency", "status")
# A case whose whistle gave departments tasks (吹哨报到): its tasks' JSON is not the empty list.
WHISTLED = "CAST(tasks AS TEXT) != '[]'"
# 督办: the whistled cases a unit holds, whose summoned departments the sweep looks at (its
# terms spelled as the sweep's query spells them, for SQLite's planner to match).
HELD = "status IN ('dispatched', 'in_progress')"
RETURN_REQUESTED = "return_reason IS NOT NULL"
# The trail's sign-ins, a user's latest of which begins their shift as their console opens: a
# handful among millions of events (the queries that read them spell it the same: shift_start,
# first_sign_in).
SIGN_IN_CONDITION = f"action = '{TrailEvent.SIGN_IN.value}'"


def _where(condition: str, *, postgresql: str | None = None) -> dict[str, dict[str, str]]:
    """A partial index's condition on each store, as the migrations write it."""
    return {"where": {"sqlite": condition, "postgresql": postgresql or condition}}


def partial_condition(index: Index, backend: str) -> str | None:
    """The condition of a partial index on this store (`_where`), None for a whole index."""
    where: dict[str, str] | None = index.info.get("where")
    return where[backend] if where else None


def _code(length: int = 32, **kw: Any) -> Any:
    return Field(sa_type=String(length), **kw)


def _when(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)


def _json(**kw: Any) -> Any:
    return Field(sa_column=Column(JSON, **kw))


if TYPE_CHECKING:

    class _Table(SQLModel):
        """SQLModel gives every table class its `__table__`, which its stubs do not declare."""

        __table__: ClassVar[Table]

else:
    _Table = SQLModel


class Area(_Table, table=True):
    """A piece of territory: district, street, community, grid, micro-grid or dedicated grid."""

    __tablename__ = "areas"

    id: int | None = Field(default=None, primary_key=True)
    code: str = _code(unique=True)
    name: str = Field(sa_type=String(64))
    name_en: str | None = Field(default=None, sa_type=String(64))
    level: str = _code(16, index=True)
    parent_id: int | None = Field(default=None, foreign_key="areas.id", index=True)
    street_id: int | None = Field(default=None, foreign_key="areas.id")
    community_id: int | None = Field(default=None, foreign_key="areas.id")
    grade: str | None = _code(16, default=None)
    kind: str | None = _code(16, default=None)
    households: int = 0
    population: int = 0
    lat: float | None = None
    lon: float | None = None


class Staff(_Table, table=True):
    """People on the ground: grid workers, grid leaders, micro-grid heads, police, supervisors."""

    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(32))
    phone: str | None = Field(default=None, sa_type=String(32))
    role: str = _code(16)
    area_id: int = Field(foreign_key="areas.id", index=True)


class RoadSegment(_Table, table=True):
    """A stretch of a road's house numbers lying in one grid: 凤凰山路 1–60号 is grid X's. An
    address that names a road and a number finds its grid by these."""

    __tablename__ = "road_segments"

    id: int | None = Field(default=None, primary_key=True)
    road: str = _code(index=True)
    number_from: int  # both ends included
    number_to: int
    grid_id: int = Field(foreign_key="areas.id", index=True)


class Unit(_Table, table=True):
    """Who handles cases: a grid's worker, a community, a street section, a department."""

    __tablename__ = "units"

    id: int | None = Field(default=None, primary_key=True)
    code: str = _code(unique=True)
    name: str = Field(sa_type=String(64))
    name_en: str | None = Field(default=None, sa_type=String(96))
    kind: str = _code(16)
    street_id: int | None = Field(default=None, foreign_key="areas.id", index=True)
    area_id: int | None = Field(default=None, foreign_key="areas.id")
    phone: str | None = Field(default=None, sa_type=String(32))


class User(_Table, table=True):
    """A console user; scope is the street (operators), the unit (liaisons) or the grid."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    login: str = _code(unique=True)
    name: str = Field(sa_type=String(32))
    role: str = _code(16)
    street_id: int | None = Field(default=None, foreign_key="areas.id")
    unit_id: int | None = Field(default=None, foreign_key="units.id")
    grid_id: int | None = Field(default=None, foreign_key="areas.id")
    active: bool = True
    community_id: int | None = Field(default=None, foreign_key="areas.id")
    kind: str = _code(16, default="person")  # console.domain.enums.UserKind
    admin: bool = False  # manages users and settings, whatever the role
    password_hash: str | None = Field(default=None, sa_type=String(128))  # argon2id
    failed_signins: int = 0  # in a row, since the last sign-in
    locked_until: datetime | None = _when(default=None)


class SignIn(_Table, table=True):
    """A proven identity that outlives one screen: a CLI shift or a service's API token.

    Only the token's SHA-256 is kept (tokens are 32 random bytes, so a fast hash is enough);
    the token itself lives with its holder, in a file only they can read.
    """

    __tablename__ = "sign_ins"
    __table_args__ = (Index("ix_sign_ins_user", "user_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    token_hash: str = Field(sa_type=String(64), unique=True)
    kind: str = _code(16)  # "shift" (gridcall login) or "api" (a service account)
    created_at: datetime = _when()
    expires_at: datetime | None = _when(default=None)  # None: until revoked
    ended_at: datetime | None = _when(default=None)


class UserKey(_Table, table=True):
    """A public key a user signs in with over SSH (`gridcall serve ssh`); the key is theirs,
    the fingerprint (SHA256:…) names it in the trail."""

    __tablename__ = "user_keys"
    __table_args__ = (Index("ix_user_keys_user", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    fingerprint: str = Field(sa_type=String(64), unique=True)
    public_key: str = Field(sa_type=Text)  # OpenSSH's one-line form
    comment: str = Field(default="", sa_type=String(64))
    added_at: datetime = _when()
    last_used_at: datetime | None = _when(default=None)


class Handover(_Table, table=True):
    """A shift's handover note (交接班) for the next operator of the same scope."""

    __tablename__ = "handovers"
    __table_args__ = (Index("ix_handovers_scope", "scope", "written_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    scope: str = _code(48)  # whose next shift reads it: the author's place, e.g. "street:12"
    written_at: datetime = _when()
    shift_began: datetime | None = _when(default=None)
    body: str = Field(sa_type=Text)
    cases: list[str] = _json(nullable=False, default=list)  # the codes the note is about


class Category(_Table, table=True):
    """A node of the coded category tree: module → category → subcategory."""

    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    code: str = _code(16, unique=True)
    parent_id: int | None = Field(default=None, foreign_key="categories.id")
    level: str = _code(16)
    name: str = Field(sa_type=String(64))
    name_en: str | None = Field(default=None, sa_type=String(96))
    kind: str | None = _code(16, default=None)
    unit_kind: str | None = _code(16, default=None)
    unit: str | None = _code(default=None)  # default unit code; S-*-XX means the case's street
    urgency: str | None = _code(16, default=None)
    limits_normal: dict[str, int] | None = _json(nullable=True)
    limits_urgent: dict[str, int] | None = _json(nullable=True)


class Case(_Table, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_queue_deadline", "status", "deadline_at", "id"),
        # Also covers the header counts (status, deadline, urgency of the open cases of a street).
        Index("ix_cases_street_deadline", "street_id", "status", "deadline_at", "urgency"),
        Index("ix_cases_created", "created_at", "id"),
        # The figures' repeat places (hotspots): a period's grids and categories, index-only.
        Index("ix_cases_created_place", "created_at", "grid_id", "category_id"),
        Index("ix_cases_closed", "closed_at"),  # the figures' cases closed per day
        Index("ix_cases_updated", "updated_at", "id"),
        Index("ix_cases_grid_status", "grid_id", "status"),
        Index("ix_cases_unit_status", "lead_unit_id", "status", "deadline_at"),
        Index("ix_cases_category", "category_id", "created_at"),
        # The status and the clock too: a status or light filter over these orders is checked
        # in the index (on PostgreSQL, in an index-only scan for the page's ids).
        Index(
            "ix_cases_street_created",
            "street_id",
            "created_at",
            "id",
            "status",
            "deadline_at",
            "warn_at",
        ),
        Index(
            "ix_cases_street_updated",
            "street_id",
            "updated_at",
            "id",
            "status",
            "deadline_at",
            "warn_at",
        ),
        # A partial index's condition is kept as data (`_where`), which the schema test holds
        # each store's index to; the migrations make the indexes. As `sqlite_where` /
        # `postgresql_where` it would load both SQL dialects at every start (~28 ms, measured).
        Index(
            "ix_cases_open_deadline",
            "street_id",
            text(NO_CLOCK),
            "deadline_at",
            "id",
            info=_where(OPEN_CONDITION),
        ),
        Index(
            "ix_cases_open_urgency",
            "street_id",
            text("urgency DESC"),
            text(NO_CLOCK),
            "deadline_at",
            "id",
            info=_where(OPEN_CONDITION),
        ),
        # The whole district's open queue in its two clock orders, carrying the columns the
        # district's views test (the lights, the level): a page walks one in the queue's order
        # and stops at a page of matches, a count reads it alone. SQLite's carry the condition
        # as WALK_CONDITION spells it (queries.cases._walks); PostgreSQL's planner proves the
        # plain one from the queue's query and weighs them with its statistics.
        Index(
            "ix_cases_walk_deadline",
            *WALK_DEADLINE,
            info=_where(WALK_CONDITION, postgresql=OPEN_CONDITION),
        ),
        Index(
            "ix_cases_walk_urgency",
            *WALK_URGENCY,
            info=_where(WALK_CONDITION, postgresql=OPEN_CONDITION),
        ),
        Index(
            "ix_cases_walk_text",
            *WALK_TEXT,
            info=_where(TEXT_WALK_CONDITION, postgresql=OPEN_CONDITION),
        ),
        # The open cases past their overall deadline ("late overall"), a street's at a time.
        Index(
            "ix_cases_open_due",
            "street_id",
            "due_at",
            "id",
            info=_where(OPEN_CONDITION),
        ),
        Index(
            "ix_cases_order_no",
            "order_no",
            unique=True,
            info=_where("order_no IS NOT NULL"),
        ),
        # The few cases a whistle summoned departments for, by reported time: the assessment's
        # table of summoned departments reads these alone (queries.figures.summoned).
        # The few return requests waiting for the centre, a street's at a time.
        Index(
            "ix_cases_return_requested",
            "street_id",
            "id",
            info=_where(RETURN_REQUESTED),
        ),
        Index(
            "ix_cases_whistled",
            "created_at",
            info=_where(WHISTLED),
        ),
        Index(
            "ix_cases_to_triage",
            "street_id",
            "created_at",
            info=_where("to_triage"),
        ),
        # 督办: the urges waiting for a reply, by when (the replies past due), and the cases
        # raised to the supervisor (督办件), a street's at a time.
        Index(
            "ix_cases_reply_by",
            "reply_by",
            "id",
            info=_where("reply_by IS NOT NULL"),
        ),
        Index(
            "ix_cases_held_whistled",
            "id",
            info=_where(f"{HELD} AND {WHISTLED}"),
        ),
        Index(
            "ix_cases_overseen",
            "street_id",
            "overseen_at",
            "id",
            info=_where("overseen_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = _code(20, unique=True)
    kind: str = _code(16)
    title: str = Field(sa_type=String(200))
    description: str = Field(default="", sa_type=Text)
    category_id: int = Field(foreign_key="categories.id")
    source: str = _code(16)
    reporter_name: str | None = Field(default=None, sa_type=String(64))
    reporter_phone: str | None = Field(default=None, sa_type=String(32))
    address: str = Field(sa_type=String(200))
    grid_id: int = Field(foreign_key="areas.id")
    community_id: int = Field(foreign_key="areas.id")
    street_id: int = Field(foreign_key="areas.id")
    lat: float | None = None
    lon: float | None = None
    urgency: str = _code(16)
    status: str = _code(16)
    level: str = _code(16)
    lead_unit_id: int | None = Field(default=None, foreign_key="units.id")
    co_units: list[str] = _json(nullable=False, default=list)
    returned_units: list[str] = _json(nullable=False, default=list)
    step_started_at: datetime | None = _when(default=None)
    deadline_at: datetime | None = _when(default=None)
    warn_at: datetime | None = _when(default=None)
    suspended_from: str | None = _code(16, default=None)
    paused_deadline_min: int | None = None
    paused_warn_min: int | None = None
    ext_until: datetime | None = _when(default=None)
    ext_reason: str | None = Field(default=None, sa_type=Text)
    rework_count: int = 0
    urge_count: int = 0
    duplicate_of_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    attachments: list[str] = _json(nullable=False, default=list)
    result: str | None = Field(default=None, sa_type=Text)
    rating: str | None = _code(16, default=None)
    rating_comment: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _when()
    updated_at: datetime = _when()
    closed_at: datetime | None = _when(default=None)
    version: int = 1
    handled_by: str | None = _code(default=None)  # 巡办分离: who may not verify it
    handled_unit: str | None = _code(default=None)
    confidential: bool = False  # 保密: the reporter is hidden from units
    # The case's record for the centre's figures (workflow.CaseState has why).
    late_steps: int = 0
    ext_count: int = 0
    accept_min: int = 0
    dispatch_min: int = 0
    sign_min: int = 0
    handle_min: int = 0
    verify_min: int = 0
    timed_from: datetime | None = _when(default=None)
    # 吹哨报到: each summoned department's task (console.domain.whistle's JSON form).
    tasks: list[dict[str, Any]] = _json(nullable=False, default=list)
    # The hotline's work order (12345 工单编号) the case was imported from: one case per order.
    order_no: str | None = Field(default=None, sa_type=String(40))
    # Imported with its category or grid matched at low confidence: an operator sets them.
    to_triage: bool = False
    # The overall deadline 办结时限 (workflow.CaseState has why).
    due_at: datetime | None = _when(default=None)
    due_given: bool = False
    paused_due_min: int | None = None
    # 督办 (workflow.CaseState has why).
    reply_by: datetime | None = _when(default=None)
    reply_warn: datetime | None = _when(default=None)
    urged_red: bool = False
    overseen_at: datetime | None = _when(default=None)
    # A unit's pending request to give the case back, and a shelved case's next review day
    # (workflow.CaseState has why).
    return_reason: str | None = Field(default=None, sa_type=Text)
    review_on: date | None = Field(default=None, sa_type=Date)
    # The limits of the level an escalation gave the case to (workflow.CaseState has why).
    level_limits: dict[str, list[int]] | None = _json(nullable=True)


# A figure cell's counts: domain.figures.KEPT, overdue_ever's recorded part named late_ever.
CELL_COUNTS: tuple[str, ...] = tuple("late_ever" if n == "overdue_ever" else n for n in KEPT)


class _CellCounts(_Table):
    """The counts a figure cell keeps (CELL_COUNTS)."""

    reported: int = 0
    accepted: int = 0
    invalid: int = 0
    duplicate: int = 0
    dispatched: int = 0
    closed: int = 0
    closed_on_time: int = 0
    suspended: int = 0
    open: int = 0
    late_ever: int = 0
    reworked: int = 0
    returned: int = 0
    extended: int = 0
    urges: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0


class FigureCell(_CellCounts, table=True):
    """The figures' counts of the cases reported on one of the centre's days in one community
    with one lead unit (0: none) and one handler (the login that reported the unit's result;
    '' for none yet), kept as cases move (services.cells): a period's figures by unit or by
    grid worker are summed from these cells instead of its cases."""

    __tablename__ = "figure_cells"
    __table_args__ = (Index("ix_figure_cells_street", "street_id", "day"),)

    day: date = Field(primary_key=True, sa_type=Date)
    community_id: int = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)  # the lead unit's id; 0 for none
    handler: str = _code(primary_key=True, default="")
    street_id: int


class AreaCell(_CellCounts, table=True):
    """The same counts per day and community, whatever the unit: fifteen times fewer cells
    for the figures that are not by unit."""

    __tablename__ = "area_cells"
    __table_args__ = (Index("ix_area_cells_street", "street_id", "day"),)

    day: date = Field(primary_key=True, sa_type=Date)
    community_id: int = Field(primary_key=True)
    street_id: int


class ClosedCell(_Table, table=True):
    """How many cases stand closed that closed on one of the centre's days, per community:
    the trend's closed side, kept with the figure cells."""

    __tablename__ = "closed_cells"
    __table_args__ = (Index("ix_closed_cells_street", "street_id", "day"),)

    day: date = Field(primary_key=True, sa_type=Date)
    community_id: int = Field(primary_key=True)
    street_id: int
    closed: int = 0


class AuditEvent(_Table, table=True):
    """One step of a case's trace. Append-only: the store refuses UPDATE and DELETE.

    `seq` orders the whole trail; `hash` chains each event to the one before it, so a forged
    or altered row is found by `gridcall audit verify`.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_case", "case_id", "seq"),
        # Without it PostgreSQL found a user's latest sign-in by reading the whole trail (a
        # console's start at a million cases: 446 ms of its 1.6 s).
        Index("ix_audit_sign_ins", "actor", "seq", info=_where(SIGN_IN_CONDITION)),
    )

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id")  # None: a sign-in's event
    at: datetime = _when()
    actor: str = _code()
    action: str = _code(24)
    from_status: str | None = _code(16, default=None)
    to_status: str | None = _code(16, default=None)
    reason: str | None = Field(default=None, sa_type=Text)
    payload: str = Field(default="{}", sa_type=Text)  # JSON text, hashed exactly as stored
    prev_hash: str = Field(sa_type=String(64))
    hash: str = Field(sa_type=String(64))


class AuditHead(_Table, table=True):
    """The chain's last link, one row; writers lock it to take the next sequence number."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default="0" * 64, sa_type=String(64))


class CodeCounter(_Table, table=True):
    """The last number handed out per prefix and year: case codes are never reused."""

    __tablename__ = "code_counters"

    prefix: str = Field(primary_key=True, sa_type=String(8))
    year: int = Field(primary_key=True)
    last: int = 0


class Meta(_Table, table=True):
    """Facts about the store: what seeded it, when."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True, sa_type=String(64))
    value: str = Field(sa_type=Text)


class SavedView(_Table, table=True):
    """A queue view a user keeps on a number key: a filter and a sort, under a name.

    Slots the user never saved show built-in defaults (console.queries.views) and have no row.
    """

    __tablename__ = "saved_views"
    __table_args__ = (
        UniqueConstraint("user_id", "slot", name="uq_saved_views_user_slot"),
        CheckConstraint("slot BETWEEN 1 AND 9", name="ck_saved_views_slot"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    slot: int
    name: str = Field(sa_type=String(32))
    filters: dict[str, Any] = _json(nullable=False)  # console.queries.views.filter_to_json
    sort: str = _code(16)
