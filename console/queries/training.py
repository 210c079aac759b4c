"""A training store's clock, as the trainer last set it (console.domain.training)."""

from __future__ import annotations

from sqlalchemy import select

from console.db import Store
from console.domain.training import TrainingClock
from console.models import Meta

CLOCK_KEY = "training_clock"

M = Meta.__table__.c


def training_clock(store: Store) -> TrainingClock | None:
    """The store's training clock; None for a store that keeps none (production)."""
    with store.read() as s:
        value = s.execute(select(M.value).where(M.key == CLOCK_KEY)).scalar_one_or_none()
    return TrainingClock.from_json(value) if value is not None else None
