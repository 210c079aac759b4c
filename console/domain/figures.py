"""The centre's figures, each defined once, in the terms of the national evaluation of digital
city management (数字化城市管理 evaluation, CJ/T 292 lineage; ../shared/domain.md).

A period's figures are those of the cases *reported* in it (its cohort), as they stand now:
how many were accepted, closed, closed on time… A case reported on Friday and closed on Monday
counts in Friday's week, so a week's rates settle as its cases close, and a bulletin of a past
week read again gives the same figures once its cases are all closed.

The counts (`Tally`) are summed by the store (queries.figures); the rates are worked out here:

- 受理 accepted: past acceptance — neither still waiting for it, nor invalid, nor a duplicate.
- 应结案数 due to close = accepted − 缓办 suspended (cases set aside wait on something else).
- 结案率 closure rate = closed / due to close.
- 按期结案率 on-time closure rate = closed on time / due to close; a case closes on time when
  none of its steps ran past its deadline (`CaseState.late_steps`).
- 超期 overdue now: open, its step's deadline passed. Overdue ever: any step ran late, or the
  step now running is past its deadline, or it was suspended with none of its time left.
- 返工率 rework rate = reworked (failed verification or reopened at least once) / dispatched;
  回退率 return rate = returned by a unit at least once / dispatched; 延期率 extension rate =
  granted an extension at least once / dispatched.
- 督办 urges: every urge issued on the cohort's cases.
- 满意率 satisfaction = (satisfied + basically satisfied) / rated.
- Handling time: working minutes spent in each step (suspended time excluded), over the closed
  cases of the cohort: mean and p90 (nearest rank).

What a case adds to its cohort's counts as it stands is `counted`: all but the part the clock
alone changes (overdue now), so the store can keep the counts summed as cases move (its figure
cells) and add only that part when read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum

from console.domain.enums import OPEN_STATUSES, Rating, Status
from console.domain.workflow import CaseState


class By(StrEnum):
    """What figures may be grouped by."""

    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"
    UNIT = "unit"  # the lead unit
    HANDLER = "handler"  # who reported the result: a grid worker, a unit's staff
    CATEGORY = "category"
    SOURCE = "source"
    URGENCY = "urgency"
    DAY = "day"  # the centre's calendar day the case was reported on
    WEEK = "week"  # the ISO week (Monday first) it was reported in


@dataclass(frozen=True)
class Tally:
    """The counts of a cohort (see the module's docstring for each one's rule)."""

    reported: int = 0
    accepted: int = 0
    invalid: int = 0
    duplicate: int = 0
    dispatched: int = 0
    closed: int = 0
    closed_on_time: int = 0
    suspended: int = 0
    open: int = 0
    overdue_now: int = 0
    overdue_ever: int = 0
    reworked: int = 0
    returned: int = 0
    extended: int = 0
    urges: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @property
    def due(self) -> int:
        """应结案数: the accepted cases not set aside."""
        return self.accepted - self.suspended

    @property
    def closure_rate(self) -> float | None:
        return share(self.closed, self.due)

    @property
    def on_time_rate(self) -> float | None:
        return share(self.closed_on_time, self.due)

    @property
    def rework_rate(self) -> float | None:
        return share(self.reworked, self.dispatched)

    @property
    def return_rate(self) -> float | None:
        return share(self.returned, self.dispatched)

    @property
    def extension_rate(self) -> float | None:
        return share(self.extended, self.dispatched)

    @property
    def satisfaction(self) -> float | None:
        return share(self.satisfied + self.basic, self.rated)


# The counts a case's state alone decides, in Tally's order: all but overdue_now, and of
# overdue_ever only its recorded part (`late_ever`); the clock's part is counted when read.
KEPT: tuple[str, ...] = tuple(name for name in Tally.names() if name != "overdue_now")


def late_ever(state: CaseState) -> bool:
    """Overdue ever, as far as the case's record says without the clock: a step ran late, or
    it was suspended with none of its time left."""
    suspended_late = state.status is Status.SUSPENDED and state.paused_deadline_min == 0
    return state.late_steps > 0 or suspended_late


def counted(state: CaseState) -> Tally:
    """What one case, as it stands, adds to its cohort's counts (queries.figures sums the same
    rules in SQL; tests hold the two equal over a seeded store). overdue_now is 0 and
    overdue_ever is `late_ever`: the clock's part is added when the figures are read."""
    status = state.status
    closed = status is Status.CLOSED
    waiting = status in (Status.REPORTED, Status.INVALID, Status.DUPLICATE)
    unaccepted = status is Status.SUSPENDED and state.suspended_from is Status.REPORTED
    return Tally(
        reported=1,
        accepted=int(not waiting and not unaccepted),
        invalid=int(status is Status.INVALID),
        duplicate=int(status is Status.DUPLICATE),
        dispatched=int(state.lead_unit is not None or bool(state.returned_units)),
        closed=int(closed),
        closed_on_time=int(closed and state.late_steps == 0),
        suspended=int(status is Status.SUSPENDED),
        open=int(status in OPEN_STATUSES),
        overdue_ever=int(late_ever(state)),
        reworked=int(state.rework_count > 0),
        returned=int(bool(state.returned_units)),
        extended=int(state.ext_count > 0),
        urges=state.urge_count,
        rated=int(state.rating is not None),
        satisfied=int(state.rating is Rating.SATISFIED),
        basic=int(state.rating is Rating.BASIC),
        dissatisfied=int(state.rating is Rating.DISSATISFIED),
    )


