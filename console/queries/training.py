"""A training store's clock, as the trainer last set it (console.domain.training)."""

from __future__ import annotations

from sqlalchemy import func, select, text

from console.db import Store
from console.domain.training import TrainingClock
from console.models import SIGN_IN_CONDITION, AuditEvent, Case, Meta

CLOCK_KEY = "training_clock"

M = Meta.__table__.c
C = Case.__table__.c
E = AuditEvent.__table__.c


def training_clock(store: Store) -> TrainingClock | None:
    """The store's training clock; None for a store that keeps none (production)."""
    with store.read() as s:
        value = s.execute(select(M.value).where(M.key == CLOCK_KEY)).scalar_one_or_none()
    return TrainingClock.from_json(value) if value is not None else None


def acted_on(store: Store, login: str) -> list[str]:
    """The codes of the cases `login` acted on, in the order of the first action on each: the
    debrief's replay of a trainee, for the trainer, who reads the whole training store."""
    with store.read() as s:
        rows = s.execute(
            select(C.code, func.min(E.seq).label("first"))
            .join(Case.__table__, C.id == E.case_id)
            .where(E.actor == login)
            .group_by(C.code)
            .order_by("first")
        )
        return [r.code for r in rows]


def first_sign_in(store: Store, login: str) -> bool:
    """Whether the user's sign-in just made is their first in this store: a trainee new to the
    console, whom the training console shows its tour."""
    with store.read() as s:
        signed = s.execute(
            select(E.seq).where(E.actor == login, text(SIGN_IN_CONDITION)).limit(2)
        ).all()
    return len(signed) <= 1
