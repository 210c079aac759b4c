"""The loop from the command line: exit 0 on success, 1 when refused, 2 on bad usage.

Each user signs in once (`gridcall login`) from a state directory of their own, as from their
own terminal; the commands then act as them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from console.db import Store
from tests.store.identity import PASSWORD, add_section_user, give_password
from tests.store.test_cli_store import gridcall

OPERATOR = "op.jiangbin1"
STRANGER = "op.wangchao1"  # an operator of another street
SECTION = "t.section.lj01cg"  # staff of Jiangbin's urban management section

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


def as_(login: str, *args: str, db: tuple[str, Path]) -> subprocess.CompletedProcess[str]:
    """`gridcall ARGS --db URL` from the terminal where `login` signed in."""
    url, tmp = db
    state = {"GRIDCALL_STATE_DIR": str(tmp / "state" / login)}
    return gridcall(*args, "--db", url, env=state, tmp=tmp)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{tmp / 'cli.db'}"
    assert gridcall("init", "--db", url, tmp=tmp).returncode == 0
    seeded = gridcall("seed", "--db", url, "--cases", "0", tmp=tmp)
    assert seeded.returncode == 0, seeded.stderr
    store = Store(url)
    for login in (OPERATOR, STRANGER):
        give_password(store, login)
    add_section_user(store, SECTION, "S-LJ01-CG")
    store.dispose()
    for login in (OPERATOR, STRANGER, SECTION):
        sign_in(login, url, tmp)
    return url, tmp


def sign_in(login: str, url: str, tmp: Path) -> None:
    """`gridcall login` as `login`, from a terminal of their own (its state directory)."""
    state = {"GRIDCALL_STATE_DIR": str(tmp / "state" / login)}
    signed = gridcall(
        "login", "--db", url, "--user", login, "--password-stdin", env=state, tmp=tmp,
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr


def new_case(db: tuple[str, Path]) -> str:
    made = as_(OPERATOR, "case", "new", *CASE, "--json", db=db)
    assert made.returncode == 0, made.stderr
    return str(json.loads(made.stdout)["code"])


def test_walk_a_case_round_the_loop(db: tuple[str, Path]) -> None:
    url, tmp = db
    code = new_case(db)
    steps = [
        (OPERATOR, ["accept"]),
        (OPERATOR, ["dispatch", "--unit", "S-LJ01-CG", "--instruction", "请核实处置"]),
        (SECTION, ["sign"]),
        (SECTION, ["handled", "--result", "已劝离摊贩"]),
        (OPERATOR, ["verify", "--pass"]),
        (OPERATOR, ["rate", "--rating", "satisfied", "--comment", "处理及时"]),
    ]
    for login, step in steps:
        done = as_(login, "case", step[0], code, *step[1:], "--json", db=db)
        assert done.returncode == 0, (step, done.stderr)
    final = json.loads(done.stdout)
    assert final["status"] == "closed"
    assert final["rating"] == "satisfied"
    assert [(e["action"], e["actor"]) for e in final["timeline"]][::-1] == [
        ("new", OPERATOR),
        ("accept", OPERATOR),
        ("dispatch", OPERATOR),
        ("sign", SECTION),
        ("handled", SECTION),
        ("verify", OPERATOR),
        ("rate", OPERATOR),
    ]
    verified = gridcall("audit", "verify", "--db", url, tmp=tmp)
    assert verified.returncode == 0 and "intact" in verified.stdout


def test_refusals_exit_1_with_one_line(db: tuple[str, Path]) -> None:
    code = new_case(db)
    again = [as_(OPERATOR, "case", "accept", code, db=db) for _ in range(2)][1]
    assert again.returncode == 1
    assert "cannot accept" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    stranger = as_(STRANGER, "case", "note", code, "--text", "x", db=db)
    # Another street's case is out of the stranger's reach: it reads as absent.
    assert stranger.returncode == 1 and stranger.stderr.strip() == f"no case {code}"
    stale = as_(OPERATOR, "case", "note", code, "--text", "x", "--version", "1", db=db)
    assert stale.returncode == 1 and "was changed by op.jiangbin1" in stale.stderr


@pytest.mark.parametrize(
    "args, says",
    [
        (["reject"], "needs: reason"),
        (["dispatch", "--unit", "U-NOPE"], "no unit U-NOPE"),
        (["extend", "--reason", "x", "--until", "next tuesday"], "cannot read the time"),
        (["rate", "--rating", "great"], "great"),
        (["accept", "--bogus"], "No such option"),
    ],
)
def test_bad_usage_exits_2_and_changes_nothing(
    db: tuple[str, Path], args: list[str], says: str
) -> None:
    code = new_case(db)
    result = as_(OPERATOR, "case", args[0], code, *args[1:], db=db)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    shown = json.loads(as_(OPERATOR, "case", "show", code, "--json", db=db).stdout)
    assert shown["version"] == 1 and shown["status"] == "reported"


def test_help_of_every_action_says_what_it_needs(db: tuple[str, Path]) -> None:
    _url, tmp = db
    shown = gridcall("case", "whistle", "--help", tmp=tmp)
    assert shown.returncode == 0
    assert "--unit" in shown.stdout and "--co" in shown.stdout


WORKER = "gw.lj010101"  # the grid worker of LJ010101
ON_SPOT = [
    "--title",
    "3幢楼道堆放纸箱",
    "--category",
    "040104",  # corridor clutter: the grid's own worker handles it (自办)
    "--grid",
    "LJ010101",
    "--address",
    "江滨路12号3幢",
    "--source",
    "patrol",
]


def test_a_grid_worker_reports_a_case_handled_on_the_spot_in_one_command(
    db: tuple[str, Path],
) -> None:
    url, tmp = db
    store = Store(url)
    give_password(store, WORKER)
    store.dispose()
    sign_in(WORKER, url, tmp)
    every = ("--status", "reported", "--status", "verifying", "--status", "closed")

    def listed() -> str:
        found = as_(OPERATOR, "case", "list", *every, "--json", db=db)
        assert found.returncode == 0, found.stderr
        return found.stdout

    before = listed()

    no_photo = as_(WORKER, "case", "new", *ON_SPOT, "--handled-on-spot", "已清理", db=db)
    assert no_photo.returncode == 2 and "needs: photo" in no_photo.stderr, no_photo.stderr
    elsewhere = as_(
        WORKER, "case", "new", *CASE, "--handled-on-spot", "已劝离",
        "--photo", "https://photos.lj.example/2.jpg", db=db,
    )  # fmt: skip
    assert elsewhere.returncode == 2 and "cannot be handled on the spot" in elsewhere.stderr
    assert listed() == before

    done = as_(
        WORKER, "case", "new", *ON_SPOT, "--handled-on-spot", "已督促住户清理",
        "--photo", "https://photos.lj.example/1.jpg", "--json", db=db,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["status"] in ("closed", "verifying")  # the centre spot-checks a share
    assert shown["code"] in listed() and listed() != before
    assert [e["action"] for e in shown["timeline"]][::-1] == ["new", "self-close"]
    assert gridcall("audit", "verify", "--db", url, tmp=tmp).returncode == 0
