"""The schema on both backends: migrations, the models' agreement with them, the audit table."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from console import search_index
from console.db import MIGRATIONS, SCHEMA_HEAD, Store
from console.domain.errors import StoreError
from console.models import SQLModel, partial_condition
from tests.conftest import StoreFactory, refused


def test_init_twice_is_safe_and_keeps_data(stores: StoreFactory) -> None:
    store = stores.empty()
    with store.raw_write() as conn:
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('probe', 'kept')"))
    store.migrate()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key='probe'")).scalar() == "kept"
        assert conn.execute(text("SELECT count(*) FROM audit_head")).scalar() == 1


def _not_search_index(
    obj: object, name: str | None, kind: str, reflected: bool, to: object
) -> bool:
    """The text search index lives outside the models (an FTS5 table and its shadow tables on
    SQLite, a GIN expression index on PostgreSQL); test_search checks it finds what it must."""
    return not (name or "").startswith((search_index.FTS, search_index.PG_INDEX_NAME))


def test_models_agree_with_migration_head(stores: StoreFactory) -> None:
    store = stores.empty()
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _not_search_index}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_console_knows_the_newest_migration(stores: StoreFactory) -> None:
    """Opening the console compares the store with SCHEMA_HEAD instead of loading Alembic: a
    new migration must move it, or every store would be refused as old (or taken as current)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD
    store = stores.empty()
    assert store.is_current()
    with store.raw_write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert not store.is_current()


def test_queue_indexes_exist(stores: StoreFactory) -> None:
    store = stores.empty()
    names = {ix["name"] for ix in inspect(store.engine).get_indexes("cases")}
    assert {
        "ix_cases_queue_deadline",
        "ix_cases_street_deadline",
        "ix_cases_created",
        "ix_cases_updated",
    } <= names


def _partial(store: Store) -> dict[str, str]:
    """Each partial index of the store, by name, with its condition as the store keeps it."""
    with store.read() as s:
        if store.backend == "sqlite":
            rows = s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
            return {n: sql.split(" WHERE ", 1)[1] for n, sql in rows if sql and " WHERE " in sql}
        rows = s.execute(
            text(
                "SELECT c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indpred IS NOT NULL"
            )
        )
        return dict(rows.tuples().all())


@pytest.mark.parametrize("built_by", ["migrations", "seed"])
def test_the_models_partial_indexes_are_the_stores(stores: StoreFactory, built_by: str) -> None:
    """The models keep each partial index's condition as data (not as a dialect's keyword,
    which would load both dialects at every start): the migrations' indexes are those, and so
    are the ones the seed drops for its bulk load and builds again."""
    store = stores.empty() if built_by == "migrations" else stores.seeded(cases=5)
    declared = {
        ix.name: condition
        for table in SQLModel.metadata.tables.values()
        for ix in table.indexes
        if (condition := partial_condition(ix, store.backend))
    }
    kept = {n: c for n, c in _partial(store).items() if _not_search_index(None, n, "", False, None)}
    assert set(declared) == set(kept)
    if store.backend == "sqlite":  # PostgreSQL keeps its own rewriting of the condition
        assert {n: " ".join(c.split()) for n, c in kept.items()} == declared


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET reason = 'forged'",
        "DELETE FROM audit_events",
    ],
)
def test_audit_table_refuses_update_and_delete(stores: StoreFactory, statement: str) -> None:
    store = stores.seeded(cases=5)
    with store.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*), max(hash) FROM audit_events")).one()
    assert before[0] > 0
    # The store's own refusal, worded as every store error is (its driver's error ends there).
    with refused(StoreError, "append-only"), store.raw_write() as conn:
        conn.execute(text(statement))
    with store.engine.connect() as conn:
        after = conn.execute(text("SELECT count(*), max(hash) FROM audit_events")).one()
    assert after == before


def test_sqlite_pragmas(tmp_path: object) -> None:
    from console.db import Store

    store = Store(f"sqlite:///{tmp_path}/p.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
