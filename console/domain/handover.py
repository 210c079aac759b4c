"""Shift handover (交接班): whose note it is, who reads it, what it holds, when it is due.

A handover belongs to a scope — the place its author reads and acts in, as one key — and the
next shift of that scope reads it: every operator, supervisor and leader of one street's centre
shares "street:LJ01", a community's staff "community:LJ0101", a unit's people "unit:S-LJ01-CG",
a grid's worker "grid:LJ010101", and whoever reads the whole district "district". Only the roles
that keep a desk in shifts write one; whoever reads the whole district reads every scope's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from console.domain.codes import CODE_PATTERN
from console.domain.enums import Role
from console.domain.errors import Forbidden, Invalid, Label
from console.domain.limits import check_text
from console.domain.policy import Actor, Reach

DISTRICT = "district"
# The desks that are handed over from shift to shift: a street's or the district's centre and
# a community's workstation. A unit's liaison, a grid worker in the field, a leader, a trainer
# and an admin are not asked at sign-out.
HANDS_OVER = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.COMMUNITY})
BODY_MAX = 8000  # characters: two screens of a note, far more than a shift needs
SECTION_MAX = 20  # cases a draft names per section, the worst first; the rest are counted
URGENT_HOURS = 8  # a draft lists the urgent cases reported within these hours


class Section(StrEnum):
    """What a shift leaves open, in the order a draft lists it."""

    RED = "red"  # overdue
    YELLOW = "yellow"  # most of the step's time used
    URGENT = "urgent"  # urgent, reported in the last hours
    EXTENSIONS = "extensions"  # a unit asked for more time: awaiting a supervisor
    RETURNED = "returned"  # a unit returned it (not ours): awaiting another dispatch
    TOUCHED = "touched"  # this shift's user acted on it, and it is still open


@dataclass(frozen=True)
class HandoverRules:
    """The centre's handover settings (config: [handover])."""

    shift_ends: tuple[time, ...] = ()  # local times at which the console offers a handover
    urgent_hours: int = URGENT_HOURS


def scope_key(actor: Actor) -> str | None:
    """Whose next shift reads this user's handover: the place they read from. None for a user
    whose role needs a place they lack (a grid worker without a grid reads nothing)."""
    if actor.district_wide:
        return DISTRICT
    reach = actor.policy.reads
    place = {
        Reach.STREET: actor.street,
        Reach.COMMUNITY: actor.community,
        Reach.GRID: actor.grid,
        Reach.UNIT: actor.unit,
    }[reach]
    return f"{reach.value}:{place}" if place else None


def hands_over(actor: Actor) -> bool:
    """Whether this user writes a handover for the next shift (and is offered one at sign-out)."""
    return actor.role in HANDS_OVER and actor.may_act and scope_key(actor) is not None


def may_read(actor: Actor, scope: str) -> bool:
    """A handover is read by its own scope, and by whoever reads the whole district."""
    return actor.district_wide or scope == scope_key(actor)


def write_refusal(actor: Actor) -> Forbidden | None:
    if hands_over(actor):
        return None
    return Forbidden("error.handover_forbidden", login=actor.login, role=Label("role", actor.role))


def checked_body(body: str) -> str:
    """The note as it is kept: trailing blanks dropped; refused when empty or too long."""
    kept = "\n".join(line.rstrip() for line in body.strip().splitlines())
    if not kept:
        raise Invalid("error.handover_empty")
    if len(kept) > BODY_MAX:
        raise Invalid("error.handover_long", max=BODY_MAX, n=len(kept))
    check_text("handover", kept, BODY_MAX, lines=True)  # no escape or bidi for the next shift
    return kept


def codes_in(body: str) -> list[str]:
    """The case codes a note names, each once, in the order first named."""
    return list(dict.fromkeys(re.findall(CODE_PATTERN, body)))


def fresh_for(
    reader: str, author: str, written_at: datetime, now: datetime, within: timedelta
) -> bool:
    """Whether a handover is news to a reader signing in: someone else's, of this shift's
    length at most (whether the reader signed out since is the trail's to say)."""
    return author != reader and written_at >= now - within


def shift_end_between(
    since: datetime, now: datetime, ends: tuple[time, ...], tz: ZoneInfo
) -> time | None:
    """The configured shift end that fell after `since` and at or before `now` (the latest, if
    the console slept through several), in the centre's local time; None if none did."""
    if not ends or now <= since:
        return None
    day = since.astimezone(tz).date()
    last_day = now.astimezone(tz).date()
    found: time | None = None
    while day <= last_day:
        for end in sorted(ends):
            at = datetime.combine(day, end, tzinfo=tz)
            if since < at <= now:
                found = end
        day += timedelta(days=1)
    return found
