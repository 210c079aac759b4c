"""The case's overall deadline 办结时限: set at registration from the category's limits of
every step, never moved by returns, rework or reopening, moved by an approved extension as far
as the step's deadline, paused by a suspension, derived again on a new urgency or category
unless it was given from outside."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from console.domain.actions import Action
from console.domain.enums import Light, Rating, Role, Status, Urgency
from console.domain.policy import Actor
from console.domain.workflow import (
    CaseState,
    Context,
    Params,
    decide,
    due_light,
    open_case,
)
from tests.policy_spec import DISTRICT_SUPERVISOR, OPERATOR, SUPERVISOR
from tests.unit.test_workflow import CTX, LIMITS, NOW, REVIEW_ON

NONE = Params()
LIAISON = Actor("cg", Role.LIAISON, unit="S-LJ01-CG")
NORMAL_TOTAL = sum(LIMITS.normal.values())  # 3120 working minutes
URGENT_TOTAL = sum(LIMITS.urgent.values())  # 420 wall minutes


def registered(urgency: Urgency = Urgency.NORMAL, ctx: Context = CTX, **kw: object) -> CaseState:
    return open_case(
        OPERATOR,
        code="E2026-0000009",
        street="LJ01",
        community="LJ0101",
        grid="LJ010101",
        category="010101",
        urgency=urgency,
        ctx=ctx,
        **kw,  # type: ignore[arg-type]
    ).state


def act(state: CaseState, action: Action, params: Params = NONE, ctx: Context = CTX) -> CaseState:
    actor = (
        LIAISON
        if action in (Action.SIGN, Action.RETURN, Action.HANDLED, Action.EXTEND)
        else SUPERVISOR
    )
    return decide(state, actor, action, params, ctx).state


def at(minutes: int) -> Context:
    return replace(CTX, now=NOW + timedelta(minutes=minutes))


def in_progress(state: CaseState, ctx: Context = CTX) -> CaseState:
    state = act(state, Action.ACCEPT, ctx=ctx)
    state = act(state, Action.DISPATCH, Params(unit="S-LJ01-CG"), ctx)
    return act(state, Action.SIGN, ctx=ctx)


def test_registration_sums_every_steps_limit_in_working_time() -> None:
    state = registered()
    assert state.due_at == CTX.clock.add(NOW, NORMAL_TOTAL, working=True)
    assert not state.due_given


def test_an_urgent_case_counts_wall_time() -> None:
    state = registered(Urgency.URGENT)
    assert state.due_at == NOW + timedelta(minutes=URGENT_TOTAL)


def test_returns_rework_reopening_and_escalation_keep_it() -> None:
    state = registered()
    due = state.due_at
    state = in_progress(state)
    state = act(state, Action.RETURN, Params(reason="不属本单位"), at(30))
    state = act(state, Action.APPROVE_RETURN, ctx=at(35))
    assert state.due_at == due
    state = act(state, Action.DISPATCH, Params(unit="S-LJ01-CG"), at(40))
    state = act(state, Action.SIGN, ctx=at(50))
    state = act(state, Action.HANDLED, Params(result="已清理"), at(60))
    state = decide(
        state, OPERATOR, Action.VERIFY, Params(passed=False, reason="没修好"), at(70)
    ).state
    assert state.status is Status.IN_PROGRESS and state.due_at == due
    state = act(state, Action.ESCALATE, Params(reason="需街道协调"), at(80))
    assert state.due_at == due
    # Escalated to the district, the district platform whistles.
    whistle = Params(unit="S-LJ01-CG", co_units=("U-GA",))
    state = decide(state, DISTRICT_SUPERVISOR, Action.WHISTLE, whistle, at(90)).state
    state = act(state, Action.SIGN, ctx=at(95))
    waive = Params(unit="U-GA", reason="非本部门职责")  # what the summoned department owed
    state = decide(state, DISTRICT_SUPERVISOR, Action.WAIVE, waive, at(97)).state
    state = act(state, Action.HANDLED, Params(result="已清理"), at(100))
    state = decide(state, OPERATOR, Action.VERIFY, Params(passed=True), at(110)).state
    assert state.status is Status.CLOSED and state.due_at == due
    # Still held by the district: its platform follows up and reopens.
    rated = Params(rating=Rating.DISSATISFIED)
    state = decide(state, DISTRICT_SUPERVISOR, Action.RATE, rated, at(120)).state
    reopen = Params(reason="不满意")
    state = decide(state, DISTRICT_SUPERVISOR, Action.REOPEN, reopen, at(130)).state
    assert state.due_at == due


def test_an_approved_extension_moves_it_as_far_as_the_step_deadline() -> None:
    state = in_progress(registered())
    step_deadline = state.deadline_at
    assert step_deadline is not None and state.due_at is not None
    until = step_deadline + timedelta(days=7)
    moved = CTX.clock.elapsed(step_deadline, until, working=True)
    asked = act(state, Action.EXTEND, Params(reason="需协调", until=until))
    assert asked.due_at == state.due_at  # asked is not granted
    refused = act(asked, Action.REFUSE_EXTENSION, Params(reason="按期办结"))
    assert refused.due_at == state.due_at
    approved = act(asked, Action.APPROVE_EXTENSION)
    assert approved.due_at == CTX.clock.add(state.due_at, moved, working=True)
    assert CTX.clock.elapsed(state.due_at, approved.due_at, working=True) == moved > 0


def test_suspension_pauses_it_and_resume_restarts_it() -> None:
    state = in_progress(registered())
    assert state.due_at is not None
    left = CTX.clock.remaining(NOW, state.due_at, working=True)
    paused = act(state, Action.SUSPEND, Params(reason="等待政策", review_on=REVIEW_ON))
    assert paused.due_at is None and paused.paused_due_min == left
    later = at(60 * 24 * 30)
    resumed = act(paused, Action.RESUME, ctx=later)
    assert resumed.paused_due_min is None
    assert resumed.due_at == CTX.clock.add(later.now, left, working=True)


def test_an_overdue_case_suspended_resumes_with_nothing_left() -> None:
    state = registered(Urgency.URGENT)
    late = at(URGENT_TOTAL + 60)
    paused = act(
        act(state, Action.ACCEPT, ctx=late),
        Action.SUSPEND,
        Params(reason="等", review_on=REVIEW_ON),
        late,
    )
    assert paused.paused_due_min == 0
    resumed = act(paused, Action.RESUME, ctx=at(URGENT_TOTAL + 600))
    assert resumed.due_at == NOW + timedelta(minutes=URGENT_TOTAL + 600)


def test_a_new_urgency_or_category_derives_it_again_from_registration() -> None:
    state = act(registered(), Action.ACCEPT, ctx=at(30))
    urgent = act(state, Action.SET_URGENCY, Params(urgency=Urgency.URGENT), at(45))
    assert urgent.due_at == NOW + timedelta(minutes=URGENT_TOTAL)
    back = act(urgent, Action.SET_URGENCY, Params(urgency=Urgency.NORMAL), at(50))
    assert back.due_at == CTX.clock.add(NOW, NORMAL_TOTAL, working=True)
    halved = replace(
        CTX,
        limits=lambda c: (
            LIMITS
            if c == "010101"
            else replace(LIMITS, normal={k: v // 2 for k, v in LIMITS.normal.items()})
        ),
    )
    other = act(state, Action.SET_CATEGORY, Params(category="020202"), replace(halved, now=NOW))
    assert other.due_at == CTX.clock.add(NOW, NORMAL_TOTAL // 2, working=True)


def test_a_new_urgency_or_category_keeps_what_extensions_and_suspensions_gave() -> None:
    """The limits change; the time granted on top of them does not go with the old ones."""
    state = in_progress(registered())
    assert state.deadline_at is not None and state.due_at is not None
    until = state.deadline_at + timedelta(days=7)
    granted = CTX.clock.elapsed(state.deadline_at, until, working=True)
    extended = act(
        act(state, Action.EXTEND, Params(reason="需协调", until=until)), Action.APPROVE_EXTENSION
    )
    halved = replace(
        CTX,
        now=NOW + timedelta(minutes=30),
        limits=lambda c: (
            LIMITS
            if c == "010101"
            else replace(LIMITS, normal={k: v // 2 for k, v in LIMITS.normal.items()})
        ),
    )
    other = act(extended, Action.SET_CATEGORY, Params(category="020202"), halved)
    derived = CTX.clock.add(NOW, NORMAL_TOTAL // 2, working=True)
    assert other.due_at == CTX.clock.add(derived, granted, working=True)

    paused = act(state, Action.SUSPEND, Params(reason="等待政策", review_on=REVIEW_ON), at(60))
    resumed = act(paused, Action.RESUME, ctx=at(60 * 24 * 10))
    assert resumed.due_at is not None and resumed.due_at > state.due_at
    pause = CTX.clock.elapsed(state.due_at, resumed.due_at, working=True)
    again = act(resumed, Action.SET_URGENCY, Params(urgency=Urgency.URGENT), at(60 * 24 * 10 + 5))
    assert again.due_at == NOW + timedelta(minutes=URGENT_TOTAL + pause)


def test_a_deadline_given_from_outside_stays() -> None:
    given = NOW + timedelta(days=3)
    state = registered(due_at=given)
    assert state.due_at == given and state.due_given
    state = act(state, Action.ACCEPT)
    urgent = act(state, Action.SET_URGENCY, Params(urgency=Urgency.URGENT))
    assert urgent.due_at == given
    assert act(state, Action.SET_CATEGORY, Params(category="020202")).due_at == given
    out = open_case(
        OPERATOR,
        code="E2026-0000010",
        street="LJ01",
        community="LJ0101",
        grid="LJ010101",
        category="010101",
        urgency=Urgency.NORMAL,
        ctx=CTX,
        due_at=given,
    )
    assert out.event.payload["due"] == given.isoformat()


def test_its_light_uses_the_step_clocks_warn_ratio() -> None:
    state = registered(Urgency.URGENT)  # 420 wall minutes; yellow from 315
    assert due_light(CTX.clock, state, at(314).now) is Light.GREEN
    assert due_light(CTX.clock, state, at(315).now) is Light.YELLOW
    assert due_light(CTX.clock, state, at(420).now) is Light.RED
    closed = replace(state, status=Status.CLOSED)
    assert due_light(CTX.clock, closed, at(420).now) is Light.NONE
