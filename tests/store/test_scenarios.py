"""Every built-in training scenario played to its end, headless, on both stores: the events
fire on the trainer's clock, a good trainee who does each expected step in time earns full
marks, a careless one loses exactly the points of the steps done wrong or not at all — judged
from the trail alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.db import Store
from console.demo.training import (
    fire_due,
    judged,
    load_scenario,
    make_training_store,
    playing,
    scenario_names,
    start_scenario,
)
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.scenario import Expectation, Scenario, Verdict
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.services.cases import act
from tests.conftest import StoreFactory

WALL = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
CLOCK = SlaClock()
TRAINEE = "trainee1"
WRONG_UNIT = "U-GA"  # no expected dispatch in the built-in scenarios names the police


def _params(store: Store, x: Expectation, codes: dict[str, str], careless: bool) -> Params:
    if x.action is Action.DISPATCH:
        return Params(unit=WRONG_UNIT if careless else x.target)
    if x.action is Action.WHISTLE:
        lead = WRONG_UNIT if careless else x.target
        return Params(unit=lead, co_units=tuple(u for u in ("U-SW", "U-GA") if u != lead))
    if x.action is Action.DUPLICATE:
        assert x.target is not None
        return Params(other_case=codes[x.target])
    if x.action is Action.NOTE:
        return Params(text="已回电告知处置进展")
    return Params()


def _do(store: Store, x: Expectation, codes: dict[str, str], at: datetime, careless: bool) -> None:
    """The step a trainee takes for `x`, with what it needs first: a dispatch or a whistle
    needs the case accepted."""
    code = codes[x.case]
    row = q.detail(store, q.DISTRICT_WIDE, code, timeline=False).row
    if x.action in (Action.DISPATCH, Action.WHISTLE) and row.status is Status.REPORTED:
        act(store, CLOCK, TRAINEE, code, Action.ACCEPT, now=at)
    params = _params(store, x, codes, careless)
    act(store, CLOCK, TRAINEE, code, x.action, params, now=at + timedelta(seconds=30))


def play(store: Store, scenario: Scenario, spoiled: set[int], skipped: set[int]) -> None:
    """Minute by minute on the training clock: the scenario's events fire, the trainee takes
    each expected step a minute after the case came in — wrongly for `spoiled`, never for
    `skipped` (indexes into the expectations)."""
    started = playing(store)
    assert started is not None
    play_, _ = started
    last = max(e.at for e in scenario.events) + max(x.within for x in scenario.expects)
    done: set[int] = set()
    reported: dict[str, datetime] = {}
    t = play_.started
    while t <= play_.started + last + timedelta(minutes=2):
        for event in fire_due(store, CLOCK, t):
            reported.setdefault(event.case, t)
        now = playing(store)
        assert now is not None
        codes = now[0].cases
        for i, x in enumerate(scenario.expects):
            came = reported.get(x.case)
            if i in done or i in skipped or came is None or t < came + timedelta(minutes=1):
                continue
            _do(store, x, codes, t, careless=i in spoiled)
            done.add(i)
        t += timedelta(minutes=1)


@pytest.mark.parametrize("name", scenario_names())
def test_a_good_trainee_scores_full_marks(stores: StoreFactory, name: str) -> None:
    store = stores.empty()
    make_training_store(store, CLOCK, trainees=2, now=WALL)
    scenario = load_scenario(name)
    start_scenario(store, scenario, name, WALL)
    play(store, scenario, spoiled=set(), skipped=set())
    result = judged(store)
    assert result is not None
    played, verdicts, board = result
    assert played.over  # every event fired
    assert [v.verdict for v in verdicts] == [Verdict.ON_TIME] * len(scenario.expects)
    assert board[0].login == TRAINEE and board[0].points == scenario.total
    assert board[0].steps == board[0].on_time == len(scenario.expects)
    assert {s.login: s.points for s in board}["trainee2"] == 0


@pytest.mark.parametrize("name", scenario_names())
def test_a_careless_trainee_loses_the_points_of_what_went_wrong(
    stores: StoreFactory, name: str
) -> None:
    store = stores.empty()
    make_training_store(store, CLOCK, trainees=1, now=WALL)
    scenario = load_scenario(name)
    start_scenario(store, scenario, name, WALL)
    wrong = next(
        i for i, x in enumerate(scenario.expects) if x.target and x.action is not Action.DUPLICATE
    )
    missed = len(scenario.expects) - 1
    assert missed != wrong
    play(store, scenario, spoiled={wrong}, skipped={missed})
    result = judged(store)
    assert result is not None
    _, verdicts, board = result
    assert verdicts[wrong].verdict is Verdict.WRONG_UNIT
    assert verdicts[missed].verdict is Verdict.MISSED and verdicts[missed].by is None
    lost = scenario.expects[wrong].points + scenario.expects[missed].points
    assert board[0].points == scenario.total - lost
    assert board[0].wrong_unit == 1
