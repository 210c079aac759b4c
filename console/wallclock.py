"""The current time, in one place, so a demo or a snapshot can stand still at a chosen moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# How far into a new minute the screens are redrawn for it: the clock text has turned by then.
PAST_THE_MINUTE = 0.05

_frozen: datetime | None = None
_followed: Callable[[datetime], datetime] | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    real = datetime.now(UTC)
    return real if _followed is None else _followed(real)


def wall() -> datetime:
    """The wall clock's time (or the frozen one), never a training store's: what a person's
    idleness is measured in — the trainer moving the drill on an hour leaves nobody idle."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Stop the clock at `at` (aware), or let it run again with None."""
    global _frozen
    _frozen = at


def follow(clock: Callable[[datetime], datetime] | None) -> None:
    """Read the time from `clock`, given the wall clock's (a training store's clock, which the
    trainer drives), or from the wall clock again with None."""
    global _followed
    _followed = clock


def to_next_minute(at: datetime) -> float:
    """Seconds from `at` until just past the next whole minute."""
    into = at.second + at.microsecond / 1_000_000
    return 60 - into + PAST_THE_MINUTE
