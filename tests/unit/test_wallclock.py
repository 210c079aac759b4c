"""The minute tick that redraws lights and time left keeps to the wall clock's minute."""

from datetime import UTC, datetime

import pytest

from console import wallclock


def test_the_minute_tick_falls_just_past_the_minute() -> None:
    at = datetime(2026, 12, 1, 8, 23, 40, 500_000, tzinfo=UTC)
    assert wallclock.to_next_minute(at) == pytest.approx(19.5 + wallclock.PAST_THE_MINUTE)
    assert wallclock.to_next_minute(at.replace(second=0, microsecond=0)) == pytest.approx(
        60 + wallclock.PAST_THE_MINUTE
    )
