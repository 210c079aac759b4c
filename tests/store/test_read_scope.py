"""Every read of cases applies the reader's scope, on SQLite and PostgreSQL.

The public functions of the console.queries modules are enumerated here: each one that reads
cases or their events takes the reader's `Actor` and has a probe below showing that a case out
of that reader's scope is not returned, for a reader of each reach; every other function is
listed as exempt, with why. A new read function without a probe fails the first test by name.

The figures (header counts, the grid card) are checked against the cases the policy's own
`may_read` says the reader reads, computed in Python from a district-wide read: the SQL scope
and the domain's rule must agree case for case.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

import console.queries
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import OPEN_STATUSES, Level, Role, Source, Status, UnitKind
from console.domain.errors import NotFound
from console.domain.figures import By
from console.domain.policy import Actor, Place, may_read, separated
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.i18n import say
from console.models import Case
from console.queries import cases as q
from console.queries import counts, export, figures, grids, handover, hotline, scope
from console.queries.reference import reference
from console.services.cases import act
from tests.conftest import ANCHOR
from tests.services.helpers import NOW, cast, new_case

CLOCK = SlaClock()
EVERY = q.QueueFilter(statuses=frozenset(Status))

# Functions that read no case and no event, each with the reason it needs no scope.
EXEMPT: dict[str, str] = {
    "cases.status_in": "builds a condition on the status; reads nothing",
    "cases.conditions": "builds the filter's conditions; page/count add the scope to them",
    "cases.key_of": "the keyset key of a row the caller already holds; reads nothing",
    "cases.case_row": "makes a queue row of a row already read; reads nothing",
    "handover.shift_start": "the reader's own sign-in in the trail; no case, no other user",
    "handover.latest": (
        "handover notes, not cases: the reader's own scope's (tests/store/test_handover.py "
        "reads them as another street, the same street and the district)"
    ),
    "handover.notes": "handover notes, by the domain's may_read (tests/store/test_handover.py)",
    "handover.note": "a handover note, by the domain's may_read (tests/store/test_handover.py)",
    "handover.unseen": (
        "the latest note of the reader's own scope (handover.latest), if the trail says it is "
        "news to them"
    ),
    "text_search.term_grams": "splits a search term into grams; reads nothing",
    "text_search.narrowing": (
        "a condition that narrows a text search through the index; it returns no case and no "
        "figure to a reader, and page/count AND it with the scope (probed with a text filter)"
    ),
    "reference.name_in": "a name in the reader's language; reads nothing",
    "training.training_clock": "the training store's clock, from its meta table; no case",
    "training.acted_on": (
        "the codes of the cases a trainee acted on, for the trainer's debrief of a training "
        "store (`train` commands refuse a production one: tests/store/test_debrief.py)"
    ),
    "training.first_sign_in": "the user's own sign-ins in the trail; no case",
    "reference.load_reference": "reference data: territory, units, categories, users",
    "reference.reference": "reference data, cached per store",
    "lookup.categories": "reference data: the category tree",
    "lookup.category_path": "reference data: the category tree",
    "lookup.areas": "reference data: the territory (the intake form passes what may be used)",
    "lookup.units": "reference data: units (a case's dispatch list keeps to the actor's reach)",
    "scope.territory": (
        "reference data: the places the reader's cases lie in (tested below); the cases under "
        "each place are read through page/count"
    ),
    "people.locked_until": "users' lockouts, for an admin's user list; no case data",
    "people.keys_of": "users' public keys for SSH (own, or an admin's list); no case data",
    "people.key_admits": "whether a public key opens a login; no case data",
    "views.default_view": "the built-in queue views; no case data",
    "views.filter_to_json": "a filter as JSON; reads nothing",
    "views.filter_from_json": "a filter from JSON; reads nothing",
    "views.check_filter": "checks a filter's codes against reference data",
    "views.saved_views": "the user's own saved filters; no case data",
    "cases.where_of": "builds the queue's condition, the scope first (probed through page/count)",
    "grids.nearest_grid": "reference data: the grids' centres",
    "open311.services": "reference data: the categories a resident may report",
    "open311.requests": (
        "the Open311 endpoint's public reads, no reader: never a confidential case nor a "
        "reporter (tests/serve/test_open311.py)"
    ),
    "views.views": "the user's own saved filters; no case data",
    "figures.cells_zone": "the zone the figure cells count days in (a meta key); no case data",
    "figures.day_in": "builds a day expression over an instant column; reads nothing",
    "figures.kept_columns": "builds the cells' aggregates; the fill reads every case, no reader",
    "scope.cell_scope": (
        "visible_to over the figure cells: probed through figures.tally, tally_by and trend, "
        "which read the cells for whole days"
    ),
    "figures.cohort": "builds the conditions of a period's cases, the scope first; reads nothing",
    "figures.readable": "builds the scope's conditions (visible_to); reads nothing",
    "figures.local_day": "builds a calendar day of an instant column; reads nothing",
    "figures.step_times": (
        "sums the closed cases of figures.cohort, the condition tally's probe checks; the "
        "probed cases are open"
    ),
    "figures.summoned": (
        "sums the summoned departments' tasks of figures.cohort, the condition tally's probe "
        "checks; the probed cases summon nobody (tests/services/test_whistle_tasks.py reads "
        "it in and out of scope)"
    ),
    "figures.dissatisfied": (
        "lists the cases rated dissatisfied among figures.cohort, the condition tally's probe "
        "checks; the probed cases are not rated"
    ),
}


@dataclass(frozen=True)
class World:
    """Cases on either side of each reader's scope."""

    store: Store
    inside: str  # a case every scoped reader below may read
    outside: str  # a case of another street, grid, community and unit
    copy_inside: str  # a duplicate of `inside`, on its street
    copy_outside: str  # a duplicate of `inside` from the other street
    readers: dict[str, Actor]  # by reach: each reads `inside` and not `outside`
    every: tuple[q.CaseDetail, ...]  # every case of the store, read district-wide


