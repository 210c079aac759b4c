"""The closed loop as one transition table.

Each row of `TABLE` says, for one action: the states it may start from, who may take it, which
parameters it needs, an optional guard, and its effect — a pure function from the case's state
to the next state. `decide` is the only way a case changes: services call it before writing,
the demo seeder calls it to build histories, and every front end asks `allowed_actions` rather
than keeping its own copy of the rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from console.domain.actions import Action
from console.domain.enums import (
    FINAL_STATUSES,
    LEVEL_LADDER,
    OPEN_STATUSES,
    Level,
    Light,
    Rating,
    Status,
    Step,
    UnitKind,
    Urgency,
)
from console.domain.errors import Forbidden, IllegalTransition, Invalid, Label
from console.domain.limits import (
    CODE_MAX,
    EXTENSION_HORIZON,
    PHOTO_REF_MAX,
    REMARK_MAX,
    check_text,
)
from console.domain.oversight import SYSTEM, Due, Missed, OversightRules, Rule
from console.domain.policy import (
    SUMMONED_WORK,
    Actor,
    Place,
    grid_unit_code,
    held_elsewhere,
    may_read,
    may_report,
    may_take,
    reads_only,
    separated,
    within_community,
    within_reach,
)
from console.domain.sla import SlaClock
from console.domain.whistle import (
    DEFAULT_RULES,
    Task,
    TaskState,
    UnitRating,
    WhistleRules,
    owing,
    task_of,
    to_rate,
    with_task,
)

STEPS: tuple[Step, ...] = tuple(Step)
STEP_OF: Mapping[Status, Step] = {
    Status.REPORTED: Step.ACCEPT,
    Status.ACCEPTED: Step.DISPATCH,
    Status.DISPATCHED: Step.SIGN,
    Status.IN_PROGRESS: Step.HANDLE,
    Status.HANDLED: Step.VERIFY,
    Status.VERIFYING: Step.VERIFY,
}

# The level a unit works at; a dispatch never lowers the case's level.
UNIT_LEVEL: Mapping[UnitKind, Level] = {
    UnitKind.GRID: Level.GRID,
    UnitKind.COMMUNITY: Level.COMMUNITY,
    UnitKind.SECTION: Level.STREET,
    UnitKind.DEPARTMENT: Level.STREET,
    UnitKind.COMPANY: Level.STREET,
}


@dataclass(frozen=True)
class StepLimits:
    """A category's time limit per step: working minutes when normal, wall-clock when urgent."""

    normal: Mapping[Step, int]
    urgent: Mapping[Step, int]

    def for_step(self, step: Step, urgency: Urgency) -> tuple[int, bool]:
        """(minutes, counted in working time?)"""
        if urgency is Urgency.URGENT:
            return self.urgent[step], False
        return self.normal[step], True


LimitsFor = Callable[[str], StepLimits]


@dataclass(frozen=True)
class LevelLimits:
    """The time limits a holding level sets for the steps it holds an escalated case in
    (上报至社区、区平台: "that level's time limits"); a step it sets none for keeps the
    category's. Working minutes when normal, wall-clock when urgent, as a category's."""

    normal: Mapping[Step, int]
    urgent: Mapping[Step, int]

    def for_step(self, step: Step, urgency: Urgency) -> tuple[int, bool] | None:
        """(minutes, counted in working time?), or None when the level sets no limit here."""
        if urgency is Urgency.URGENT:
            minutes = self.urgent.get(step)
            return None if minutes is None else (minutes, False)
        minutes = self.normal.get(step)
        return None if minutes is None else (minutes, True)

    def to_json(self) -> dict[str, list[int]]:
        """As an event's payload and the case's row keep it: step → [normal, urgent]."""
        return {step.value: [self.normal[step], self.urgent[step]] for step in self.normal}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LevelLimits:
        pairs = {Step(step): (int(n), int(u)) for step, (n, u) in data.items()}
        return cls(
            normal={step: n for step, (n, _) in pairs.items()},
            urgent={step: u for step, (_, u) in pairs.items()},
        )


def level_limits_json(limits: LevelLimits | None) -> dict[str, list[int]] | None:
    return limits.to_json() if limits is not None else None


def level_limits_of(data: Mapping[str, Any] | None) -> LevelLimits | None:
    return LevelLimits.from_json(data) if data else None


@dataclass(frozen=True)
class CaseState:
    """What the workflow needs to know of a case; everything it may change."""

    code: str
    status: Status
    street: str
    grid: str
    category: str
    urgency: Urgency
    level: Level
    lead_unit: str | None = None
    co_units: tuple[str, ...] = ()
    returned_units: tuple[str, ...] = ()
    rework_count: int = 0
    urge_count: int = 0
    step_started_at: datetime | None = None
    deadline_at: datetime | None = None
    warn_at: datetime | None = None
    suspended_from: Status | None = None
    paused_deadline_min: int | None = None  # what was left of the step when suspended
    paused_warn_min: int | None = None
    ext_until: datetime | None = None  # a pending extension request
    ext_reason: str | None = None
    rating: Rating | None = None
    duplicate_of: str | None = None
    closed_at: datetime | None = None
    community: str | None = None
    handled_by: str | None = None  # the login that reported the unit's result
    handled_unit: str | None = None  # the unit it reported for
    # The case's record for the centre's figures, kept as it moves: how many steps ran past
    # their deadline, how many extensions were granted, and the working minutes spent in each
    # step (STEPS order), counted from `timed_from` — the step's start, or its resumption.
    late_steps: int = 0
    ext_count: int = 0
    step_min: tuple[int, ...] = (0,) * len(STEPS)
    timed_from: datetime | None = None
    # The overall deadline 办结时限, from registration to verification: returns, rework and
    # reopening never move it. `due_given` when it came from outside (a hotline order's
    # 办理时限) rather than from the category's limits; `paused_due_min` is what was left of it
    # when the case was suspended, as `paused_deadline_min` is of the step.
    registered_at: datetime | None = None
    due_at: datetime | None = None
    due_given: bool = False
    paused_due_min: int | None = None
    # 吹哨报到: the task of each department a whistle summoned (console.domain.whistle).
    tasks: tuple[Task, ...] = ()
    # 督办: the reply an urge asked of the lead unit, by when (and when its light turns
    # yellow); whether the system has urged the current step for turning red; when the case
    # was raised to the supervisor (督办件) — once a case's, it stays one.
    reply_by: datetime | None = None
    reply_warn: datetime | None = None
    urged_red: bool = False
    overseen_at: datetime | None = None
    # A unit's pending request to give the case back (退回待批), with its reason: the case stays
    # with the unit until the centre approves or refuses it.
    return_reason: str | None = None
    # 挂账: the day a shelved case is next to be reviewed, in the centre's calendar. None on a
    # case shelved before the date was asked for: such a case is due for review at once.
    review_on: date | None = None
    # The time limits of the level an escalation (or a de-escalation) gave the case to, as the
    # event carried them, so that its steps there and their replay follow the figures of that
    # day; None at the street's own levels, whose limits are the category's.
    level_limits: LevelLimits | None = None

    @property
    def place(self) -> Place:
        return Place(self.street, self.community, self.grid, self.units)

    @property
    def step(self) -> Step | None:
        return STEP_OF.get(self.status)

    @property
    def units(self) -> tuple[str, ...]:
        return ((self.lead_unit,) if self.lead_unit else ()) + self.co_units


