"""Every role through the CLI, on one case each, on SQLite and PostgreSQL: each signs in with
the demo's password, does the work that is theirs, and is refused what is not — in one line,
with exit 1, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.db import Store
from console.demo.people import DEMO_PASSWORD
from tests.people import add_trainer
from tests.store.identity import Desk

CASE = ["--category", "010203", "--grid", "LJ010101", "--address", "江滨路12号"]


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
    trainer = add_trainer(desk.store, password=DEMO_PASSWORD)  # by hand: the demo has none
    desk.refused(trainer, "case", "rate", code, "--rating", "basic", says="may not")
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
    # 吹哨报到: the summoned section files its own feedback before the lead's result closes.
    desk.refused("liaison.cg", "case", "handled", code, "--result", "已补装井盖", says="still owe")
    desk.ok("sec.s-lj01-cg", "case", "feedback", code, "--text", "科室已到场配合，占道已清理")
    desk.ok("liaison.cg", "case", "handled", code, "--result", "已补装井盖")
    desk.refused("liaison.cg", "case", "verify", code, "--pass", says="may not verify")
    closed = desk.ok("sup.district1", "case", "verify", code, "--pass")
    assert closed["status"] == "closed"


def test_a_case_the_street_sent_to_the_district_reads_as_held_above_in_case_show(
    desk: Desk,
) -> None:
    made = desk.ok("op.jiangbin1", "case", "new", "--title", "江滨路井盖缺失", *CASE)
    code = str(made["code"])
    desk.ok("op.jiangbin1", "case", "accept", code)
    for _ in range(3):  # grid → community → street → district
        desk.ok("op.jiangbin1", "case", "escalate", code, "--reason", "需区级协调")
    street = desk("op.jiangbin1", "case", "show", code)
    assert street.code == 0, street.err
    assert "held by the district platform: read only here" in street.out
    district = desk("sup.district1", "case", "show", code)
    assert district.code == 0 and "read only here" not in district.out