def _district_supervisor(store: Store) -> str:
    ref = reference(store)
    return min(
        u.login for u in ref.users.values() if u.role is Role.SUPERVISOR and u.street_id is None
    )


def _case_in_street(store: Store, login: str) -> str:
    """A new case in the first grid of this operator's street, by them."""
    c = cast(store)
    ref = reference(store)
    street = ref.actor(login).street
    grid = min(
        a.code
        for a in ref.areas.values()
        if a.level.value == "grid" and a.street_id == ref.area(street or "").id
    )
    return new_case(store, replace(c, operator=login, grid=grid), title="河道漂浮物").code


@pytest.fixture(scope="module")
def world(seeded: Store) -> World:
    c = cast(seeded)
    ref = reference(seeded)
    at = NOW

    def step(login: str, code: str, action: Action, params: Params | None = None) -> None:
        nonlocal at
        at += timedelta(minutes=5)
        act(seeded, CLOCK, login, code, action, params, now=at)

    inside = new_case(seeded, c, title="楼道堆物").code
    step(c.operator, inside, Action.ACCEPT)
    step(c.operator, inside, Action.DISPATCH, Params(unit=c.section, co_units=c.departments[:1]))

    outside = _case_in_street(seeded, c.other_operator)
    other_street = ref.actor(c.other_operator).street
    other_section = min(
        u.code
        for u in ref.units.values()
        if u.kind is UnitKind.SECTION and u.street_id == ref.area(other_street or "").id
    )
    step(c.other_operator, outside, Action.ACCEPT)
    step(c.other_operator, outside, Action.DISPATCH, Params(unit=other_section))

    copy_inside = new_case(seeded, c, title="楼道堆物 再次来电").code
    step(c.operator, copy_inside, Action.DUPLICATE, Params(other_case=inside))
    copy_outside = _case_in_street(seeded, c.other_operator)
    step(_district_supervisor(seeded), copy_outside, Action.DUPLICATE, Params(other_case=inside))

    grid = ref.area(c.grid)
    community = ref.areas[grid.community_id or 0].code
    readers = {
        "street": Actor("probe.street", Role.OPERATOR, street=c.street),
        "leader": Actor("probe.leader", Role.LEADER, street=c.street),
        "community": Actor("probe.community", Role.COMMUNITY, community=community),
        "grid": Actor("probe.grid", Role.GRID_WORKER, grid=c.grid),
        "lead unit": Actor("probe.section", Role.SECTION, unit=c.section),
        "co-handling unit": Actor("probe.liaison", Role.LIAISON, unit=c.departments[0]),
    }
    rows = q.page(seeded, q.DISTRICT_WIDE, EVERY, q.Sort.REPORTED, limit=100_000, now=ANCHOR)
    every = tuple(q.detail(seeded, q.DISTRICT_WIDE, r.code, timeline=False) for r in rows)
    return World(seeded, inside, outside, copy_inside, copy_outside, readers, every)


