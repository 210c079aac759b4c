"""The SLA clock: deadlines, elapsed and remaining time, the warning instant and the light.

Normal cases are timed in *working time*, urgent ones in wall-clock time (domain.md §6).

Working time is counted in the centre's time zone (`WorkingHours.tz`, default Asia/Shanghai),
during the office periods (default 08:30–12:00 and 13:30–17:30, 450 minutes a day) of China's
working days: weekends and public holidays do not count, swapped working days 调休 do. The
calendar comes from `chinese_calendar`; see `is_working_day` for the years it does not cover.

The model. Think of a *working position* W(t): the number of working microseconds between a
fixed origin and the instant t. W only grows during office periods and is flat outside them.

- `elapsed(s, e, working=True)` is ⌊(W(e) − W(s)) / 1 min⌋.
- `add(s, m, working=True)` for m > 0 is the *earliest* instant t with W(t) = W(s) + m min.
  Counting therefore starts at the next working instant when s is off hours, and a deadline is
  always the END of a working minute: strictly inside an office period or exactly at its end
  (12:00, 17:30), never at the start of the next one (13:30, 08:30 the next working day).
  `add(s, 0, working=True)` is s itself (returned in UTC), even off hours.
- Hence, exactly (integer microseconds, no rounding): elapsed(s, add(s, m)) == m,
  add(add(s, a), b) == add(s, a + b), and add is monotonic in both s and m.

Instants are handled as integer microseconds since the Unix epoch; per-period boundaries in UTC
and the cumulative working time before each period are precomputed over whole years (grown on
demand), so `add`/`elapsed` are two bisections and a few integer operations — no loop over
days or minutes, whatever the span.

Every input datetime must be timezone-aware (any zone); every returned datetime is in UTC.
Nothing here touches a database or the UI.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar

from console.domain.enums import Light

__all__ = ["SlaClock", "WorkingHours", "is_working_day"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_US_PER_MIN = 60_000_000
_ONE_DAY = timedelta(days=1)
_SHANGHAI = ZoneInfo("Asia/Shanghai")
# The years the clock counts working time in. An instant outside them counts as the span's
# edge: no case is due before 1970 or after 2199, yet a store may hold such a time (typed by
# hand, or written before the workflow refused it), and the clock must answer for every stored
# value rather than overflow; a timeline across centuries would also take minutes to build.
_MIN_YEAR = 1970
_MAX_YEAR = 2199
# Instants are held inside, a day from either end, so that the local midnights bounding
# their years lie inside the span in any time zone.
_LOWEST = (datetime(_MIN_YEAR, 1, 2, tzinfo=UTC) - _EPOCH) // _ONE_US
_HIGHEST = (datetime(_MAX_YEAR, 12, 30, tzinfo=UTC) - _EPOCH) // _ONE_US

# Fixed-date public holidays used where chinese_calendar has no data: New Year's Day, Labour
# Day, and the first three days of National Day (the lunar festivals cannot be guessed).
_FALLBACK_HOLIDAYS = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})


@cache
def is_working_day(d: date) -> bool:
    """Is `d` a working day in mainland China?

    Uses `chinese_calendar.is_workday`, which knows the State Council's holiday schedule with its
    swapped working days 调休 (version 1.11 covers 2004–2026). For a year it does not cover it
    raises NotImplementedError, and we fall back to: Monday–Friday, minus the fixed-date holidays
    1 Jan, 1 May and 1–3 Oct. The fallback knows no lunar festival (Spring Festival, Qingming,
    Dragon Boat, Mid-Autumn) and no swapped day, so deadlines beyond the library's data are
    approximate until chinese_calendar is upgraded.
    """
    if type(d) is not date:  # a datetime is a date too; keep the cache keyed by plain dates
        d = date(d.year, d.month, d.day)
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return d.weekday() < 5 and (d.month, d.day) not in _FALLBACK_HOLIDAYS


def _seconds(t: time) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


@dataclass(frozen=True)
class WorkingHours:
    """A centre's office periods, as local wall-clock times in `tz`, the same every working day.

    Periods are (start, end) pairs, start inclusive and end exclusive, sorted and not
    overlapping, all within one day. `tz` may also be given as an IANA name ("Asia/Urumqi").
    """

    periods: tuple[tuple[time, time], ...] = (
        (time(8, 30), time(12, 0)),
        (time(13, 30), time(17, 30)),
    )
    tz: ZoneInfo = _SHANGHAI

    def __post_init__(self) -> None:
        if isinstance(self.tz, str):
            object.__setattr__(self, "tz", ZoneInfo(self.tz))
        if not isinstance(self.tz, tzinfo):
            raise TypeError(f"tz must be a ZoneInfo, not {self.tz!r}")
        periods = tuple((start, end) for start, end in self.periods)
        object.__setattr__(self, "periods", periods)
        if not periods:
            raise ValueError("working hours need at least one office period")
        previous_end: time | None = None
        for start, end in periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office periods are local wall-clock times, without tzinfo")
            if not start < end:
                raise ValueError(f"office period {start}–{end} does not end after it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError(f"office period {start}–{end} overlaps or is out of order")
            previous_end = end

    @property
    def minutes_per_day(self) -> int:
        """Working minutes in a working day (450 by default), floored to a whole minute."""
        return int(sum(_seconds(end) - _seconds(start) for start, end in self.periods) // 60)


def _us(t: datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime."""
    if t.tzinfo is None:
        raise ValueError(f"SLA clock needs a timezone-aware datetime, got {t!r}")
    return (t - _EPOCH) // _ONE_US


