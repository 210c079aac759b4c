"""The header's figures: new cases, overdue ones, and those waiting on this user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from console.db import Store
from console.domain.enums import OPEN_STATUSES, Role, Status
from console.domain.policy import Actor
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


def header_counts(store: Store, actor: Actor, now: datetime) -> Counts:
    ref = reference(store)
    open_ = status_in(OPEN_STATUSES)
    mine = status_in(WAITING_ON[actor.role])
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
