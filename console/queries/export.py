"""Every case a queue's filter selects, streamed for `gridcall export cases`: a million rows
pass through in chunks, never held at once.

One read transaction (`Store.scan`) sees the store as it stood when the export began. On
PostgreSQL the rows come through a server-side cursor (`stream_results`), `CHUNK` at a time;
SQLite's cursor steps through its rows anyway, and `yield_per` fetches them `CHUNK` at a time.
Names are resolved by the writer from the in-memory reference, not joined here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.enums import Status
from console.domain.policy import Actor
from console.models import Case
from console.queries.cases import QueueFilter, where_of
from console.queries.reference import reference

C = Case.__table__.c
CHUNK = 2_000

COLUMNS = (
    C.code,
    C.created_at,
    C.source,
    C.category_id,
    C.urgency,
    C.status,
    C.level,
    C.street_id,
    C.community_id,
    C.grid_id,
    C.address,
    C.title,
    C.description,
    C.lead_unit_id,
    C.deadline_at,
    C.warn_at,
    C.due_at,
    C.closed_at,
    C.result,
    C.rating,
)


def cases(
    store: Store, actor: Actor, f: QueueFilter, *, now: datetime, chunk: int = CHUNK
) -> Iterator[Any]:
    """The cases of the filtered queue that `actor` may read, oldest code first: rows of
    `COLUMNS`."""
    ref = reference(store)
    if f.statuses >= frozenset(Status):
        # Every status is no condition at all: said as one, it sends SQLite to the status
        # index, whose order then has to be sorted back into the cases' (a million rows).
        f = replace(f, statuses=frozenset())
    with store.scan() as conn, Session(bind=conn) as s:
        stmt = select(*COLUMNS).where(*where_of(s, actor, f, ref, now)).order_by(C.id)
        result = conn.execution_options(stream_results=True, yield_per=chunk).execute(stmt)
        for part in result.partitions():
            yield from part
