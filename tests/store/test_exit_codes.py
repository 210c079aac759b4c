"""The exit codes a script or a cron job reads, through the installed entry point (main.py),
on both stores: 0 done; 1 refused (not allowed now, no such case, a stale --version, a wrong
password) and, for `audit verify`, a broken trail; 2 bad usage, an unusable store, not signed
in. Each error is one line, never a traceback."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import BACKENDS, StoreFactory
from tests.store.identity import PASSWORD, give_password
from tests.store.tamper import forge
from tests.store.test_cli_store import gridcall

OPERATOR = "op.jiangbin1"
NEW = [
    "--title",
    "路灯不亮",
    "--category",
    "010101",
    "--grid",
    "LJ010101",
    "--address",
    "江滨路1号",
]


class Desk:
    """A store with a signed-in operator, and the terminal they work at."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url, self.tmp = url, tmp

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return gridcall(*args, "--db", self.url, tmp=self.tmp, stdin=stdin)

    def new_case(self) -> str:
        made = self.run("case", "new", *NEW, "--json")
        assert made.returncode == 0, made.stderr
        return str(json.loads(made.stdout)["code"])


@pytest.fixture(scope="module", params=BACKENDS)
def desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    tmp = tmp_path_factory.mktemp("exit")
    factory = StoreFactory(request.param, tmp)
    store = factory.seeded(cases=0)
    give_password(store, OPERATOR)
    desk = Desk(store.url, tmp)
    signed = desk.run("login", "--user", OPERATOR, "--password-stdin", stdin=PASSWORD + "\n")
    assert signed.returncode == 0, signed.stderr
    yield desk
    factory.close()


def _one_line(ran: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in ran.stderr
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1, ran.stderr
    return lines[0]


def test_done_is_0(desk: Desk) -> None:
    code = desk.new_case()
    ran = desk.run("case", "accept", code)
    assert ran.returncode == 0, ran.stderr
    assert desk.run("case", "list", "--json").returncode == 0


@pytest.mark.parametrize(
    "refusal",
    [
        "not_allowed_now",  # a transition the workflow refuses
        "no_such_case",
        "stale_version",
    ],
)
def test_refused_is_1(desk: Desk, refusal: str) -> None:
    code = desk.new_case()
    args = {
        "not_allowed_now": ("case", "sign", code),
        "no_such_case": ("case", "accept", "C2026-9999999"),
        "stale_version": ("case", "accept", code, "--version", "7"),
    }[refusal]
    ran = desk.run(*args)
    assert ran.returncode == 1
    _one_line(ran)


def test_a_wrong_password_is_1(desk: Desk) -> None:
    (desk.tmp / "elsewhere").mkdir(exist_ok=True)
    ran = gridcall(
        "login", "--user", OPERATOR, "--password-stdin", "--db", desk.url,
        stdin="wrong\n", tmp=desk.tmp / "elsewhere",
    )  # fmt: skip
    assert ran.returncode == 1
    assert _one_line(ran) == "wrong login or password"


@pytest.mark.parametrize(
    "args",
    [
        ("case", "accept"),  # the code missing: bad usage
        ("case", "dispatch", "C2026-0000001", "--unit"),  # an option without its value
        ("case", "list", "--limit", "0"),
        ("case", "list", "--db", "postgresql://gridcall:secret@127.0.0.1:1/none"),
        ("case", "list", "--db", ""),
    ],
)
def test_bad_usage_or_an_unusable_store_is_2(desk: Desk, args: tuple[str, ...]) -> None:
    ran = gridcall(*args, tmp=desk.tmp)
    assert ran.returncode == 2
    assert "Traceback" not in ran.stderr
    assert "secret" not in ran.stderr


def test_not_signed_in_is_2(desk: Desk) -> None:
    (desk.tmp / "another-terminal").mkdir(exist_ok=True)
    ran = gridcall("case", "list", "--db", desk.url, tmp=desk.tmp / "another-terminal")
    assert ran.returncode == 2
    assert _one_line(ran) == "not signed in: run gridcall login first"


def test_audit_verify_is_0_intact_1_broken_2_unusable(desk: Desk) -> None:
    unusable = gridcall("audit", "verify", "--db", "sqlite:////no/such/dir/x.db", tmp=desk.tmp)
    assert unusable.returncode == 2
    assert desk.run("audit", "verify").returncode == 0
    from console.db import Store

    store = Store(desk.url)
    forge(store, "UPDATE audit_events SET actor = 'op.nobody' WHERE seq = 3")
    store.dispose()
    broken = desk.run("audit", "verify")
    assert broken.returncode == 1
    assert broken.stderr.splitlines()[0].startswith("Audit trail broken: event 3")


def test_a_conflict_names_the_time_in_the_centres_zone(desk: Desk) -> None:
    """The time another's change was made, as the console's header shows time: local, not UTC."""
    code = desk.new_case()
    shown = json.loads(desk.run("case", "show", code, "--json").stdout)
    changed = datetime.fromisoformat(shown["updated_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    ran = desk.run("--lang", "en", "case", "accept", code, "--version", "7")
    line = _one_line(ran)
    assert changed.strftime("%Y-%m-%d %H:%M:%S") in line, line
    assert "UTC" not in line
