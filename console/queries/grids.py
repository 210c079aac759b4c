"""The grid card: where a grid sits, who works it, and what its cases look like lately."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from console.db import Store
from console.domain.enums import OPEN_STATUSES, AreaLevel, StaffRole
from console.domain.policy import Actor
from console.models import Case
from console.queries.cases import status_in
from console.queries.reference import AreaInfo, CategoryInfo, Reference, StaffInfo, reference
from console.queries.scope import visible_to

C = Case.__table__.c
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class GridCard:
    area: AreaInfo
    path: tuple[AreaInfo, ...]  # street › community › grid
    worker: StaffInfo | None
    leader: StaffInfo | None
    open_cases: int
    overdue: int
    recent: tuple[tuple[CategoryInfo, int], ...]  # (category, cases) over the last 30 days


def grid_card(store: Store, actor: Actor, grid_id: int, now: datetime) -> GridCard:
    """The card of a grid; its figures count only the cases this user may read (a liaison
    sees their unit's cases in it, not the grid's whole load)."""
    ref = reference(store)
    scope = visible_to(actor, ref)
    area = ref.areas[grid_id]
    staff = ref.staff_by_area.get(grid_id, [])
    worker = next((s for s in staff if s.role == StaffRole.GRID_WORKER.value), None)
    leader = next((s for s in staff if s.role == StaffRole.GRID_LEADER.value), None)
    open_ = status_in(OPEN_STATUSES)
    with store.read() as s:
        open_cases, overdue = s.execute(
            select(func.count(), func.count().filter(C.deadline_at <= now)).where(
                C.grid_id == grid_id, open_, scope
            )
        ).one()
        since = now - timedelta(days=30)
        recent = s.execute(
            select(C.category_id, func.count())
            .where(C.grid_id == grid_id, C.created_at >= since, scope)
            .group_by(C.category_id)
            .order_by(func.count().desc())
            .limit(6)
        ).all()
    kinds = tuple((ref.categories[category_id], int(n)) for category_id, n in recent)
    return GridCard(
        area, tuple(ref.path(grid_id)), worker, leader, int(open_cases), int(overdue), kinds
    )


def nearest_grid(ref: Reference, lat: float, lon: float) -> tuple[AreaInfo, float] | None:
    """The grid whose centre is nearest to a point, and how far it is in metres; None when no
    grid has a centre. Ordinary grids only: a dedicated grid (a school, a market) is one
    place, not the ground a point falls in."""
    best: tuple[AreaInfo, float] | None = None
    for area in ref.areas.values():
        if area.level is not AreaLevel.GRID or area.lat is None or area.lon is None:
            continue
        metres = _metres(lat, lon, area.lat, area.lon)
        if best is None or metres < best[1]:
            best = (area, metres)
    return best


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