@dataclass(frozen=True)
class Params:
    """Everything an action may carry; each row of the table says which fields it requires."""

    reason: str | None = None
    text: str | None = None
    unit: str | None = None  # a unit's code
    co_units: tuple[str, ...] = ()
    instruction: str | None = None
    result: str | None = None
    photo: str | None = None
    passed: bool | None = None
    rating: Rating | None = None
    comment: str | None = None
    other_case: str | None = None
    until: datetime | None = None
    urgency: Urgency | None = None
    category: str | None = None
    spot_check: bool | None = None  # 自办自结: drawn for the centre's spot check (抽查)
    unit_rating: UnitRating | None = None
    # A whistle's hours to check in and to file feedback; `decide` sets them from the centre's
    # rules, a replay from the event (none for a whistle from before tasks: it made none).
    task_hours: tuple[int, int] | None = None
    reply_hours: int | None = None  # an urge's hours for the lead unit to reply (督办回复)
    # An automatic urge's rule (oversight.Rule) and the deadline a department missed; set by
    # `oversee` alone, never taken from a user.
    rule: str | None = None
    missed: str | None = None
    # A return asked of the centre rather than taken at once: `decide` sets it on every return
    # now; a replay takes it from the event, and a return event written before requests were
    # (none said so) gave the case back at once, as it did then.
    requested: bool | None = None
    review_on: date | None = None  # a shelved case's next review, a day in the centre's zone
    # The limits of the level an escalation or de-escalation gives the case to: `decide` sets
    # them from the centre's figures, a replay from the event (none before levels had any).
    level_limits: LevelLimits | None = None


# The most characters each text an action carries as typed may hold: what the service
# checks (`check_params`) and what the form's field takes.
TEXT_MAX: Mapping[str, int] = {
    "reason": REMARK_MAX,
    "text": REMARK_MAX,
    "instruction": REMARK_MAX,
    "result": REMARK_MAX,
    "comment": REMARK_MAX,
    "photo": PHOTO_REF_MAX,
    "other_case": CODE_MAX,
}


def check_params(params: Params) -> None:
    """Refuse an action's typed texts and codes that no store could keep as they are."""
    for name in ("reason", "text", "instruction", "result", "comment"):
        check_text(name, getattr(params, name), TEXT_MAX[name], lines=True)
    check_text("photo", params.photo, TEXT_MAX["photo"])
    for name, code in (
        ("unit", params.unit),
        ("other_case", params.other_case),
        ("category", params.category),
        *(("co_units", c) for c in params.co_units),
    ):
        check_text(name, code, CODE_MAX)


@dataclass(frozen=True)
class Event:
    """An audit event to append: the trace the action leaves."""

    action: Action
    from_status: Status | None
    to_status: Status
    reason: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    state: CaseState
    event: Event


@dataclass(frozen=True)
class Context:
    """What a decision may consult besides the case: the time, the clock, reference data."""

    now: datetime
    clock: SlaClock
    limits: LimitsFor
    unit_kind: Callable[[str], UnitKind]  # raises Invalid for an unknown unit
    unit_street: Callable[[str], str | None] = lambda code: None  # a unit's street, if any
    # The community a unit works in: a grid worker's or a community team's; None above.
    unit_community: Callable[[str], str | None] = lambda code: None
    # Whether a category's cases may be handled on the spot by the grid worker who finds them
    # (自办自结): those its own grid's worker handles by default.
    self_closable: Callable[[str], bool] = lambda code: False
    spot_share: float = 0.0  # of the cases handled on the spot, the share spot-checked
    whistle: WhistleRules = DEFAULT_RULES
    # The time limits each holding level sets (none: the category's, as at the street).
    level_limits: Callable[[Level], LevelLimits | None] = lambda level: None

    def at(self, now: datetime) -> Context:
        """The same context at another moment, as a replay steps through a trail's instants
        (made without the frozen dataclass's per-field checks: millions are made a night)."""
        moved = object.__new__(Context)
        moved.__dict__.update(self.__dict__)
        moved.__dict__["now"] = now
        return moved


Effect = Callable[[CaseState, Params, Context], tuple[CaseState, dict[str, Any]]]


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    effect: Effect
    requires: tuple[str, ...] = ()
    # Why the action is refused on this case, as an error key or the error itself.
    guard: Callable[[CaseState], str | IllegalTransition | None] | None = None


ACTIVE = OPEN_STATUSES - {Status.SUSPENDED}
WITH_UNIT = frozenset({Status.DISPATCHED, Status.IN_PROGRESS})


# --- clocks ---------------------------------------------------------------------------------


_FIELDS = frozenset(CaseState.__dataclass_fields__)


def _evolve(state: CaseState, **changes: Any) -> CaseState:
    """`dataclasses.replace` without its per-field machinery: this runs millions of times
    when the demo district is generated, and _evolve() was a fifth of that time."""
    assert changes.keys() <= _FIELDS, changes.keys() - _FIELDS
    new = object.__new__(CaseState)
    new.__dict__.update(state.__dict__)
    new.__dict__.update(changes)
    return new


def _clock(
    state: CaseState, step: Step | None, ctx: Context, started: datetime | None
) -> dict[str, Any]:
    """The clock fields of a step started at `started` (none for a step without a clock)."""
    if step is None or started is None:
        return {"step_started_at": None, "deadline_at": None, "warn_at": None}
    minutes, working = step_limit(state, step, ctx)
    deadline, warn = ctx.clock.deadline_and_warn(started, minutes, working=working)
    return {
        "step_started_at": started,
        "deadline_at": deadline,
        "warn_at": warn,
        "ext_until": None,
        "ext_reason": None,
    }


def step_limit(state: CaseState, step: Step, ctx: Context) -> tuple[int, bool]:
    """A step's time limit for this case (minutes, counted in working time?): the holding
    level's where it sets one, else the category's."""
    if state.level_limits is not None:
        own = state.level_limits.for_step(step, state.urgency)
        if own is not None:
            return own
    return ctx.limits(state.category).for_step(step, state.urgency)


