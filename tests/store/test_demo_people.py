"""The demo district's people: a login for everyone who acts, and histories they could have made.

Every seeded event is signed by a user of the store; every grid, community, section and unit
has a user who does its work; the seeded histories keep 巡办分离 and dispatch within reach; and
every demo user signs in with the documented password.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from console.db import Store
from console.demo.people import DEMO_PASSWORD
from console.domain.actions import Action
from console.domain.enums import AreaLevel, Role, UnitKind
from console.domain.errors import Forbidden
from console.domain.oversight import SYSTEM
from console.domain.policy import UNIT_ROLES, UNIT_WORK, Place, may_take
from console.queries.reference import Reference, reference
from console.services.auth import sign_in
from tests.conftest import BACKENDS, StoreFactory, refused

CASES = 3000


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A seeded store with enough cases for every path round the loop."""
    factory = StoreFactory(request.param, Path(tmp_path_factory.mktemp("people")))
    yield factory.seeded(cases=CASES, seed=5)
    factory.close()


@dataclass(frozen=True)
class Ev:
    case: str
    street: str
    actor: str
    action: Action
    payload: dict[str, Any]


def _events(store: Store) -> list[Ev]:
    """The cases' events in order, each with its case's street."""
    sql = (
        "SELECT c.code, s.code, e.actor, e.action, e.payload FROM audit_events e "
        "JOIN cases c ON c.id = e.case_id JOIN areas s ON s.id = c.street_id ORDER BY e.seq"
    )
    with store.engine.connect() as conn:
        return [
            Ev(code, street, actor, Action(action), _payload(payload))
            for code, street, actor, action, payload in conn.execute(text(sql))
        ]


