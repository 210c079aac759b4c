"""The current time, in one place, so a demo or a snapshot can stand still at a chosen moment."""

from __future__ import annotations

from datetime import UTC, datetime

# How far into a new minute the screens are redrawn for it: the clock text has turned by then.
PAST_THE_MINUTE = 0.05

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen or datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Stop the clock at `at` (aware), or let it run again with None."""
    global _frozen
    _frozen = at


def to_next_minute(at: datetime) -> float:
    """Seconds from `at` until just past the next whole minute."""
    into = at.second + at.microsecond / 1_000_000
    return 60 - into + PAST_THE_MINUTE
