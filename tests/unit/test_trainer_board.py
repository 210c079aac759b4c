"""The trainer's console's sums, without a store: a step the room missed is one nobody took
whose time is up; the clock's way to the next event; the board as the screen words it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from console.demo.training import Playing, TrainerBoard, load_scenario
from console.domain.actions import Action
from console.domain.scenario import Done, judge, overdue, scoreboard
from console.domain.training import TrainingClock
from console.terminal import ASCII, UNICODE
from console.views.viewmodels.trainer import board_text

CENTRE = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 21, 0, 30, tzinfo=UTC)  # 08:30 in the centre


def _board(now: datetime, done: list[Done], reported: dict[str, datetime]) -> TrainerBoard:
    scenario = load_scenario("morning-triage")
    play = Playing(scenario, START, [0], {"gas": "LJ-1"})
    verdicts = judge(scenario, reported, done)
    late = [overdue(v, reported, now) for v in verdicts]
    clock = TrainingClock(now, now, 0.0)
    return TrainerBoard(play, clock, now, verdicts, scoreboard(verdicts, ["trainee1"]), late)


def test_a_step_nobody_took_is_missed_by_the_room_once_its_time_is_up() -> None:
    came = {"gas": START + timedelta(minutes=1)}
    board = _board(START + timedelta(minutes=3), [], came)
    assert board.missed == 0  # the acceptance (3 min) is due at 08:34
    board = _board(START + timedelta(minutes=4), [], came)
    assert board.missed == 1
    board = _board(START + timedelta(minutes=6), [], came)
    assert board.missed == 2  # and the dispatch (5 min)
    took = [Done("gas", Action.ACCEPT, "trainee1", START + timedelta(minutes=9))]
    board = _board(START + timedelta(minutes=9), took, came)
    assert board.missed == 1  # late is the trainee's, not the room's
    assert board.scores[0].late == 1


def test_the_next_event_is_the_first_still_to_fire_ahead() -> None:
    scenario = load_scenario("morning-triage")
    play = Playing(scenario, START, [], {})
    assert play.to_next_event(START) == timedelta(minutes=1)
    play = Playing(scenario, START, [0], {})
    assert play.to_next_event(START + timedelta(minutes=2)) == timedelta(minutes=1)
    assert play.to_next_event(START + timedelta(minutes=4)) is None  # one is due: it fires
    play = Playing(scenario, START, list(range(len(scenario.events))), {})
    assert play.to_next_event(START) is None


def test_the_board_in_words() -> None:
    came = {"gas": START + timedelta(minutes=1)}
    took = [Done("gas", Action.ACCEPT, "trainee1", START + timedelta(minutes=2))]
    text = board_text(_board(START + timedelta(minutes=4), took, came), CENTRE,
                      "en", ASCII)  # fmt: skip
    assert text.heading == "Morning triage | training clock 08:34:00 paused"
    assert text.scores == [("trainee1", "10/70", "1", "1", "0", "0")]
    assert text.missed == "missed by the room (past due, nobody took it): 0"
    assert text.timeline[0][:3] == ("08:31", "x", "report gas")
    assert text.timeline[1][:3] == ("08:33", "waiting", "report stall")
    assert text.steps[0][:4] == ("gas . accept", "trainee1", "on time", "10/10")
    assert text.steps[1][:4] == ("gas . dispatch", "-", "waiting", "0/20")
    zh = board_text(_board(START + timedelta(minutes=7), took, came), CENTRE,
                    "zh", UNICODE)  # fmt: skip
    assert zh.heading == "早间分拣 │ 培训时钟 08:37:00 已暂停"
    assert zh.missed == "全场漏做（过时无人办理）：1 步"
    assert zh.steps[1][2] == "未做"
