"""The current time, in one place, so a demo or a snapshot can stand still at a chosen moment."""

from __future__ import annotations

from datetime import UTC, datetime

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen or datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Stop the clock at `at` (aware), or let it run again with None."""
    global _frozen
    _frozen = at
