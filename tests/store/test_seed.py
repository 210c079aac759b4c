"""The demo district and generated cases: deterministic, complete, consistent with the rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from console.demo.generate import seed_demo
from console.domain.enums import Light, Status
from console.domain.errors import Invalid
from console.domain.oversight import SYSTEM
from console.domain.sla import SlaClock
from console.queries import cases as q
from console.queries.reference import reference
from tests.conftest import ANCHOR, StoreFactory, refused, trail_findings

SNAPSHOT = (
    "SELECT code, title, status, urgency, deadline_at, lead_unit_id, version FROM cases ORDER BY id"
)


def _cases(store) -> list[tuple]:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(SNAPSHOT))]


def test_same_seed_same_cases_other_seed_other_cases(stores: StoreFactory) -> None:
    a = stores.seeded(cases=300, seed=11)
    b = stores.seeded(cases=300, seed=11)
    c = stores.seeded(cases=300, seed=12)
    assert _cases(a) == _cases(b)
    assert _cases(a) != _cases(c)
    assert len(_cases(a)) == 300


def test_every_road_address_lies_in_a_segment_of_its_own_grid(stores: StoreFactory) -> None:
    # Issue #20: the demo's addresses named roads at random, so the grid lookup could not
    # find them again.
    store = stores.seeded(cases=400, seed=5)
    with store.engine.connect() as conn:
        segments = list(
            conn.execute(text("SELECT road, number_from, number_to, grid_id FROM road_segments"))
        )
        cases = list(conn.execute(text("SELECT code, address, grid_id FROM cases")))
        bare = conn.execute(
            text(
                "SELECT count(*) FROM areas WHERE level = 'grid' "
                "AND id NOT IN (SELECT grid_id FROM road_segments)"
            )
        ).scalar_one()
    assert bare == 0  # every grid has a road through it
    roads = {road for road, *_ in segments}
    on_roads = 0
    for code, address, grid_id in cases:
        found = re.fullmatch(r"(\D+?)(\d+)号", address)
        if found is None or found.group(1) not in roads:
            continue
        road, number = found.group(1), int(found.group(2))
        on_roads += 1
        assert any(
            r == road and low <= number <= high and g == grid_id for r, low, high, g in segments
        ), (code, address)
    assert on_roads > 100


def test_parallel_generation_matches_serial(tmp_path) -> None:  # type: ignore[no-untyped-def]
    factory = StoreFactory("sqlite", tmp_path)
    serial = factory.seeded(cases=12_000, seed=3)
    parallel = factory.empty()
    seed_demo(parallel, SlaClock(), cases=12_000, seed=3, anchor=ANCHOR, processes=2)
    assert _cases(serial) == _cases(parallel)
    factory.close()


def test_district_matches_published_scale(seeded) -> None:  # type: ignore[no-untyped-def]
    ref = reference(seeded)
    levels = Counter(a.level.value for a in ref.areas.values())
    assert levels["street"] == 8
    assert levels["community"] == 60
    assert 680 <= levels["grid"] <= 720
    assert levels["dedicated"] == 40
    assert levels["micro"] > 0
    subcategories = [c for c in ref.categories.values() if c.is_leaf]
    assert len(subcategories) >= 120
    grids = [a for a in ref.areas.values() if a.level.value == "grid"]
    assert all(len(ref.staff_by_area.get(g.id, [])) == 2 for g in grids)


def test_seeded_cases_cover_the_loop_and_their_histories_agree(stores: StoreFactory) -> None:
    store = stores.seeded(cases=3000, seed=5)
    statuses = Counter(r[2] for r in _cases(store))
    for status in Status:
        assert statuses[status.value] > 0, f"no seeded case is {status.value}"
    assert trail_findings(store) == []
    with store.engine.connect() as conn:
        # Every case's last event leads to its current status, and versions count events.
        mismatched = conn.execute(
            text(
                "SELECT count(*) FROM cases c JOIN audit_events e ON e.case_id = c.id "
                "WHERE e.seq = (SELECT max(seq) FROM audit_events WHERE case_id = c.id) "
                "AND e.to_status <> c.status"
            )
        ).scalar()
        wrong_versions = conn.execute(
            text(
                "SELECT count(*) FROM cases c WHERE c.version <> "
                "(SELECT count(*) FROM audit_events WHERE case_id = c.id)"
            )
        ).scalar()
        # The trail names real people: every event is signed by a user of the store, but the
        # system's automatic urges (督办), which say so.
        unsigned = conn.execute(
            text(
                "SELECT count(*) FROM audit_events WHERE actor NOT IN (SELECT login FROM users) "
                "AND NOT (actor = :system AND action = 'urge')"
            ),
            {"system": SYSTEM},
        ).scalar()
        open_without_deadline = conn.execute(
            text(
                "SELECT count(*) FROM cases WHERE status NOT IN "
                "('closed','invalid','duplicate','suspended') AND deadline_at IS NULL"
            )
        ).scalar()
        stuck = conn.execute(
            text(
                "SELECT count(*) FROM cases WHERE status NOT IN "
                "('closed','invalid','duplicate','suspended') AND step_started_at < :long_ago"
            ),
            {"long_ago": (ANCHOR - timedelta(days=90)).replace(tzinfo=None)},
        ).scalar()
        if store.is_sqlite:
            # The bulk load checks no foreign key row by row: every reference must hold anyway,
            # and the store's own settings must be back once it is done.
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert mismatched == 0
    assert stuck == 0, "no open case should sit in one step for months"
    assert wrong_versions == 0
    assert unsigned == 0
    assert open_without_deadline == 0
    red = q.count(store, q.DISTRICT_WIDE, q.QueueFilter(lights=frozenset({Light.RED})), now=ANCHOR)
    assert red > 0, "a living centre has some overdue cases"


def test_seeding_a_seeded_store_needs_replace(stores: StoreFactory) -> None:
    store = stores.seeded(cases=10)
    with refused(Invalid, "--replace"):
        seed_demo(store, SlaClock(), cases=10, seed=1, anchor=ANCHOR)
    seed_demo(store, SlaClock(), cases=20, seed=1, anchor=ANCHOR, replace=True)
    assert len(_cases(store)) == 20
    assert trail_findings(store) == []


def test_codes_continue_after_seed(stores: StoreFactory) -> None:
    from console.domain.enums import Source
    from console.domain.intake import NewCase
    from console.services.cases import create_case

    store = stores.seeded(cases=50)
    ref = reference(store)
    operator = next(u for u in ref.users.values() if u.role.value == "operator")
    street = ref.areas[operator.street_id]  # type: ignore[index]
    grid = next(
        a for a in ref.areas.values() if a.level.value == "grid" and a.street_id == street.id
    )
    category = next(
        c for c in ref.categories.values() if c.is_leaf and c.kind and c.kind.value == "event"
    )
    before = {r[0] for r in _cases(store)}
    made = create_case(
        store,
        SlaClock(),
        operator.login,
        NewCase(
            title="测试",
            category=category.code,
            grid=grid.code,
            address="测试路1号",
            source=Source.HOTLINE,
        ),
        now=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
    )
    assert made.code not in before
    assert made.code.startswith("E2026-")