# --- the probes: does this function, read as `actor`, give away case `code`? ----------------


def _row(w: World, code: str) -> q.CaseRow:
    return q.detail(w.store, q.DISTRICT_WIDE, code, timeline=False).row


def _codes(rows: list[q.CaseRow]) -> set[str]:
    return {r.code for r in rows}


def _page(w: World, actor: Actor, code: str) -> bool:
    rows = q.page(w.store, actor, EVERY, q.Sort.REPORTED, limit=100_000, now=ANCHOR)
    return code in _codes(rows)


def _exported(w: World, actor: Actor, code: str) -> bool:
    return code in {row.code for row in export.cases(w.store, actor, EVERY, now=ANCHOR)}


def _replies(w: World, actor: Actor, code: str) -> bool:
    """The case as a hotline work order closed just now, for as long as the read takes."""
    columns = "source, order_no, status, closed_at"
    with w.store.raw_write() as conn:
        was = conn.execute(text(f"SELECT {columns} FROM cases WHERE code = :c"), {"c": code}).one()
        conn.execute(
            text(
                "UPDATE cases SET source = :s, order_no = :c, status = 'closed', closed_at = :at "
                "WHERE code = :c"
            ),
            {"s": Source.HOTLINE.value, "c": code, "at": ANCHOR},
        )
    try:
        replies = hotline.replies(w.store, actor, ANCHOR - timedelta(days=1))
        return code in {r.order_no for r in replies}
    finally:
        with w.store.raw_write() as conn:
            conn.execute(
                text(
                    "UPDATE cases SET source = :s, order_no = :o, status = :st, closed_at = :at "
                    "WHERE code = :c"
                ),
                {"s": was[0], "o": was[1], "st": was[2], "at": was[3], "c": code},
            )


def _last_page(w: World, actor: Actor, code: str) -> bool:
    rows = q.last_page(w.store, actor, EVERY, q.Sort.DEADLINE, limit=100_000, now=ANCHOR)
    return code in _codes(rows)


def _count(w: World, actor: Actor, code: str) -> bool:
    # A text filter: the search index narrows, the scope still decides.
    return q.count(w.store, actor, replace(EVERY, text=code), now=ANCHOR) == 1


def _position(w: World, actor: Actor, code: str) -> bool:
    """Counted ahead of a row just behind it (same report time, a lower id)."""
    behind = replace(_row(w, code), id=0)
    f = replace(EVERY, text=code)
    return q.position(w.store, actor, f, q.Sort.REPORTED, behind, now=ANCHOR) == 1


def _detail(w: World, actor: Actor, code: str) -> bool:
    try:
        return q.detail(w.store, actor, code).code == code
    except NotFound:
        return False


def _load_detail(w: World, actor: Actor, code: str) -> bool:
    with w.store.read() as s:
        try:
            return q.load_detail(s, reference(w.store), actor, code).code == code
        except NotFound:
            return False


def _codes_of(w: World, actor: Actor, code: str) -> bool:
    return q.codes_of(w.store, actor, [_row(w, code).id]) == [code]


def _duplicates_of(w: World, actor: Actor, code: str) -> bool:
    """The case itself is found, and its copies listed only where they are readable."""
    try:
        copies = q.duplicates_of(w.store, actor, code)
    except NotFound:
        return False
    if code == w.inside:
        for copy in (w.copy_inside, w.copy_outside):
            assert (copy in copies) is _detail(w, actor, copy), copy
        if actor is q.DISTRICT_WIDE:
            assert {w.copy_inside, w.copy_outside} <= set(copies)
    return True


def _visible_to(w: World, actor: Actor, code: str) -> bool:
    ref = reference(w.store)
    C = Case.__table__.c
    with w.store.read() as s:
        stmt = select(func.count()).where(C.code == code, scope.visible_to(actor, ref))
        return s.execute(stmt).scalar_one() == 1


def _readable(w: World, actor: Actor) -> list[q.CaseDetail]:
    """Every case the domain's `may_read` lets this user read, from a district-wide read."""
    out = []
    for d in w.every:
        units = (d.lead_unit_code,) if d.lead_unit_code else ()
        place = Place(d.street_code, d.community_code, d.grid_code, units + d.co_units)
        if may_read(actor, place):
            out.append(d)
    return out