def _held(t: datetime) -> int:
    """`_us` of an instant the clock is asked about, held inside the years it counts in."""
    return min(max(_us(t), _LOWEST), _HIGHEST)


def _utc(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


class _Timeline:
    """Office periods of whole local years [first, last], flattened, with working positions.

    `starts[i]`/`ends[i]` bound the i-th office period in UTC microseconds; `before[i]`/`after[i]`
    are the working position W at its start/end. W(lo) = `base`, and W is anchored to a fixed
    instant so that positions never change when the timeline is rebuilt over more years.
    """

    __slots__ = ("after", "base", "before", "ends", "first", "hi", "last", "lo", "starts")

    def __init__(self, hours: WorkingHours, first: int, last: int, anchor: int | None) -> None:
        tz = hours.tz
        periods = hours.periods
        starts: list[int] = []
        ends: list[int] = []
        before: list[int] = []
        after: list[int] = []
        position = 0
        day = date(first, 1, 1)
        stop = date(last + 1, 1, 1)
        combine = datetime.combine
        while day < stop:
            if is_working_day(day):
                for p_start, p_end in periods:
                    s = _us(combine(day, p_start, tz))
                    e = _us(combine(day, p_end, tz))
                    if ends and s < ends[-1]:  # a DST shift can make periods touch or overlap
                        s = ends[-1]
                    if e <= s:
                        continue
                    starts.append(s)
                    ends.append(e)
                    before.append(position)
                    position += e - s
                    after.append(position)
            day += _ONE_DAY
        self.first, self.last = first, last
        self.lo = _us(combine(date(first, 1, 1), time(0), tz))
        self.hi = _us(combine(stop, time(0), tz))
        self.starts, self.ends, self.before, self.after = starts, ends, before, after
        self.base = 0
        if anchor is not None:  # shift so that W(anchor) stays 0 across rebuilds
            shift = self.position(anchor)
            self.before = [b - shift for b in before]
            self.after = [a - shift for a in after]
            self.base = -shift

    def position(self, t: int) -> int:
        """W(t) for lo <= t < hi."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return self.base
        if t >= self.ends[i]:
            return self.after[i]
        return self.before[i] + t - self.starts[i]


class _Calendar:
    """The timeline of one `WorkingHours`, shared by every clock using them, grown on demand."""

    def __init__(self, hours: WorkingHours) -> None:
        self.hours = hours
        self.anchor: int | None = None
        self.timeline: _Timeline | None = None
        self.lock = threading.Lock()

    def _year_of(self, us: int) -> int:
        return _utc(us).astimezone(self.hours.tz).year

    def covering(self, *instants: int) -> _Timeline:
        """A timeline whose [lo, hi) holds every instant given (a rebuild when it must grow)."""
        with self.lock:
            tl = self.timeline
            if tl is not None and all(tl.lo <= t < tl.hi for t in instants):
                return tl
            years = [self._year_of(t) for t in instants]
            if tl is None:
                first, last = min(years) - 1, max(years) + 1
            else:
                first, last = min([tl.first, *years]), max([tl.last, *years])
            return self._rebuild(max(first, _MIN_YEAR), min(last, _MAX_YEAR))

    def reaching(self, tl: _Timeline, target: int) -> _Timeline:
        """A timeline whose working positions run to `target` (rebuilt further into the future)."""
        with self.lock:
            current = self.timeline
            assert current is not None
            tl = current if current.last >= tl.last else tl
            last = tl.last
            while not tl.after or tl.after[-1] < target:
                if last >= _MAX_YEAR:
                    break  # the span's last working instant stands for any later one
                have = tl.after[-1] if tl.after else tl.base
                per_year = 200 * 7 * 60 * _US_PER_MIN  # a pessimistic year of working time
                last = min(_MAX_YEAR, last + 1 + (target - have) // per_year)
                tl = self._rebuild(tl.first, last)
            return tl

    def _rebuild(self, first: int, last: int) -> _Timeline:
        tl = _Timeline(self.hours, first, last, self.anchor)
        if self.anchor is None:
            self.anchor = tl.lo
        self.timeline = tl
        return tl


_CALENDARS: dict[WorkingHours, _Calendar] = {}
_CALENDARS_LOCK = threading.Lock()


def _calendar(hours: WorkingHours) -> _Calendar:
    with _CALENDARS_LOCK:
        cal = _CALENDARS.get(hours)
        if cal is None:
            cal = _CALENDARS[hours] = _Calendar(hours)
        return cal


class SlaClock:
    """Counts a step's time limit in working time (normal cases) or wall-clock time (urgent).

    See the module docstring for the model. `warn_ratio` is the share of the step's time after
    which the light turns yellow (0.75: yellow once three quarters are used).
    """

    def __init__(self, hours: WorkingHours = WorkingHours(), warn_ratio: float = 0.75) -> None:
        if not 0 <= warn_ratio <= 1:
            raise ValueError(f"warn_ratio must lie in [0, 1], got {warn_ratio!r}")
        self.hours = hours
        self.warn_ratio = warn_ratio
        # Exact decimal reading of the ratio, so that 0.8 × 450 is 360, not 360.00000000000006.
        ratio = Fraction(str(warn_ratio))
        self._warn_num = ratio.numerator
        self._warn_den = ratio.denominator
        self._cal = _calendar(hours)

    def __repr__(self) -> str:
        return f"SlaClock(hours={self.hours!r}, warn_ratio={self.warn_ratio!r})"

    # --- working time -------------------------------------------------------------------------

    def _timeline(self, *instants: int) -> _Timeline:
        tl = self._cal.timeline
        if tl is not None:
            lo, hi = tl.lo, tl.hi
            for t in instants:
                if not lo <= t < hi:
                    break
            else:
                return tl
        return self._cal.covering(*instants)

    def day_of(self, t: datetime) -> date:
        """The centre's calendar day at the instant `t`."""
        return t.astimezone(self.hours.tz).date()

    def is_working_day(self, d: date) -> bool:
        """Is `d` a working day? A datetime is first taken to its local date in the centre."""
        if isinstance(d, datetime):
            d = d.astimezone(self.hours.tz).date()
        return is_working_day(d)

    def is_working_minute(self, t: datetime) -> bool:
        """Is `t` inside an office period of a working day (start inclusive, end exclusive)?"""
        u = _held(t)
        tl = self._timeline(u)
        i = bisect_right(tl.starts, u) - 1
        return i >= 0 and u < tl.ends[i]

    def add(self, start: datetime, minutes: int, *, working: bool) -> datetime:
        """The deadline `minutes` after `start`, in UTC.

        Wall-clock (`working=False`): start + minutes. Working time: the earliest instant at which
        `minutes` working minutes have elapsed since `start`, counting from the next working
        instant when `start` is off hours. For minutes > 0 the result is the end of a working
        minute: inside an office period or exactly at its end, never at a period's start.
        `minutes == 0` returns `start` itself (as UTC).
        """
        if minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {minutes!r}")
        s = _held(start)
        if not working:
            return _utc(s + minutes * _US_PER_MIN)
        if minutes == 0:
            return _utc(s)
        tl = self._timeline(s)
        return _utc(self._instant(tl, tl.position(s) + minutes * _US_PER_MIN))

    def _instant(self, tl: _Timeline, target: int) -> int:
        """The earliest instant whose working position is `target` (the end of a working
        minute), growing the timeline first if it does not reach that far."""
        if not tl.after or tl.after[-1] < target:
            tl = self._cal.reaching(tl, target)
            target = min(target, tl.after[-1])
        j = bisect_left(tl.after, target)
        return tl.starts[j] + target - tl.before[j]

    def deadline_and_warn(
        self, start: datetime, minutes: int, *, working: bool
    ) -> tuple[datetime, datetime]:
        """`add(start, minutes)` and `warn_at(start, <that deadline>)`, in UTC, found together.

        Since elapsed(start, add(start, m)) == m exactly, the warning is simply
        add(start, ⌈ratio × m⌉): both instants come from one working position of `start`.
        Every step the workflow enters needs this pair; the seeder enters millions of steps.
        """
        if minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {minutes!r}")
        used = -(-minutes * self._warn_num // self._warn_den)
        s = _held(start)
        if not working:
            return _utc(s + minutes * _US_PER_MIN), _utc(s + used * _US_PER_MIN)
        if minutes == 0:
            at = _utc(s)
            return at, at
        tl = self._timeline(s)
        position = tl.position(s)
        deadline = _utc(self._instant(tl, position + minutes * _US_PER_MIN))
        if used == 0:
            return deadline, _utc(s)
        return deadline, _utc(self._instant(tl, position + used * _US_PER_MIN))

    def elapsed(self, start: datetime, end: datetime, *, working: bool) -> int:
        """Whole minutes counted from `start` to `end` (floored; 0 when end <= start)."""
        s = _held(start)
        e = _held(end)
        if e <= s:
            return 0
        if not working:
            return (e - s) // _US_PER_MIN
        tl = self._timeline(s, e)
        return (tl.position(e) - tl.position(s)) // _US_PER_MIN

    def remaining(self, now: datetime, deadline: datetime, *, working: bool) -> int:
        """Signed minutes from `now` to `deadline`, counted like `elapsed` and floored.

        Positive: whole minutes left (== elapsed(now, deadline)). Zero: less than a minute left,
        or due now, or — in working time — overdue only by off-hours time. Negative: overdue, by
        the overdue time rounded up to a whole minute (1 s late in working time is -1).
        """
        n = _held(now)
        d = _held(deadline)
        if not working:
            return (d - n) // _US_PER_MIN
        tl = self._timeline(n, d)
        return (tl.position(d) - tl.position(n)) // _US_PER_MIN

    def warn_at(self, start: datetime, deadline: datetime, *, working: bool) -> datetime:
        """When `warn_ratio` of the step's time is used, in UTC.

        add(start, ⌈ratio × elapsed(start, deadline)⌉), never later than the deadline (so a
        backwards span warns at the deadline, where the light is red anyway).
        """
        s = _held(start)
        d = _held(deadline)
        if d <= s:
            return _utc(d)
        if not working:
            total = (d - s) // _US_PER_MIN
            used = -(-total * self._warn_num // self._warn_den)
            return _utc(s + used * _US_PER_MIN)
        # add(start, used) from the two positions, without converting the instants twice.
        tl = self._timeline(s, d)
        position = tl.position(s)
        total = (tl.position(d) - position) // _US_PER_MIN
        used = -(-total * self._warn_num // self._warn_den)
        if used == 0:
            return _utc(s)
        return _utc(self._instant(tl, position + used * _US_PER_MIN))

    # --- the light ----------------------------------------------------------------------------

    def light(self, now: datetime, warn_at: datetime | None, deadline: datetime | None) -> Light:
        """NONE without a running clock; RED from the deadline; YELLOW from warn_at; else GREEN."""
        if deadline is None:
            return Light.NONE
        if now >= deadline:
            return Light.RED
        if warn_at is not None and now >= warn_at:
            return Light.YELLOW
        return Light.GREEN
