"""Training mode on both stores: `gridcall train` makes a training store, its console opens only
a training store and the production console never does; the trainer's clock moves every light
of every console on it, and nothing else."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from console import wallclock
from console.db import Store
from console.demo.training import make_training_store
from console.domain.actions import Action
from console.domain.enums import Light, Source, Urgency
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.queries import cases as q
from console.queries.reference import reference
from console.queries.training import training_clock
from console.services.cases import create_case
from console.services.training import set_clock
from console.session import Session
from tests.conftest import StoreFactory
from tests.store.identity import gridcall_here

WALL = wallclock.now()


def test_gridcall_train_makes_a_training_store_only_its_console_opens(
    stores: StoreFactory, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    url = stores.url()
    made = gridcall_here("--lang", "en", "train", "--db", url, "--trainees", "2", state=state)
    assert made.code == 0, made.err
    assert "training store ready" in made.out and "trainee1 … trainee2" in made.out
    assert "trainer trainer, trainees" in made.out  # the trainer's login with the trainees'
    training = Store(url)
    ref = reference(training, reload=True)
    assert ref.centre.training
    assert {"trainee1", "trainee2", "trainer"} <= {u.login for u in ref.users.values()}
    clock = training_clock(training)
    assert clock is not None and clock.frozen
    training.dispose()

    again = gridcall_here("--lang", "en", "train", "--db", url, state=state)
    assert again.code != 0 and "holds a training already: add --reset" in again.err
    production = gridcall_here("--lang", "en", "run", "--db", url, state=state)
    assert production.code != 0
    assert "is a training store: open it with gridcall train run" in production.err


def test_the_training_commands_never_touch_a_production_store(
    stores: StoreFactory, tmp_path: Path
) -> None:
    live = stores.seeded()
    before = q.count(live, q.DISTRICT_WIDE, q.QueueFilter(statuses=frozenset()), now=WALL)
    state = tmp_path / "state"
    for args in (
        ("train", "--db", live.url, "--reset"),
        ("train", "run", "--db", live.url),
        ("train", "clock", "run", "--db", live.url),
    ):
        ran = gridcall_here("--lang", "en", *args, state=state)
        assert ran.code != 0 and "is not a training store" in ran.err, (args, ran.err)
    after = q.count(live, q.DISTRICT_WIDE, q.QueueFilter(statuses=frozenset()), now=WALL)
    assert after == before and not reference(live, reload=True).centre.training


def test_the_trainers_clock_holds_every_light_and_moves_them_on(stores: StoreFactory) -> None:
    store = stores.empty()
    make_training_store(store, SlaClock(), trainees=1, now=WALL)
    session = Session(store, SlaClock(), "trainee1", "en", SlaClock().hours.tz)
    try:
        clock = session.follow_training_clock()
        assert clock is not None and clock.frozen
        # Reported urgent at the frozen moment: 15 minutes to accept it, in wall time.
        grid = min(a.code for a in reference(store).areas.values() if a.level.value == "grid"
                   and a.code.startswith("LJ01"))  # fmt: skip
        case = create_case(
            store,
            SlaClock(),
            "trainee1",
            NewCase(
                title="燃气管道泄漏",
                category="020101",
                grid=grid,
                address="江滨路1号",
                source=Source.HOTLINE,
                urgency=Urgency.URGENT,
            ),
        )
        assert case.timeline[0].at == clock.at  # the trail lives in training time
        row = q.detail(store, q.DISTRICT_WIDE, case.code).row
        assert row.light(wallclock.now()) is Light.GREEN
        # However long the room talks, the frozen clock holds the light.
        wallclock.follow(lambda wall: clock.now(wall + timedelta(hours=5)))
        assert row.light(wallclock.now()) is Light.GREEN

        set_clock(store, clock.advance(WALL, timedelta(hours=1)))
        moved = session.follow_training_clock()
        assert moved is not None and wallclock.now() == clock.at + timedelta(hours=1)
        assert row.light(wallclock.now()) is Light.RED
        accepted = session.act(case.code, Action.ACCEPT)
        assert accepted.timeline[0].at == clock.at + timedelta(hours=1)
    finally:
        wallclock.follow(None)


def test_a_scenario_from_the_command_line_fires_as_the_clock_goes_and_is_scored(
    stores: StoreFactory, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    url = stores.url()

    def run(*args: str) -> str:
        ran = gridcall_here("--lang", "en", *args, "--db", url, state=state)
        assert ran.code == 0, (args, ran.err)
        return ran.out

    run("train", "--trainees", "1", "--scenario", "morning-triage")
    assert run("train", "clock").startswith("the training clock stands still at")
    assert run("train", "play", "--once") == ""  # nothing is due before the clock runs
    run("train", "clock", "advance", "10m")
    fired = run("train", "play", "--once").splitlines()
    assert [line.split()[-2:] for line in fired] == [
        ["report", "gas"],
        ["report", "stall"],
        ["report", "lamp"],
        ["report", "noise"],
    ]
    scored = json.loads(run("train", "report", "--format", "json"))
    assert scored["scenario"] == "morning-triage" and scored["total"] == 70
    assert [s["verdict"] for s in scored["steps"]] == ["missed"] * 6
    bad = gridcall_here("--lang", "en", "train", "--reset", "--scenario", "nope", "--db", url,
                        state=state)  # fmt: skip
    assert bad.code != 0 and "no training scenario 'nope'" in bad.err
