"""The training console (培训): the banner on every screen from the sign-in on, the header
making room for it, and the screens as snapshots at 80×24 and 160×48 in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot

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
from console.domain.sla import SlaClock
from console.terminal import Terminal
from console.views.widgets.header import CentreHeader
from console.views.widgets.hint_line import HintLine
from console.views.widgets.key_echo import KeyEcho
from console.views.widgets.training_banner import TrainingBanner
from tests.conftest import ANCHOR, StoreFactory
from tests.tui.conftest import AppFactory, session
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
