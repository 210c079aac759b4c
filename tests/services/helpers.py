"""A small cast for service tests: one street's operator, supervisor, grid and units, and the
people who do each unit's work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Rating, Role, Source, Status, UnitKind
from console.domain.intake import NewCase
from console.domain.policy import grid_unit_code
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries.cases import CaseDetail
from console.queries.reference import reference
from console.services.cases import act, create_case

NOW = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
REVIEW_ON = date(2026, 12, 31)  # a shelved case's next review (挂账复核), weeks after NOW


@dataclass(frozen=True)
class Cast:
    street: str
    operator: str
    supervisor: str
    other_operator: str  # an operator of another street
    grid: str
    category: str
    section: str  # a section of this street
    departments: tuple[str, ...]
    grid_unit: str
    staff: dict[str, str]  # unit code → the login that does its work (signs, handles, returns)

    @property
    def section_staff(self) -> str:
        return self.staff[self.section]


def cast(store: Store) -> Cast:
    ref = reference(store)
    operator = next(
        u for u in sorted(ref.users.values(), key=lambda u: u.login) if u.role is Role.OPERATOR
    )
    assert operator.street_id is not None
    street = ref.areas[operator.street_id]
    supervisor = next(
        u for u in ref.users.values() if u.role is Role.SUPERVISOR and u.street_id == street.id
    )
    other = next(
        u
        for u in ref.users.values()
        if u.role is Role.OPERATOR and u.street_id not in (None, street.id)
    )
    grid = min(
        (a for a in ref.areas.values() if a.level.value == "grid" and a.street_id == street.id),
        key=lambda a: a.code,
    )
    category = min(
        (c for c in ref.categories.values() if c.is_leaf and c.kind and c.kind.value == "event"),
        key=lambda c: c.code,
    )
    section = min(
        u.code
        for u in ref.units.values()
        if u.kind is UnitKind.SECTION and u.street_id == street.id
    )
    departments = tuple(
        sorted(u.code for u in ref.units.values() if u.kind is UnitKind.DEPARTMENT)
    )[:3]
    units = {section, grid_unit_code(grid.code), *departments}
    staff: dict[str, str] = {}
    for user in sorted(ref.users.values(), key=lambda u: u.login):
        unit = ref.actor(user.login).own_unit
        if unit in units:
            staff.setdefault(unit, user.login)
    return Cast(
        street.code,
        operator.login,
        supervisor.login,
        other.login,
        grid.code,
        category.code,
        section,
        departments,
        grid_unit_code(grid.code),
        staff,
    )


def new_case(
    store: Store,
    c: Cast,
    now: datetime = NOW,
    title: str = "小区门口占道经营",
    address: str = "江滨路12号",
) -> CaseDetail:
    return create_case(
        store,
        SlaClock(),
        c.operator,
        NewCase(
            title=title,
            category=c.category,
            grid=c.grid,
            address=address,
            source=Source.HOTLINE,
            description="群众反映流动摊贩占用人行道",
            reporter_name="王女士",
            reporter_phone="13812345678",
        ),
        now=now,
    )


def path_to(status: Status, c: Cast) -> list[tuple[str, Action, Params]]:
    """The actions (by whom) that bring a new case to `status`: the section's own staff sign
    and handle it, the operator, who did not handle it, verifies it."""
    op, sup, staff = c.operator, c.supervisor, c.section_staff
    accept = [(op, Action.ACCEPT, Params())]
    dispatched = [*accept, (op, Action.DISPATCH, Params(unit=c.section, instruction="请核实处置"))]
    in_progress = [*dispatched, (staff, Action.SIGN, Params())]
    handled = [*in_progress, (staff, Action.HANDLED, Params(result="已劝离摊贩"))]
    verifying = [*handled, (op, Action.SEND_VERIFY, Params())]
    closed = [*verifying, (op, Action.VERIFY, Params(passed=True))]
    return {
        Status.REPORTED: [],
        Status.ACCEPTED: accept,
        Status.DISPATCHED: dispatched,
        Status.IN_PROGRESS: in_progress,
        Status.HANDLED: handled,
        Status.VERIFYING: verifying,
        Status.CLOSED: closed,
        Status.INVALID: [(op, Action.REJECT, Params(reason="信息不全"))],
        Status.DUPLICATE: [(op, Action.DUPLICATE, Params(other_case="__FIRST__"))],
        Status.SUSPENDED: [
            *accept,
            (sup, Action.SUSPEND, Params(reason="等待政策", review_on=REVIEW_ON)),
        ],
    }[status]


def walk(
    store: Store, c: Cast, status: Status, *, first_code: str, start: datetime = NOW
) -> CaseDetail:
    d = new_case(store, c, start)
    at = start
    for login, action, params in path_to(status, c):
        at += timedelta(minutes=7)
        if params.other_case == "__FIRST__":
            params = Params(other_case=first_code)
        d = act(store, SlaClock(), login, d.code, action, params, now=at)
    assert d.row.status is status
    return d


RATING = Rating.SATISFIED
