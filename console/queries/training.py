"""A training store's clock, as the trainer last set it (console.domain.training)."""

from __future__ import annotations

from sqlalchemy import select

from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.training import TrainingClock
from console.models import AuditEvent, Meta

CLOCK_KEY = "training_clock"

M = Meta.__table__.c
E = AuditEvent.__table__.c


def training_clock(store: Store) -> TrainingClock | None:
    """The store's training clock; None for a store that keeps none (production)."""
    with store.read() as s:
        value = s.execute(select(M.value).where(M.key == CLOCK_KEY)).scalar_one_or_none()
    return TrainingClock.from_json(value) if value is not None else None


def first_sign_in(store: Store, login: str) -> bool:
    """Whether the user's sign-in just made is their first in this store: a trainee new to the
    console, whom the training console shows its tour."""
    with store.read() as s:
        signed = s.execute(
            select(E.seq).where(E.actor == login, E.action == TrailEvent.SIGN_IN.value).limit(2)
        ).all()
    return len(signed) <= 1
