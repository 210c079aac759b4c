"""The training debrief on both stores: `train report --format xlsx` read back against the
judged trail, a bad --out said in one line with nothing half-written, and `train replay`'s
steps of a scripted trainee — each action in order, the case as it stood right after it, the
verdict it earned — on screen and as `--plain` text; every `train` command refuses a
production store."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from console.db import Store
from console.demo.training import (
    judged,
    load_scenario,
    make_training_store,
    playing,
    start_scenario,
    trainee_steps,
)
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.errors import Invalid
from console.domain.scenario import Verdict
from console.domain.workflow import Params
from console.queries.reference import reference
from console.services.cases import act
from tests.conftest import StoreFactory
from tests.store.identity import gridcall_here
from tests.store.test_scenarios import CLOCK, TRAINEE, WRONG_UNIT, play

WALL = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
NAME = "morning-triage"
WRONG = 1  # the gas leak's dispatch, sent to the police
MISSED = 5  # the noise's dispatch, never done


def _drilled(stores: StoreFactory) -> Store:
    """morning-triage played by trainee1: every step in time but the gas leak dispatched to
    the wrong unit and the noise never dispatched; trainee2 does nothing."""
    store = stores.empty()
    make_training_store(store, CLOCK, trainees=2, now=WALL)
    scenario = load_scenario(NAME)
    start_scenario(store, scenario, NAME, WALL)
    assert scenario.expects[WRONG].target == "U-RQ"
    assert scenario.expects[MISSED].action is Action.DISPATCH
    play(store, scenario, spoiled={WRONG}, skipped={MISSED})
    return store


def _cli(store: Store, tmp_path: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    ran = gridcall_here("--lang", lang, "train", *args, "--db", store.url, state=tmp_path / "s")
    return ran.code, ran.out, ran.err


def test_the_xlsx_debrief_holds_the_judged_trail(stores: StoreFactory, tmp_path: Path) -> None:
    store = _drilled(stores)
    result = judged(store)
    assert result is not None
    play_, verdicts, board = result
    out = tmp_path / "debrief.xlsx"
    code, _, err = _cli(store, tmp_path, "report", "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Scores", "Verdicts", "Timeline"]

    scores = [list(r) for r in book["Scores"].iter_rows(min_row=2, values_only=True)]
    assert scores[0] == ["trainee", "points", "of", "steps", "on time", "late", "wrong unit"]
    assert scores[1:] == [
        [s.login, s.points, 70, s.steps, s.on_time, s.late, s.wrong_unit] for s in board
    ]
    assert scores[1] == ["trainee1", 40, 70, 5, 4, 0, 1]  # 70 less the gas (20) and noise (10)

    rows = [list(r) for r in book["Verdicts"].iter_rows(min_row=2, values_only=True)]
    assert rows[0] == [
        "case", "code", "action", "expected unit", "within (minutes)", "verdict", "by", "at",
        "points", "of",
    ]  # fmt: skip
    assert len(rows) == 1 + len(verdicts)
    for row, v in zip(rows[1:], verdicts, strict=True):
        case, code_, action, unit, within, verdict, by, at, points, of = row
        assert case == v.expectation.case and code_ == play_.cases[v.expectation.case]
        assert unit == v.expectation.target and within * 60 == v.expectation.within.seconds
        assert action == v.expectation.action.value  # accept, dispatch: their English names
        assert verdict == v.verdict.value.replace("_", " ").replace(
            "wrong unit", "wrong unit or case"
        )
        assert (by, points, of) == (v.by, v.points, v.expectation.points)
        assert (at is None) == (v.at is None)
    gas_dispatch, noise = rows[1 + WRONG], rows[1 + MISSED]
    assert gas_dispatch[2:4] == ["dispatch", "U-RQ"] and gas_dispatch[5:7] == [
        "wrong unit or case",
        "trainee1",
    ]
    assert noise[5:9] == ["missed", None, None, 0]

    timeline = [list(r) for r in book["Timeline"].iter_rows(min_row=3, values_only=True)]
    assert [r[2:4] for r in timeline] == [
        ["report", "gas"],
        ["report", "stall"],
        ["report", "lamp"],
        ["report", "noise"],
        ["resident calls back", "gas"],
    ]
    assert {r[5] for r in timeline} == {"yes"}

    md = tmp_path / "debrief.md"
    code, out_, err = _cli(store, tmp_path, "report", "--out", str(md))
    assert code == 0 and out_ == "", err
    assert md.read_text(encoding="utf-8").startswith("# Morning triage (morning-triage)\n")
    assert "| trainee1 | 40 / 70 | 5 | 4 | 0 | 1 |" in md.read_text(encoding="utf-8")

    zh = tmp_path / "复盘.xlsx"
    code, _, err = _cli(store, tmp_path, "report", "--format", "xlsx", "-o", str(zh), lang="zh")
    assert code == 0, err
    book = load_workbook(zh)
    assert book.sheetnames == ["概况", "学员成绩", "逐项评判", "情景时间线"]
    assert book["学员成绩"]["A2"].value == "学员" and book["逐项评判"]["F2"].value == "结果"


def test_a_bad_out_is_one_line_and_nothing_half_written(
    stores: StoreFactory, tmp_path: Path
) -> None:
    store = stores.empty()
    make_training_store(store, CLOCK, trainees=1, now=WALL)
    start_scenario(store, load_scenario(NAME), NAME, WALL)
    code, _, err = _cli(store, tmp_path, "report", "--format", "xlsx")
    assert code != 0 and "xlsx is written to a file only: add --out FILE" in err
    outs = tmp_path / "outs"
    folder = outs / "debriefs"
    folder.mkdir(parents=True)
    bad = [folder, outs / "no-such-dir" / "d.xlsx"]
    if os.geteuid() != 0:  # root writes anywhere
        locked = outs / "locked"
        locked.mkdir(mode=0o500)
        bad.append(locked / "d.xlsx")
    for out in bad:
        code, _, err = _cli(store, tmp_path, "report", "--format", "xlsx", "--out", str(out))
        assert code != 0 and f"cannot write {out}" in err, err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert folder.is_dir() and not list(folder.iterdir())
    left = sorted(p.relative_to(outs).as_posix() for p in outs.rglob("*"))
    assert left == sorted(["debriefs", *(["locked"] if os.geteuid() != 0 else [])])


def test_the_replay_steps_through_what_a_trainee_did(stores: StoreFactory) -> None:
    store = _drilled(stores)
    found = playing(store)
    assert found is not None
    cases = found[0].cases
    steps = trainee_steps(store, CLOCK, TRAINEE)
    assert [(s.case, s.action) for s in steps] == [
        ("gas", Action.ACCEPT),
        ("gas", Action.DISPATCH),
        ("stall", Action.ACCEPT),
        ("stall", Action.DISPATCH),
        ("lamp", Action.ACCEPT),  # asked for nothing, needed by the lamp's dispatch
        ("lamp", Action.DISPATCH),
    ]
    assert [s.event.at for s in steps] == sorted(s.event.at for s in steps)
    assert all(s.code == cases[s.case or ""] and s.event.actor == TRAINEE for s in steps)
    # The case as it stood right after each action, replayed from the trail.
    assert [s.state.status for s in steps] == [Status.ACCEPTED, Status.DISPATCHED] * 3
    assert [s.state.lead_unit for s in steps] == [
        None, WRONG_UNIT, None, "S-LJ01-CG", None, "U-CG",
    ]  # fmt: skip
    gas_accept, gas_dispatch = steps[0], steps[1]
    assert [e.action for e in gas_accept.timeline] == ["new", "accept"]
    assert [e.action for e in gas_dispatch.timeline] == ["new", "accept", "dispatch"]
    assert gas_accept.state.deadline_at != gas_dispatch.state.deadline_at  # a new step's clock
    # What each action earned: the expectation it decided, if any.
    earned = [[(j.verdict, j.points) for j in s.verdicts] for s in steps]
    assert earned == [
        [(Verdict.ON_TIME, 10)],
        [(Verdict.WRONG_UNIT, 0)],
        [(Verdict.ON_TIME, 10)],
        [(Verdict.ON_TIME, 10)],
        [],
        [(Verdict.ON_TIME, 10)],
    ]
    assert gas_dispatch.verdicts[0].expectation.target == "U-RQ"

    # Only the action that decided an expectation shows its verdict: the gas leak, returned by
    # the police and dispatched again to the gas company, is still judged by the first dispatch.
    code, later = cases["gas"], found[0].started + timedelta(hours=2)
    ref = reference(store)
    police = next(u.login for u in ref.users.values() if ref.actor(u.login).own_unit == WRONG_UNIT)
    act(store, CLOCK, police, code, Action.RETURN, Params(reason="不归公安管"), now=later)
    act(store, CLOCK, TRAINEE, code, Action.APPROVE_RETURN, now=later + timedelta(minutes=1))
    act(store, CLOCK, TRAINEE, code, Action.DISPATCH, Params(unit="U-RQ"),
        now=later + timedelta(minutes=2))  # fmt: skip
    again = trainee_steps(store, CLOCK, TRAINEE)
    assert [(s.action, s.state.lead_unit) for s in again[6:]] == [
        (Action.APPROVE_RETURN, None),
        (Action.DISPATCH, "U-RQ"),
    ]
    assert again[7].verdicts == () and again[1].verdicts == steps[1].verdicts

    with pytest.raises(Invalid) as nobody:
        trainee_steps(store, CLOCK, "trainee9")
    assert nobody.value.key == "error.replay_no_trainee"
    with pytest.raises(Invalid) as idle:
        trainee_steps(store, CLOCK, "trainee2")
    assert idle.value.key == "error.replay_nothing_done"


def test_replay_plain_prints_every_step(stores: StoreFactory, tmp_path: Path) -> None:
    store = _drilled(stores)
    code, out, err = _cli(store, tmp_path, "replay", TRAINEE, "--plain")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Debrief · trainee1"
    heads = [line for line in lines if line.startswith("step ")]
    assert [h.split("  ")[0] for h in heads] == [f"step {n} of 6" for n in range(1, 7)]
    assert heads[0].endswith("accept · key a") and heads[1].endswith("dispatch · key d")
    text = "\n".join(lines)
    assert "→ on time +10" in text and "→ wrong unit: expected U-RQ" in text
    assert "→ this step scores nothing" in text
    assert "lead unit: U-GA " in text and "status: dispatched" in text
    code, out, _ = _cli(store, tmp_path, "replay", TRAINEE, "--plain", lang="zh")
    assert code == 0 and out.startswith("复盘 · trainee1") and "单位错误：应为 U-RQ" in out

    for login, says in (
        ("trainee9", "the training store has no user 'trainee9'"),
        ("trainee2", "trainee2 has done nothing in the training store yet"),
    ):
        code, _, err = _cli(store, tmp_path, "replay", login, "--plain")
        assert code != 0 and says in err and "Traceback" not in err


def test_every_train_command_refuses_a_production_store(
    stores: StoreFactory, tmp_path: Path
) -> None:
    live = stores.seeded()
    for args in (
        ("report", "--format", "xlsx", "--out", str(tmp_path / "d.xlsx")),
        ("report",),
        ("replay", "op.jiangbin1", "--plain"),
        ("replay", "op.jiangbin1"),
        ("play", "--once"),
        ("clock",),
    ):
        code, _, err = _cli(live, tmp_path, *args)
        assert code != 0 and "is not a training store" in err, (args, err)
    assert not (tmp_path / "d.xlsx").exists() and not reference(live).centre.training