def _header_counts(w: World, actor: Actor, code: str) -> bool:
    """The header's figures are those of the cases `may_read` lets the user read."""
    readable = [d for d in _readable(w, actor) if d.row.status in OPEN_STATUSES]
    mine = counts.WAITING_ON[actor.role]

    def waits(d: q.CaseDetail) -> bool:
        # Not a case to verify for who handled it; a community's, what was escalated to it.
        if d.row.status is Status.VERIFYING:
            return d.row.status in mine and separated(actor, d.handled_by, d.handled_unit)
        if actor.role is Role.COMMUNITY and d.row.level is Level.COMMUNITY:
            return d.row.status in mine | {Status.ACCEPTED}
        return d.row.status in mine

    expected = counts.Counts(
        new=sum(d.row.status is Status.REPORTED for d in readable),
        red=sum(d.row.deadline_at is not None and d.row.deadline_at <= ANCHOR for d in readable),
        mine=sum(waits(d) for d in readable),
        urgent_new=sum(
            d.row.status is Status.REPORTED and d.row.urgency.value == "urgent" for d in readable
        ),
    )
    assert counts.header_counts(w.store, actor, ANCHOR) == expected
    return any(d.code == code for d in readable)


def _red_units(w: World, actor: Actor, code: str) -> bool:
    """Cases in red per unit (None: no unit holds them), of the cases the user may read (at a
    moment that makes every case with a clock red)."""
    late = ANCHOR + timedelta(days=365)
    expected: dict[int | None, int] = {}
    for d in _readable(w, actor):
        due = d.row.deadline_at
        if d.row.status in OPEN_STATUSES and due is not None and due <= late:
            expected[d.row.lead_unit_id] = expected.get(d.row.lead_unit_id, 0) + 1
    assert {u: n for u, n, _ in figures.red_units(w.store, actor, late)} == expected
    return any(d.code == code for d in _readable(w, actor))


def _red_cases(w: World, actor: Actor, code: str) -> bool:
    late = ANCHOR + timedelta(days=365)
    return code in {r.code for r in figures.red_cases(w.store, actor, late, limit=100_000)}


def _around(w: World, code: str) -> tuple[figures.Span, int]:
    """A period holding the instant this case was reported, and how many of the cases
    reported then the reader may read."""
    at = _row(w, code).created_at
    span = figures.Span(at, at + timedelta(microseconds=1), ZoneInfo("Asia/Shanghai"))
    return span, sum(d.row.created_at == at for d in w.every)


def _counted(w: World, actor: Actor, code: str, counted: int) -> bool:
    """The figure counted the cases of the case's instant the domain says the reader reads;
    whether the case is among them."""
    at = _row(w, code).created_at
    readable = [d for d in _readable(w, actor) if d.row.created_at == at]
    assert counted == len(readable)
    return any(d.code == code for d in readable)


def _tally(w: World, actor: Actor, code: str) -> bool:
    span, _ = _around(w, code)
    return _counted(w, actor, code, figures.tally(w.store, actor, span, ANCHOR).reported)


def _tally_by(w: World, actor: Actor, code: str) -> bool:
    span, _ = _around(w, code)
    by_unit = figures.tally_by(w.store, actor, span, ANCHOR, By.UNIT)
    return _counted(w, actor, code, sum(t.reported for t in by_unit.values()))


def _trend(w: World, actor: Actor, code: str) -> bool:
    span, _ = _around(w, code)
    days = figures.trend(w.store, actor, span)
    return _counted(w, actor, code, sum(reported for _, reported, _ in days))


def _hotspots(w: World, actor: Actor, code: str) -> bool:
    span, _ = _around(w, code)
    found = figures.hotspots(w.store, actor, span, at_least=1)
    return _counted(w, actor, code, sum(n for _, _, n in found))


def _grid_card(w: World, actor: Actor, code: str) -> bool:
    """The card of the case's grid counts its cases the user may read."""
    grid_id = _row(w, code).grid_id
    readable = [d for d in _readable(w, actor) if d.row.grid_id == grid_id]
    card = grids.grid_card(w.store, actor, grid_id, ANCHOR)
    assert card.open_cases == sum(d.row.status in OPEN_STATUSES for d in readable)
    return card.open_cases > 0 and any(d.code == code for d in readable)


def _open_items(w: World, actor: Actor, code: str) -> bool:
    """What a shift leaves open, at a moment that makes every case with a clock red, and the
    touched cases of a shift that saw every event: within the reader's scope."""
    late = ANCHOR + timedelta(days=365)
    shift = handover.ShiftStart(0, ANCHOR)
    items = handover.open_items(w.store, actor, late, shift=shift, urgent_hours=24 * 400)
    return any(c.row.code == code for part in items.sections for c in part.cases)


