"""吹哨报到 from the command line: `case check-in|feedback|waive|rate-unit`, each user at their
own terminal, the tasks in `case show`, and the trail still verifying."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.db import Store
from tests.store.identity import add_section_user, give_password
from tests.store.test_cli_actions import CASE, as_, sign_in
from tests.store.test_cli_store import gridcall

OPERATOR = "op.jiangbin1"
SUPERVISOR = "sup.jiangbin"
SECTION = "t.section.lj01cg"  # the lead: Jiangbin's urban management section
GA, SW = "liaison.ga", "liaison.sw"  # the summoned departments' liaisons


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("cli_whistle")
    url = f"sqlite:///{tmp / 'cli.db'}"
    assert gridcall("init", "--db", url, tmp=tmp).returncode == 0
    seeded = gridcall("seed", "--db", url, "--cases", "0", tmp=tmp)
    assert seeded.returncode == 0, seeded.stderr
    store = Store(url)
    for login in (OPERATOR, SUPERVISOR, GA, SW):
        give_password(store, login)
    add_section_user(store, SECTION, "S-LJ01-CG")
    store.dispose()
    for login in (OPERATOR, SUPERVISOR, SECTION, GA, SW):
        sign_in(login, url, tmp)
    return url, tmp


def test_summoned_departments_check_in_and_feed_back(db: tuple[str, Path]) -> None:
    url, tmp = db
    made = as_(OPERATOR, "case", "new", *CASE, "--json", db=db)
    code = json.loads(made.stdout)["code"]
    steps = [
        (OPERATOR, ["accept"]),
        (OPERATOR, ["whistle", "--unit", "S-LJ01-CG", "--co", "U-GA", "--co", "U-SW"]),
        (SECTION, ["sign"]),
        (GA, ["check-in"]),
        (GA, ["feedback", "--text", "已派民警到场维持秩序"]),
    ]
    for login, step in steps:
        done = as_(login, "case", step[0], code, *step[1:], "--json", db=db)
        assert done.returncode == 0, (step, done.stderr)
    tasks = json.loads(done.stdout)["tasks"]
    assert [(t["unit"], t["state"]) for t in tasks] == [
        ("U-GA", "fed_back"),
        ("U-SW", "to_check_in"),
    ]
    assert tasks[1]["light"] in ("green", "yellow", "red") and "check_in_by" in tasks[1]
    held = as_(SECTION, "case", "handled", code, "--result", "已清理", db=db)
    assert held.returncode == 1 and "still owe their feedback: U-SW" in held.stderr
    assert as_(GA, "case", "check-in", code, db=db).returncode == 1  # it has answered
    unreasoned = as_(SUPERVISOR, "case", "waive", code, "--unit", "U-SW", db=db)
    assert unreasoned.returncode == 2 and "needs: reason" in unreasoned.stderr
    for login, step in [
        (SUPERVISOR, ["waive", "--unit", "U-SW", "--reason", "非本部门职责"]),
        (SECTION, ["handled", "--result", "已清理"]),
        (OPERATOR, ["rate-unit", "--unit", "U-GA", "--unit-rating", "timely"]),
    ]:
        done = as_(login, "case", step[0], code, *step[1:], db=db)
        assert done.returncode == 0, (step, done.stderr)
    bad = as_(
        OPERATOR, "case", "rate-unit", code, "--unit", "U-GA", "--unit-rating", "great", db=db
    )
    assert bad.returncode == 2 and "great" in bad.stderr
    shown = as_(OPERATOR, "case", "show", code, db=db).stdout
    assert "Summoned departments" in shown
    assert "fed back" in shown and "timely" in shown and "waived" in shown
    verified = gridcall("audit", "verify", "--db", url, tmp=tmp)
    assert verified.returncode == 0 and "intact" in verified.stdout


def test_help_says_what_each_new_action_needs(db: tuple[str, Path]) -> None:
    _url, tmp = db
    for action, needs in (
        ("feedback", "--text"),
        ("waive", "--unit, --reason"),
        ("rate-unit", "--unit, --unit-rating"),
    ):
        shown = gridcall("case", action, "--help", tmp=tmp)
        assert shown.returncode == 0 and f"Needs {needs}" in " ".join(shown.stdout.split())
    assert "check-in" in gridcall("case", "--help", tmp=tmp).stdout
