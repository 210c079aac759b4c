"""The command line acts as a proven user: login, logout, whoami, tokens, lockout, users.

On SQLite and PostgreSQL (the `district` store), through `gridcall`'s own entry point in this
process; each test signs in with logins of its own, as the store is shared by the module.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console import cli, wallclock
from console.config import load_settings
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.enums import Role
from console.domain.errors import Invalid
from console.domain.lockout import Lockout
from console.i18n import say
from console.models import AuditEvent
from console.queries import cases as q
from console.queries.reference import reference
from console.services.users import PLACES
from tests.conftest import ANCHOR, StoreFactory
from tests.store.identity import PASSWORD, Ran, give_password, gridcall_here
from tests.store.test_cli_store import gridcall

CASE = [
    "--title",
    "江滨路12号门口占道经营",
    "--category",
    "010203",
    "--grid",
    "LJ010101",
    "--address",
    "江滨路12号",
]
NOT_SIGNED_IN = "not signed in: run gridcall login first"


@pytest.fixture
def frozen() -> Iterator[None]:
    wallclock.freeze(ANCHOR)
    yield
    wallclock.freeze(None)


class Terminal:
    """One OS user's terminal on the district store: their own state directory and token."""

    def __init__(self, store: Store, state: Path) -> None:
        self.store = store
        self.state = state

    def run(self, *args: str, stdin: str | None = None, token: str | None = None) -> Ran:
        return gridcall_here(
            *args, "--db", self.store.url, state=self.state, stdin=stdin, token=token
        )

    def login(self, login: str, password: str = PASSWORD) -> Ran:
        return self.run("login", "--user", login, "--password-stdin", stdin=password + "\n")

    def token(self) -> str:
        tokens: dict[str, str] = json.loads((self.state / "tokens.json").read_text())
        return tokens[self.store.describe()]


@pytest.fixture
def term(district: Store, tmp_path: Path) -> Terminal:
    return Terminal(district, tmp_path / "alice")


@pytest.fixture
def admin(district: Store, tmp_path: Path) -> Terminal:
    give_password(district, "admin")
    terminal = Terminal(district, tmp_path / "root")
    assert terminal.login("admin").code == 0
    return terminal


def one_line(ran: Ran) -> str:
    assert "Traceback" not in ran.err
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1, ran.err
    return lines[0]


def test_login_then_a_write_is_signed_by_that_user(district: Store, term: Terminal) -> None:
    give_password(district, "op.jiangbin1")
    signed = term.login("op.jiangbin1")
    assert signed.code == 0, signed.err
    assert "Signed in as op.jiangbin1" in signed.out and "LJ01" in signed.out
    assert PASSWORD not in signed.out + signed.err
    made = term.run("case", "new", *CASE, "--json")
    assert made.code == 0, made.err
    code = json.loads(made.out)["code"]
    accepted = term.run("case", "accept", code, "--json")
    assert accepted.code == 0, accepted.err
    assert {e.actor for e in q.detail(district, q.DISTRICT_WIDE, code).timeline} == {"op.jiangbin1"}
    me = term.run("whoami")
    assert me.code == 0
    assert "op.jiangbin1" in me.out and str(term.state / "tokens.json") in me.out


def test_case_list_shows_what_the_signed_in_user_may_read(
    district: Store, term: Terminal, tmp_path: Path
) -> None:
    give_password(district, "op.wangchao1")
    give_password(district, "sup.district1")
    term.login("op.wangchao1")
    mine = json.loads(term.run("case", "new", *CASE[:4], "--grid", "LJ020101", *CASE[6:],
                               "--json").out)["code"]  # fmt: skip
    district = Terminal(district, tmp_path / "district")
    district.login("sup.district1")
    theirs = json.loads(district.run("case", "new", *CASE, "--json").out)["code"]
    seen = {r["code"] for r in json.loads(term.run("case", "list", "--json").out)}
    assert mine in seen and theirs not in seen
    seen = {r["code"] for r in json.loads(district.run("case", "list", "--json").out)}
    assert {mine, theirs} <= seen


def test_wrong_password_and_unknown_login_read_the_same(district: Store, term: Terminal) -> None:
    give_password(district, "op.jiangbin2")
    wrong = term.login("op.jiangbin2", "not-the-password")
    unknown = term.login("op.nobody", "not-the-password")
    assert wrong.code == unknown.code == 1
    assert one_line(wrong) == one_line(unknown) == "wrong login or password"
    assert not (term.state / "tokens.json").exists()


