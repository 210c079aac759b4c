"""The training tour: a trainee's first sign-in to a training store opens it, naming the keys
the console binds; it turns page by page and leaves with esc; a second sign-in, the trainer and
a production console never see it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from console.db import Store
from console.demo.people import DEMO_PASSWORD
from console.demo.training import make_training_store
from console.domain.sla import SlaClock
from console.views.screens.main import MainScreen
from console.views.screens.tour import TourScreen
from tests.conftest import ANCHOR, StoreFactory
from tests.tui.conftest import screen_text
from tests.tui.quiet import until_quiet
from tests.tui.test_sign_in import door_app, sign_in

TRAINEE = "trainee1"


@pytest.fixture
def training(tmp_path: Path) -> Iterator[Store]:
    """A training store no one has signed in to yet (each test its own: sign-ins stay)."""
    factory = StoreFactory("sqlite", tmp_path)
    store = factory.empty()
    make_training_store(store, SlaClock(), trainees=2, now=ANCHOR)
    yield store
    factory.close()


def _page(pilot: Pilot[None]) -> str:
    return screen_text(pilot.app.screen.query_one("#tour-page"))


async def test_a_trainees_first_sign_in_opens_the_tour_and_the_second_does_not(
    training: Store,
) -> None:
    app = door_app(training, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, TRAINEE, DEMO_PASSWORD)
        await until_quiet(pilot)
        assert isinstance(app.screen, TourScreen)
        assert app.screen.query_one("#tour-box").border_title == "Tour 1/4"
        assert "Welcome to the training centre" in _page(pilot)
        await pilot.press("right")
        # The queue's page names the keys bound now, as the footer would.
        page = _page(pilot)
        assert "On the left: the queue" in page
        assert "next case" in page and "/" in page and "filter" in page
        await pilot.press("right", "left")
        assert "On the left: the queue" in _page(pilot)
        await pilot.press("right")
        assert "dispatch to a unit" in _page(pilot)
        await pilot.press("escape")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)
    again = door_app(training, "en")
    async with again.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, TRAINEE, DEMO_PASSWORD)
        await until_quiet(pilot)
        assert isinstance(again.screen, MainScreen)


async def test_the_last_page_leaves_the_tour_and_the_palette_brings_it_back(
    training: Store,
) -> None:
    app = door_app(training, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "trainee2", DEMO_PASSWORD)
        await until_quiet(pilot)
        assert "欢迎来到培训中心" in _page(pilot)
        await pilot.press("enter", "enter", "enter", "enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+p")
        await until_quiet(pilot)
        await pilot.press(*"培训导览", "enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, TourScreen)


async def test_the_trainer_and_a_production_console_see_no_tour(
    training: Store, snapshot_store: Store
) -> None:
    app = door_app(training, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "trainer", DEMO_PASSWORD)
        await until_quiet(pilot)
        assert not isinstance(app.screen, TourScreen)
    app = door_app(snapshot_store, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "op.jiangbin1", DEMO_PASSWORD)
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_the_tour_as_a_trainee_sees_it(
    snap_compare, training: Store, size: tuple[int, int], lang: str
) -> None:
    app = door_app(training, lang)
    assert app.gate is not None
    app.gate.where = "sqlite:////home/trainer/.local/share/gridcall/training.db"

    async def settle(pilot: Pilot[None]) -> None:
        await sign_in(pilot, TRAINEE, DEMO_PASSWORD)
        await pilot.press("right")
        await until_quiet(pilot, 0.3)

    assert snap_compare(app, terminal_size=size, run_before=settle)
