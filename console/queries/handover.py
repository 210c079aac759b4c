"""Read models of the shift handover (交接班): what a shift leaves open in the reader's scope,
and the notes shifts left for each other.

What is left open is a few short lists, each the worst `SECTION_MAX` cases of its kind with the
count of them all, found by SQL within the reader's scope (`visible_to`): a store holds a
million cases, and none is loaded to be counted. Notes are read by their scope
(`console.domain.handover.may_read`): a street's operator reads their street's, not another's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, false, func, or_, select, text, true
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.actions import Action
from console.domain.audit import TrailEvent
from console.domain.enums import OPEN_STATUSES, Light, Status, Urgency
from console.domain.errors import NotFound
from console.domain.handover import SECTION_MAX, Section, fresh_for, scope_key
from console.domain.policy import Actor
from console.domain.workflow import WITH_UNIT
from console.models import SIGN_IN_CONDITION, AuditEvent, Case, Handover
from console.queries import cases as q
from console.queries.reference import Reference, reference
from console.queries.scope import visible_to

C = Case.__table__.c
E = AuditEvent.__table__.c
H = Handover.__table__.c


@dataclass(frozen=True)
class ShiftStart:
    """The sign-in that began a user's shift: its place in the trail and its time."""

    seq: int
    at: datetime


@dataclass(frozen=True)
class OpenCase:
    """A case a shift leaves open, with what its section says of it."""

    row: q.CaseRow
    ext_until: datetime | None = None  # the deadline a unit asked for
    returned_units: tuple[str, ...] = ()  # the units that returned it, the latest last
    last_action: str | None = None  # what this shift's user last did to it


@dataclass(frozen=True)
class OpenSection:
    section: Section
    cases: tuple[OpenCase, ...]  # the worst first, at most SECTION_MAX
    total: int  # all of them


@dataclass(frozen=True)
class OpenItems:
    """What a shift leaves open in its reader's scope, section by section."""

    now: datetime
    shift: ShiftStart | None
    urgent_hours: int
    sections: tuple[OpenSection, ...] = field(default=())


@dataclass(frozen=True)
class HandoverNote:
    id: int
    scope: str
    author: str  # login
    author_name: str
    written_at: datetime
    shift_began: datetime | None
    body: str  # the author's text: untrusted, shown only as plain text
    cases: tuple[str, ...]


# --- the shift --------------------------------------------------------------------------------


def shift_start(store: Store, login: str) -> ShiftStart | None:
    """The user's latest sign-in, read from the index of the trail's sign-ins. Asked as a
    session opens (`console.gate`); an unlock later signs in again, and is not taken for the
    shift's start."""
    with store.read() as s:
        row = s.execute(
            select(E.seq, E.at)
            .where(E.actor == login, text(SIGN_IN_CONDITION))  # as ix_audit_sign_ins holds it
            .order_by(E.seq.desc())
            .limit(1)
        ).first()
    return ShiftStart(row.seq, row.at) if row is not None else None


# --- what is left open ----------------------------------------------------------------------


_EXTRA = (C.ext_until, C.returned_units)


def _open_case(r: Any, last_action: str | None = None) -> OpenCase:
    return OpenCase(
        q.case_row(r),
        ext_until=r.ext_until,
        returned_units=tuple(r.returned_units or ()),
        last_action=last_action,
    )


def _rows(
    s: Session, where: list[ColumnElement[bool]], order: list[Any], limit: int
) -> tuple[OpenCase, ...]:
    rows = s.execute(select(*q.ROW_COLUMNS, *_EXTRA).where(*where).order_by(*order).limit(limit))
    return tuple(_open_case(r) for r in rows)


def _by_deadline() -> list[Any]:
    # As the open queue's indexes hold them: cases without a running clock after the rest.
    return [C.deadline_at.is_(None).asc(), C.deadline_at.asc(), C.id.asc()]


def _touched(
    s: Session, scope: ColumnElement[bool], login: str, shift: ShiftStart, limit: int
) -> OpenSection:
    """The open cases this user acted on since the shift began, the latest acted on first.

    Only the trail since the shift's sign-in is read (a range of its sequence numbers), set
    apart first: grouped by case straight away, SQLite walked every event by case instead."""
    mine = (
        select(E.case_id, E.seq, E.action)
        .where(E.seq > shift.seq, E.actor == login, E.action.in_([a.value for a in Action]))
        .cte("mine")
        .prefix_with("MATERIALIZED")
    )
    last = (
        select(mine.c.case_id, func.max(mine.c.seq).label("seq"))
        .group_by(mine.c.case_id)
        .subquery()
    )
    where = [scope, q.status_in(OPEN_STATUSES)]
    joined = Case.__table__.join(last, last.c.case_id == C.id)
    rows = s.execute(
        select(*q.ROW_COLUMNS, *_EXTRA, mine.c.action)
        .select_from(joined.join(mine, mine.c.seq == last.c.seq))
        .where(*where)
        .order_by(last.c.seq.desc())
        .limit(limit)
    )
    total = s.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
    return OpenSection(Section.TOUCHED, tuple(_open_case(r, r.action) for r in rows), int(total))


