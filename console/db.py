"""Opening a store: the engine for SQLite (default) or PostgreSQL, transactions, migrations.

SQLite runs in WAL mode with foreign keys on, synchronous FULL and a busy timeout, and every
write transaction begins IMMEDIATE: pysqlite's deferred BEGIN lets two processes read the same
version and then both write. PostgreSQL connections are pre-pinged; a unit of work that loses
its connection before COMMIT is sent is retried on a fresh one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    OperationalError,
    SQLAlchemyError,
)
from sqlmodel import Session

from console.domain.errors import StoreError

T = TypeVar("T")
# Inside the package, so an installed wheel can create and upgrade a store.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision. Kept here so that opening the console reads one row instead
# of loading Alembic and every migration script (a third of its start-up); a test holds it to
# Alembic's own head.

SCHEMA_HEAD = "0021"
SQLITE_BUSY_MS = 15_000
WRITE = "gridcall_write"
RETRIES = 3


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# The drivers Gridcall speaks; any other (asyncpg, psycopg2, mysql…) is named as such.
DRIVERS = {"sqlite": "sqlite", "sqlite+pysqlite": "sqlite", "postgresql+psycopg": "postgresql"}


def make_engine(url: str) -> Engine:
    """An engine for the URL, or StoreError with one clear line."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError("error.bad_url", url=url) from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = DRIVERS.get(parsed.drivername)
    if backend is None:
        raise StoreError("error.bad_backend", url=parsed.render_as_string(hide_password=True))
    if backend == "sqlite":
        path = sqlite_file(parsed)
        if path is not None and not path.parent.exists():
            raise StoreError("error.no_dir", path=str(path.parent))
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        _sqlite_setup(engine)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    except ArgumentError as exc:
        raise StoreError("error.bad_url", url=url) from exc


def sqlite_file(url: URL) -> Path | None:
    """The file a SQLite URL names (also as a URI, `sqlite:///file:PATH?mode=ro&uri=true`);
    None for a store in memory."""
    database = url.database
    if url.query.get("uri") == "true" and database and database.startswith("file:"):
        database = database.removeprefix("file:")
    if not database or database == ":memory:":
        return None
    return Path(database).expanduser()


