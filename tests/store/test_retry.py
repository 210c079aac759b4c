"""A unit of work that loses its PostgreSQL connection before COMMIT runs again, once."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import StoreFactory


@pytest.fixture
def pg(tmp_path):  # type: ignore[no-untyped-def]
    factory = StoreFactory("pg", tmp_path)
    yield factory
    factory.close()


def test_lost_connection_before_commit_is_retried(pg: StoreFactory) -> None:
    store = pg.empty()
    assert pg.base is not None
    admin = create_engine(pg.base)
    attempts = []

    def work(session):  # type: ignore[no-untyped-def]
        attempts.append(1)
        session.execute(text("INSERT INTO meta (key, value) VALUES ('probe', 'once')"))
        if len(attempts) == 1:
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.begin() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            session.execute(text("SELECT 1"))  # the server is gone: this raises
        return "done"

    assert store.write(work) == "done"
    assert len(attempts) == 2
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT value FROM meta WHERE key = 'probe'")).all()
    assert [r.value for r in rows] == ["once"]
    admin.dispose()