@pytest.mark.usefixtures("frozen")
def test_five_failures_lock_the_login_until_the_minutes_pass(
    district: Store, term: Terminal
) -> None:
    give_password(district, "op.jiangbin3")
    for _ in range(5):
        assert term.login("op.jiangbin3", "guess-guess").code == 1
    locked = term.login("op.jiangbin3")
    assert locked.code == 1
    assert one_line(locked) == "too many failed sign-ins: locked, try again in 15 min"
    wallclock.freeze(ANCHOR + timedelta(minutes=14))
    assert "locked" in term.login("op.jiangbin3").err
    wallclock.freeze(ANCHOR + timedelta(minutes=15, seconds=1))
    assert term.login("op.jiangbin3").code == 0


def test_the_lockout_figures_come_from_the_config(district: Store, term: Terminal) -> None:
    give_password(district, "op.fengqi1")
    (term.state.parent / "config.toml").write_text("[sign_in]\nfailures = 2\nlock_minutes = 3\n")
    for _ in range(2):
        term.login("op.fengqi1", "guess-guess")
    assert "try again in 3 min" in term.login("op.fengqi1").err


@pytest.mark.parametrize(
    "table, says",
    [
        ("failures = 0", "sign_in.failures = 0: must be a whole number, 1 or more"),
        ('shift_hours = "12"', 'sign_in.shift_hours = "12": must be a whole number, 1 or more'),
        ("idle_minutes = 1.5", "sign_in.idle_minutes = 1.5: must be a whole number, 1 or more"),
        ("lock = 5", "sign_in.lock = 5: no such setting; known: failures, lock_minutes,"),
    ],
)
def test_bad_sign_in_figures_are_named(tmp_path: Path, table: str, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[sign_in]\n{table}\n")
    with pytest.raises(Invalid) as caught:
        load_settings(path)
    assert says in say(caught.value, "en")


def test_sign_in_figures_default_and_read() -> None:
    assert load_settings(Path("/no/such/config.toml")).lockout == Lockout(5, 15, 15, 12)


@pytest.mark.usefixtures("frozen")
def test_a_shift_token_expires_after_twelve_hours(district: Store, term: Terminal) -> None:
    give_password(district, "op.fengqi2")
    assert "until 2026-11-21 06:00 CST" in term.login("op.fengqi2").out
    wallclock.freeze(ANCHOR + timedelta(hours=11, minutes=59))
    assert term.run("case", "list", "--limit", "1").code == 0
    wallclock.freeze(ANCHOR + timedelta(hours=12, minutes=1))
    late = term.run("case", "list", "--limit", "1")
    assert late.code == 2
    assert one_line(late) == (
        "your sign-in has expired (it lasts one shift): run gridcall login again"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["case", "list"],
        ["case", "show", "E2026-0000001"],
        ["case", "new", *CASE],
        ["case", "accept", "E2026-0000001"],
        ["user", "list"],
        ["user", "disable", "op.jiangbin1"],
        ["whoami"],
    ],
)
def test_not_signed_in_is_one_line_and_exit_2(term: Terminal, args: list[str]) -> None:
    ran = term.run(*args)
    assert ran.code == 2
    assert one_line(ran) == NOT_SIGNED_IN