PROBES: dict[str, Callable[[World, Actor, str], bool]] = {
    "cases.page": _page,
    "cases.last_page": _last_page,
    "export.cases": _exported,
    "hotline.replies": _replies,
    "cases.count": _count,
    "cases.position": _position,
    "cases.detail": _detail,
    "cases.load_detail": _load_detail,
    "cases.codes_of": _codes_of,
    "cases.duplicates_of": _duplicates_of,
    "scope.visible_to": _visible_to,
    "counts.header_counts": _header_counts,
    "figures.red_units": _red_units,
    "figures.red_cases": _red_cases,
    "figures.tally": _tally,
    "figures.tally_by": _tally_by,
    "figures.trend": _trend,
    "figures.hotspots": _hotspots,
    "grids.grid_card": _grid_card,
    "handover.open_items": _open_items,
}


def _public_functions() -> Iterator[tuple[str, Callable[..., object]]]:
    for info in pkgutil.iter_modules(console.queries.__path__):
        module = importlib.import_module(f"console.queries.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{info.name}.{name}", fn


def _takes_actor(fn: Callable[..., object]) -> bool:
    return any(p.annotation in (Actor, "Actor") for p in inspect.signature(fn).parameters.values())


def test_every_read_function_takes_the_reader_and_is_probed() -> None:
    problems = []
    seen = set()
    for name, fn in _public_functions():
        seen.add(name)
        if name in EXEMPT:
            continue
        if name not in PROBES:
            problems.append(f"console.queries.{name}: no scope probe (and not listed as exempt)")
        elif not _takes_actor(fn):
            problems.append(f"console.queries.{name}: reads cases without the reader's Actor")
    problems += [
        f"{name}: listed but no longer a function" for name in (EXEMPT | PROBES).keys() - seen
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_a_case_out_of_scope_is_not_returned(world: World, name: str) -> None:
    probe = PROBES[name]
    for reach, reader in world.readers.items():
        assert probe(world, reader, world.inside), f"{name}: {reach} does not see its own case"
        assert not probe(world, reader, world.outside), f"{name}: {reach} sees another's case"
    assert probe(world, q.DISTRICT_WIDE, world.outside), f"{name}: the district misses a case"


def test_out_of_scope_reads_exactly_like_a_missing_case(world: World) -> None:
    reader = world.readers["street"]
    with pytest.raises(NotFound) as hidden:
        q.detail(world.store, reader, world.outside)
    missing_code = world.outside[:-4] + "9999"
    with pytest.raises(NotFound) as missing:
        q.detail(world.store, reader, missing_code)
    for lang in ("zh", "en"):
        assert say(hidden.value, lang) == say(missing.value, lang).replace(
            missing_code, world.outside
        )


def test_a_reader_without_a_place_reads_nothing(world: World) -> None:
    """A grid worker with no grid, a unit's user with no unit: no case, not every case."""
    for reader in (
        Actor("probe.nogrid", Role.GRID_WORKER),
        Actor("probe.nocommunity", Role.COMMUNITY),
        Actor("probe.nounit", Role.SECTION),
    ):
        assert q.count(world.store, reader, EVERY, now=ANCHOR) == 0, reader


def test_the_territory_shown_is_the_readers_reach(world: World) -> None:
    """The grid browser's tree: the places of a place-bound reader's cases and what holds
    them; a unit's cases lie anywhere, so a unit's user and the district see every place."""
    ref = reference(world.store)
    inside, outside = (
        ref.areas[_row(world, code).grid_id] for code in (world.inside, world.outside)
    )
    for reach in ("street", "leader", "community", "grid"):
        shown = scope.territory(world.readers[reach], ref)
        assert shown(inside), reach
        assert all(shown(a) for a in ref.path(inside.id)), reach
        assert not shown(outside), reach
        assert not any(shown(a) for a in ref.path(outside.id)), reach
    for reader in (world.readers["lead unit"], q.DISTRICT_WIDE):
        assert scope.territory(reader, ref)(outside)
    community = scope.territory(world.readers["community"], ref)
    grid = scope.territory(world.readers["grid"], ref)
    neighbours = [
        a for a in ref.areas.values() if a.community_id == inside.community_id and a != inside
    ]
    assert neighbours and all(community(a) and not grid(a) for a in neighbours)
