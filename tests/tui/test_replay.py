"""The debrief's replay (`gridcall train replay TRAINEE`): ← → step through a scripted
trainee's actions and the screen says which step it shows; snapshots at 80×24 and 160×48 in
both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from console.config import Settings
from console.db import Store
from console.debrief import ReplayApp, replay_pages
from console.demo.training import load_scenario, make_training_store, start_scenario
from console.terminal import Terminal
from console.views.widgets.training_banner import TrainingBanner
from tests.conftest import StoreFactory
from tests.store.test_scenarios import CLOCK, TRAINEE, WALL, play
from tests.tui.quiet import until_quiet

NAME = "morning-triage"


@pytest.fixture(scope="module")
def drilled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """morning-triage played by trainee1, the gas leak sent to the wrong unit, the noise
    never dispatched (as tests/store/test_debrief.py plays it)."""
    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("replay"))
    store = factory.empty()
    make_training_store(store, CLOCK, trainees=2, now=WALL)
    scenario = load_scenario(NAME)
    start_scenario(store, scenario, NAME, WALL)
    play(store, scenario, spoiled={1}, skipped={5})
    yield store
    factory.close()


def _app(store: Store, lang: str) -> ReplayApp:
    title, shown = replay_pages(store, CLOCK, TRAINEE, Settings(), lang)
    return ReplayApp(title, shown, lang, Terminal(), "dark")


def _head(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#replay-head", Static).render())


def _step(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#replay-step", Static).render())


async def test_the_arrows_step_through_the_trainees_actions(drilled: Store) -> None:
    app = _app(drilled, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        assert "step 1 of 6" in _head(pilot) and "accept · key a" in _step(pilot)
        await pilot.press("left")  # nothing before the first
        assert "step 1 of 6" in _head(pilot)
        await pilot.press("right")
        await until_quiet(pilot)
        assert "step 2 of 6" in _head(pilot)
        assert "dispatch · key d" in _step(pilot)
        assert "wrong unit: expected U-RQ" in _step(pilot) and "U-GA" in _step(pilot)
        await pilot.press("end")
        assert "step 6 of 6" in _head(pilot) and "on time +10" in _step(pilot)
        await pilot.press("right")  # nothing after the last
        assert "step 6 of 6" in _head(pilot)
        await pilot.press("home")
        assert "step 1 of 6" in _head(pilot)
        await pilot.resize_terminal(120, 30)
        await until_quiet(pilot)
        banner = app.screen.query_one(TrainingBanner)
        assert banner.region.right == 120 and "TRAINING" in str(banner.render())
        await pilot.press("q")
        await until_quiet(pilot)
    assert app.return_code == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_replay_screen(snap_compare, drilled: Store, size: tuple[int, int], lang: str) -> None:
    app = _app(drilled, lang)

    async def settle(pilot: Pilot[None]) -> None:
        await until_quiet(pilot)
        await pilot.press("right")  # the gas leak's dispatch: the wrong unit
        await until_quiet(pilot)

    assert snap_compare(app, terminal_size=size, run_before=settle)
