"""The loop from the command line: exit 0 on success, 1 when refused, 2 on bad usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{tmp / 'cli.db'}"
    assert gridcall("init", "--db", url, tmp=tmp).returncode == 0
    seeded = gridcall("seed", "--db", url, "--cases", "20", tmp=tmp)
    assert seeded.returncode == 0, seeded.stderr
    return url, tmp


def test_walk_a_case_round_the_loop(db: tuple[str, Path]) -> None:
    url, tmp = db
    made = gridcall("case", "new", "--db", url, "--as", "op.jiangbin1", *CASE, "--json", tmp=tmp)
    assert made.returncode == 0, made.stderr
    code = json.loads(made.stdout)["code"]
    steps = [
        ["accept"],
        ["dispatch", "--unit", "S-LJ01-CG", "--instruction", "请核实处置"],
        ["sign"],
        ["handled", "--result", "已劝离摊贩"],
        ["verify", "--pass"],
        ["rate", "--rating", "satisfied", "--comment", "处理及时"],
    ]
    for step in steps:
        done = gridcall(
            "case", step[0], code, "--db", url, "--as", "op.jiangbin1", *step[1:], "--json", tmp=tmp
        )
        assert done.returncode == 0, (step, done.stderr)
    final = json.loads(done.stdout)
    assert final["status"] == "closed"
    assert final["rating"] == "satisfied"
    assert [e["action"] for e in final["timeline"]][::-1] == [
        "new",
        "accept",
        "dispatch",
        "sign",
        "handled",
        "verify",
        "rate",
    ]
    verified = gridcall("audit", "verify", "--db", url, tmp=tmp)
    assert verified.returncode == 0 and "intact" in verified.stdout


def test_refusals_exit_1_with_one_line(db: tuple[str, Path]) -> None:
    url, tmp = db
    code = json.loads(
        gridcall(
            "case", "new", "--db", url, "--as", "op.jiangbin1", *CASE, "--json", tmp=tmp
        ).stdout
    )["code"]
    again = [
        gridcall("case", "accept", code, "--db", url, "--as", "op.jiangbin1", tmp=tmp)
        for _ in range(2)
    ][1]
    assert again.returncode == 1
    assert "cannot accept" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    stranger = gridcall(
        "case", "note", code, "--db", url, "--as", "op.wangchao1", "--text", "x", tmp=tmp
    )
    assert stranger.returncode == 1 and "may not" in stranger.stderr
    stale = gridcall(
        "case",
        "note",
        code,
        "--db",
        url,
        "--as",
        "op.jiangbin1",
        "--text",
        "x",
        "--version",
        "1",
        tmp=tmp,
    )
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
    url, tmp = db
    code = json.loads(
        gridcall(
            "case", "new", "--db", url, "--as", "op.jiangbin1", *CASE, "--json", tmp=tmp
        ).stdout
    )["code"]
    result = gridcall(
        "case", args[0], code, "--db", url, "--as", "op.jiangbin1", *args[1:], tmp=tmp
    )
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    shown = json.loads(gridcall("case", "show", code, "--db", url, "--json", tmp=tmp).stdout)
    assert shown["version"] == 1 and shown["status"] == "reported"


def test_help_of_every_action_says_what_it_needs(db: tuple[str, Path]) -> None:
    _url, tmp = db
    shown = gridcall("case", "whistle", "--help", tmp=tmp)
    assert shown.returncode == 0
    assert "--unit" in shown.stdout and "--co" in shown.stdout
