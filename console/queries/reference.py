"""Reference data — territory, roads, units, categories, users — read once and kept per store.

It is small (a district has a few thousand rows of it) and changes only when the demo district
is loaded again, so every screen and service shares one copy instead of joining for names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select

from console.db import Store
from console.domain.enums import (
    AreaLevel,
    CaseKind,
    Level,
    Role,
    Step,
    UnitKind,
    Urgency,
    UserKind,
)
from console.domain.errors import Invalid, NotFound
from console.domain.policy import POLICY, Actor, community_unit_code, grid_unit_code
from console.domain.workflow import LevelLimits, StepLimits
from console.models import Area, Category, Meta, RoadSegment, Staff, Unit, User

# The levels a case is registered at: a grid, or a dedicated grid (a school, a market…).
GRID_LEVELS = frozenset({AreaLevel.GRID, AreaLevel.DEDICATED})


class Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str | None: ...


def name_in(info: Named, lang: str) -> str:
    """An area's, unit's or category's name in the operator's language: the English one in
    English where the seeds give one, the Chinese one otherwise."""
    return info.name_en if lang == "en" and info.name_en else info.name


@dataclass(frozen=True)
class AreaInfo:
    id: int
    code: str
    name: str
    name_en: str | None
    level: AreaLevel
    parent_id: int | None
    street_id: int | None
    community_id: int | None
    grade: str | None
    kind: str | None
    households: int
    population: int
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    name_en: str | None
    kind: UnitKind
    street_id: int | None
    area_id: int | None
    phone: str | None


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    code: str
    parent_id: int | None
    level: str
    name: str
    name_en: str | None
    kind: CaseKind | None
    unit_kind: UnitKind | None
    unit: str | None
    urgency: Urgency | None
    limits: StepLimits | None

    @property
    def is_leaf(self) -> bool:
        return self.level == "sub"


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    name: str
    role: Role
    street_id: int | None
    unit_id: int | None
    grid_id: int | None
    active: bool
    community_id: int | None = None
    kind: UserKind = UserKind.PERSON
    admin: bool = False

    @property
    def manages_users(self) -> bool:
        return self.admin or POLICY[self.role].manages_users


@dataclass(frozen=True)
class Centre:
    """The rules a centre sets for itself, kept in the store's meta table."""

    training: bool = False  # a training store: trainers act, the banner shows
    separation: bool = True  # 巡办分离 on
    demo_password: str | None = None  # the demo store's documented password, shown at sign-in
    spot_check_share: float = 0.2  # of the cases handled on the spot (自办自结), checked (抽查)
    # The time limits of the levels an escalated case is held at (seeds/levels.toml).
    level_limits: Mapping[Level, LevelLimits] = field(default_factory=dict)

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> Centre:
        return cls(
            training=meta.get(TRAINING_KEY) == "1",
            separation=meta.get(SEPARATION_KEY, "on") != "off",
            demo_password=meta.get(DEMO_PASSWORD_KEY),
            spot_check_share=_share(meta.get(SPOT_CHECK_KEY), cls.spot_check_share),
            level_limits=_level_limits(meta.get(LEVEL_LIMITS_KEY)),
        )


def _level_limits(value: str | None) -> dict[Level, LevelLimits]:
    """The holding levels' limits as the meta table holds them (written from the seeds)."""
    data = json.loads(value) if value else {}
    return {Level(level): LevelLimits.from_json(steps) for level, steps in data.items()}


def _share(value: str | None, default: float) -> float:
    """A share from 0 to 1 as the meta table holds it; the default where it holds none."""
    try:
        share = float(value) if value is not None else default
    except ValueError:
        return default
    return share if 0 <= share <= 1 else default


TRAINING_KEY = "training"
SEPARATION_KEY = "separation_of_duties"
DEMO_PASSWORD_KEY = "demo_password"
SPOT_CHECK_KEY = "spot_check_share"
LEVEL_LIMITS_KEY = "level_limits"


@dataclass(frozen=True)
class Segment:
    """A stretch of a road's house numbers that lies in one grid: 凤凰山路 1–60号."""

    road: str
    first: int  # both ends included
    last: int
    grid_id: int

    def holds(self, number: int) -> bool:
        return self.first <= number <= self.last


