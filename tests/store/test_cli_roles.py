"""Every role through the CLI, on one case each, on SQLite and PostgreSQL: each signs in with
the demo's password, does the work that is theirs, and is refused what is not — in one line,
with exit 1, and nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from console.db import Store
from console.demo.people import DEMO_PASSWORD
from tests.conftest import BACKENDS, StoreFactory
from tests.store.identity import Ran, gridcall_here

CASE = ["--category", "010203", "--grid", "LJ010101", "--address", "江滨路12号"]


@pytest.fixture(scope="module", params=BACKENDS)
def district(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    factory = StoreFactory(request.param, tmp_path_factory.mktemp("roles"))
    yield factory.seeded(cases=0)
    factory.close()


class Desk:
    """The CLI of each person, signed in at their own OS account."""

    def __init__(self, store: Store, home: Path) -> None:
        self.store, self.home = store, home

    def __call__(self, login: str, *args: str) -> Ran:
        return gridcall_here(*args, "--db", self.store.url, state=self.sign_in(login))

    def sign_in(self, login: str) -> Path:
        """Their state directory, signed in on first use (the sign-in is in the trail too)."""
        state = self.home / login
        if not state.exists():
            signed = gridcall_here(
                "login",
                "--db",
                self.store.url,
                "--user",
                login,
                "--password-stdin",
                state=state,
                stdin=DEMO_PASSWORD + "\n",
            )
            assert signed.code == 0, signed.err
        return state

    def events(self) -> int:
        with self.store.read() as s:
            return int(s.execute(text("SELECT count(*) FROM audit_events")).scalar_one())

    def ok(self, login: str, *args: str) -> dict[str, object]:
        ran = self(login, *args, "--json")
        assert ran.code == 0, (login, args, ran.err)
        shown: dict[str, object] = json.loads(ran.out)
        return shown

    def refused(self, login: str, *args: str, says: str) -> None:
        self.sign_in(login)
        before = self.events()
        ran = self(login, *args)
        assert ran.code == 1, (login, args, ran.out)
        assert ran.err.strip().splitlines() == [ran.err.strip()] and says in ran.err, ran.err
        assert self.events() == before


@pytest.fixture
def desk(district: Store, tmp_path: Path) -> Desk:
    return Desk(district, tmp_path)


def test_a_grid_case_round_the_loop_each_step_by_its_role(desk: Desk) -> None:
    made = desk.ok("gw.lj010101", "case", "new", "--title", "江滨路12号门口占道经营", *CASE)
    code = str(made["code"])
    desk.refused("leader.jiangbin", "case", "accept", code, says="may not accept")
    desk.refused("op.wangchao1", "case", "accept", code, says=f"no case {code}")
    desk.ok("op.jiangbin1", "case", "accept", code)
    desk.refused(
        "op.jiangbin1",
        "case",
        "dispatch",
        code,
        "--unit",
        "S-LJ02-CG",
        says="does not serve the street",
    )
    desk.ok("op.jiangbin1", "case", "dispatch", code, "--unit", "C-LJ0101")
    desk.refused("sec.s-lj01-cg", "case", "sign", code, says=f"no case {code}")
    desk.refused("op.jiangbin1", "case", "sign", code, says="may not sign")
    desk.ok("co.lj0101", "case", "sign", code)
    desk.ok("co.lj0101", "case", "handled", code, "--result", "已劝离")
    desk.refused("co.lj0101", "case", "verify", code, "--pass", says="separation of duties")
    closed = desk.ok("gw.lj010101", "case", "verify", code, "--pass")
    assert closed["status"] == "closed"
    desk.refused("trainer", "case", "rate", code, "--rating", "basic", says="may not")
    desk.refused("admin", "case", "rate", code, "--rating", "basic", says="may not")
    desk.ok("op.jiangbin1", "case", "rate", code, "--rating", "dissatisfied")
    desk.refused("op.jiangbin1", "case", "reopen", code, "--reason", "不满意", says="may not")
    reopened = desk.ok("sup.jiangbin", "case", "reopen", code, "--reason", "回访不满意")
    assert reopened["status"] == "dispatched"
    shown = desk.ok("leader.district", "case", "show", code)
    assert [e["actor"] for e in shown["timeline"]][-3:] == [  # type: ignore[index]
        "op.jiangbin1",
        "op.jiangbin1",
        "gw.lj010101",
    ]


def test_a_whistled_case_with_a_department_and_a_section(desk: Desk) -> None:
    made = desk.ok("op.jiangbin1", "case", "new", "--title", "江滨路井盖缺失", *CASE)
    code = str(made["code"])
    desk.ok("op.jiangbin1", "case", "accept", code)
    desk.ok("op.jiangbin1", "case", "whistle", code, "--unit", "U-CG", "--co", "S-LJ01-CG")
    desk.refused("sec.s-lj01-cg", "case", "sign", code, says="may not sign")  # co-handles
    desk.ok("sec.s-lj01-cg", "case", "note", code, "--text", "科室已到场配合")
    desk.refused("liaison.ga", "case", "sign", code, says=f"no case {code}")
    desk.ok("liaison.cg", "case", "sign", code)
    desk.ok("liaison.cg", "case", "handled", code, "--result", "已补装井盖")
    desk.refused("liaison.cg", "case", "verify", code, "--pass", says="may not verify")
    closed = desk.ok("sup.district1", "case", "verify", code, "--pass")
    assert closed["status"] == "closed"