def total(tallies: Iterable[Tally]) -> Tally:
    """The figures of several cohorts as one: every count is a sum of the cohorts' (a week's
    from its days'), and the rates follow from the sums."""
    sums = dict.fromkeys(Tally.names(), 0)
    for tally in tallies:
        for name in sums:
            sums[name] += getattr(tally, name)
    return Tally(**sums)


def share(part: int, whole: int) -> float | None:
    """part / whole; None when there is nothing to divide by (shown as "—", never as 0%)."""
    return part / whole if whole > 0 else None


@dataclass(frozen=True)
class Summoned:
    """吹哨报到: how one department answered the whistles that summoned it, over the cases of
    a cohort. A department a supervisor released (waived) owed nothing more: the on-time
    rates are over the tasks it was not released from."""

    summoned: int = 0
    waived: int = 0
    checked_in_on_time: int = 0
    fed_back_on_time: int = 0
    timely: int = 0
    adequate: int = 0
    poor: int = 0

    @property
    def owed(self) -> int:
        return self.summoned - self.waived

    @property
    def check_in_rate(self) -> float | None:
        return share(self.checked_in_on_time, self.owed)

    @property
    def feedback_rate(self) -> float | None:
        return share(self.fed_back_on_time, self.owed)


@dataclass(frozen=True)
class StepTime:
    """Working minutes spent in one step over a cohort's closed cases."""

    cases: int
    mean: float | None
    p90: int | None


def p90_rank(n: int) -> int:
    """The 1-based rank of the 90th percentile among n sorted values (nearest rank): ⌈0.9 n⌉,
    in whole numbers so that the store's SQL computes the same."""
    return (9 * n + 9) // 10


@dataclass(frozen=True)
class Weights:
    """考核: how much each part of a unit's or grid worker's work weighs in its score (the
    config file's `[assessment]`), and the fewest accepted cases a score is given for."""

    on_time: int = 40  # on-time closure rate
    satisfaction: int = 30  # satisfied + basically satisfied over rated
    rework: int = 10  # 1 − rework rate
    returns: int = 10  # 1 − return rate
    urges: int = 10  # 1 − urges per dispatched case (none below 0)
    minimum: int = 3  # a grid worker handles a few cases a month: three judge them


def assess(t: Tally, w: Weights) -> float | None:
    """A score 0–100 from the trail: each part's weight times its rate, over the weights of
    the parts that can be measured (a unit no resident rated is scored without satisfaction).
    None when the cases are too few to judge, or nothing can be measured."""
    if t.accepted < w.minimum:
        return None
    urged = share(t.urges, t.dispatched)
    parts = (
        (w.on_time, t.on_time_rate),
        (w.satisfaction, t.satisfaction),
        (w.rework, _spared(t.rework_rate)),
        (w.returns, _spared(t.return_rate)),
        (w.urges, _spared(min(urged, 1.0) if urged is not None else None)),
    )
    weighed = [(weight, rate) for weight, rate in parts if rate is not None and weight > 0]
    total = sum(weight for weight, _ in weighed)
    if total == 0:
        return None
    return 100 * sum(weight * rate for weight, rate in weighed) / total


def _spared(rate: float | None) -> float | None:
    return None if rate is None else 1 - rate
