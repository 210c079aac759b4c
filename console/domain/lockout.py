"""The centre's figures for signing in: failures before a lockout, idle lock, a CLI shift."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lockout:
    """The centre's figures for failed sign-ins and idle consoles (config: [sign_in])."""

    failures: int = 5  # in a row, before the login is locked
    minutes: int = 15  # how long it stays locked
    idle_minutes: int = 15  # a console left alone locks itself
    shift_hours: int = 12  # a `gridcall login` holds this long
