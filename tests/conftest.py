"""Stores for tests: every store test runs on SQLite and on PostgreSQL.

PostgreSQL comes from GRIDCALL_TEST_PG_URL (`.ci/run` starts a server and exports it). Without
it the PostgreSQL variants skip with the reason shown; under CI they fail instead, because CI
must run them. Each PostgreSQL store lives in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from console import wallclock
from console.db import Store
from console.domain.errors import GridcallError
from console.domain.sla import SlaClock
from console.i18n import say

PG_ENV = "GRIDCALL_TEST_PG_URL"
BACKENDS = ["sqlite", "pg"]
# A fixed moment for seeded stores, so tests see the same cases every run.
ANCHOR = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _wall_clock_again() -> Iterator[None]:
    """A console or command opened on a training store lives in its trainer's time
    (wallclock.follow): the next test lives in the wall clock's again."""
    yield
    wallclock.follow(None)


def _pg_base() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        reason = f"PostgreSQL tests need {PG_ENV} (see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(reason + " — CI must run them", pytrace=False)
        pytest.skip(reason)
    return url


def _pg_schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    query = dict(url.query) | {"options": f"-csearch_path={schema}"}
    return url.set(query=query).render_as_string(hide_password=False)


class StoreFactory:
    """Makes empty migrated stores of one backend and cleans them up."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.tmp = tmp
        self.stores: list[Store] = []
        self.schemas: list[str] = []
        self.base = _pg_base() if backend == "pg" else None

    def url(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / f'{uuid.uuid4().hex[:8]}.db'}"
        assert self.base is not None
        schema = "t_" + uuid.uuid4().hex[:12]
        engine = create_engine(self.base)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        self.schemas.append(schema)
        return _pg_schema_url(self.base, schema)

    def empty(self, *, migrate: bool = True) -> Store:
        store = Store(self.url())
        if migrate:
            store.migrate()
        self.stores.append(store)
        return store

    def seeded(self, cases: int = 60, seed: int = 7) -> Store:
        from console.demo.generate import seed_demo

        store = self.empty()
        seed_demo(store, SlaClock(), cases=cases, seed=seed, anchor=ANCHOR, processes=1)
        return store

    def close(self) -> None:
        for store in self.stores:
            store.dispose()
        if self.base and self.schemas:
            engine = create_engine(self.base)
            with engine.begin() as conn:
                for schema in self.schemas:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            engine.dispose()


@contextmanager
def refused(kind: type[GridcallError], says: str, lang: str = "en") -> Iterator[None]:
    """The block raises `kind`, which reads, in `lang`, as the pattern `says`."""
    with pytest.raises(kind) as caught:
        yield
    message = say(caught.value, lang)
    assert re.search(says, message), message


@pytest.fixture(params=BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    factory = StoreFactory(request.param, tmp_path)
    yield factory
    factory.close()


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store with the demo district and a few generated cases, shared by a module's tests.

    Tests that use it create their own cases rather than rely on generated ones.
    """
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("seeded"))
    yield factory.seeded()
    factory.close()


@pytest.fixture
def clock() -> SlaClock:
    return SlaClock()


def pg_url_or_skip() -> str:
    return _pg_base()


def trail_findings(store: Store) -> list[str]:
    """What `gridcall audit verify` finds wrong with the store's trail (its chain, and each
    case replayed from its events), in English; none for an honest store."""
    from console.services.verify import verify_trail

    found: list[str] = []
    report = verify_trail(store, SlaClock(), lambda f: found.append(say(f, "en")))
    assert report.ok == (not found), (report, found)
    return found
