"""The training console (培训): the banner on every screen from the sign-in on, the header
making room for it, and the screens as snapshots at 80×24 and 160×48 in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import Static

from console import wallclock
from console.app import GridcallApp
from console.db import Store
from console.demo.training import (
    fire_due,
    load_scenario,
    make_training_store,
    playing,
    start_scenario,
)
from console.domain.actions import Action
from console.domain.errors import Forbidden
from console.domain.sla import SlaClock
from console.domain.training import TrainingClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.queries.training import training_clock
from console.services.cases import act
from console.services.training import set_clock
from console.terminal import Terminal
from console.views.screens.trainer import TrainerScreen
from console.views.widgets.header import CentreHeader
from console.views.widgets.hint_line import HintLine
from console.views.widgets.key_echo import KeyEcho
from console.views.widgets.training_banner import TrainingBanner
from tests.conftest import ANCHOR, StoreFactory
from tests.tui.conftest import AppFactory, screen_text, session
from tests.tui.quiet import until_quiet

TRAINEE = "trainee1"


@pytest.fixture(scope="module")
def training_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("training"))
    store = factory.empty()
    make_training_store(store, SlaClock(), trainees=2, now=ANCHOR)
    yield store
    factory.close()


def _banner_on_top(pilot: Pilot[None], word: str) -> None:
    banner = pilot.app.screen.query_one(TrainingBanner)
    width = pilot.app.size.width
    assert banner.region.y == 0 and banner.region.right == width
    assert word in str(banner.render())


async def test_the_banner_is_on_every_screen_from_the_sign_in(
    training_store: Store, console_app: AppFactory
) -> None:
    app = console_app(training_store, login=TRAINEE, lang="en", signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        _banner_on_top(pilot, "TRAINING")
    app = console_app(training_store, login=TRAINEE, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        _banner_on_top(pilot, "培训")
        # The header's line ends before the banner: its live mark is not hidden.
        header, banner = app.screen.query_one(CentreHeader), app.screen.query_one(TrainingBanner)
        assert "实时" in header.render() and cell_len(header.render()) <= 80 - banner.cells
        for key in ("enter", "escape", "D", "escape", "question_mark"):
            await pilot.press(key)
            await until_quiet(pilot)
            _banner_on_top(pilot, "培训")
        await pilot.resize_terminal(120, 30)
        await until_quiet(pilot)
        _banner_on_top(pilot, "培训")


async def test_a_production_console_shows_no_banner(
    snapshot_store: Store, console_app: AppFactory
) -> None:
    app = console_app(snapshot_store, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        assert not app.screen.query(TrainingBanner)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("screen", ["sign-in", "queue", "key-echo"])
def test_training_screen(
    snap_compare,
    training_store: Store,
    console_app: AppFactory,
    screen: str,
    size: tuple[int, int],
    lang: str,
) -> None:
    if screen == "key-echo":
        app = _echo_app(training_store, lang)
    else:
        app = console_app(training_store, login=TRAINEE, lang=lang, signed_in=screen != "sign-in")
    if app.gate is not None:
        app.gate.where = "sqlite:////home/trainer/.local/share/gridcall/training.db"

    async def settle(pilot: Pilot[None]) -> None:
        await until_quiet(pilot)
        if screen == "key-echo":
            for key in ("j", "f", "escape"):
                await pilot.press(key)
                await until_quiet(pilot)

    assert snap_compare(app, terminal_size=size, run_before=settle)


def _echo_app(store: Store, lang: str) -> GridcallApp:
    """A trainer's console projected for the room (`gridcall train run --echo`)."""
    return GridcallApp(
        session(store, TRAINEE, lang), live=False, testing=True, terminal=Terminal(), echo_keys=True
    )


