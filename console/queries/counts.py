"""The header's figures: new cases, overdue ones, and those waiting on this user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select

from console.db import Store
from console.domain.enums import OPEN_STATUSES, Level, Role, Status
from console.domain.policy import Actor, desk
from console.models import Case
from console.queries.cases import status_in
from console.queries.reference import reference
from console.queries.scope import visible_to

C = Case.__table__.c

# What waits on each role: the statuses where that role takes the next step.
WAITING_ON: dict[Role, frozenset[Status]] = {
    Role.OPERATOR: frozenset({Status.REPORTED, Status.ACCEPTED, Status.HANDLED}),
    Role.TRAINER: frozenset({Status.REPORTED, Status.ACCEPTED, Status.HANDLED}),
    Role.ADMIN: frozenset({Status.REPORTED, Status.ACCEPTED, Status.HANDLED}),
    Role.SUPERVISOR: frozenset({Status.SUSPENDED}),
    Role.LIAISON: frozenset({Status.DISPATCHED, Status.IN_PROGRESS}),
    Role.SECTION: frozenset({Status.DISPATCHED, Status.IN_PROGRESS}),
    Role.GRID_WORKER: frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.VERIFYING}),
    Role.COMMUNITY: frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.VERIFYING}),
    # Leaders read and take no step: what they watch is what is suspended, waiting on a
    # decision above the street's desk.
    Role.LEADER: frozenset({Status.SUSPENDED}),
}


@dataclass(frozen=True)
class Counts:
    new: int
    red: int
    mine: int
    urgent_new: int


def _waiting_on(actor: Actor) -> ColumnElement[bool]:
    """The cases waiting on this user: in a status where their role takes the next step, less
    those the rules keep from them — what they or their unit handled is not theirs to verify
    (巡办分离) — and, at a community's workstation, what was escalated to it."""
    statuses = WAITING_ON[actor.role]
    clause = status_in(statuses - {Status.VERIFYING})
    if Status.VERIFYING in statuses:
        verify = C.status == Status.VERIFYING.value
        if actor.separation:
            verify = and_(verify, or_(C.handled_by.is_(None), C.handled_by != actor.login))
            if actor.own_unit is not None:
                verify = and_(
                    verify, or_(C.handled_unit.is_(None), C.handled_unit != actor.own_unit)
                )
        clause = or_(clause, verify)
    if desk(actor) is Level.COMMUNITY:
        escalated = and_(C.status == Status.ACCEPTED.value, C.level == Level.COMMUNITY.value)
        clause = or_(clause, escalated)
    return clause


def header_counts(store: Store, actor: Actor, now: datetime) -> Counts:
    ref = reference(store)
    open_ = status_in(OPEN_STATUSES)
    mine = _waiting_on(actor)
    new = C.status == Status.REPORTED.value
    with store.read() as s:
        row = s.execute(
            select(
                func.count().filter(new),
                func.count().filter(open_, C.deadline_at <= now),
                func.count().filter(mine),
                func.count().filter(new, C.urgency == "urgent"),
            ).where(visible_to(actor, ref), open_)
        ).one()
    return Counts(*(int(v) for v in row))
