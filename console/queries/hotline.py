"""The results of the hotline's work orders, to send back to it (`gridcall export replies`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from console.db import Store
from console.domain.enums import Rating, Source, Status
from console.domain.policy import Actor
from console.models import Case
from console.queries.reference import reference
from console.queries.scope import visible_to

C = Case.__table__.c


@dataclass(frozen=True)
class Reply:
    order_no: str
    result: str
    closed_at: datetime
    unit: str | None  # the handling unit's code
    rating: Rating | None


def replies(store: Store, actor: Actor, since: datetime) -> Iterator[Reply]:
    """The hotline's cases closed since then that this user may read, oldest closed first."""
    ref = reference(store)
    with store.read() as s:
        rows = s.execute(
            select(C.order_no, C.result, C.closed_at, C.handled_unit, C.rating)
            .where(
                C.source == Source.HOTLINE.value,
                C.order_no.is_not(None),
                C.status == Status.CLOSED.value,
                C.closed_at >= since,
                visible_to(actor, ref),
            )
            .order_by(C.closed_at, C.id)
        )
        for row in rows:
            yield Reply(
                row.order_no,
                row.result or "",
                row.closed_at,
                row.handled_unit,
                Rating(row.rating) if row.rating else None,
            )