async def test_the_room_sees_each_key_and_what_it_did(training_store: Store) -> None:
    app = _echo_app(training_store, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        for key in ("j", "f", "escape", "slash", "a", "b"):
            await pilot.press(key)
            await until_quiet(pilot)
        echo = app.screen.query_one(KeyEcho)
        assert echo.region.y == 22  # above the footer

        def pairs() -> list[str]:
            return [p.strip() for p in str(echo.render()).strip().split("   ")]

        # Letters typed into the search box are the box's: they did no action.
        assert pairs() == ["j  next case", "f  filter", "esc  cancel", "/  search"]
        await pilot.press("enter")  # back to the queue: the oldest key leaves the strip
        await until_quiet(pilot)
        assert len(pairs()) == 4 and pairs()[0] == "f  filter"


async def test_a_trainees_own_console_has_no_echo(training_store: Store) -> None:
    app = GridcallApp(
        session(training_store, TRAINEE, "en"), live=False, testing=True, terminal=Terminal()
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("j")
        assert not app.screen.query(KeyEcho)


@pytest.fixture
def drill(tmp_path: Path) -> Iterator[Store]:
    """A training store playing the morning triage, its first two calls in."""
    factory = StoreFactory("sqlite", tmp_path)
    store = factory.empty()
    make_training_store(store, SlaClock(), trainees=1, now=ANCHOR)
    play = start_scenario(store, load_scenario("morning-triage"), "morning-triage", ANCHOR)
    fire_due(store, SlaClock(), play.started + timedelta(minutes=5))
    yield store
    factory.close()


async def test_the_guided_hint_line_says_the_next_step_and_follows_the_trainee(
    drill: Store, console_app: AppFactory
) -> None:
    app = console_app(drill, login=TRAINEE, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        line = app.screen.query_one(HintLine)
        assert line.region.y == 21 and line.display
        assert "燃气泄漏：立即受理" in str(line.render())
        playing_ = playing(drill)
        assert playing_ is not None
        gas = playing_[0].cases["gas"]
        app.session.act(gas, Action.ACCEPT)
        app.refresh_counts()
        await until_quiet(pilot, 0.3)
        assert "派给临江燃气有限公司（U-RQ）" in str(line.render())


async def test_an_exam_gives_no_hint(drill: Store, console_app: AppFactory) -> None:
    found = playing(drill)
    assert found is not None
    play, source = found
    start_scenario(drill, play.scenario, source, ANCHOR + timedelta(days=1), exam=True)
    app = console_app(drill, login=TRAINEE, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 0.3)
        assert not app.screen.query_one(HintLine).display


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_the_hint_line_as_a_trainee_sees_it(
    snap_compare, drill: Store, console_app: AppFactory, size: tuple[int, int], lang: str
) -> None:
    app = console_app(drill, login=TRAINEE, lang=lang)

    async def settle(pilot: Pilot[None]) -> None:
        await until_quiet(pilot, 0.3)

    assert snap_compare(app, terminal_size=size, run_before=settle)


# --- the trainer's console ----------------------------------------------------------------------

TRAINER_LOGIN = "trainer"


@pytest.fixture(params=["sqlite", "pg"])
def trainer_drill(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A training store playing the morning triage, its clock frozen at the start, nothing
    fired yet: the trainer's console is the director."""
    factory = StoreFactory(request.param, tmp_path)
    store = factory.empty()
    make_training_store(store, SlaClock(), trainees=2, now=ANCHOR)
    start_scenario(store, load_scenario("morning-triage"), "morning-triage", ANCHOR)
    yield store
    factory.close()


def _started(store: Store) -> datetime:
    found = playing(store)
    assert found is not None
    return found[0].started


def _clock(store: Store) -> TrainingClock:
    clock = training_clock(store)
    assert clock is not None
    return clock


def _text(app: GridcallApp, widget_id: str) -> str:
    return screen_text(app.screen.query_one(f"#{widget_id}", Static))


def _row(app: GridcallApp, login: str) -> list[str]:
    line = next(x for x in _text(app, "trainer-scores").splitlines() if x.startswith(login))
    return line.split()


async def test_the_trainer_opens_on_the_drill_and_the_scoreboard_follows_the_trail(
    trainer_drill: Store, console_app: AppFactory
) -> None:
    store = trainer_drill
    started = _started(store)
    wallclock.freeze(started + timedelta(minutes=2))
    app = console_app(store, login=TRAINER_LOGIN, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 1.2)  # the director fires the gas call (+1 min)
        assert isinstance(app.screen, TrainerScreen)
        assert "Morning triage" in _text(app, "trainer-heading")
        assert "paused" in _text(app, "trainer-heading")
        assert _row(app, TRAINEE) == [TRAINEE, "0/70", "0", "0", "0", "0"]
        found = playing(store)
        assert found is not None and "gas" in found[0].cases
        gas = found[0].cases["gas"]
        # The trainee, at their own console: accepts the call in time, dispatches it to the
        # wrong unit.
        act(store, SlaClock(), TRAINEE, gas, Action.ACCEPT, now=started + timedelta(minutes=2))
        act(store, SlaClock(), TRAINEE, gas, Action.DISPATCH, Params(unit="U-CG"),
            now=started + timedelta(minutes=3))  # fmt: skip
        await until_quiet(pilot, 1.2)  # the screen reads the drill each second
        assert _row(app, TRAINEE) == [TRAINEE, "10/70", "2", "1", "0", "1"]
        steps = {
            line.split("  ")[0]: line.split() for line in _text(app, "trainer-steps").splitlines()
        }
        assert steps["gas · accept"][-3:] == ["on", "time", "10/10"]
        assert steps["gas · dispatch"][-6:] == [TRAINEE, "wrong", "unit", "or", "case", "0/20"]
        assert steps["stall · accept"][-3:] == ["—", "waiting", "0/10"]
        # The stall's acceptance (15 min) is still waiting at +3 min; at +20 min nobody took
        # it: the room missed it.
        assert "missed by the room (past due, nobody took it): 0" in _text(app, "trainer-missed")
        wallclock.freeze(started + timedelta(minutes=20))
        await until_quiet(pilot, 1.2)
        assert "nobody took it): 1" in _text(app, "trainer-missed")


async def test_pause_and_run_hold_and_start_the_clock_in_the_store(
    trainer_drill: Store, console_app: AppFactory
) -> None:
    store = trainer_drill
    wall = datetime.now(UTC)
    set_clock(store, _clock(store).run(wall, 60))
    app = console_app(store, login=TRAINER_LOGIN, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 0.3)
        await pilot.press("p")
        await until_quiet(pilot, 0.3)
        assert _clock(store).frozen
        held = _clock(store).at
        await pilot.press("p")  # runs again at the rate it ran at
        await until_quiet(pilot, 0.3)
        clock = _clock(store)
        assert clock.rate == 60 and held <= clock.at < held + timedelta(minutes=1)


async def test_the_trainer_moves_the_clock_on(
    trainer_drill: Store, console_app: AppFactory
) -> None:
    store = trainer_drill
    started = _started(store)
    app = console_app(store, login=TRAINER_LOGIN, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 0.3)
        assert _clock(store).at == started
        await pilot.press("h")
        await until_quiet(pilot, 0.3)
        assert _clock(store).at == started + timedelta(hours=1)
        assert _clock(store).frozen  # moved on, frozen as it was
        await pilot.press("f")
        await until_quiet(pilot, 0.3)
        assert _clock(store).at == started + timedelta(hours=1, minutes=15)

    # To the next event: from the start, the gas call at +1 min.
    set_clock(store, TrainingClock(datetime.now(UTC), started, 0.0))
    app = console_app(store, login=TRAINER_LOGIN, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 0.3)
        await pilot.press("n")
        await until_quiet(pilot, 0.3)
        assert _clock(store).at == started + timedelta(minutes=1)


async def test_the_trainers_console_fires_what_falls_due(
    trainer_drill: Store, console_app: AppFactory
) -> None:
    store = trainer_drill
    started = _started(store)
    wallclock.freeze(started + timedelta(minutes=4))  # the gas call and the stall are due
    app = console_app(store, login=TRAINER_LOGIN, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 1.2)
        found = playing(store)
        assert found is not None and sorted(found[0].fired) == [0, 1]
        timeline = _text(app, "trainer-timeline").splitlines()
        assert [line.split()[1] for line in timeline[1:]] == ["✓", "✓", *["waiting"] * 3]


async def test_reset_starts_the_drill_again_after_a_yes(
    trainer_drill: Store, console_app: AppFactory
) -> None:
    store = trainer_drill
    started = _started(store)
    fire_due(store, SlaClock(), started + timedelta(minutes=4))
    found = playing(store)
    assert found is not None
    gas = found[0].cases["gas"]
    act(store, SlaClock(), TRAINEE, gas, Action.ACCEPT, now=started + timedelta(minutes=2))
    set_clock(store, TrainingClock(datetime.now(UTC), started + timedelta(minutes=30), 0.0))
    app = console_app(store, login=TRAINER_LOGIN, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 0.3)
        assert _row(app, TRAINEE)[1] == "10/70"
        await pilot.press("R")
        await until_quiet(pilot)
        await pilot.press("n")  # no: nothing happens
        await until_quiet(pilot, 0.3)
        found = playing(store)
        assert found is not None and len(found[0].fired) == 2
        await pilot.press("R")
        await until_quiet(pilot)
        await pilot.press("y")
        await until_quiet(pilot, 1.2)
        found = playing(store)
        assert found is not None and found[0].fired == [] and found[0].cases == {}
        # The next morning's 08:30 on the training clock, which never runs back; frozen there.
        again = found[0].started
        assert again == started + timedelta(days=1) and found[0].scenario.name == "morning-triage"
        assert _clock(store).at == again and _clock(store).frozen
        assert isinstance(app.screen, TrainerScreen)
        assert _row(app, TRAINEE) == [TRAINEE, "0/70", "0", "0", "0", "0"]
        # The last run's case stays, as history.
        assert q.detail(store, q.DISTRICT_WIDE, gas).row.status == "accepted"


async def test_only_the_trainer_drives_the_drill(
    trainer_drill: Store, console_app: AppFactory
) -> None:
    app = console_app(trainer_drill, login=TRAINEE, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        assert not isinstance(app.screen, TrainerScreen)
        await pilot.press("L")
        await until_quiet(pilot)
        assert not isinstance(app.screen, TrainerScreen)
        with pytest.raises(Forbidden):
            app.session.pause_training()
    app = console_app(trainer_drill, login=TRAINER_LOGIN, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("escape")  # back to the queue, and L brings the drill again
        await until_quiet(pilot)
        assert not isinstance(app.screen, TrainerScreen)
        await pilot.press("L")
        await until_quiet(pilot)
        assert isinstance(app.screen, TrainerScreen)


@pytest.fixture(scope="module")
def shown_drill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A drill ten minutes in: four calls fired, a trainee part of the way through."""
    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("shown-drill"))
    store = factory.empty()
    make_training_store(store, SlaClock(), trainees=3, now=ANCHOR)
    play = start_scenario(store, load_scenario("morning-triage"), "morning-triage", ANCHOR)
    at = play.started
    fire_due(store, SlaClock(), at + timedelta(minutes=10))
    found = playing(store)
    assert found is not None
    cases = found[0].cases
    act(store, SlaClock(), TRAINEE, cases["gas"], Action.ACCEPT, now=at + timedelta(minutes=2))
    act(store, SlaClock(), TRAINEE, cases["gas"], Action.DISPATCH, Params(unit="U-RQ"),
        now=at + timedelta(minutes=4))  # fmt: skip
    act(store, SlaClock(), "trainee2", cases["stall"], Action.ACCEPT,
        now=at + timedelta(minutes=9))  # fmt: skip
    yield store
    factory.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_the_trainers_console(
    snap_compare, shown_drill: Store, console_app: AppFactory, size: tuple[int, int], lang: str
) -> None:
    wallclock.freeze(_started(shown_drill) + timedelta(minutes=10))
    app = console_app(shown_drill, login=TRAINER_LOGIN, lang=lang)

    async def settle(pilot: Pilot[None]) -> None:
        await until_quiet(pilot, 0.3)

    assert snap_compare(app, terminal_size=size, run_before=settle)


async def test_moving_the_clock_on_leaves_nobody_idle(
    trainer_drill: Store, console_app: AppFactory
) -> None:
    """The idle lock counts the wall clock's minutes: an hour of the drill's is no hour away."""
    wallclock.freeze(None)
    app = console_app(trainer_drill, login=TRAINER_LOGIN, lang="en", gated=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot, 0.3)
        await pilot.press("h")
        await until_quiet(pilot, 0.3)
        assert _clock(trainer_drill).at == _started(trainer_drill) + timedelta(hours=1)
        app.lock_if_idle()
        await until_quiet(pilot)
        assert isinstance(app.screen, TrainerScreen)