@dataclass(frozen=True)
class StaffInfo:
    id: int
    name: str
    phone: str | None
    role: str
    area_id: int


@dataclass
class Reference:
    areas: dict[int, AreaInfo] = field(default_factory=dict)
    units: dict[int, UnitInfo] = field(default_factory=dict)
    categories: dict[int, CategoryInfo] = field(default_factory=dict)
    users: dict[int, UserInfo] = field(default_factory=dict)
    staff_by_area: dict[int, list[StaffInfo]] = field(default_factory=dict)
    roads: dict[str, list[Segment]] = field(default_factory=dict)  # by road name, numbers up
    area_by_code: dict[str, AreaInfo] = field(default_factory=dict)
    unit_by_code: dict[str, UnitInfo] = field(default_factory=dict)
    category_by_code: dict[str, CategoryInfo] = field(default_factory=dict)
    user_by_login: dict[str, UserInfo] = field(default_factory=dict)
    centre: Centre = field(default_factory=Centre)

    def area(self, code: str) -> AreaInfo:
        try:
            return self.area_by_code[code]
        except KeyError:
            raise NotFound("error.no_area", code=code) from None

    def grid(self, code: str) -> AreaInfo:
        area = self.area(code)
        if area.level not in GRID_LEVELS:
            raise Invalid("error.not_a_grid", code=code)
        return area

    def unit(self, code: str) -> UnitInfo:
        try:
            return self.unit_by_code[code]
        except KeyError:
            raise Invalid("error.no_unit", code=code) from None

    def category(self, code: str) -> CategoryInfo:
        info = self.category_by_code.get(code)
        if info is None:
            raise NotFound("error.no_category", code=code)
        if not info.is_leaf:
            raise Invalid("error.category_not_leaf", code=code)
        return info

    def limits(self, code: str) -> StepLimits:
        limits = self.category(code).limits
        assert limits is not None
        return limits

    def unit_kind(self, code: str) -> UnitKind:
        return self.unit(code).kind

    def self_closable(self, code: str) -> bool:
        """A category the grid's own worker handles by default: one they may report already
        handled on the spot (自办自结)."""
        return self.category(code).unit_kind is UnitKind.GRID

    def user(self, login: str) -> UserInfo:
        info = self.user_by_login.get(login)
        if info is None:
            raise NotFound("error.no_user", login=login)
        return info

    def actor(self, login: str) -> Actor:
        """The acting user, as the workflow sees them."""
        user = self.user(login)
        if not user.active:
            raise NotFound("error.no_user", login=login)
        return Actor(
            login=user.login,
            role=user.role,
            street=self.areas[user.street_id].code if user.street_id else None,
            unit=self.units[user.unit_id].code if user.unit_id else None,
            grid=self.areas[user.grid_id].code if user.grid_id else None,
            community=self.areas[user.community_id].code if user.community_id else None,
            training=self.centre.training,
            separation=self.centre.separation,
        )

    def scope_of(self, user: UserInfo) -> str:
        """Where a user reads and acts, as a code: their grid, community, unit or street."""
        for area_id in (user.grid_id, user.community_id):
            if area_id:
                return self.areas[area_id].code
        if user.unit_id:
            return self.units[user.unit_id].code
        if user.street_id:
            return self.areas[user.street_id].code
        return "district"

    def unit_street(self, code: str) -> str | None:
        """The street a unit belongs to; None for a district department or a company."""
        unit = self.unit(code)
        return self.areas[unit.street_id].code if unit.street_id else None

    def unit_community(self, code: str) -> str | None:
        """The community a unit works in — a grid worker's or a community team's; None for a
        unit above any community."""
        unit = self.unit(code)
        area = self.areas.get(unit.area_id) if unit.area_id else None
        if area is not None and area.level is AreaLevel.COMMUNITY:
            return area.code
        if area is None or area.level not in GRID_LEVELS or not area.community_id:
            return None
        return self.areas[area.community_id].code

    def street_of(self, area: AreaInfo) -> AreaInfo:
        return self.areas[area.street_id] if area.street_id else area

    def path(self, area_id: int) -> list[AreaInfo]:
        """From the street down to this area (district left out)."""
        out: list[AreaInfo] = []
        current: int | None = area_id
        while current is not None:
            info = self.areas[current]
            if info.level is AreaLevel.DISTRICT:
                break
            out.append(info)
            current = info.parent_id
        return out[::-1]

    def default_unit(self, category: CategoryInfo, grid: AreaInfo) -> UnitInfo | None:
        """The unit a category's cases go to first in this grid; None if there is none."""
        kind = category.unit_kind
        if kind is UnitKind.GRID:
            return self.unit_by_code.get(grid_unit_code(grid.code))
        if kind is UnitKind.COMMUNITY and grid.community_id:
            return self.unit_by_code.get(community_unit_code(self.areas[grid.community_id].code))
        if category.unit and "*" in category.unit and grid.street_id:
            street = self.areas[grid.street_id].code
            return self.unit_by_code.get(category.unit.replace("*", street))
        return self.unit_by_code.get(category.unit) if category.unit else None


