"""When cases were reported, as an operator asks for it: from one day (or moment) to another.

A day is the centre's calendar day (`Settings.tz`): from its local midnight to the next, in
UTC as the store keeps times. The period is half-open, [start, end): `to` a day takes that
whole day, `to` a moment takes that moment too. The command line (`case list --from --to`)
and the console's filter form both read what was typed here, and show a period from here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from console.domain.errors import Invalid

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The stores keep microseconds: the first moment after T is T + 1 µs.
TICK = timedelta(microseconds=1)

Period = tuple[datetime | None, datetime | None]  # [start, end) in UTC; None: open


def day(text: str) -> date:
    """A day as typed, YYYY-MM-DD (also `report range`'s); ValueError for anything else."""
    text = text.strip()
    if not DAY.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def midnight(d: date, tz: tzinfo) -> datetime:
    """The first moment of the centre's day `d`, in UTC."""
    return datetime.combine(d, time(), tzinfo=tz).astimezone(UTC)


def _bound(text: str, tz: tzinfo, *, end: bool, name: object) -> datetime | None:
    """Where the period starts (or ends, exclusive) for what was typed; None for nothing."""
    text = text.strip()
    if not text:
        return None
    try:
        if DAY.fullmatch(text):
            return midnight(day(text) + timedelta(days=1 if end else 0), tz)
        if len(text) <= len("YYYY-MM-DD"):
            # fromisoformat would read 20261201 as its midnight: a day spelt another way
            # would bound at a moment instead of taking the whole day.
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:  # a time without its offset is the centre's
            moment = moment.replace(tzinfo=tz)
        return moment.astimezone(UTC) + (TICK if end else timedelta())
    except (ValueError, OverflowError) as exc:  # OverflowError: a day at the calendar's edge
        raise Invalid("error.bad_bound", name=name, value=text) from exc


def period(start: str, end: str, tz: tzinfo, names: tuple[object, object]) -> Period:
    """The period typed as `start` and `end` (each a day, YYYY-MM-DD, or an ISO moment; either
    may be empty), in the centre's zone `tz`. Invalid, naming the field by `names` (the flags
    or the form's labels), for what is not a day or a moment, or a start after the end."""
    first = _bound(start, tz, end=False, name=names[0])
    last = _bound(end, tz, end=True, name=names[1])
    if first is not None and last is not None and first >= last:
        raise Invalid(
            "error.period_reversed",
            start_name=names[0],
            start=start.strip(),
            end_name=names[1],
            end=end.strip(),
        )
    return first, last


def bound_text(at: datetime | None, tz: tzinfo, *, end: bool) -> str:
    """A bound of a period as it is typed back: the day where it falls on a local midnight,
    else the local moment; "" for an open end. `period` reads it as the same bound."""
    if at is None:
        return ""
    local = at.astimezone(tz)
    if local.time() == time():
        return (local.date() - timedelta(days=1 if end else 0)).isoformat()
    moment = (at - TICK if end else at).astimezone(tz).replace(tzinfo=None)
    whole_minute = moment.second == 0 and moment.microsecond == 0
    return moment.isoformat(sep=" ", timespec="minutes" if whole_minute else "auto")
