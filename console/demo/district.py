"""Loading the demo district — territory, roads, staff, units, categories, users — into a store."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from console.demo.people import demo_users
from console.demo.roads import road_segments
from console.demo.seedfiles import Seeds
from console.domain.enums import AreaLevel, Role, StaffRole, UnitKind, UserKind
from console.domain.policy import community_unit_code, grid_unit_code
from console.models import Area, Category, Meta, RoadSegment, Staff, Unit, User
from console.queries.reference import LEVEL_LIMITS_KEY

A = Area.__table__
U = Unit.__table__


def _ids(conn: Connection, table: Any) -> dict[str, int]:
    return {code: id_ for code, id_ in conn.execute(select(table.c.code, table.c.id))}


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(table), rows)


def _area(code: str, name: str, level: AreaLevel, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code,
        "name": name,
        "name_en": None,
        "level": level.value,
        "parent_id": None,
        "street_id": None,
        "community_id": None,
        "grade": None,
        "kind": None,
        "households": 0,
        "population": 0,
        "lat": None,
        "lon": None,
    }
    row.update(kw)
    return row


def load_district(conn: Connection, seeds: Seeds, password_hash: str) -> None:
    """Insert the district's reference data; the tables must be empty. Every user signs in
    with the password of `password_hash` (hashed once by the caller: argon2 is slow on purpose,
    and the demo has hundreds of users)."""
    d = seeds.district
    _insert(
        conn,
        A,
        [
            _area(
                d.code,
                d.name,
                AreaLevel.DISTRICT,
                name_en=d.name_en,
                households=d.households,
                population=d.population,
                lat=d.lat,
                lon=d.lon,
            )
        ],
    )
    ids = _ids(conn, A)
    _insert(
        conn,
        A,
        [
            _area(
                s.code,
                s.name,
                AreaLevel.STREET,
                name_en=s.name_en,
                parent_id=ids[d.code],
                lat=s.lat,
                lon=s.lon,
            )
            for s in seeds.streets
        ],
    )
    ids = _ids(conn, A)
    _insert(
        conn,
        A,
        [
            _area(
                c.code,
                c.name,
                AreaLevel.COMMUNITY,
                name_en=c.name_en,
                parent_id=ids[c.street],
                street_id=ids[c.street],
                lat=c.lat,
                lon=c.lon,
            )
            for c in seeds.communities
        ],
    )
    ids = _ids(conn, A)
    street_of = {c.code: c.street for c in seeds.communities}
    _insert(
        conn,
        A,
        [
            _area(
                g.code,
                g.name,
                AreaLevel.GRID,
                parent_id=ids[g.community],
                street_id=ids[street_of[g.community]],
                community_id=ids[g.community],
                grade=g.grade.value,
                households=g.households,
                population=g.population,
                lat=g.lat,
                lon=g.lon,
            )
            for g in seeds.grids
        ]
        + [
            _area(
                z.code,
                z.name,
                AreaLevel.DEDICATED,
                parent_id=ids[z.community or z.street],
                street_id=ids[z.street],
                community_id=ids[z.community] if z.community else None,
                grade=z.grade.value,
                kind=z.kind.value,
                lat=z.lat,
                lon=z.lon,
            )
            for z in seeds.dedicated
        ],
    )
    ids = _ids(conn, A)
    grid_rows = {g.code: g for g in seeds.grids}
    _insert(
        conn,
        A,
        [
            _area(
                m.code,
                m.name,
                AreaLevel.MICRO,
                parent_id=ids[m.grid],
                street_id=ids[street_of[grid_rows[m.grid].community]],
                community_id=ids[grid_rows[m.grid].community],
                households=m.households,
            )
            for m in seeds.micro_grids
        ],
    )
    ids = _ids(conn, A)
    _insert(
        conn,
        RoadSegment.__table__,
        [
            {"road": r.road, "number_from": r.first, "number_to": r.last, "grid_id": ids[r.grid]}
            for r in road_segments(seeds)
        ],
    )

    staff: list[dict[str, Any]] = []
    for g in seeds.grids:
        staff.append(
            {
                "name": g.worker_name,
                "phone": g.worker_phone,
                "role": StaffRole.GRID_WORKER.value,
                "area_id": ids[g.code],
            }
        )
        staff.append(
            {
                "name": g.leader_name,
                "phone": g.leader_phone,
                "role": StaffRole.GRID_LEADER.value,
                "area_id": ids[g.code],
            }
        )
    for m in seeds.micro_grids:
        staff.append(
            {
                "name": m.head_name,
                "phone": m.head_phone,
                "role": StaffRole.MICRO_HEAD.value,
                "area_id": ids[m.code],
            }
        )
    _insert(conn, Staff.__table__, staff)

    community_names = {c.code: c.name for c in seeds.communities}
    units = [
        {
            "code": u.code,
            "name": u.name,
            "name_en": u.name_en,
            "kind": u.kind.value,
            "street_id": ids[u.street] if u.street else None,
            "area_id": None,
            "phone": u.phone,
        }
        for u in seeds.units
    ]
    units += [
        {
            "code": community_unit_code(c.code),
            "name": f"{community_names[c.code]}居委会",
            "name_en": f"{c.name_en} residents' committee" if c.name_en else None,
            "kind": UnitKind.COMMUNITY.value,
            "street_id": ids[c.street],
            "area_id": ids[c.code],
            "phone": None,
        }
        for c in seeds.communities
    ]
    units += [
        {
            "code": grid_unit_code(g.code),
            "name": f"{g.name}网格员",
            "name_en": f"grid {g.code} worker",
            "kind": UnitKind.GRID.value,
            "street_id": ids[street_of[g.community]],
            "area_id": ids[g.code],
            "phone": g.worker_phone,
        }
        for g in seeds.grids
    ]
    units += [
        {
            "code": grid_unit_code(z.code),
            "name": f"{z.name}专属网格员",
            "name_en": f"dedicated grid {z.code} worker",
            "kind": UnitKind.GRID.value,
            "street_id": ids[z.street],
            "area_id": ids[z.code],
            "phone": None,
        }
        for z in seeds.dedicated
    ]
    _insert(conn, U, units)
    unit_ids = _ids(conn, U)

    # The holding levels' limits are the centre's rules, kept beside its others in the meta.
    limits = {level.value: lim.to_json() for level, lim in seeds.level_limits.items()}
    meta = Meta.__table__
    conn.execute(delete(meta).where(meta.c.key == LEVEL_LIMITS_KEY))
    _insert(conn, meta, [{"key": LEVEL_LIMITS_KEY, "value": json.dumps(limits)}])

    cat = Category.__table__
    for level in ("module", "category", "sub"):
        cat_ids = _ids(conn, cat)
        _insert(
            conn,
            cat,
            [
                {
                    "code": c.code,
                    "parent_id": cat_ids[c.parent] if c.parent else None,
                    "level": c.level,
                    "name": c.name,
                    "name_en": c.name_en,
                    "kind": c.kind.value if c.kind else None,
                    "unit_kind": c.unit_kind.value if c.unit_kind else None,
                    "unit": c.unit,
                    "urgency": c.urgency.value if c.urgency else None,
                    "limits_normal": {k.value: v for k, v in c.normal_limits.items()}
                    if c.normal_limits
                    else None,
                    "limits_urgent": {k.value: v for k, v in c.urgent_limits.items()}
                    if c.urgent_limits
                    else None,
                }
                for c in seeds.categories
                if c.level == level
            ],
        )

    _insert(
        conn,
        User.__table__,
        [
            {
                "login": u.login,
                "name": u.name,
                "role": u.role.value,
                "street_id": ids[u.street] if u.street else None,
                "unit_id": unit_ids[u.unit] if u.unit else None,
                "grid_id": ids[u.grid] if u.grid else None,
                "community_id": ids[u.community] if u.community else None,
                "active": True,
                "kind": UserKind.PERSON.value,
                "admin": u.role is Role.ADMIN,
                "password_hash": password_hash,
                "failed_signins": 0,
                "locked_until": None,
            }
            for u in demo_users(seeds)
        ],
    )
