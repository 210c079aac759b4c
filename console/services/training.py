"""The trainer's hand on a training store: its clock."""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.errors import Invalid
from console.domain.training import TrainingClock
from console.live import publish
from console.models import Meta
from console.queries.reference import reference
from console.queries.training import CLOCK_KEY

M = Meta.__table__.c
# What the change notice names: no case, the clock (consoles read it again on any notice).
CLOCK_NOTICE = "training-clock"


def set_clock(store: Store, clock: TrainingClock) -> None:
    """Keep the training store's clock; every console on it follows within a second or two.
    Refused on a store that is not a training store: production time is the wall clock's."""
    if not reference(store).centre.training:
        raise Invalid("error.not_training_store", url=store.describe())

    def work(s: Session) -> None:
        s.execute(delete(Meta.__table__).where(M.key == CLOCK_KEY))
        s.execute(insert(Meta.__table__).values(key=CLOCK_KEY, value=clock.to_json()))
        publish(s, CLOCK_NOTICE)

    store.write(work)