def test_not_signed_in_through_the_installed_command(district: Store, tmp_path: Path) -> None:
    ran = gridcall("case", "list", "--db", district.url, tmp=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.strip() == NOT_SIGNED_IN


def test_logout_ends_the_token_even_where_it_was_copied(
    district: Store, term: Terminal, tmp_path: Path
) -> None:
    give_password(district, "op.fengqi3")
    term.login("op.fengqi3")
    copy = Terminal(district, tmp_path / "mallory")
    copy.state.mkdir()
    (copy.state / "tokens.json").write_text((term.state / "tokens.json").read_text())
    assert copy.run("whoami").code == 0
    out = term.run("logout")
    assert out.code == 0 and "Signed out: op.fengqi3" in out.out
    assert copy.run("case", "list").code == 2
    assert "Nobody was signed in" in term.run("logout").out
    assert term.run("whoami").code == 2


def test_the_token_file_is_for_its_user_alone(district: Store, term: Terminal) -> None:
    give_password(district, "op.qiutao1")
    term.login("op.qiutao1")
    assert stat.S_IMODE((term.state / "tokens.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(term.state.stat().st_mode) == 0o700
    assert PASSWORD not in (term.state / "tokens.json").read_text()


def test_a_disabled_user_is_refused(district: Store, term: Terminal, admin: Terminal) -> None:
    give_password(district, "op.qiutao2")
    term.login("op.qiutao2")
    assert admin.run("user", "disable", "op.qiutao2").code == 0
    ended = term.run("case", "list")  # the shift's token ended with the user
    assert ended.code == 2 and one_line(ended) == NOT_SIGNED_IN
    refused = term.login("op.qiutao2")
    assert refused.code == 1
    assert one_line(refused) == "user op.qiutao2 is disabled"
    assert admin.run("user", "enable", "op.qiutao2").code == 0
    assert term.login("op.qiutao2").code == 0


def test_a_service_account_writes_with_its_token_and_has_no_password(
    district: Store, term: Terminal, admin: Terminal, tmp_path: Path
) -> None:
    added = admin.run(
        "user", "add", "svc.import", "--name", "导入脚本", "--role", "operator",
        "--street", "LJ01", "--service",
    )  # fmt: skip
    assert added.code == 0, added.err
    token = added.out.strip().splitlines()[-1]
    assert "shown this once" in added.err
    script = Terminal(district, tmp_path / "cron")
    made = script.run("case", "new", *CASE, "--json", token=token)
    assert made.code == 0, made.err
    assert (
        q.detail(district, q.DISTRICT_WIDE, json.loads(made.out)["code"]).timeline[0].actor
        == "svc.import"
    )
    assert "API token, until revoked" in script.run("whoami", token=token).out
    assert script.login("svc.import", "").err.strip() == "wrong login or password"
    again = admin.run("user", "token", "svc.import")
    assert again.code == 0
    assert script.run("case", "list", token=token).code == 2  # the old token ended
    fresh = again.out.strip().splitlines()[-1]
    assert script.run("case", "list", "--limit", "1", token=fresh).code == 0


def test_every_role_is_told_what_place_it_takes() -> None:
    assert set(PLACES) == set(Role)


@pytest.mark.parametrize(
    "args",
    [
        ["user", "add", "op.new", "--name", "新人", "--role", "operator", "--street", "LJ01"],
        ["user", "disable", "op.yunhe2"],
        ["user", "set-role", "op.yunhe2", "supervisor"],
        ["user", "token", "op.yunhe2"],
        ["user", "list"],
    ],
)
def test_only_an_admin_manages_users(district: Store, term: Terminal, args: list[str]) -> None:
    give_password(district, "op.yunhe1")
    term.login("op.yunhe1")
    before = reference(district, reload=True).users
    ran = term.run(*args, stdin=PASSWORD + "\n")
    assert ran.code == 1
    assert one_line(ran) == "only an admin manages users"
    assert reference(district, reload=True).users == before


def test_an_admin_adds_and_places_users(district: Store, admin: Terminal, tmp_path: Path) -> None:
    made = admin.run(
        "user", "add", "gw.test1", "--name", "测试网格员", "--role", "grid_worker",
        "--grid", "LJ010102", "--password-stdin", stdin="grid-pass-1\n",
    )  # fmt: skip
    assert made.code == 0, made.err
    listed = {u["login"]: u for u in json.loads(admin.run("user", "list", "--json").out)}
    assert listed["gw.test1"] | {"name": ""} == {
        "login": "gw.test1",
        "name": "",
        "role": "grid_worker",
        "scope": "LJ010102",
        "kind": "person",
        "admin": False,
        "active": True,
        "locked_until": None,
    }
    moved = admin.run("user", "set-role", "gw.test1", "community", "--community", "LJ0102")
    assert moved.code == 0, moved.err
    assert reference(district, reload=True).user("gw.test1").role.value == "community"
    worker = Terminal(district, tmp_path / "worker")
    assert worker.login("gw.test1", "grid-pass-1").code == 0
    assert "community operator" in worker.run("whoami").out


@pytest.mark.parametrize(
    "args, says",
    [
        (["--role", "grid_worker"], "the role grid worker needs a grid"),
        (["--role", "community", "--street", "LJ01"], "community operator has no street"),
        (["--role", "operator"], "the role operator needs a street"),
        (["--role", "operator", "--street", "LJ0101"], "LJ0101 is not a street"),
        (
            ["--role", "liaison", "--unit", "S-LJ01-CG"],
            "S-LJ01-CG is not a unit for the role department liaison "
            "(needs: company, district department)",
        ),
        (["--role", "section", "--unit", "U-CG"], "(needs: street section)"),
        (["--role", "grid_worker", "--grid", "LJ01"], "LJ01 is not a grid"),
        (["--role", "admin", "--grid", "LJ010101"], "the role admin has no grid"),
        (["--role", "boss"], "--role boss: must be one of operator, community, supervisor,"),
    ],
)
def test_a_role_gets_the_place_it_needs_or_nothing_is_written(
    district: Store, admin: Terminal, args: list[str], says: str
) -> None:
    before = verify_len(district)
    ran = admin.run("user", "add", "x.placed", "--name", "某人", *args, "--password-stdin",
                    stdin="long-enough-1\n")  # fmt: skip
    assert ran.code == 2, ran.err
    assert says in one_line(ran)
    assert "x.placed" not in reference(district, reload=True).user_by_login
    assert verify_len(district) == before


def verify_len(store: Store) -> int:
    with store.read() as s:
        return int(s.execute(select(func.count()).select_from(AuditEvent.__table__)).scalar_one())


def test_passwd_needs_the_old_password(district: Store, term: Terminal) -> None:
    give_password(district, "op.yunhe3")
    term.login("op.yunhe3")
    wrong = term.run("user", "passwd", "--password-stdin", stdin="nope-nope\nnew-pass-123\n")
    assert wrong.code == 1 and one_line(wrong) == "the old password is wrong"
    done = term.run("user", "passwd", "--password-stdin", stdin=f"{PASSWORD}\nnew-pass-123\n")
    assert done.code == 0, done.err
    assert term.login("op.yunhe3").code == 1
    assert term.login("op.yunhe3", "new-pass-123").code == 0


def test_audit_verify_passes_with_sign_ins_in_the_chain(district: Store, term: Terminal) -> None:
    give_password(district, "op.hetang1")
    term.login("op.hetang1", "wrong-wrong")
    term.login("op.hetang1")
    term.run("logout")
    with district.read() as s:
        actions = set(s.execute(select(AuditEvent.__table__.c.action)).scalars())
    assert {TrailEvent.SIGN_IN, TrailEvent.SIGN_IN_FAILED, TrailEvent.SIGN_OUT} <= actions
    assert TrailEvent.USER_CHANGED in actions
    checked = term.run("audit", "verify")
    assert checked.code == 0 and "intact" in checked.out


def test_init_makes_the_first_admin_once(stores: StoreFactory, tmp_path: Path) -> None:
    store = stores.empty(migrate=False)
    term = Terminal(store, tmp_path / "ops")
    bare = term.run("init")
    assert bare.code == 0
    assert "run gridcall init --admin LOGIN" in bare.out
    first = term.run("init", "--admin", "root", "--name", "值班主任", "--password-stdin",
                     stdin="first-admin-1\n")  # fmt: skip
    assert first.code == 0, first.err
    assert "First admin root added" in first.out
    again = term.run("init", "--admin", "other", "--password-stdin", stdin="other-admin-1\n")
    assert again.code == 0
    assert set(reference(store, reload=True).user_by_login) == {"root"}
    assert term.login("root", "first-admin-1").code == 0
    assert "root (值班主任, admin, district)" in term.run("whoami").out


def test_at_a_terminal_passwords_are_asked_without_echo(
    district: Store, admin: Terminal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter(["first-pass-1", "first-pass-2", "good-pass-1", "good-pass-1", "good-pass-1"])
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return next(typed)

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.setattr("getpass.getpass", getpass)
    add = ["user", "add", "op.typed", "--name", "键入", "--role", "operator", "--street", "LJ01"]
    differ = admin.run(*add)
    assert differ.code == 2 and one_line(differ) == "the two passwords differ"
    assert "op.typed" not in reference(district, reload=True).user_by_login
    assert admin.run(*add).code == 0
    assert asked == ["Password: ", "Again: "] * 2
    signed = Terminal(district, tmp_path / "typist").run("login", stdin="op.typed\n")
    assert signed.code == 0, signed.err
    assert "Signed in as op.typed" in signed.out and "good-pass-1" not in signed.out
