"""`gridcall serve ssh`, driven by OpenSSH's own client on a real pseudo-terminal, its screen
read by a terminal emulator: what a night-shift operator connecting from home would see."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from console.demo.people import DEMO_PASSWORD
from console.domain.actions import Action
from console.domain.errors import Forbidden
from console.domain.sla import SlaClock
from console.domain.workflow import WITH_UNIT, allowed_actions
from console.gate import Gate
from console.models import AuditEvent, Case, User
from console.queries import cases as q
from console.queries.reference import reference
from console.services import auth
from console.services import users as user_service
from tests.conftest import refused
from tests.serve.conftest import OPERATOR, Night, keygen, night_of
from tests.serve.terminal import Terminal

E = AuditEvent.__table__.c
C = Case.__table__.c
U = User.__table__.c
# Twenty people of the demo district at once: the night shift of every street and the district.
CROWD = [
    "op.jiangbin1", "op.jiangbin2", "op.jiangbin3", "sup.jiangbin", "op.wangchao1",
    "op.wangchao2", "sup.wangchao", "op.fengqi1", "op.fengqi2", "op.fengqi3", "sup.fengqi",
    "op.qiutao1", "op.qiutao2", "sup.qiutao", "op.yunhe1", "op.yunhe2", "op.yunhe3",
    "sup.yunhe", "op.hetang1", "sup.district1",
]  # fmt: skip
DISABLED = "op.hetang2"
CASE_CODE = r"[A-Z]20\d\d-\d{7}"


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Night]:
    yield from night_of("sqlite", tmp_path_factory.mktemp("night"), [*CROWD, DISABLED])


@pytest.fixture
def server(night: Night) -> Iterator[Night]:
    """The server, started for one test; its clients closed and its consoles ended after."""
    night.start()
    yield night
    night.close_terminals()
    night.stop()


def events(night: Night, login: str, action: str) -> list[dict[str, Any]]:
    with night.store.read() as s:
        rows = s.execute(
            select(E.payload, E.case_id).where((E.actor == login) & (E.action == action))
        ).all()
    return [json.loads(r.payload) | {"case_id": r.case_id} for r in rows]


def case_to_urge(night: Night, login: str, skip: int = 0) -> str:
    """A case the user may urge: dispatched or in progress, in their street (any street for
    a district supervisor), and held by their centre (not escalated above it)."""
    ref = reference(night.store)
    user, actor = ref.user(login), ref.actor(login)
    query = select(C.code).where(C.status.in_([s.value for s in WITH_UNIT])).order_by(C.id)
    if user.street_id is not None:
        query = query.where(C.street_id == user.street_id)
    with night.store.read() as s:
        codes = [str(code) for code in s.execute(query).scalars()]
    urgeable = [
        code
        for code in codes
        if Action.URGE
        in allowed_actions(q.detail(night.store, q.DISTRICT_WIDE, code).state(), actor)
    ]
    return urgeable[skip]


def queue_shown(terminal: Terminal) -> str:
    return terminal.wait_for(lambda screen: "cases" in screen and "left" in screen)


def urge(terminal: Terminal, code: str) -> None:
    """Find the case by its code, urge it, confirm: as an operator does."""
    terminal.type("/")
    terminal.wait_for("search title, code, address")
    terminal.type(code)
    terminal.wait_for(lambda screen: "1 case" in screen and code in screen)
    terminal.type("\r")
    terminal.wait_for("u urge")  # the queue has the keys again
    for _ in range(10):  # as a person would, press again if the row was not yet in place
        terminal.type("u")
        try:
            terminal.wait_for(f"urge {code}", timeout=2)
            break
        except AssertionError:
            continue
    terminal.wait_for(f"urge {code}")
    terminal.type("\r")
    terminal.wait_for(lambda screen: f"urge {code}" not in screen)


def test_a_registered_key_opens_the_users_console_and_it_acts(server: Night) -> None:
    code = case_to_urge(server, OPERATOR)
    before = len(events(server, OPERATOR, "urge"))
    terminal = server.connect(OPERATOR)
    screen = queue_shown(terminal)
    assert "江滨街道" in screen  # the operator's own street, signed in without a password
    urge(terminal, code)
    terminal.wait_for(lambda _: len(events(server, OPERATOR, "urge")) == before + 1)
    signed_in = events(server, OPERATOR, "sign-in")[-1]
    fingerprint = keygen_fingerprint(server.keys[OPERATOR])
    assert signed_in["where"] == "ssh"
    assert signed_in["key"] == fingerprint
    assert signed_in["from"].startswith("127.0.0.1:")
    opened = events(server, OPERATOR, "ssh-opened")[-1]
    assert opened["from"] == signed_in["from"] and opened["term"] == "xterm-256color"


def keygen_fingerprint(key: Path) -> str:
    import subprocess

    listed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", f"{key}.pub"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return listed.stdout.split()[1]


def test_what_is_refused(server: Night, tmp_path: Path) -> None:
    admin = "admin"
    user_service.disable(server.store, admin, DISABLED)
    stranger = keygen(tmp_path / "id_stranger")
    wrong_key = server.run(OPERATOR, command="true", key=stranger)
    assert wrong_key.returncode == 255 and "Permission denied" in wrong_key.stderr
    disabled = server.run(DISABLED, command="true")
    assert disabled.returncode == 255 and "Permission denied" in disabled.stderr
    password = server.run(
        OPERATOR, "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password"
    )
    assert password.returncode == 255 and "Permission denied (publickey)" in password.stderr
    command = server.run(OPERATOR, command="cat /etc/passwd")
    assert command.returncode == 255 and "root:" not in command.stdout
    sftp = server.run(OPERATOR, "-s", command="sftp")
    assert sftp.returncode == 255
    forward = server.run(OPERATOR, "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9")
    assert forward.returncode == 255 and "forwarding failed" in forward.stderr
    no_terminal = server.run(OPERATOR, "-T")
    assert no_terminal.returncode == 255
    log = server.log()
    assert "refused a command: 'cat /etc/passwd'" in log
    assert "refused subsystem 'sftp'" in log
    assert "refused a remote port forward" in log
    assert "refused a shell without a terminal" in log
    assert not [line for line in log.splitlines() if "opened" in line]  # no console for any
    assert not events(server, DISABLED, "sign-in")


def test_a_wider_window_gets_the_wide_layout(server: Night) -> None:
    beside = re.compile(rf"▏ *{CASE_CODE}")  # the case pane, beside the queue, names its case
    terminal = server.connect(OPERATOR, cols=80, rows=24)
    assert not beside.search(queue_shown(terminal))
    terminal.resize(160, 48)
    terminal.wait_for(lambda screen: bool(beside.search(screen)))
    # The key bar has moved down to the 48th line.
    terminal.wait_for(lambda screen: "/ search" in screen.split("\n")[47])


def test_a_dropped_link_finds_its_form_again(server: Night) -> None:
    login = "op.jiangbin2"
    first = server.connect(login)
    queue_shown(first)
    first.type("n")
    first.wait_for("New case")
    first.type("Streetlight out at the ferry")
    first.wait_for("Streetlight out at the ferry")
    first.kill()  # the link drops mid-form: no word to the server
    first.close()
    again = server.connect(login, cols=100, rows=30)
    screen = again.wait_for("Streetlight out at the ferry")
    assert "New case" in screen
    assert events(server, login, "ssh-detached")
    assert events(server, login, "ssh-reattached")


def test_a_second_client_takes_the_console_over(server: Night) -> None:
    login = "op.jiangbin3"
    first = server.connect(login)
    queue_shown(first)
    second = server.connect(login)
    second.wait_for("[t] take it over here")
    second.type("t")
    queue_shown(second)
    first.wait_for("taken over from 127.0.0.1")
    assert first.exit_code() == 0
    assert events(server, login, "ssh-reattached")[-1]["took_over"] is True


def test_twenty_at_once_all_reach_their_queue_and_act(server: Night) -> None:
    ref = reference(server.store)
    street = {login: ref.user(login).street_id for login in CROWD}
    # Each one a case of their own: the n-th person of a street urges its n-th case.
    codes = {
        login: case_to_urge(server, login, skip=[street[x] for x in CROWD[:i]].count(street[login]))
        for i, login in enumerate(CROWD)
    }
    before = {login: len(events(server, login, "urge")) for login in CROWD}
    terminals = {login: server.connect(login) for login in CROWD}
    for terminal in terminals.values():
        queue_shown(terminal)
    for login, terminal in terminals.items():
        urge(terminal, codes[login])
    for login in CROWD:
        urges = events(server, login, "urge")
        assert len(urges) == before[login] + 1, login
    assert len(server.log().split("opened")) - 1 >= len(CROWD)


def test_sigterm_ends_each_console_with_a_word(night: Night) -> None:
    night.start()
    terminal = night.connect(OPERATOR)
    queue_shown(terminal)
    night.stop()
    assert night.proc is not None and night.proc.returncode == 0
    terminal.wait_for("The Gridcall server is stopping")
    assert terminal.exit_code() == 0
    assert events(night, OPERATOR, "ssh-ended")[-1]["why"] == "server stopped"
    night.close_terminals()


def test_passwords_when_allowed_share_the_sign_in_lockout(night: Night) -> None:
    night.start("--passwords")
    try:
        login = "op.wangchao1"
        opened = night.connect(login, "-o", "PubkeyAuthentication=no")
        opened.wait_for("Password:")
        opened.type("gridcall-demo\r")
        queue_shown(opened)
        locked = "op.wangchao2"
        opened_before = len(events(night, locked, "ssh-opened"))
        for _ in range(5):
            with pytest.raises(Forbidden):
                auth.sign_in(night.store, locked, "not-the-password", where="test")
        kept_out = night.connect(locked, "-o", "PubkeyAuthentication=no")
        kept_out.wait_for("Password:")
        kept_out.type("gridcall-demo\r")  # the right password, but the login is locked
        kept_out.wait_for(lambda screen: screen.count("Password:") == 2)
        assert len(events(night, locked, "ssh-opened")) == opened_before
    finally:
        night.close_terminals()
        night.stop()


@pytest.fixture(scope="module")
def night_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Night]:
    yield from night_of("pg", tmp_path_factory.mktemp("night_pg"), [OPERATOR])


def test_on_postgresql_the_console_acts_and_quitting_ends_it(night_pg: Night) -> None:
    night_pg.start()
    try:
        code = case_to_urge(night_pg, OPERATOR)
        terminal = night_pg.connect(OPERATOR)
        queue_shown(terminal)
        urge(terminal, code)
        terminal.wait_for(lambda _: len(events(night_pg, OPERATOR, "urge")) == 1)
        terminal.type("q")
        assert terminal.exit_code() == 0
        terminal.wait_for(lambda _: bool(events(night_pg, OPERATOR, "ssh-ended")))
        assert events(night_pg, OPERATOR, "ssh-ended")[-1]["why"] == "quit"
        assert events(night_pg, OPERATOR, "sign-out")[-1]["where"] == "ssh"
    finally:
        night_pg.close_terminals()
        night_pg.stop()


def test_nobody_else_signs_in_at_an_ssh_console(night: Night) -> None:
    gate = Gate(night.store, SlaClock(), "en", ZoneInfo("Asia/Shanghai"), bound_to=OPERATOR)
    before = len(events(night, "sup.district1", "sign-in"))
    with refused(Forbidden, f"this SSH console belongs to {OPERATOR}"):
        gate.sign_in("sup.district1", DEMO_PASSWORD)
    assert len(events(night, "sup.district1", "sign-in")) == before
    assert gate.sign_in(OPERATOR, DEMO_PASSWORD).login == OPERATOR


def test_an_address_that_keeps_failing_is_kept_out(night: Night, tmp_path: Path) -> None:
    night.start("--max-failures", "2")
    try:
        stranger = keygen(tmp_path / "id_stranger")
        for _ in range(2):
            assert night.run(OPERATOR, command="true", key=stranger).returncode == 255
        # The right key, from the same address, now finds the door shut for a while.
        kept_out = night.connect(OPERATOR)
        kept_out.wait_for("too many failed sign-ins from")
        assert kept_out.exit_code() == 255
        assert "too many failed sign-ins" in night.log()
    finally:
        night.close_terminals()
        night.stop()


def test_past_the_most_sessions_a_client_is_told_so(night: Night) -> None:
    night.start("--max-sessions", "1")
    try:
        first = night.connect(OPERATOR)
        queue_shown(first)
        opened_before = len(events(night, "op.jiangbin2", "ssh-opened"))
        second = night.connect("op.jiangbin2")
        second.wait_for("the server has 1 consoles, its most")
        assert second.exit_code() == 1
        assert len(events(night, "op.jiangbin2", "ssh-opened")) == opened_before
    finally:
        night.close_terminals()
        night.stop()
