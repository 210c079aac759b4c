"""A store made before cases kept their record for the figures (schema 0009): `gridcall init`
upgrades it and fills each case's record from its trail, as the workflow would have kept it;
one made before the figure cells (0010) has them summed from its cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from console.db import MIGRATIONS, Store
from console.models import STEP_MIN_COLUMNS
from tests.conftest import StoreFactory, trail_findings
from tests.store.identity import gridcall_here

RECORD = ("late_steps", "ext_count", *STEP_MIN_COLUMNS, "timed_from")


def records(store: Store) -> list[tuple[object, ...]]:
    with store.read() as s:
        return [
            tuple(r)
            for r in s.execute(text(f"SELECT id, {', '.join(RECORD)} FROM cases ORDER BY id"))
        ]


def cells_of(store: Store) -> list[tuple[object, ...]]:
    with store.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                text("SELECT * FROM figure_cells ORDER BY day, community_id, unit_id, handler")
            )
        ] + [
            tuple(r)
            for table in ("area_cells", "closed_cells")
            for r in s.execute(text(f"SELECT * FROM {table} ORDER BY day, community_id"))
        ]


def back_to_0009(store: Store) -> None:
    back_to(store, "0009")
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM meta WHERE key = 'case_record'"))


def back_to(store: Store, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.connect() as conn:
        if store.is_sqlite:  # dropping columns rebuilds the table, which others' keys point at
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)


def test_init_fills_the_record_of_a_store_made_before_it(
    stores: StoreFactory, tmp_path: Path
) -> None:
    store = stores.seeded(cases=300)
    kept = records(store)
    assert any(r[1] for r in kept) and any(r[3] for r in kept)  # steps ran late, minutes spent
    back_to_0009(store)
    store.engine.dispose()

    ran = gridcall_here("init", "--db", store.url, state=tmp_path / "state")
    assert ran.code == 0, ran.err
    assert "filled the figures' record of 300 cases from their trails" in ran.out
    assert records(store) == kept
    assert trail_findings(store) == []

    again = gridcall_here("init", "--db", store.url, state=tmp_path / "state")
    assert again.code == 0 and "filled" not in again.out  # once is enough


def overall(store: Store) -> list[tuple[object, ...]]:
    with store.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                text("SELECT id, due_at, due_given, paused_due_min FROM cases ORDER BY id")
            )
        ]


def test_init_fills_the_overall_deadline_of_a_store_made_before_it(
    stores: StoreFactory, tmp_path: Path
) -> None:
    """A store made at 0013 kept no overall deadline 办结时限: init replays each case's trail
    for it, as it does for the record, and the trail agrees."""
    store = stores.seeded(cases=300)
    kept = overall(store)
    assert all(r[1] is not None or r[3] is not None for r in kept)
    back_to(store, "0013")
    store.engine.dispose()

    ran = gridcall_here("init", "--db", store.url, state=tmp_path / "state")
    assert ran.code == 0, ran.err
    assert "filled the figures' record of 300 cases from their trails" in ran.out
    assert overall(store) == kept
    assert trail_findings(store) == []


@pytest.mark.parametrize("made_at", ["0010", "0011"])  # before the cells; before their handler
def test_init_sums_the_figure_cells_of_a_store_made_before_them(
    stores: StoreFactory, tmp_path: Path, made_at: str
) -> None:
    store = stores.seeded(cases=300)
    kept = cells_of(store)
    with store.read() as s:
        assert s.execute(text("SELECT count(*) FROM figure_cells WHERE handler <> ''")).scalar()
    back_to(store, made_at)
    store.engine.dispose()

    ran = gridcall_here("init", "--db", store.url, state=tmp_path / "state")
    assert ran.code == 0, ran.err
    assert "summed the figure cells" in ran.out
    assert cells_of(store) == kept

    again = gridcall_here("init", "--db", store.url, state=tmp_path / "state")
    assert again.code == 0 and "summed" not in again.out  # once is enough


def test_a_store_made_by_init_takes_the_demo_seed(stores: StoreFactory, tmp_path: Path) -> None:
    """`gridcall init` marks an empty store's record and cells as kept; seeding it after must
    not trip over its own marks (the newcomer's way: init, then seed)."""
    store = stores.empty()
    store.engine.dispose()  # the commands open the store themselves
    state = tmp_path / "state"
    assert gridcall_here("init", "--db", store.url, state=state).code == 0
    seeded = gridcall_here("seed", "--db", store.url, "--cases", "50", state=state)
    assert seeded.code == 0, seeded.err
    assert "Loaded the demo district and 50 cases" in seeded.err + seeded.out
    assert trail_findings(store) == []


@pytest.mark.parametrize(
    ("table", "count"),
    [("figure_cells", "closed"), ("area_cells", "urges"), ("closed_cells", "closed")],
)
def test_audit_verify_finds_figure_cells_apart_from_the_cases_and_init_recounts_them(
    stores: StoreFactory, tmp_path: Path, table: str, count: str
) -> None:
    """A cell nudged by hand makes the figures of its day lie: verify says so (exit 1) and
    names the day; `init --recount` sums the cells afresh and verify passes again."""
    store = stores.seeded(cases=300)
    state = tmp_path / "state"
    assert gridcall_here("audit", "verify", "--db", store.url, state=state).code == 0
    with store.engine.begin() as conn:
        day = conn.execute(text(f"SELECT min(day) FROM {table} WHERE {count} > 0")).scalar()
        conn.execute(
            text(f"UPDATE {table} SET {count} = {count} + 1 WHERE day = :day"), {"day": day}
        )
    store.engine.dispose()

    broken = gridcall_here("audit", "verify", "--db", store.url, state=state)
    assert broken.code == 1
    assert f"Figure cells of {table} that differ from a fresh sum of the cases: 1, " in broken.err
    assert f"the first on {day} in " in broken.err
    assert "gridcall init --recount" in broken.err

    assert gridcall_here("init", "--recount", "--db", store.url, state=state).code == 0
    assert gridcall_here("audit", "verify", "--db", store.url, state=state).code == 0