def _spent(state: CaseState, ctx: Context) -> tuple[int, ...]:
    """`step_min` with the working minutes since the current step's time last started."""
    step = STEP_OF.get(state.suspended_from or state.status)
    if step is None or state.timed_from is None:
        return state.step_min
    spent = ctx.clock.elapsed(state.timed_from, ctx.now, working=True)
    i = STEPS.index(step)
    return (*state.step_min[:i], state.step_min[i] + spent, *state.step_min[i + 1 :])


def _leave(state: CaseState, ctx: Context) -> dict[str, Any]:
    """What leaving the current step writes on the case's record: the time it took, and
    whether it ran late — past its deadline, or suspended with none of its time left."""
    if state.status is Status.SUSPENDED:
        late = state.suspended_from in STEP_OF and state.paused_deadline_min == 0
    else:
        late = state.deadline_at is not None and ctx.now > state.deadline_at
    return {
        "step_min": _spent(state, ctx),
        "late_steps": state.late_steps + late,
        "timed_from": None,
        "return_reason": None,  # a request to give back a step the case has left lapses
    }


def _enter(state: CaseState, status: Status, ctx: Context, **changes: Any) -> CaseState:
    """Move to `status`, starting the clock of its step afresh."""
    step = STEP_OF.get(status)
    return _evolve(
        state,
        status=status,
        **_unurged(status),
        **changes,
        **_leave(state, ctx) | {"timed_from": ctx.now if step else None},
        **_clock(state, step, ctx, ctx.now),
    )


def _unurged(status: Status) -> dict[str, Any]:
    """A new step has not been urged for turning red; a reply is owed only while a unit
    holds the case (its result, a return or an escalation answers for it)."""
    if status in WITH_UNIT:
        return {"urged_red": False}
    return {"urged_red": False, "reply_by": None, "reply_warn": None}


def _restart_clock(state: CaseState, ctx: Context, started: datetime | None) -> CaseState:
    return _evolve(state, **_clock(state, state.step, ctx, started))


def _working(state: CaseState) -> bool:
    return state.urgency is not Urgency.URGENT


def overall_minutes(limits: StepLimits, urgency: Urgency) -> tuple[int, bool]:
    """The overall time limit of a case: its category's limits of every step from acceptance
    to verification, summed (minutes, counted in working time?)."""
    timed = [limits.for_step(step, urgency) for step in STEPS]
    return sum(minutes for minutes, _ in timed), timed[0][1]


def _derived_due(state: CaseState, ctx: Context) -> datetime | None:
    """The overall deadline the category and urgency give, counted from registration; a
    deadline given from outside stays."""
    if state.due_given or state.registered_at is None:
        return state.due_at
    minutes, working = overall_minutes(ctx.limits(state.category), state.urgency)
    return ctx.clock.add(state.registered_at, minutes, working=working)


def _rederived_due(old: CaseState, new: CaseState, ctx: Context) -> datetime | None:
    """The overall deadline for a new urgency or category: what the new limits give, moved as
    far as extensions and suspensions had moved the old one past what the old limits gave
    (counted in the old one's time, added in the new one's)."""
    derived = _derived_due(new, ctx)
    before = _derived_due(old, ctx)
    if new.due_given or derived is None or before is None or old.due_at is None:
        return derived
    moved = ctx.clock.elapsed(before, old.due_at, working=_working(old))
    return ctx.clock.add(derived, moved, working=_working(new))


def due_warn_at(clock: SlaClock, state: CaseState) -> datetime | None:
    """When the overall deadline's light turns yellow: the step clock's warn ratio of the time
    from registration to the deadline."""
    if state.due_at is None or state.registered_at is None:
        return None
    return clock.warn_at(state.registered_at, state.due_at, working=_working(state))


def review_light(clock: SlaClock, state: CaseState, now: datetime) -> Light:
    """A shelved case's review light: red once its review day has gone by, yellow on the day
    (and for a case shelved without a date: due at once), green before; none unless shelved."""
    if state.status is not Status.SUSPENDED:
        return Light.NONE
    return review_day_light(state.review_on, clock.day_of(now))


def review_day_light(review_on: date | None, today: date) -> Light:
    if review_on is None or review_on == today:
        return Light.YELLOW
    return Light.RED if review_on < today else Light.GREEN


def due_light(clock: SlaClock, state: CaseState, now: datetime) -> Light:
    """The overall deadline's light, as `SlaClock.light` gives the step's; none once the case
    is finished or suspended."""
    if state.status not in OPEN_STATUSES:
        return Light.NONE
    return clock.light(now, due_warn_at(clock, state), state.due_at)


def _finish(state: CaseState, status: Status, ctx: Context, **changes: Any) -> CaseState:
    return _evolve(
        state,
        **_leave(state, ctx),
        status=status,
        closed_at=ctx.now,
        step_started_at=None,
        deadline_at=None,
        warn_at=None,
        ext_until=None,
        ext_reason=None,
        **_unurged(status),
        **changes,
    )


# --- effects --------------------------------------------------------------------------------


