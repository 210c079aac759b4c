"""The grid card: where a grid sits, who works it, and what its cases look like lately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from console.db import Store
from console.domain.enums import OPEN_STATUSES, StaffRole
from console.domain.policy import Actor
from console.models import Case
from console.queries.cases import status_in
from console.queries.reference import AreaInfo, CategoryInfo, StaffInfo, reference
from console.queries.scope import visible_to

C = Case.__table__.c


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