def _limits(normal: dict[str, int] | None, urgent: dict[str, int] | None) -> StepLimits | None:
    if not normal or not urgent:
        return None
    return StepLimits(
        normal={Step(k): int(v) for k, v in normal.items()},
        urgent={Step(k): int(v) for k, v in urgent.items()},
    )


def load_reference(store: Store) -> Reference:
    # Core rows, not ORM objects: thousands of areas and users, read before the first frame.
    ref = Reference()
    with store.read() as s:
        for a in s.execute(select(Area.__table__)):
            assert a.id is not None
            ref.areas[a.id] = AreaInfo(
                a.id,
                a.code,
                a.name,
                a.name_en,
                AreaLevel(a.level),
                a.parent_id,
                a.street_id,
                a.community_id,
                a.grade,
                a.kind,
                a.households,
                a.population,
                a.lat,
                a.lon,
            )
        for u in s.execute(select(Unit.__table__)):
            assert u.id is not None
            ref.units[u.id] = UnitInfo(
                u.id,
                u.code,
                u.name,
                u.name_en,
                UnitKind(u.kind),
                u.street_id,
                u.area_id,
                u.phone,
            )
        for c in s.execute(select(Category.__table__)):
            assert c.id is not None
            ref.categories[c.id] = CategoryInfo(
                c.id,
                c.code,
                c.parent_id,
                c.level,
                c.name,
                c.name_en,
                CaseKind(c.kind) if c.kind else None,
                UnitKind(c.unit_kind) if c.unit_kind else None,
                c.unit,
                Urgency(c.urgency) if c.urgency else None,
                _limits(c.limits_normal, c.limits_urgent),
            )
        for usr in s.execute(select(User.__table__)):
            assert usr.id is not None
            ref.users[usr.id] = UserInfo(
                usr.id,
                usr.login,
                usr.name,
                Role(usr.role),
                usr.street_id,
                usr.unit_id,
                usr.grid_id,
                usr.active,
                usr.community_id,
                UserKind(usr.kind),
                usr.admin,
            )
        for st in s.execute(select(Staff.__table__).order_by(Staff.__table__.c.id)):
            assert st.id is not None
            ref.staff_by_area.setdefault(st.area_id, []).append(
                StaffInfo(st.id, st.name, st.phone, st.role, st.area_id)
            )
        seg = RoadSegment.__table__
        for r in s.execute(select(seg).order_by(seg.c.road, seg.c.number_from)):
            ref.roads.setdefault(r.road, []).append(
                Segment(r.road, r.number_from, r.number_to, r.grid_id)
            )
        meta = {k: v for k, v in s.execute(select(Meta.__table__.c.key, Meta.__table__.c.value))}
    ref.centre = Centre.from_meta(meta)
    ref.area_by_code = {a.code: a for a in ref.areas.values()}
    ref.unit_by_code = {u.code: u for u in ref.units.values()}
    ref.category_by_code = {c.code: c for c in ref.categories.values()}
    ref.user_by_login = {u.login: u for u in ref.users.values()}
    return ref


def reference(store: Store, *, reload: bool = False) -> Reference:
    """The store's reference data, read on first use."""
    cached = store.cache.get("reference")
    if cached is None or reload:
        cached = store.cache["reference"] = load_reference(store)
    return cached
