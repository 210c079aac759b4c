"""The store and the command line's entry at their rough edges (#20): a store that takes no
writes, one from a newer Gridcall, an empty or unsupported URL, bytes that are not UTF-8, a
data directory that is a file, a seed interrupted or killed. Each is one line and exit 2 (130
for Ctrl-C) through the real entry point, on both stores where the store is concerned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from console import cli
from console.db import SCHEMA_HEAD, Store
from console.domain.actions import Action
from console.domain.errors import GridcallError, StoreError
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.session import Session
from tests.conftest import StoreFactory
from tests.services.helpers import cast, new_case
from tests.store.identity import PASSWORD, give_password
from tests.store.test_cli_store import ROOT, gridcall

NEWER = (
    f"this store was made by a newer Gridcall (schema 0099; this one knows up to {SCHEMA_HEAD}): "
    "upgrade Gridcall"
)


def _read_only(url: str, backend: str) -> str:
    """The same store, opened so that it takes no writes: a SQLite file opened read-only (as
    a file the user may not write is; tests run as root, whom chmod does not stop), a
    PostgreSQL session whose transactions are read-only."""
    parsed = make_url(url)
    if backend == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    query = dict(parsed.query)
    query["options"] = query["options"] + " -cdefault_transaction_read_only=on"
    return parsed.set(query=query).render_as_string(hide_password=False)


def test_a_store_that_takes_no_writes_says_read_only(stores: StoreFactory, tmp_path: Path) -> None:
    store = stores.seeded(cases=0)
    give_password(store, "op.jiangbin1")
    ran = gridcall(
        "login",
        "--user",
        "op.jiangbin1",
        "--password-stdin",
        "--db",
        _read_only(store.url, stores.backend),
        stdin=PASSWORD + "\n",
        tmp=tmp_path,
    )
    assert ran.returncode == 2
    assert ran.stderr.startswith("the store is read-only: "), ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert "[SQL" not in ran.stderr and "parameters" not in ran.stderr


def test_a_store_with_no_users_says_how_to_add_one_at_login(
    stores: StoreFactory, tmp_path: Path
) -> None:
    store = stores.empty()
    ran = gridcall(
        "login", "--user", "admin", "--password-stdin", "--db", store.url, stdin="x\n", tmp=tmp_path
    )
    assert ran.returncode == 2
    assert ran.stderr.strip() == "this store has no users yet: run gridcall init --admin LOGIN"


def test_a_store_from_a_newer_gridcall_says_upgrade_gridcall(
    stores: StoreFactory, tmp_path: Path
) -> None:
    store = stores.empty()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    for args in (("case", "list"), ("init",)):
        ran = gridcall(*args, "--db", store.url, tmp=tmp_path)
        assert ran.returncode == 2, ran.stderr
        assert ran.stderr.strip() == NEWER


@pytest.mark.parametrize(
    "method", ["check", "has_schema", "is_current", "migrate", "read", "write", "raw_write"]
)
def test_every_way_into_an_unreachable_server_ends_as_store_error(method: str) -> None:
    """One place translates the driver's errors; no way in escapes it (an outage met after
    the first check used to leave some commands with a multi-line internal error)."""
    store = Store("postgresql://gridcall:secret@127.0.0.1:1/none")

    def read() -> None:
        with store.read() as s:
            s.execute(text("SELECT 1"))

    calls = {
        "check": store.check,
        "has_schema": store.has_schema,
        "is_current": store.is_current,
        "migrate": store.migrate,
        "read": read,
        "write": lambda: store.write(lambda s: None),
        "raw_write": lambda: store.raw_write().__enter__(),
    }
    with pytest.raises(StoreError) as caught:
        calls[method]()
    assert caught.value.key == "error.unreachable"
    assert "secret" not in str(caught.value)


def test_the_drivers_own_error_inside_a_read_ends_as_store_error(stores: StoreFactory) -> None:
    store = stores.empty()
    dbapi = store.engine.dialect.loaded_dbapi
    with pytest.raises(StoreError) as caught, store.read():
        raise dbapi.OperationalError("server closed the connection\n\tunexpectedly")
    assert caught.value.key == "error.unreachable"


@pytest.mark.parametrize(
    "command", [("case", "list"), ("whoami",), ("run",), ("audit", "verify"), ("init",)]
)
def test_a_server_that_refuses_is_unreachable_for_every_command(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    ran = gridcall(*command, "--db", "postgresql://gridcall:secret@127.0.0.1:1/none", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.startswith("cannot reach the store postgresql+psycopg://gridcall:***@")
    assert len(ran.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "env, args, source",
    [
        ({"GRIDCALL_DATABASE_URL": ""}, (), "GRIDCALL_DATABASE_URL"),
        ({}, ("--db", ""), "--db"),
        ({"GRIDCALL_DATABASE_URL": "  "}, (), "GRIDCALL_DATABASE_URL"),
    ],
)
def test_an_empty_store_url_is_refused_not_taken_for_the_demo_store(
    tmp_path: Path, env: dict[str, str], args: tuple[str, ...], source: str
) -> None:
    ran = gridcall("case", "list", *args, env=env, tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        f"empty store URL ({source}): give sqlite:///PATH or postgresql://…, "
        "or leave it out for the demo store"
    )
    assert not (tmp_path / "data").exists()  # no demo store was made


def test_a_first_run_killed_while_it_builds_leaves_no_store_behind(tmp_path: Path) -> None:
    first = _start("case", "list", tmp=tmp_path)
    building = tmp_path / "data" / "gridcall.db.building"
    _until(lambda: building.exists(), what="the demo store to be building")
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert not (tmp_path / "data" / "gridcall.db").exists()
    again = gridcall("case", "list", tmp=tmp_path)
    assert "First run: created the demo store" in again.stderr
    assert again.stderr.strip().endswith("not signed in: run gridcall login first")
    assert not building.exists()


@pytest.mark.parametrize(
    "url", ["postgresql+asyncpg://u:secret@127.0.0.1/x", "postgresql+psycopg2://u:p@h/x"]
)
def test_a_driver_gridcall_does_not_speak_is_named(tmp_path: Path, url: str) -> None:
    ran = gridcall("case", "list", "--db", url, tmp=tmp_path)
    assert ran.returncode == 2
    assert "Gridcall speaks sqlite and postgresql+psycopg" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert "secret" not in ran.stderr


def test_an_argument_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    ran = gridcall("case", "show", os.fsdecode(b"\xff"), tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == "an argument is not valid UTF-8: \ufffd"


def test_a_store_url_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    env = {"GRIDCALL_DATABASE_URL": os.fsdecode(b"sqlite:////tmp/\xff.db")}
    ran = gridcall("case", "list", env=env, tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        "the environment variable GRIDCALL_DATABASE_URL is not valid UTF-8: sqlite:////tmp/\ufffd.db"
    )


def test_a_data_directory_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a directory\n")
    ran = gridcall("case", "list", tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        f"the data directory {tmp_path / 'data'} is a file: point GRIDCALL_DATA_DIR at a directory"
    )


def test_a_data_directory_inside_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("not a directory\n")
    ran = gridcall(
        "case", "list", env={"GRIDCALL_DATA_DIR": str(tmp_path / "notes" / "gc")}, tmp=tmp_path
    )
    assert ran.returncode == 2
    assert (
        ran.stderr.strip()
        == f"cannot make the directory {tmp_path / 'notes' / 'gc'}: Not a directory"
    )


def test_the_crash_handler_survives_a_data_directory_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").write_text("not a directory\n")
    monkeypatch.setenv("GRIDCALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(sys, "argv", ["gridcall", "whoami"])

    def a_bug(**_: object) -> None:
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr(cli, "app", a_bug)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR afresh
    with pytest.raises(SystemExit) as left:
        cli.main()
    assert left.value.code == 3
    said = capsys.readouterr().err
    log = tmp_path / "tmp" / "gridcall-crash.log"
    assert said.strip() == f"internal error: RuntimeError: first line (details in {log})"
    assert "second line" in log.read_text()


# --- a seed interrupted or killed ------------------------------------------------------------


def _start(*args: str, tmp: Path, url: str | None = None) -> subprocess.Popen[str]:
    """`gridcall ARGS` started as a terminal starts it: its own process group, Ctrl-C live
    (a shell's background job would inherit SIGINT ignored)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCALL_")}
    env |= {
        "GRIDCALL_DATA_DIR": str(tmp / "data"),
        "GRIDCALL_CONFIG": str(tmp / "config.toml"),
        "GRIDCALL_STATE_DIR": str(tmp / "state"),
        "LANG": "en_US.UTF-8",
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args, *(("--db", url) if url else ())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _until(ready: object, *, what: str) -> None:
    """Wait for a condition the test needs before it acts (not a timing assertion)."""
    assert callable(ready)
    deadline = time.monotonic() + 120
    while not ready():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_during_seed_is_one_line_and_exit_130(stores: StoreFactory, tmp_path: Path) -> None:
    seed = _start("seed", "--cases", "200000", tmp=tmp_path, url=stores.url())
    _until(lambda: len(_children(seed.pid)) >= 2, what="the seed's workers")
    os.killpg(seed.pid, signal.SIGINT)  # as Ctrl-C at a terminal: the whole group
    _, said = seed.communicate(timeout=120)
    assert seed.returncode == 130
    assert "Traceback" not in said
    assert said.strip() == (
        "seed interrupted: the store holds the demo district and 0 cases; "
        "`gridcall seed --replace` starts afresh"
    )


ORPHAN = """
import multiprocessing, os, sys, time
from console.demo import generate
pool = multiprocessing.get_context("fork").Pool(
    1, initializer=generate._die_with, initargs=(os.getpid(),)
)
pool.apply_async(time.sleep, (600,))  # a chunk that takes long
print(*(p.pid for p in pool._pool), flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_seed_killed_outright_takes_its_workers_with_it(tmp_path: Path) -> None:
    """kill -9 gives the seeder no chance to end its pool: each worker asked at its start
    to die with its parent. (Without that, a worker finishing a long chunk ran on alone.)"""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    seeder = subprocess.Popen(
        [sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    )
    assert seeder.stdout is not None
    workers = [int(pid) for pid in seeder.stdout.readline().split()]
    assert workers and all(_alive(w) for w in workers)
    seeder.kill()
    seeder.wait()
    try:
        _until(lambda: not any(_alive(w) for w in workers), what="the orphaned worker to end")
    finally:
        for worker in filter(_alive, workers):
            os.kill(worker, signal.SIGKILL)


# --- actions given no version, at once ------------------------------------------------------


def test_actions_given_no_version_decide_on_the_newest_state(stores: StoreFactory) -> None:
    """`gridcall case note CODE` sent by several scripts at once: each is taken on the case as
    it then stands (SQLite always did so; PostgreSQL refused some as "changed by")."""
    store = stores.seeded(cases=0)
    c = cast(store)
    code = new_case(store, c, title="同时备注").code
    before = q.detail(store, q.DISTRICT_WIDE, code).row.version
    writers = 8
    start = threading.Barrier(writers)
    refused: list[Exception] = []

    def note(n: int) -> None:
        session = Session(store, SlaClock(), c.operator, "en", ZoneInfo("Asia/Shanghai"))
        start.wait()
        for round_ in range(3):
            try:
                session.act(code, Action.NOTE, Params(text=f"writer {n} round {round_}"))
            except GridcallError as exc:
                refused.append(exc)

    threads = [threading.Thread(target=note, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused == []
    assert q.detail(store, q.DISTRICT_WIDE, code).row.version == before + writers * 3
