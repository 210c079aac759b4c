"""What the Open311 endpoint reads: the services residents may report under, and requests.

Requests are read as the public sees them: a confidential case (a tip, 线索) is no request at
all, and nothing of a reporter is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, select

from console.db import Store
from console.domain.enums import Source, Status
from console.domain.open311 import MOST_REQUESTS
from console.models import Case
from console.queries.lookup import category_path
from console.queries.reference import AreaInfo, CategoryInfo, Reference, UnitInfo, reference

C = Case.__table__.c


@dataclass(frozen=True)
class Service:
    """A subcategory a resident may report, with the module and category above it."""

    category: CategoryInfo
    path: tuple[CategoryInfo, ...]  # module, category


def services(ref: Reference) -> list[Service]:
    """Every subcategory, by code: a case is filed under a subcategory, whoever reports it."""
    leaves = sorted((c for c in ref.categories.values() if c.is_leaf), key=lambda c: c.code)
    return [Service(c, category_path(ref, c)) for c in leaves]


@dataclass(frozen=True)
class PublicRequest:
    code: str
    status: Status
    source: Source
    category: CategoryInfo
    grid: AreaInfo
    lead_unit: UnitInfo | None
    description: str
    address: str
    lat: float | None
    lon: float | None
    attachments: tuple[str, ...]
    requested_at: datetime
    updated_at: datetime
    due_at: datetime | None  # the overall deadline: what the resident is promised
    closed_at: datetime | None


@dataclass(frozen=True)
class RequestQuery:
    """GET requests' filters; `codes`, when given, decide alone (as the spec says)."""

    since: datetime
    until: datetime
    codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: frozenset[Status] = frozenset()


_COLUMNS = (
    C.code,
    C.status,
    C.source,
    C.category_id,
    C.grid_id,
    C.lead_unit_id,
    C.description,
    C.address,
    C.lat,
    C.lon,
    C.attachments,
    C.created_at,
    C.updated_at,
    C.due_at,
    C.closed_at,
)


def requests(store: Store, q: RequestQuery) -> list[PublicRequest]:
    """The requests the query selects, newest first, at most MOST_REQUESTS."""
    ref = reference(store)
    where = [C.confidential == false()]
    if q.codes:
        where.append(C.code.in_(q.codes))
    else:
        where += [C.created_at >= q.since, C.created_at <= q.until]
        if q.categories:
            ids = [ref.category_by_code[c].id for c in q.categories if c in ref.category_by_code]
            where.append(C.category_id.in_(ids))
        if q.statuses:
            where.append(C.status.in_(sorted(s.value for s in q.statuses)))
    stmt = (
        select(*_COLUMNS)
        .where(*where)
        .order_by(C.created_at.desc(), C.id.desc())
        .limit(MOST_REQUESTS)
    )
    with store.read() as s:
        rows = s.execute(stmt).all()
    return [
        PublicRequest(
            code=r.code,
            status=Status(r.status),
            source=Source(r.source),
            category=ref.categories[r.category_id],
            grid=ref.areas[r.grid_id],
            lead_unit=ref.units[r.lead_unit_id] if r.lead_unit_id else None,
            description=r.description or "",
            address=r.address,
            lat=r.lat,
            lon=r.lon,
            attachments=tuple(r.attachments or ()),
            requested_at=r.created_at,
            updated_at=r.updated_at,
            due_at=r.due_at,
            closed_at=r.closed_at,
        )
        for r in rows
    ]