def _accept(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    return _enter(s, Status.ACCEPTED, ctx), {}


def _reject(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    return _finish(s, Status.INVALID, ctx), {}


def _duplicate(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    if p.other_case == s.code:
        raise Invalid("error.duplicate_self", code=s.code)
    return _finish(s, Status.DUPLICATE, ctx, duplicate_of=p.other_case), {
        "other_case": p.other_case
    }


def _assign(
    s: CaseState, p: Params, ctx: Context, level: Level
) -> tuple[CaseState, dict[str, Any]]:
    """Give the case to a lead unit (and co-handling units): the unit must now sign for it."""
    assert p.unit is not None
    co = tuple(dict.fromkeys(u for u in p.co_units if u != p.unit))
    for code in co:
        ctx.unit_kind(code)
    # Tasks are a whistle's: a dispatch's co-units are given none, and the old ones end.
    # Given to a unit above the level holding it, the case leaves that level's limits.
    if level is not s.level:
        s = _evolve(s, level_limits=None)
    new = _enter(s, Status.DISPATCHED, ctx, lead_unit=p.unit, co_units=co, level=level, tasks=())
    payload: dict[str, Any] = {"unit": p.unit, "co_units": list(co)}
    if p.instruction:
        payload["instruction"] = p.instruction
    if level is not s.level:
        payload["level"] = [s.level.value, level.value]
    return new, payload


def _higher(a: Level, b: Level) -> Level:
    return max(a, b, key=LEVEL_LADDER.index)


def _dispatch(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert p.unit is not None
    return _assign(s, p, ctx, _higher(s.level, UNIT_LEVEL[ctx.unit_kind(p.unit)]))


def _whistle(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    """吹哨: the street summons several departments at once; one of them leads."""
    assert p.unit is not None
    ctx.unit_kind(p.unit)
    if not any(u != p.unit for u in p.co_units):
        raise Invalid("error.whistle_needs_units")
    new, payload = _assign(s, p, ctx, _higher(s.level, Level.STREET))
    if p.task_hours is None:
        return new, payload
    # A department summoned again keeps its task; a new one is given its own.
    check_in, feedback = (hours * 60 for hours in p.task_hours)
    tasks = tuple(
        task_of(s.tasks, unit) or _task(unit, ctx, check_in, feedback, _working(s))
        for unit in new.co_units
    )
    return _evolve(new, tasks=tasks), payload | {"hours": list(p.task_hours)}


def _task(unit: str, ctx: Context, check_in: int, feedback: int, working: bool) -> Task:
    """A summoned department's task, its deadlines counted from now in the case's time."""
    check_in_by, check_in_warn = ctx.clock.deadline_and_warn(ctx.now, check_in, working=working)
    feedback_by, feedback_warn = ctx.clock.deadline_and_warn(ctx.now, feedback, working=working)
    return Task(unit, check_in_by, check_in_warn, feedback_by, feedback_warn)


def _escalate(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    up = LEVEL_LADDER[LEVEL_LADDER.index(s.level) + 1]
    # The level above times the case from here by its own limits (its dispatch first).
    held = _evolve(s, level=up, level_limits=p.level_limits)
    new = _enter(held, Status.ACCEPTED, ctx, lead_unit=None, co_units=(), tasks=())
    return new, _levelled({"level": [s.level.value, up.value]}, p)


def _deescalate(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    down = LEVEL_LADDER[LEVEL_LADDER.index(s.level) - 1]
    # The step under way keeps its deadline; the steps after it take the lower level's limits.
    new = _evolve(s, level=down, level_limits=p.level_limits)
    return new, _levelled({"level": [s.level.value, down.value]}, p)


def _levelled(payload: dict[str, Any], p: Params) -> dict[str, Any]:
    """An escalation's payload with the limits of the level it gave the case to, if any."""
    if p.level_limits is not None:
        payload["limits"] = p.level_limits.to_json()
    return payload


def _sign(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    return _enter(s, Status.IN_PROGRESS, ctx), {"unit": s.lead_unit}


def _return(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    if p.requested:
        # 退回待批: the unit asks; the case stays with it, its clock running, until the centre
        # decides. An event without the mark is from before: the case went back at once.
        reason = (p.reason or "").strip()
        return _evolve(s, return_reason=reason), {"unit": s.lead_unit, "requested": True}
    return _given_back(s, ctx)


def _given_back(s: CaseState, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    """The unit gives the case back: the centre routes it again, to another unit."""
    returned = s.returned_units
    if s.lead_unit and s.lead_unit not in returned:
        returned = (*returned, s.lead_unit)
    new = _enter(
        s, Status.ACCEPTED, ctx, lead_unit=None, co_units=(), returned_units=returned, tasks=()
    )
    return new, {"unit": s.lead_unit}


def _approve_return(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    return _given_back(s, ctx)


def _refuse_return(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    return _evolve(s, return_reason=None), {"unit": s.lead_unit}


def _handled(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    payload: dict[str, Any] = {"result": p.result}
    if p.photo:
        payload["photo"] = p.photo
    return _enter(s, Status.HANDLED, ctx), payload


def _send_verify(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    # The verification clock started when the unit reported back; sending it on keeps it.
    return _evolve(s, status=Status.VERIFYING), {}


def _verify(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    if p.passed:
        return _finish(s, Status.CLOSED, ctx), {"passed": True}
    new = _enter(s, Status.IN_PROGRESS, ctx, rework_count=s.rework_count + 1)
    return new, {"passed": False, "rework": new.rework_count}


def _self_close(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    """自办自结: found and handled on the spot by the grid's own worker, in one step. Closed,
    unless drawn for the centre's spot check (抽查): then it waits to be verified."""
    unit = grid_unit_code(s.grid)
    payload: dict[str, Any] = {
        "result": p.result,
        "photo": p.photo,
        "spot_check": bool(p.spot_check),
    }
    if p.spot_check:
        return _enter(s, Status.VERIFYING, ctx, lead_unit=unit), payload
    return _finish(s, Status.CLOSED, ctx, lead_unit=unit), payload


def drawn_for_spot_check(code: str, share: float) -> bool:
    """Whether a case handled on the spot goes to the centre's spot check: `share` of them,
    drawn by the case's code — the same answer for the same case, whoever asks."""
    drawn = int.from_bytes(hashlib.sha256(code.encode()).digest()[:4], "big") / 2**32
    return drawn < share


REPLY_HOURS_MAX = 24 * 30


def _urge(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    """督办: an operator's urge, or the system's by one of the centre's rules (`p.rule`)."""
    if p.rule == Rule.SUPERVISOR_AFTER:  # raised to the supervisor: the unit is not urged
        return _evolve(s, overseen_at=ctx.now), {"rule": p.rule}
    payload: dict[str, Any] = {}
    if p.rule == Rule.URGE_LATE_DEPARTMENTS:
        task = _summoned(s, p.unit)
        if p.missed not in tuple(Missed):
            raise Invalid("error.unknown_rule", rule=f"{p.rule}:{p.missed}")
        missed = Missed(p.missed)
        done = replace(task, urged=(*task.urged, missed.value))
        new = _evolve(s, urge_count=s.urge_count + 1, tasks=with_task(s.tasks, done))
        payload = {"rule": p.rule, "unit": task.unit, "missed": missed.value}
        return new, payload | {"count": new.urge_count}
    new = _evolve(s, urge_count=s.urge_count + 1)
    if p.rule is not None:
        if p.rule != Rule.URGE_WHEN_RED:
            raise Invalid("error.unknown_rule", rule=p.rule)
        new = _evolve(new, urged_red=True)
        payload = {"rule": p.rule, "unit": s.lead_unit}
    if p.reply_hours is not None:
        if not 1 <= p.reply_hours <= REPLY_HOURS_MAX:
            raise Invalid("error.reply_hours", hours=p.reply_hours, most=REPLY_HOURS_MAX)
        by, warn = ctx.clock.deadline_and_warn(ctx.now, p.reply_hours * 60, working=_working(s))
        new = _evolve(new, reply_by=by, reply_warn=warn)
        payload |= {"reply_hours": p.reply_hours, "reply_by": by.isoformat()}
    return new, payload | {"count": new.urge_count, **({"text": p.text} if p.text else {})}


def _reply(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    """回复督办: the lead unit answers the urge that asked for a reply."""
    assert s.reply_by is not None
    new = _evolve(s, reply_by=None, reply_warn=None)
    return new, {"text": p.text, "on_time": ctx.now <= s.reply_by}


def _extend(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert p.until is not None
    if s.deadline_at is not None and p.until <= s.deadline_at:
        raise Invalid("error.extension_not_later", code=s.code)
    new = _evolve(s, ext_until=p.until, ext_reason=p.reason)
    return new, {"until": p.until.isoformat()}


def _approve_extension(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert s.ext_until is not None and s.step_started_at is not None
    until = s.ext_until
    working = _working(s)
    warn = ctx.clock.warn_at(s.step_started_at, until, working=working)
    due = s.due_at
    if due is not None and s.deadline_at is not None:
        # The overall deadline moves as far as the step's did, counted as the step's is.
        moved = ctx.clock.elapsed(s.deadline_at, until, working=working)
        due = ctx.clock.add(due, max(0, moved), working=working)
    new = _evolve(
        s,
        due_at=due,
        deadline_at=until,
        warn_at=warn,
        ext_until=None,
        ext_reason=None,
        ext_count=s.ext_count + 1,
    )
    return new, {
        "from": s.deadline_at.isoformat() if s.deadline_at else None,
        "until": until.isoformat(),
    }


def _refuse_extension(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert s.ext_until is not None
    return _evolve(s, ext_until=None, ext_reason=None), {"until": s.ext_until.isoformat()}


def _suspend(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    left = warn_left = None
    if s.deadline_at is not None:
        # What is already overdue stays overdue: resuming starts from zero time left.
        left = max(0, ctx.clock.remaining(ctx.now, s.deadline_at, working=_working(s)))
        warn_left = 0
        if s.warn_at is not None:
            warn_left = max(0, ctx.clock.remaining(ctx.now, s.warn_at, working=_working(s)))
    due_left = None
    if s.due_at is not None:
        due_left = max(0, ctx.clock.remaining(ctx.now, s.due_at, working=_working(s)))
    new = _evolve(
        s,
        status=Status.SUSPENDED,
        due_at=None,
        paused_due_min=due_left,
        suspended_from=s.status,
        paused_deadline_min=left,
        paused_warn_min=warn_left,
        deadline_at=None,
        warn_at=None,
        step_min=_spent(s, ctx),  # the time suspended (缓办) is no step's
        timed_from=None,
        review_on=p.review_on,
    )
    payload: dict[str, Any] = {"left": left}
    if p.review_on is not None:
        payload["review_on"] = p.review_on.isoformat()
    return new, payload


def _resume(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert s.suspended_from is not None
    back = _evolve(s, status=s.suspended_from, suspended_from=None)
    deadline = warn = None
    if s.paused_deadline_min is not None:
        working = _working(back)
        deadline = ctx.clock.add(ctx.now, s.paused_deadline_min, working=working)
        warn = ctx.clock.add(ctx.now, s.paused_warn_min or 0, working=working)
    due = s.due_at
    if s.paused_due_min is not None:
        due = ctx.clock.add(ctx.now, s.paused_due_min, working=_working(back))
    new = _evolve(
        back,
        due_at=due,
        paused_due_min=None,
        deadline_at=deadline,
        warn_at=warn,
        paused_deadline_min=None,
        paused_warn_min=None,
        timed_from=ctx.now if back.step else None,
        review_on=None,
    )
    return new, {"to": new.status.value}


def _review(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    """复核: the shelved case was looked at again; it stays shelved until its next review."""
    assert p.review_on is not None
    return _evolve(s, review_on=p.review_on), {
        "text": p.text,
        "review_on": p.review_on.isoformat(),
    }


def _rate(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert p.rating is not None
    payload: dict[str, Any] = {"rating": p.rating.value}
    if p.comment:
        payload["comment"] = p.comment
    return _evolve(s, rating=p.rating), payload


def _reopen(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    target = Status.DISPATCHED if s.lead_unit else Status.ACCEPTED
    new = _enter(s, target, ctx, rework_count=s.rework_count + 1, rating=None, closed_at=None)
    return new, {"rework": new.rework_count}


def _note(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    return s, {"text": p.text}


def _set_urgency(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert p.urgency is not None
    new = _restart_clock(_evolve(s, urgency=p.urgency), ctx, s.step_started_at)
    new = _evolve(new, due_at=_rederived_due(s, new, ctx))
    return new, {"urgency": [s.urgency.value, p.urgency.value]}


def _set_category(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert p.category is not None
    new = _restart_clock(_evolve(s, category=p.category), ctx, s.step_started_at)
    new = _evolve(new, due_at=_rederived_due(s, new, ctx))
    return new, {"category": [s.category, p.category]}


def _summoned(s: CaseState, unit: str | None) -> Task:
    """The task of a unit the whistle summoned; Invalid for any other."""
    task = task_of(s.tasks, unit)
    if task is None:
        raise Invalid("error.not_summoned", unit=unit or "-", code=s.code)
    return task


def _check_in(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    task = _summoned(s, p.unit)
    if task.state is not TaskState.TO_CHECK_IN:
        raise IllegalTransition("error.checked_in_already", unit=task.unit, code=s.code)
    done = replace(task, checked_in_at=ctx.now)
    return _evolve(s, tasks=with_task(s.tasks, done)), {
        "unit": task.unit,
        "on_time": done.checked_in_on_time,
    }


def _feedback(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    task = _summoned(s, p.unit)
    if not task.owes:
        raise IllegalTransition("error.feedback_done", unit=task.unit, code=s.code)
    # Feedback from a department that never checked in is its check-in too.
    done = replace(
        task, checked_in_at=task.checked_in_at or ctx.now, fed_back_at=ctx.now, feedback=p.text
    )
    return _evolve(s, tasks=with_task(s.tasks, done)), {
        "unit": task.unit,
        "text": p.text,
        "on_time": done.fed_back_on_time,
    }


def _waive(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    task = _summoned(s, p.unit)
    if not task.owes:
        raise IllegalTransition("error.feedback_done", unit=task.unit, code=s.code)
    done = replace(task, waived_at=ctx.now, waive_reason=(p.reason or "").strip())
    return _evolve(s, tasks=with_task(s.tasks, done)), {
        "unit": task.unit,
        "owed": task.state.value,
    }


def _rate_unit(s: CaseState, p: Params, ctx: Context) -> tuple[CaseState, dict[str, Any]]:
    assert p.unit_rating is not None
    task = _summoned(s, p.unit)
    if task.owes:
        raise IllegalTransition("error.unit_not_done", unit=task.unit, code=s.code)
    if task.rating is not None:
        raise IllegalTransition("error.unit_rated", unit=task.unit, code=s.code)
    done = replace(task, rating=p.unit_rating)
    payload: dict[str, Any] = {"unit": task.unit, "unit_rating": p.unit_rating.value}
    if p.comment:
        payload["comment"] = p.comment
    return _evolve(s, tasks=with_task(s.tasks, done)), payload


# --- guards ---------------------------------------------------------------------------------


def _below_top(s: CaseState) -> str | None:
    return "error.top_level" if s.level is Level.DISTRICT else None


def _above_bottom(s: CaseState) -> str | None:
    return "error.bottom_level" if s.level is Level.GRID else None


def _no_pending_extension(s: CaseState) -> str | None:
    return "error.extension_pending" if s.ext_until is not None else None


def _pending_extension(s: CaseState) -> str | None:
    return None if s.ext_until is not None else "error.no_extension"


def _may_return(s: CaseState) -> str | None:
    if s.return_reason is not None:
        return "error.return_pending"
    return _has_unit(s)


def _pending_return(s: CaseState) -> str | None:
    return None if s.return_reason is not None else "error.no_return"


def _may_extend(s: CaseState) -> str | None:
    # A unit that asked to give the case back does not also ask for more time to handle it:
    # the centre answers the return first.
    if s.return_reason is not None:
        return "error.return_pending"
    return _no_pending_extension(s)


def _may_report_handled(s: CaseState) -> str | IllegalTransition | None:
    # Reported handled while its return waits, the case would be the centre's to take back
    # and the unit's to close at once: the centre answers the return first.
    if s.return_reason is not None:
        return "error.return_pending"
    return _no_feedback_owed(s)


def _unrated(s: CaseState) -> str | None:
    return "error.already_rated" if s.rating is not None else None


def _dissatisfied(s: CaseState) -> str | None:
    return None if s.rating is Rating.DISSATISFIED else "error.reopen_needs_dissatisfied"


def _has_unit(s: CaseState) -> str | None:
    return None if s.lead_unit else "error.no_unit"


def _no_feedback_owed(s: CaseState) -> IllegalTransition | None:
    """The lead's result closes the handling step only once every summoned department has
    filed its feedback or been released from it."""
    owed = owing(s.tasks)
    if not owed:
        return None
    return IllegalTransition("error.feedback_owed", code=s.code, units="、".join(owed))


def _reply_owed(s: CaseState) -> str | None:
    return None if s.reply_by is not None else "error.no_reply_owed"


def _has_tasks(s: CaseState) -> str | None:
    return None if s.tasks else "error.no_tasks"


def _some_owed(s: CaseState) -> str | None:
    if not s.tasks:
        return "error.no_tasks"
    return None if owing(s.tasks) else "error.nothing_owed"


def _some_to_rate(s: CaseState) -> str | None:
    if not s.tasks:
        return "error.no_tasks"
    return None if to_rate(s.tasks) else "error.nothing_to_rate"


# --- the table ------------------------------------------------------------------------------

_EARLY = frozenset({Status.REPORTED, Status.ACCEPTED})
_ROUTED = frozenset({Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS})
_VERIFIABLE = frozenset({Status.HANDLED, Status.VERIFYING})
# A department's response is rated once it has answered, until the case is closed and after.
_AFTER_WHISTLE = WITH_UNIT | _VERIFIABLE | {Status.CLOSED}

TABLE: Mapping[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.ACCEPT, frozenset({Status.REPORTED}), _accept),
        Transition(Action.REJECT, _EARLY, _reject, ("reason",)),
        Transition(Action.DUPLICATE, _EARLY, _duplicate, ("other_case",)),
        Transition(Action.DISPATCH, frozenset({Status.ACCEPTED}), _dispatch, ("unit",)),
        Transition(Action.WHISTLE, _ROUTED, _whistle, ("unit", "co_units")),
        Transition(Action.ESCALATE, _ROUTED, _escalate, ("reason",), _below_top),
        Transition(
            Action.DEESCALATE,
            frozenset({Status.ACCEPTED}),
            _deescalate,
            ("reason",),
            _above_bottom,
        ),
        Transition(Action.SIGN, frozenset({Status.DISPATCHED}), _sign),
        Transition(Action.RETURN, WITH_UNIT, _return, ("reason",), _may_return),
        Transition(Action.APPROVE_RETURN, WITH_UNIT, _approve_return, (), _pending_return),
        Transition(Action.REFUSE_RETURN, WITH_UNIT, _refuse_return, ("reason",), _pending_return),
        Transition(
            Action.HANDLED,
            frozenset({Status.IN_PROGRESS}),
            _handled,
            ("result",),
            _may_report_handled,
        ),
        Transition(Action.SEND_VERIFY, frozenset({Status.HANDLED}), _send_verify),
        Transition(Action.VERIFY, _VERIFIABLE, _verify, ("passed",)),
        Transition(Action.URGE, WITH_UNIT, _urge),
        Transition(Action.REPLY, WITH_UNIT, _reply, ("text",), _reply_owed),
        Transition(
            Action.EXTEND,
            WITH_UNIT,
            _extend,
            ("reason", "until"),
            _may_extend,
        ),
        Transition(
            Action.APPROVE_EXTENSION,
            WITH_UNIT,
            _approve_extension,
            (),
            _pending_extension,
        ),
        Transition(
            Action.REFUSE_EXTENSION,
            WITH_UNIT,
            _refuse_extension,
            ("reason",),
            _pending_extension,
        ),
        Transition(Action.SUSPEND, ACTIVE, _suspend, ("reason", "review_on")),
        Transition(Action.RESUME, frozenset({Status.SUSPENDED}), _resume),
        Transition(Action.REVIEW, frozenset({Status.SUSPENDED}), _review, ("text", "review_on")),
        Transition(Action.RATE, frozenset({Status.CLOSED}), _rate, ("rating",), _unrated),
        Transition(
            Action.REOPEN,
            frozenset({Status.CLOSED}),
            _reopen,
            ("reason",),
            _dissatisfied,
        ),
        Transition(Action.NOTE, frozenset(Status), _note, ("text",)),
        Transition(Action.SET_URGENCY, ACTIVE, _set_urgency, ("urgency",)),
        Transition(Action.SET_CATEGORY, ACTIVE, _set_category, ("category",)),
        Transition(
            Action.SELF_CLOSE, frozenset({Status.REPORTED}), _self_close, ("result", "photo")
        ),
        Transition(Action.CHECK_IN, WITH_UNIT, _check_in, (), _has_tasks),
        Transition(Action.FEEDBACK, WITH_UNIT, _feedback, ("text",), _has_tasks),
        Transition(Action.WAIVE, WITH_UNIT, _waive, ("unit", "reason"), _some_owed),
        Transition(
            Action.RATE_UNIT,
            _AFTER_WHISTLE,
            _rate_unit,
            ("unit", "unit_rating"),
            _some_to_rate,
        ),
    )
}

# --- asking and deciding --------------------------------------------------------------------


def in_scope(state: CaseState, actor: Actor) -> bool:
    """Whether the case lies within what this user may read."""
    return may_read(actor, state.place)


def action_refusal(
    state: CaseState,
    actor: Actor,
    action: Action,
    *,
    self_closable: Callable[[str], bool] = lambda category: True,
) -> Exception | None:
    """Why this user may not take this action on this case now; None when they may.
    `self_closable`: the categories a grid worker may close on the spot (reference data)."""
    if not may_take(actor, action, state.place):
        return Forbidden(
            "error.forbidden_action",
            login=actor.login,
            role=Label("role", actor.role),
            action=Label("action", action),
            code=state.code,
        )
    if held_elsewhere(actor, action, state.level):
        if not reads_only(actor, state.level):  # below a community's workstation
            return Forbidden(
                "error.not_escalated_here",
                code=state.code,
                level=Label("level", state.level),
                action=Label("action", action),
            )
        return Forbidden(
            "error.held_above",
            code=state.code,
            level=Label("level", state.level),
            action=Label("action", action),
        )
    refused = _table_refusal(state, action)
    if refused is not None:
        return refused
    if action in SUMMONED_WORK:
        return _summoned_refusal(state, actor, action)
    if action is Action.VERIFY and not separated(actor, state.handled_by, state.handled_unit):
        return Forbidden("error.separation", login=actor.login, code=state.code)
    if action is Action.SELF_CLOSE and not self_closable(state.category):
        return Invalid("error.not_self_closable", code=state.code, category=state.category)
    return None


def _table_refusal(state: CaseState, action: Action) -> IllegalTransition | None:
    """Why the table refuses this action on this case now, whoever asks; None when it allows."""
    row = TABLE[action]
    if state.status not in row.sources:
        key = "error.illegal_final" if state.status in FINAL_STATUSES else "error.illegal"
        return IllegalTransition(
            key,
            code=state.code,
            status=Label("status", state.status),
            action=Label("action", action),
        )
    if row.guard is not None:
        refused = row.guard(state)
        if isinstance(refused, IllegalTransition):
            return refused
        if refused is not None:
            return IllegalTransition(refused, code=state.code)
    return None


def _summoned_refusal(state: CaseState, actor: Actor, action: Action) -> Exception | None:
    """Why a summoned department may not check in or feed back now: its task has gone past
    that (the policy has made sure it has one)."""
    task = task_of(state.tasks, actor.own_unit)
    if task is None:
        return Invalid("error.not_summoned", unit=actor.own_unit or "-", code=state.code)
    if action is Action.CHECK_IN and task.state is not TaskState.TO_CHECK_IN:
        return IllegalTransition("error.checked_in_already", unit=task.unit, code=state.code)
    if action is Action.FEEDBACK and not task.owes:
        return IllegalTransition("error.feedback_done", unit=task.unit, code=state.code)
    return None


def allowed_actions(
    state: CaseState,
    actor: Actor,
    *,
    self_closable: Callable[[str], bool] = lambda category: True,
) -> list[Action]:
    return [
        a for a in TABLE if action_refusal(state, actor, a, self_closable=self_closable) is None
    ]


def missing(action: Action, params: Params) -> list[str]:
    """The fields this action still needs, in the table's order: `decide` refuses on them and
    a form marks them before anything is sent."""
    out = []
    for name in TABLE[action].requires:
        value = getattr(params, name)
        if value is None or value == () or (isinstance(value, str) and not value.strip()):
            out.append(name)
    # A failed verification sends the case back for rework: the unit must be told why.
    if action is Action.VERIFY and not params.passed and not (params.reason or "").strip():
        out.append("reason")
    return out


def decide(state: CaseState, actor: Actor, action: Action, params: Params, ctx: Context) -> Outcome:
    """The next state of the case and the audit event, or a typed error saying why not."""
    if action is Action.NEW:
        raise Invalid("error.use_open_case")
    error = action_refusal(state, actor, action, self_closable=ctx.self_closable)
    if error is not None:
        raise error
    _require(action, params)
    if action in (Action.DISPATCH, Action.WHISTLE):
        for unit in dict.fromkeys((params.unit or "", *params.co_units)):
            ctx.unit_kind(unit)  # an unknown unit is Invalid before it is out of reach
            if not within_reach(actor, state.street, ctx.unit_street(unit)):
                raise Forbidden("error.unit_out_of_reach", unit=unit, code=state.code)
            if not within_community(actor, ctx.unit_community(unit)):
                raise Forbidden("error.unit_beyond_community", unit=unit, code=state.code)
    _check_extension(state, action, params, ctx)
    _check_review(state, action, params, ctx)
    if action is Action.RETURN:  # a unit asks now; the centre gives the case back
        params = replace(params, requested=True)
    if action is Action.SELF_CLOSE:
        # Drawn here, never taken from the caller: no one chooses to skip the spot check.
        params = replace(params, spot_check=drawn_for_spot_check(state.code, ctx.spot_share))
    if action in SUMMONED_WORK:  # a department answers for its own unit only
        params = replace(params, unit=actor.own_unit)
    elif action is Action.URGE:  # an operator's urge names no rule: only the system's do
        params = replace(params, rule=None, missed=None, unit=None)
    elif action is Action.WHISTLE:
        params = replace(
            params, task_hours=(ctx.whistle.check_in_hours, ctx.whistle.feedback_hours)
        )
    elif action in (Action.ESCALATE, Action.DEESCALATE):
        rung = LEVEL_LADDER.index(state.level) + (1 if action is Action.ESCALATE else -1)
        params = replace(params, level_limits=ctx.level_limits(LEVEL_LADDER[rung]))
    return _take(state, action, params, ctx, actor.login)


def _check_extension(s: CaseState, action: Action, p: Params, ctx: Context) -> None:
    """An extension ends in the future and within the horizon. Asked of `decide` only: the
    trail of an older release may hold one that did not, and replaying it must not fail."""
    if action is Action.EXTEND:
        assert p.until is not None
        if s.deadline_at is not None and p.until <= s.deadline_at:
            return  # the effect says why: not later than the deadline
        if p.until <= ctx.now:  # an overdue case is given time from now on, not back in time
            raise Invalid("error.extension_past", code=s.code)
        until = p.until
    elif action is Action.APPROVE_EXTENSION and s.ext_until is not None:
        until = s.ext_until  # asked before the horizon was kept: it can only be refused
    else:
        return
    if until > ctx.now + EXTENSION_HORIZON:
        raise Invalid("error.extension_too_far", code=s.code, days=EXTENSION_HORIZON.days)


def _check_review(s: CaseState, action: Action, p: Params, ctx: Context) -> None:
    """A shelved case's next review falls after today and within the horizon. Asked of
    `decide` only, as an extension's end is."""
    if action not in (Action.SUSPEND, Action.REVIEW) or p.review_on is None:
        return
    today = ctx.clock.day_of(ctx.now)
    if p.review_on <= today:
        raise Invalid("error.review_not_later", code=s.code, today=today.isoformat())
    if p.review_on > today + EXTENSION_HORIZON:
        raise Invalid("error.review_too_far", code=s.code, days=EXTENSION_HORIZON.days)


# Fields an action has required only since a later release: an event written before carries
# none, and its replay must not fail for it (`decide` requires them of every new action).
REQUIRED_SINCE: Mapping[Action, frozenset[str]] = {Action.SUSPEND: frozenset({"review_on"})}


def replay(state: CaseState, action: Action, params: Params, ctx: Context, login: str) -> Outcome:
    """An action already taken by `login`, taken again through the table alone, as `gridcall
    audit verify` rebuilds a case from its trail: the states it may start from, its guard,
    the fields it needs, the units it names, its effect. Who took it is not asked again:
    roles and places change after the fact, and the signed chain, not today's policy, vouches
    for who acted."""
    if action is Action.NEW:
        raise Invalid("error.use_open_case")
    error = _table_refusal(state, action)
    if error is not None:
        raise error
    _require(action, params, excused=REQUIRED_SINCE.get(action, frozenset()))
    if action in (Action.DISPATCH, Action.WHISTLE):
        for unit in (params.unit or "", *params.co_units):
            ctx.unit_kind(unit)
    return _take(state, action, params, ctx, login)


def _require(action: Action, params: Params, excused: frozenset[str] = frozenset()) -> None:
    needed = [name for name in missing(action, params) if name not in excused]
    if needed:
        raise Invalid(
            "error.missing",
            action=Label("action", action),
            fields=tuple(Label("field", m) for m in needed),
        )


def _take(state: CaseState, action: Action, params: Params, ctx: Context, login: str) -> Outcome:
    """The table's effect of an action that may be taken, and the event it leaves."""
    new, payload = TABLE[action].effect(state, params, ctx)
    if action is Action.HANDLED:
        new = _evolve(new, handled_by=login, handled_unit=state.lead_unit)
    elif action is Action.SELF_CLOSE:
        new = _evolve(new, handled_by=login, handled_unit=new.lead_unit)
    reason = params.reason.strip() if params.reason else None
    return Outcome(new, Event(action, state.status, new.status, reason, payload))


def report_refusal(
    actor: Actor,
    *,
    street: str | None = None,
    community: str | None = None,
    grid: str | None = None,
) -> Forbidden | None:
    """Why this user may not register a case in this grid; None when they may.

    Without a place: whether they may register a case anywhere at all, which is what a form
    asks before it opens; with one, what the grid picker asks of each grid it offers.
    """
    if not may_report(actor, street=street, community=community, grid=grid):
        return Forbidden("error.forbidden_new", login=actor.login, role=Label("role", actor.role))
    return None


def open_case(
    actor: Actor,
    *,
    code: str,
    street: str,
    grid: str,
    category: str,
    urgency: Urgency,
    ctx: Context,
    community: str | None = None,
    due_at: datetime | None = None,
) -> Outcome:
    """A newly registered case: reported, at grid level, with its acceptance clock running."""
    error = report_refusal(actor, street=street, community=community, grid=grid)
    if error is not None:
        raise error
    state = opened(
        code=code,
        street=street,
        community=community,
        grid=grid,
        category=category,
        urgency=urgency,
        ctx=ctx,
        due_at=due_at,
    )
    # What the case was registered as, so that a replay of its trail starts from the event
    # rather than from the case row it checks.
    payload = {"category": category, "grid": grid, "urgency": urgency.value}
    if due_at is not None:
        payload["due"] = due_at.isoformat()
    return Outcome(state, Event(Action.NEW, None, Status.REPORTED, payload=payload))


def opened(
    *,
    code: str,
    street: str,
    community: str | None,
    grid: str,
    category: str,
    urgency: Urgency,
    ctx: Context,
    due_at: datetime | None = None,
) -> CaseState:
    """A case as registered at `ctx.now`: reported, at grid level, its acceptance clock
    running; its overall deadline `due_at` when one is given, else its category's."""
    state = CaseState(
        code=code,
        status=Status.REPORTED,
        street=street,
        community=community,
        grid=grid,
        category=category,
        urgency=urgency,
        level=Level.GRID,
        timed_from=ctx.now,
        registered_at=ctx.now,
        due_at=due_at,
        due_given=due_at is not None,
    )
    state = _restart_clock(state, ctx, ctx.now)
    return _evolve(state, due_at=_derived_due(state, ctx))


# --- automatic 督办 --------------------------------------------------------------------------


def due_oversight(state: CaseState, rules: OversightRules, ctx: Context) -> tuple[Due, ...]:
    """The automatic urges the centre's rules call for on this case at `ctx.now`, in the order
    they are written: the lead unit's for a red step, the raise to the supervisor, then each
    late department's. Only while a unit holds the case (a red step elsewhere is the centre's
    own to act on); each rule fires once (per step, per case, per deadline)."""
    if state.status not in WITH_UNIT:
        return ()
    due: list[Due] = []
    deadline = state.deadline_at
    if deadline is not None and ctx.now >= deadline:  # red, as SlaClock.light reads it
        if rules.urge_when_red and not state.urged_red:
            due.append(Due(Rule.URGE_WHEN_RED, state.lead_unit))
        if rules.supervisor_after > 0 and state.overseen_at is None:
            minutes, working = step_limit(state, STEP_OF[state.status], ctx)
            past = ctx.clock.elapsed(deadline, ctx.now, working=working)
            if past >= (rules.supervisor_after - 1) * minutes:
                due.append(Due(Rule.SUPERVISOR_AFTER))
    if rules.urge_late_departments:
        for task in state.tasks:
            for missed, by in (
                (Missed.CHECK_IN, task.check_in_by if task.checked_in_at is None else None),
                (Missed.FEEDBACK, task.feedback_by if task.owes else None),
            ):
                late = task.waived_at is None and by is not None and ctx.now > by
                if late and missed.value not in task.urged:
                    due.append(Due(Rule.URGE_LATE_DEPARTMENTS, task.unit, missed))
    return tuple(due)


def oversee(state: CaseState, due: Due, rules: OversightRules, ctx: Context) -> Outcome | None:
    """The system's urge by one rule, asked again of the case as it now stands: None when it is
    no longer due (another console's sweep wrote it first, or the case moved on)."""
    if due not in due_oversight(state, rules, ctx):
        return None
    params = Params(
        rule=due.rule.value,
        unit=due.unit,
        missed=due.missed.value if due.missed else None,
        reply_hours=rules.reply_hours if due.rule is Rule.URGE_WHEN_RED else None,
    )
    return _take(state, Action.URGE, params, ctx, SYSTEM)


def reply_light(clock: SlaClock, state: CaseState, now: datetime) -> Light:
    """The light of the reply an urge asked for: green, yellow near its deadline, red past it;
    none when no reply is owed."""
    if state.reply_by is None or state.status not in WITH_UNIT:
        return Light.NONE
    return clock.light(now, state.reply_warn, state.reply_by)