def open_items(
    store: Store,
    actor: Actor,
    now: datetime,
    *,
    shift: ShiftStart | None,
    urgent_hours: int,
    limit: int = SECTION_MAX,
) -> OpenItems:
    """What a shift leaves open in this reader's scope: red and yellow cases (the queue's own
    light conditions), urgent cases reported within `urgent_hours`, extensions awaiting a
    decision, cases returned by their unit and awaiting another dispatch, and the open cases
    this user acted on since `shift` began (none without a shift)."""
    ref = reference(store)
    scope = visible_to(actor, ref)
    open_ = q.status_in(OPEN_STATUSES)

    def light(colour: Light) -> list[ColumnElement[bool]]:
        f = q.QueueFilter(statuses=frozenset(), lights=frozenset({colour}))
        return q.conditions(f, ref, now)

    # Each kind of open case: what makes a case one, and the worst first.
    kinds: dict[Section, tuple[list[ColumnElement[bool]], list[Any]]] = {
        Section.RED: (light(Light.RED), _by_deadline()),
        Section.YELLOW: (light(Light.YELLOW), _by_deadline()),
        Section.URGENT: (
            [
                C.urgency == Urgency.URGENT.value,
                C.created_at >= now - timedelta(hours=urgent_hours),
            ],
            [C.created_at.desc(), C.id.desc()],
        ),
        Section.EXTENSIONS: (
            [q.status_in(WITH_UNIT), C.ext_until.is_not(None)],
            _by_deadline(),
        ),
        Section.RETURNED: (
            [
                C.status == Status.ACCEPTED.value,
                C.lead_unit_id.is_(None),
                # A JSON list of unit codes: its text is "[]" when no unit returned it.
                cast(C.returned_units, String) != "[]",
            ],
            _by_deadline(),
        ),
    }
    with store.read() as s:
        # Every kind counted in one pass over the scope's open cases.
        totals = s.execute(
            select(*(func.count().filter(and_(*where)) for where, _ in kinds.values())).where(
                scope, open_
            )
        ).one()
        sections = [
            OpenSection(
                section,
                _rows(s, [scope, open_, *where], order, limit) if total else (),
                int(total),
            )
            for (section, (where, order)), total in zip(kinds.items(), totals, strict=True)
        ]
        if shift is not None:
            sections.append(_touched(s, scope, actor.login, shift, limit))
    return OpenItems(now, shift, urgent_hours, tuple(sections))


# --- the notes --------------------------------------------------------------------------------


def _note(r: Any, ref: Reference) -> HandoverNote:
    author = ref.users[r.user_id]
    return HandoverNote(
        r.id,
        r.scope,
        author.login,
        author.name,
        r.written_at,
        r.shift_began,
        r.body,
        tuple(r.cases or ()),
    )


def _readable(actor: Actor) -> ColumnElement[bool]:
    """The notes this reader may read, as a WHERE clause (`may_read`)."""
    if actor.district_wide:
        return true()
    key = scope_key(actor)
    return H.scope == key if key is not None else false()


def latest(store: Store, actor: Actor) -> HandoverNote | None:
    """The newest handover of the reader's own scope."""
    key = scope_key(actor)
    if key is None:
        return None
    with store.read() as s:
        r = s.execute(
            select(Handover.__table__)
            .where(H.scope == key)
            .order_by(H.written_at.desc(), H.id.desc())
            .limit(1)
        ).first()
    return _note(r, reference(store)) if r is not None else None


def notes(
    store: Store, actor: Actor, *, limit: int = 20, before: HandoverNote | None = None
) -> list[HandoverNote]:
    """The handovers this reader may read, newest first: a page of `limit`, from the top or
    just after `before` (the last of the page shown)."""
    where = [_readable(actor)]
    if before is not None:
        where.append(
            or_(
                H.written_at < before.written_at,
                and_(H.written_at == before.written_at, H.id < before.id),
            )
        )
    ref = reference(store)
    with store.read() as s:
        rows = s.execute(
            select(Handover.__table__)
            .where(*where)
            .order_by(H.written_at.desc(), H.id.desc())
            .limit(limit)
        ).all()
    return [_note(r, ref) for r in rows]


def note(store: Store, actor: Actor, note_id: int) -> HandoverNote:
    """One handover, if this reader may read it; else NotFound, as for one that is not."""
    with store.read() as s:
        r = s.execute(select(Handover.__table__).where(H.id == note_id, _readable(actor))).first()
    if r is None:
        raise NotFound("error.no_handover", id=note_id)
    return _note(r, reference(store))


def unseen(
    store: Store, actor: Actor, shift: ShiftStart, now: datetime, within: timedelta
) -> HandoverNote | None:
    """The latest handover of the reader's scope if it is news to them as their shift begins:
    someone else's, written within `within` before their sign-in, and not followed by a
    sign-out of theirs (then they were there after it, and it was theirs to read).

    The trail is walked back from the sign-in to whichever comes first, the reader's last
    sign-out or the note's own event: never further back than the note."""
    found = latest(store, actor)
    if (
        found is None
        or found.written_at > shift.at
        or not fresh_for(actor.login, found.author, found.written_at, now, within)
    ):
        return None
    left = (TrailEvent.SIGN_OUT.value, TrailEvent.SESSION_ENDED.value)
    with store.read() as s:
        first = s.execute(
            select(E.action)
            .where(
                E.seq < shift.seq,
                or_(
                    and_(E.actor == actor.login, E.action.in_(left)),
                    and_(E.actor == found.author, E.action == TrailEvent.HANDOVER.value),
                ),
            )
            .order_by(E.seq.desc())
            .limit(1)
        ).scalar_one_or_none()
    return found if first == TrailEvent.HANDOVER.value else None
