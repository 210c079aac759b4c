"""The trainer's clock: frozen it holds, running it runs at its rate, advanced it jumps ahead;
it never goes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.domain.errors import Invalid
from console.domain.training import TrainingClock
from tests.conftest import refused

WALL = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
AT = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)  # the scenario's morning


def test_a_frozen_clock_holds_whatever_the_wall_clock_does() -> None:
    clock = TrainingClock(WALL, AT, rate=0.0)
    assert clock.frozen
    assert clock.now(WALL + timedelta(hours=3)) == AT


def test_sixty_times_for_a_minute_is_an_hour() -> None:
    clock = TrainingClock(WALL, AT, rate=0.0).run(WALL, 60)
    assert clock.now(WALL + timedelta(minutes=1)) == AT + timedelta(hours=1)
    frozen = clock.freeze(WALL + timedelta(minutes=1))
    assert frozen.now(WALL + timedelta(minutes=30)) == AT + timedelta(hours=1)


def test_advancing_jumps_ahead_and_keeps_the_rate() -> None:
    clock = TrainingClock(WALL, AT, rate=1.0)
    later = clock.advance(WALL + timedelta(minutes=10), timedelta(hours=1))
    assert later.now(WALL + timedelta(minutes=10)) == AT + timedelta(minutes=70)
    assert later.rate == 1.0
    assert later.now(WALL + timedelta(minutes=20)) == AT + timedelta(minutes=80)


@pytest.mark.parametrize("by", [timedelta(0), timedelta(minutes=-5), timedelta(days=8)])
def test_it_never_goes_back_nor_leaps_weeks(by: timedelta) -> None:
    with refused(Invalid, "only forward"):
        TrainingClock(WALL, AT).advance(WALL, by)


@pytest.mark.parametrize("rate", [0.5, 61, -1])
def test_its_rate_is_one_to_sixty(rate: float) -> None:
    with refused(Invalid, "rate: 1 to 60"):
        TrainingClock(WALL, AT).run(WALL, rate)


def test_it_keeps_as_text_and_reads_back() -> None:
    clock = TrainingClock(WALL, AT, rate=60.0)
    assert TrainingClock.from_json(clock.to_json()) == clock