def file_of(url: str) -> Path | None:
    """The SQLite file a URL names; None for a server, a store in memory or no URL at all."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    return sqlite_file(parsed) if parsed.get_backend_name() == "sqlite" else None


def _is_disconnect(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class Store:
    """One database: where cases live. Cheap to share; open once per process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.backend = self.engine.dialect.name
        self._writer = self.engine.execution_options(**{WRITE: True})
        self.cache: dict[str, Any] = {}  # per-store read models, e.g. reference data

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    def describe(self) -> str:
        """The URL without its password, fit to show."""
        return self.engine.url.render_as_string(hide_password=True)

    def check(self) -> None:
        """Connect once and read the schema's header, or raise StoreError saying why not
        (SQLite opens any file, and finds it is not a database only when it reads it)."""
        probe = "PRAGMA schema_version" if self.is_sqlite else "SELECT 1"
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql(probe)
        except (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error) as exc:
            raise StoreError(
                "error.unreachable", url=self.describe(), detail=_first_line(exc)
            ) from exc

    def missing_file(self) -> Path | None:
        """The SQLite file this store would be, when it does not exist (opening it would
        create it); None for a server or an existing file."""
        path = sqlite_file(self.engine.url) if self.is_sqlite else None
        return None if path is None or path.exists() else path

    @contextmanager
    def speaking(self) -> Iterator[None]:
        """The one place the driver's errors end: inside, any of them (SQLAlchemy's, or the
        driver's own from its cursors) leaves as StoreError, one line without the statement."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise self._failed(exc) from exc
        except self.engine.dialect.loaded_dbapi.Error as exc:
            raise self._failed(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read session; the driver's errors end here, as StoreError."""
        with self.speaking(), Session(self.engine) as session:
            yield session

    @contextmanager
    def scan(self) -> Iterator[Connection]:
        """The whole store as it stood at one moment, for one long pass over it (`gridcall
        audit verify`): one read transaction on SQLite, REPEATABLE READ and read-only on
        PostgreSQL, so that what is written meanwhile is not seen half. The driver's errors
        end here, as StoreError, those of its own cursors too."""
        with self.speaking(), self.engine.connect() as conn:
            if not self.is_sqlite:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction and commit it.

        A connection lost before COMMIT is retried on a fresh connection: nothing was written,
        so running the work again is safe. One lost during COMMIT is not retried, because the
        commit may have happened; the operator is told to look before trying again.
        """
        for attempt in range(RETRIES):
            committing = False
            try:
                with self._writer.connect() as conn, conn.begin():
                    with Session(bind=conn, expire_on_commit=False) as session:
                        result = work(session)
                        session.flush()
                    committing = True
                return result
            except SQLAlchemyError as exc:
                if not _is_disconnect(exc) or committing or attempt == RETRIES - 1:
                    if _is_disconnect(exc) and committing:
                        raise StoreError(
                            "error.lost_during_commit",
                            url=self.describe(),
                            detail=_first_line(exc),
                        ) from exc
                    raise self._failed(exc) from exc
                logging.getLogger(__name__).warning("store connection lost; retrying")
            except self.engine.dialect.loaded_dbapi.Error as exc:
                raise self._failed(exc) from exc
        raise AssertionError("unreachable")

    def _failed(self, exc: Exception) -> StoreError:
        """The driver's error as ours: one line, never the statement or its parameters (they
        hold reporters' names and phones). A store that refuses writes says so: a read-only
        file or transaction, or a role that may only read."""
        driver = getattr(exc, "orig", None) or exc
        detail = _first_line(exc)
        if _refuses_writes(driver):
            return StoreError("error.read_only", url=self.describe(), detail=detail)
        dbapi = self.engine.dialect.loaded_dbapi
        if isinstance(exc, OperationalError | dbapi.OperationalError) or _is_disconnect(exc):
            return StoreError("error.unreachable", url=self.describe(), detail=detail)
        return StoreError("error.store_failed", detail=detail)

    @contextmanager
    def raw_write(self) -> Iterator[Any]:
        """A write transaction on a Core connection, for bulk loads."""
        with self.speaking(), self._writer.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def bulk_write(self) -> Iterator[Any]:
        """One write transaction for loading millions of rows into a fresh store.

        On SQLite the load runs under a rollback journal instead of the WAL: pages appended to
        a new file need no journaling, while a WAL would copy every one of them twice and index
        them all. The load stays atomic; WAL mode returns afterwards. When another process has
        the file open the mode cannot change, and the load simply runs in WAL mode.

        The load also runs with synchronous OFF, so that the page cache spilling into the file
        does not wait for the disk every few megabytes; the journal still undoes a load that
        fails or is killed (only a power cut during the load can damage the new store, which is
        seeded afresh anyway). Switching back to WAL commits under synchronous FULL, which
        syncs the whole file: the finished load is as durable as any write. Foreign keys are
        not checked row by row during the load: a bulk loader must write only ids it has just
        read from the store itself.
        """
        if not self.is_sqlite:
            with self.raw_write() as conn:
                yield conn
            return
        self.engine.dispose()
        with self.speaking(), self._writer.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA journal_mode = DELETE")
            raw.execute("PRAGMA synchronous = OFF")
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with conn.begin():
                    yield conn
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
                raw.execute("PRAGMA synchronous = FULL")
                raw.execute("PRAGMA journal_mode = WAL")

    def has_schema(self) -> bool:
        with self.speaking():
            return inspect(self.engine).has_table("cases")

    def revision(self) -> str | None:
        """The schema's migration, None before the first."""
        with self.speaking(), self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if found is None else str(found)

    def is_current(self) -> bool:
        """Whether the schema is at the newest migration this version of Gridcall knows;
        StoreError for a schema newer than that, which only a newer Gridcall can use."""
        revision = self.revision()
        self._refuse_newer(revision)
        return revision == SCHEMA_HEAD

    def _refuse_newer(self, revision: str | None) -> None:
        # Revisions are numbered 0001, 0002…: one past our head was made by a newer Gridcall.
        if revision is not None and revision > SCHEMA_HEAD:
            raise StoreError(
                "error.newer_schema", url=self.describe(), found=revision, knows=SCHEMA_HEAD
            )

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration; safe to run again."""
        from alembic import command
        from alembic.config import Config

        self._refuse_newer(self.revision())
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.speaking(), self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def dispose(self) -> None:
        self.engine.dispose()


# The driver's words for "this store takes no writes": SQLite's SQLITE_READONLY (a file the
# user may not write), PostgreSQL's read_only_sql_transaction and insufficient_privilege.
SQLITE_READONLY = 8
PG_READ_ONLY = frozenset({"25006", "42501"})


def _refuses_writes(driver: BaseException) -> bool:
    if getattr(driver, "sqlite_errorcode", 0) & 0xFF == SQLITE_READONLY:
        return True
    return getattr(driver, "sqlstate", None) in PG_READ_ONLY


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__