def _payload(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    return raw if isinstance(raw, dict) else dict(json.loads(raw))


def _acting(ref: Reference) -> dict[str, list[str]]:
    """Unit code → the logins that act for it."""
    out: dict[str, list[str]] = {}
    for user in ref.users.values():
        unit = ref.actor(user.login).own_unit
        if unit is not None:
            out.setdefault(unit, []).append(user.login)
    return out


def _place_led_by(ref: Reference, unit_code: str) -> Place:
    """A case this unit leads, in the unit's own place (its grid, its community, its street)."""
    unit = ref.unit(unit_code)
    area = ref.areas[unit.area_id] if unit.area_id else None
    street = ref.areas[unit.street_id].code if unit.street_id else "LJ01"
    if area is not None and area.level is AreaLevel.COMMUNITY:
        return Place(street, area.code, "", (unit_code,))
    if area is not None:
        community = ref.areas[area.community_id].code if area.community_id else None
        return Place(street, community, area.code, (unit_code,))
    return Place(street, None, "", (unit_code,))


def test_every_seeded_event_is_signed_by_a_user_of_the_store(demo: Store) -> None:
    """By a user, or by the system for its automatic 督办 (an urge, naming its rule)."""
    logins = set(reference(demo).user_by_login)
    events = _events(demo)
    assert len(events) > CASES
    strangers = sorted({e.actor for e in events} - logins)
    assert strangers == [SYSTEM]
    assert {e.action for e in events if e.actor == SYSTEM} == {"urge"}


def test_every_place_and_unit_has_a_login_that_acts_for_it(demo: Store) -> None:
    ref = reference(demo)
    acting = _acting(ref)
    places = [
        a
        for a in ref.areas.values()
        if a.level in (AreaLevel.GRID, AreaLevel.DEDICATED, AreaLevel.COMMUNITY)
    ]
    served = {u.area_id for u in ref.units.values() if u.area_id}
    assert [a.code for a in places if a.id not in served] == []
    kinds = {u.kind for u in ref.units.values()}
    assert {UnitKind.GRID, UnitKind.COMMUNITY, UnitKind.SECTION, UnitKind.DEPARTMENT} <= kinds
    for unit in ref.units.values():
        logins = acting.get(unit.code)
        assert logins, f"no login acts for {unit.code}"
        place = _place_led_by(ref, unit.code)
        for login in logins:
            actor = ref.actor(login)
            assert may_take(actor, Action.SIGN, place), f"{login} may not sign for {unit.code}"
            assert may_take(actor, Action.HANDLED, place)


def test_logins_follow_the_documented_scheme_and_show_their_true_scope(demo: Store) -> None:
    ref = reference(demo)
    expected = {
        "gw.lj010101": (Role.GRID_WORKER, "LJ010101"),
        "gw.lj01z01": (Role.GRID_WORKER, "LJ01Z01"),
        "co.lj0101": (Role.COMMUNITY, "LJ0101"),
        "sec.s-lj01-pa": (Role.SECTION, "S-LJ01-PA"),
        "liaison.cg": (Role.LIAISON, "U-CG"),
        "liaison.hb": (Role.LIAISON, "U-HB"),
        "leader.jiangbin": (Role.LEADER, "LJ01"),
        "leader.district": (Role.LEADER, "district"),
        "op.jiangbin1": (Role.OPERATOR, "LJ01"),
        "sup.district1": (Role.SUPERVISOR, "district"),
    }
    for login, (role, scope) in expected.items():
        user = ref.user(login)
        assert (user.role, ref.scope_of(user)) == (role, scope), login
    # A grid worker is named after the grid's worker in its staff.
    worker = ref.user("gw.lj010101")
    assert worker.grid_id is not None
    staff = {s.name for s in ref.staff_by_area[worker.grid_id]}
    assert worker.name in staff
    assert ref.actor("gw.lj010101").street == "LJ01"
    assert ref.actor("co.lj0101").street == "LJ01"
    # The admin manages its users.
    assert ref.user("admin").admin and ref.user("admin").manages_users


def test_unit_work_is_done_by_the_units_own_people(demo: Store) -> None:
    ref = reference(demo)
    lead: dict[str, str] = {}
    for e in _events(demo):
        if e.action is Action.SIGN:
            lead[e.case] = e.payload["unit"]
        if e.action is Action.SELF_CLOSE:  # 自办自结: the grid's worker, for the grid's unit
            worker = ref.actor(e.actor)
            assert worker.role is Role.GRID_WORKER and worker.own_unit is not None, e
            lead[e.case] = worker.own_unit
        if e.action in UNIT_WORK:
            actor = ref.actor(e.actor)
            assert actor.role in UNIT_ROLES, f"{e.actor} did {e.action} on {e.case}"
        if e.action in (Action.HANDLED, Action.EXTEND):
            assert ref.actor(e.actor).own_unit == lead[e.case], e


def test_no_seeded_case_is_verified_by_whoever_handled_it(demo: Store) -> None:
    ref = reference(demo)
    signed: dict[str, str] = {}  # case → the unit that signed for it last
    handled: dict[str, tuple[str, str]] = {}  # case → (who handled it, for which unit)
    verified = 0
    for e in _events(demo):
        if e.action is Action.SIGN:
            signed[e.case] = e.payload["unit"]
        elif e.action is Action.HANDLED:
            handled[e.case] = (e.actor, signed[e.case])
        elif e.action is Action.SELF_CLOSE:  # handled on the spot, for the worker's own unit
            unit = ref.actor(e.actor).own_unit
            assert unit is not None, e
            signed[e.case], handled[e.case] = unit, (e.actor, unit)
        elif e.action is Action.VERIFY:
            who, unit = handled[e.case]
            assert e.actor != who, f"{who} verified what they handled on {e.case}"
            assert ref.actor(e.actor).own_unit != unit, f"{unit} verified itself on {e.case}"
            verified += 1
    assert verified > CASES // 3
    by_worker = sum(
        1 for e in _events(demo) if e.action is Action.VERIFY and e.actor.startswith("gw.")
    )
    assert 0 < by_worker < verified, "the grid's worker checks others' work, an operator theirs"


def test_no_seeded_dispatch_reaches_beyond_the_cases_street(demo: Store) -> None:
    ref = reference(demo)
    given = 0
    for e in _events(demo):
        if e.action not in (Action.DISPATCH, Action.WHISTLE):
            continue
        actor = ref.actor(e.actor)
        district = actor.role is Role.SUPERVISOR and actor.street is None
        for unit in (e.payload["unit"], *e.payload["co_units"]):
            given += 1
            assert district or ref.unit_street(unit) in (None, e.street), (e.case, unit)
    assert given > CASES // 2


def test_a_demo_user_signs_in_with_the_demo_password(demo: Store) -> None:
    ref = reference(demo, reload=True)
    assert ref.centre.demo_password == DEMO_PASSWORD
    for login in ("gw.lj010101", "co.lj0101", "op.jiangbin1"):
        assert sign_in(demo, login, DEMO_PASSWORD, where="test") == login
    with refused(Forbidden, "wrong login or password"):
        sign_in(demo, "sec.s-lj01-pa", DEMO_PASSWORD + "!", where="test")


def test_the_production_demo_has_no_trainer_nor_trainee(demo: Store) -> None:
    """Trainers and trainees exist only in a training store: here nobody signs in as one."""
    ref = reference(demo, reload=True)
    assert not any(u.role is Role.TRAINER for u in ref.users.values())
    assert not any(u.login.startswith("trainee") for u in ref.users.values())
    for login in ("trainer", "trainee1"):
        with refused(Forbidden, "wrong login or password"):
            sign_in(demo, login, DEMO_PASSWORD, where="test")


def _people(store: Store) -> list[tuple[Any, ...]]:
    sql = (
        "SELECT login, name, role, street_id, unit_id, grid_id, community_id, kind, admin "
        "FROM users ORDER BY login"
    )
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _trail(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT seq, actor, hash FROM audit_events"))]


def test_the_same_seed_gives_the_same_people_and_trail(stores: StoreFactory) -> None:
    a = stores.seeded(cases=300, seed=11)
    b = stores.seeded(cases=300, seed=11)
    assert _people(a) == _people(b)
    assert _trail(a) == _trail(b)
    assert len(_trail(a)) > 300
