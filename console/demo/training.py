"""A training store (培训库): the demo district with a few days of its cases, marked as a
training store, its clock the trainer's and frozen at the moment it was made, and a login for
each trainee. Trainees are operators of the demo's first street, where the scenarios happen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from console.db import Store
from console.demo.generate import seed_demo
from console.demo.people import DEMO_PASSWORD
from console.domain.enums import Role
from console.domain.errors import Invalid
from console.domain.sla import SlaClock
from console.domain.training import TrainingClock
from console.models import Meta
from console.queries.reference import TRAINING_KEY, reference
from console.queries.training import CLOCK_KEY
from console.services.users import Scope, add_user

TRAINING_CASES = 300  # the street's ordinary business around the scenario's events
TRAINEES_MAX = 30  # a room of trainees
TRAINEE_STREET = "LJ01"
ADMIN = "admin"  # the demo's administrator adds the trainees

M = Meta.__table__.c


def trainee_login(n: int) -> str:
    return f"trainee{n}"


def make_training_store(
    store: Store, clock: SlaClock, *, trainees: int, now: datetime
) -> list[str]:
    """Fill a migrated store (emptied first) as a training store; the trainees' logins."""
    if not 1 <= trainees <= TRAINEES_MAX:
        raise Invalid("error.trainees", n=trainees, most=TRAINEES_MAX)
    # One process: the pool's start-up would cost more than these few cases.
    seed_demo(store, clock, cases=TRAINING_CASES, seed=1, replace=True, anchor=now, processes=1)
    frozen = TrainingClock(since=now, at=now, rate=0.0)

    def mark(s: Session) -> None:
        s.execute(delete(Meta.__table__).where(M.key.in_((TRAINING_KEY, CLOCK_KEY))))
        s.execute(
            insert(Meta.__table__),
            [{"key": TRAINING_KEY, "value": "1"}, {"key": CLOCK_KEY, "value": frozen.to_json()}],
        )

    store.write(mark)
    reference(store, reload=True)
    logins = [trainee_login(n) for n in range(1, trainees + 1)]
    for n, login in enumerate(logins, start=1):
        add_user(
            store,
            ADMIN,
            login,
            f"学员{n}",
            Role.OPERATOR,
            Scope(street=TRAINEE_STREET),
            password=DEMO_PASSWORD,
            now=now,
        )
    return logins
