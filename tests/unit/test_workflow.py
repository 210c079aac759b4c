"""The transition table, walked exhaustively: every action from every state by every role."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from console.domain.actions import Action
from console.domain.enums import Level, Light, Rating, Role, Status, Step, UnitKind, Urgency
from console.domain.errors import Forbidden, IllegalTransition, Invalid
from console.domain.policy import Actor, grid_unit_code
from console.domain.sla import SlaClock
from console.domain.whistle import Task, UnitRating
from console.domain.workflow import (
    TABLE,
    CaseState,
    Context,
    Params,
    StepLimits,
    allowed_actions,
    decide,
    drawn_for_spot_check,
    open_case,
    review_light,
)
from console.domain.workflow import replay as workflow_replay
from tests.conftest import refused
from tests.policy_spec import (
    CAST,
    COMMUNITY_UNITS,
    DISTRICT_SUPERVISOR,
    LEADS,
    ON_SPOT,
    OPERATOR,
    SECTION,
    SUMMONED_WORK,
    SUPERVISOR,
    UNIT_WORK,
    WORKER,
    may,
)

NOW = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Shanghai
LIMITS = StepLimits(
    normal={
        Step.ACCEPT: 60,
        Step.DISPATCH: 120,
        Step.SIGN: 240,
        Step.HANDLE: 2250,
        Step.VERIFY: 450,
    },
    urgent={Step.ACCEPT: 15, Step.DISPATCH: 15, Step.SIGN: 30, Step.HANDLE: 240, Step.VERIFY: 120},
)
UNITS = {  # kind, street, community
    "S-LJ01-CG": (UnitKind.SECTION, "LJ01", None),
    "S-LJ02-CG": (UnitKind.SECTION, "LJ02", None),
    "U-CG": (UnitKind.DEPARTMENT, None, None),
    "U-GA": (UnitKind.DEPARTMENT, None, None),
    "U-SW": (UnitKind.DEPARTMENT, None, None),
    "C-LJ0101": (UnitKind.COMMUNITY, "LJ01", "LJ0101"),
    "C-LJ0102": (UnitKind.COMMUNITY, "LJ01", "LJ0102"),
    grid_unit_code("LJ010101"): (UnitKind.GRID, "LJ01", "LJ0101"),
}


def unit_kind(code: str) -> UnitKind:
    if code not in UNITS:
        raise Invalid("error.no_unit", code=code)
    return UNITS[code][0]


SIMPLE = "020201"  # the category of `state_in`'s case: one its grid's worker may close on the spot
CTX = Context(
    NOW,
    SlaClock(),
    lambda _c: LIMITS,
    unit_kind,
    lambda code: UNITS[code][1],
    unit_community=lambda code: UNITS[code][2],
    self_closable=lambda code: code == SIMPLE,
)
LIAISON = Actor("cg", Role.LIAISON, unit="S-LJ01-CG")  # the section's staff, as a liaison

# The rules as the issue states them: action → (from which states, to which state).
SPEC: dict[Action, tuple[set[Status], Status | None]] = {
    Action.ACCEPT: ({Status.REPORTED}, Status.ACCEPTED),
    Action.REJECT: ({Status.REPORTED, Status.ACCEPTED}, Status.INVALID),
    Action.DUPLICATE: ({Status.REPORTED, Status.ACCEPTED}, Status.DUPLICATE),
    Action.DISPATCH: ({Status.ACCEPTED}, Status.DISPATCHED),
    Action.WHISTLE: ({Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS}, Status.DISPATCHED),
    Action.ESCALATE: ({Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS}, Status.ACCEPTED),
    Action.DEESCALATE: ({Status.ACCEPTED}, Status.ACCEPTED),
    Action.SIGN: ({Status.DISPATCHED}, Status.IN_PROGRESS),
    # A unit asks to give the case back; the centre grants it (back to be routed) or not.
    Action.RETURN: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.APPROVE_RETURN: ({Status.DISPATCHED, Status.IN_PROGRESS}, Status.ACCEPTED),
    Action.REFUSE_RETURN: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.HANDLED: ({Status.IN_PROGRESS}, Status.HANDLED),
    Action.SEND_VERIFY: ({Status.HANDLED}, Status.VERIFYING),
    Action.VERIFY: ({Status.HANDLED, Status.VERIFYING}, Status.CLOSED),
    Action.URGE: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    # 回复督办: the lead unit answers an urge while it holds the case.
    Action.REPLY: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.EXTEND: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.APPROVE_EXTENSION: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.REFUSE_EXTENSION: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.SUSPEND: (
        set(Status) - {Status.CLOSED, Status.INVALID, Status.DUPLICATE, Status.SUSPENDED},
        Status.SUSPENDED,
    ),
    Action.RESUME: ({Status.SUSPENDED}, None),
    Action.REVIEW: ({Status.SUSPENDED}, None),
    Action.RATE: ({Status.CLOSED}, Status.CLOSED),
    Action.REOPEN: ({Status.CLOSED}, Status.DISPATCHED),
    Action.NOTE: (set(Status), None),
    Action.SELF_CLOSE: ({Status.REPORTED}, Status.CLOSED),
    Action.SET_URGENCY: (
        set(Status) - {Status.CLOSED, Status.INVALID, Status.DUPLICATE, Status.SUSPENDED},
        None,
    ),
    Action.SET_CATEGORY: (
        set(Status) - {Status.CLOSED, Status.INVALID, Status.DUPLICATE, Status.SUSPENDED},
        None,
    ),
    # 吹哨报到: a summoned department answers while the case is with the units; the street
    # rates its answer until the case is closed, and after.
    Action.CHECK_IN: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.FEEDBACK: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.WAIVE: ({Status.DISPATCHED, Status.IN_PROGRESS}, None),
    Action.RATE_UNIT: (
        {Status.DISPATCHED, Status.IN_PROGRESS, Status.HANDLED, Status.VERIFYING, Status.CLOSED},
        None,
    ),
}
REVIEW_ON = date(2026, 12, 18)  # a month after NOW, in Shanghai
# A unit nobody of the cast holds, summoned beside the cast's units.
OUTSIDER = "U-SW"
PARAMS = {
    Action.REJECT: Params(reason="信息不全"),
    Action.DUPLICATE: Params(other_case="E2026-0000001"),
    Action.DISPATCH: Params(unit="S-LJ01-CG"),
    Action.WHISTLE: Params(unit="U-CG", co_units=("U-GA", "U-SW")),
    Action.ESCALATE: Params(reason="需街道协调"),
    Action.DEESCALATE: Params(reason="社区可办"),
    Action.RETURN: Params(reason="不属本单位"),
    Action.HANDLED: Params(result="已清理"),
    Action.VERIFY: Params(passed=True),
    Action.URGE: Params(text="请抓紧"),
    Action.REPLY: Params(text="已安排人员，今日处理"),
    Action.EXTEND: Params(reason="需协调", until=NOW + timedelta(days=20)),
    Action.REFUSE_EXTENSION: Params(reason="按期办结"),
    Action.SUSPEND: Params(reason="等待政策", review_on=REVIEW_ON),
    Action.REVIEW: Params(text="仍待政策出台", review_on=REVIEW_ON),
    Action.REFUSE_RETURN: Params(reason="属本单位职责"),
    Action.RATE: Params(rating=Rating.SATISFIED),
    Action.REOPEN: Params(reason="不满意"),
    Action.NOTE: Params(text="已电话联系"),
    Action.SET_URGENCY: Params(urgency=Urgency.URGENT),
    Action.SET_CATEGORY: Params(category="020202"),
    Action.SELF_CLOSE: Params(result="已现场清理", photo="photos/on-spot.jpg"),
    Action.FEEDBACK: Params(text="已到场，本部门事项已落实"),
    Action.WAIVE: Params(unit=OUTSIDER, reason="非本部门职责"),
    Action.RATE_UNIT: Params(unit=OUTSIDER, unit_rating=UnitRating.TIMELY),
}
SUMMONS = {Action.CHECK_IN, Action.FEEDBACK, Action.WAIVE, Action.RATE_UNIT}


def state_in(status: Status, lead: str = "S-LJ01-CG") -> CaseState:
    """A case in `status`, dispatched to `lead` where that makes sense (and handled by it when
    it was), with whatever the status's guards need (a pending extension, a dissatisfied
    rating, a level to climb)."""
    base = CaseState(
        code="E2026-0000099",
        status=Status.REPORTED,
        street="LJ01",
        community="LJ0101",
        grid="LJ010101",
        category="020201",
        urgency=Urgency.NORMAL,
        level=Level.COMMUNITY,
        step_started_at=NOW - timedelta(hours=1),
        deadline_at=NOW + timedelta(hours=5),
        warn_at=NOW + timedelta(hours=3),
    )
    unit = (
        lead
        if status
        in {Status.DISPATCHED, Status.IN_PROGRESS, Status.HANDLED, Status.VERIFYING, Status.CLOSED}
        else None
    )
    s = replace(base, status=status, lead_unit=unit)
    if status in {Status.HANDLED, Status.VERIFYING, Status.CLOSED}:
        s = replace(s, handled_by=f"staff of {lead}", handled_unit=lead)
    if status is Status.SUSPENDED:
        s = replace(
            s,
            suspended_from=Status.IN_PROGRESS,
            paused_deadline_min=100,
            paused_warn_min=50,
            deadline_at=None,
            warn_at=None,
            lead_unit=lead,
        )
    if status in {Status.CLOSED, Status.INVALID, Status.DUPLICATE}:
        s = replace(s, deadline_at=None, warn_at=None, step_started_at=None, closed_at=NOW)
    return s


def prepared(action: Action, status: Status, lead: str = "S-LJ01-CG") -> CaseState:
    s = state_in(status, lead)
    if action in (Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION):
        s = replace(s, ext_until=NOW + timedelta(days=20), ext_reason="需协调")
    if action in (Action.APPROVE_RETURN, Action.REFUSE_RETURN):
        s = replace(s, return_reason="不属本单位")
    if action is Action.REOPEN:
        s = replace(s, rating=Rating.DISSATISFIED)
    if action is Action.REPLY:  # an urge asked the lead unit for a reply
        s = replace(s, reply_by=NOW + timedelta(hours=4), reply_warn=NOW + timedelta(hours=3))
    if action in SUMMONS and s.lead_unit is not None:
        # Summoned by a whistle: the unit nobody holds and every unit of the cast but the lead.
        co = (OUTSIDER, *(u for u in LEADS if u != s.lead_unit))
        fed_back = action is Action.RATE_UNIT
        tasks = tuple(
            Task(
                u,
                NOW + timedelta(hours=2),
                NOW + timedelta(hours=1),
                NOW + timedelta(hours=24),
                NOW + timedelta(hours=18),
                checked_in_at=NOW if fed_back else None,
                fed_back_at=NOW if fed_back else None,
            )
            for u in co
        )
        s = replace(s, co_units=co, tasks=tasks)
    return s


@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("status", list(Status))
def test_every_action_from_every_state(action: Action, status: Status) -> None:
    sources, target = SPEC[action]
    state = prepared(action, status)
    if status not in sources:
        # A unit's work on a case no unit holds is not theirs to do, whatever the state; nor
        # a summoned department's on a case that summons nobody.
        if action in SUMMONED_WORK:
            actor, held = CAST["liaison"], bool(state.co_units)
        else:
            actor = SECTION if action in UNIT_WORK else WORKER if action in ON_SPOT else SUPERVISOR
            held = state.lead_unit == SECTION.unit or action not in UNIT_WORK
        with pytest.raises(IllegalTransition if held else Forbidden):
            decide(state, actor, action, PARAMS.get(action, Params()), CTX)
        return
    actor = next(
        a
        for who, a in CAST.items()
        if may(who, action, state.lead_unit, state.handled_unit, state.co_units)
        and a.role is not Role.TRAINER
    )
    assert action in allowed_actions(state, actor)
    out = decide(state, actor, action, PARAMS.get(action, Params()), CTX)
    expected = target
    if action is Action.RESUME:
        expected = Status.IN_PROGRESS
    assert out.state.status is (expected or status), (action, status, actor.role)
    assert out.event.action is action
    assert out.event.from_status is status
    assert out.event.to_status is out.state.status


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("action", list(TABLE))
def test_role_action_scope_matrix(action: Action, lead: str, level: Level) -> None:
    """Every role, placed in and out of reach, against the spec above, on a case led by each
    kind of unit, from every state the action starts from, at every level: held by the
    street's centre, escalated to the community's workstation or to the district platform."""
    sources, _ = SPEC[action]
    if (level, action) in ((Level.DISTRICT, Action.ESCALATE), (Level.GRID, Action.DEESCALATE)):
        sources = set()  # nothing lies above the district, nor below the grid
    for status in sorted(sources):
        state = replace(prepared(action, status, lead), level=level)
        for who, actor in CAST.items():
            allowed = may(who, action, state.lead_unit, state.handled_unit, state.co_units, level)
            assert (action in allowed_actions(state, actor)) is allowed, (who, status, lead)
            params = PARAMS.get(action, Params())
            if who == "community" and action is Action.DISPATCH:
                params = Params(unit=COMMUNITY_UNITS[0])  # its own team: see below for others
            if allowed:
                decide(state, actor, action, params, CTX)
            else:
                with pytest.raises(Forbidden):
                    decide(state, actor, action, params, CTX)


def test_a_community_workstation_dispatches_within_its_community_only() -> None:
    """A case escalated to the community is the community's to give to its own grid workers
    or team; a section, a department or another community's team is the street's to call."""
    community = CAST["community"]
    state = replace(state_in(Status.ACCEPTED), level=Level.COMMUNITY)
    for unit in COMMUNITY_UNITS:
        out = decide(state, community, Action.DISPATCH, Params(unit=unit), CTX)
        assert out.state.lead_unit == unit and out.state.level is Level.COMMUNITY
    for unit in ("S-LJ01-CG", "U-CG", "C-LJ0102"):
        with refused(Forbidden, "not this community's"):
            decide(state, community, Action.DISPATCH, Params(unit=unit), CTX)
    up = decide(state, community, Action.ESCALATE, Params(reason="需街道协调"), CTX).state
    assert up.level is Level.STREET
    with refused(Forbidden, "held by the street platform"):
        decide(up, community, Action.DISPATCH, Params(unit=COMMUNITY_UNITS[0]), CTX)
    below = replace(state, level=Level.GRID)
    with refused(Forbidden, "a community acts only on cases escalated to it"):
        decide(below, community, Action.DISPATCH, Params(unit=COMMUNITY_UNITS[0]), CTX)


def test_who_handled_it_may_not_verify_it_unless_the_centre_allows() -> None:
    state = replace(state_in(Status.HANDLED, "W-LJ010101"), handled_by="gw")
    with refused(Forbidden, "separation of duties"):
        decide(state, WORKER, Action.VERIFY, Params(passed=True), CTX)
    with refused(Forbidden, "separation of duties"):
        decide(state, replace(OPERATOR, login="gw"), Action.VERIFY, Params(passed=True), CTX)
    assert decide(state, OPERATOR, Action.VERIFY, Params(passed=True), CTX).state.closed_at
    lenient = replace(WORKER, separation=False)
    assert decide(state, lenient, Action.VERIFY, Params(passed=True), CTX).state.closed_at


def test_handling_records_who_and_for_which_unit() -> None:
    out = decide(state_in(Status.IN_PROGRESS), SECTION, Action.HANDLED, PARAMS[Action.HANDLED], CTX)
    assert (out.state.handled_by, out.state.handled_unit) == ("sec", "S-LJ01-CG")


def test_another_streets_units_need_a_district_supervisor() -> None:
    state = state_in(Status.ACCEPTED)
    far = Params(unit="S-LJ02-CG")
    for actor in (OPERATOR, SUPERVISOR):
        with refused(Forbidden, "does not serve the street"):
            decide(state, actor, Action.DISPATCH, far, CTX)
    with refused(Forbidden, "does not serve the street"):
        decide(state, OPERATOR, Action.WHISTLE, Params(unit="U-CG", co_units=("S-LJ02-CG",)), CTX)
    out = decide(state, CAST["sup_district"], Action.DISPATCH, far, CTX)
    assert out.state.lead_unit == "S-LJ02-CG"
    assert decide(state, OPERATOR, Action.DISPATCH, Params(unit="U-GA"), CTX).state.lead_unit


@pytest.mark.parametrize("action", [a for a in TABLE if TABLE[a].requires])
def test_required_fields_are_named(action: Action) -> None:
    sources, _ = SPEC[action]
    state = prepared(action, next(iter(sorted(sources))))
    actor = next(
        a for who, a in CAST.items() if may(who, action, state.lead_unit, None, state.co_units)
    )
    with refused(Invalid, "needs"):
        decide(
            state,
            actor,
            action,
            Params(reason="  ") if action is not Action.REJECT else Params(),
            CTX,
        )


def test_other_street_operator_is_forbidden() -> None:
    stranger = Actor("op2", Role.OPERATOR, street="LJ02")
    with refused(Forbidden, "may not accept"):
        decide(state_in(Status.REPORTED), stranger, Action.ACCEPT, Params(), CTX)


def test_closed_case_message_points_to_the_supervisor() -> None:
    with refused(IllegalTransition, "a supervisor can reopen it"):
        decide(state_in(Status.CLOSED), OPERATOR, Action.DISPATCH, Params(unit="U-CG"), CTX)


def test_verify_fail_sends_back_for_rework_with_reason() -> None:
    state = state_in(Status.VERIFYING)  # handled by the CG section: the grid's worker checks
    with refused(Invalid, "reason"):
        decide(state, WORKER, Action.VERIFY, Params(passed=False), CTX)
    out = decide(state, WORKER, Action.VERIFY, Params(passed=False, reason="仍有积水"), CTX)
    assert out.state.status is Status.IN_PROGRESS
    assert out.state.rework_count == 1
    assert out.state.deadline_at is not None and out.state.deadline_at > NOW


def test_whistle_raises_level_to_street_and_needs_departments() -> None:
    state = state_in(Status.ACCEPTED)
    with refused(Invalid, "at least one department"):
        decide(state, OPERATOR, Action.WHISTLE, Params(unit="U-CG", co_units=("U-CG",)), CTX)
    out = decide(state, OPERATOR, Action.WHISTLE, PARAMS[Action.WHISTLE], CTX)
    assert out.state.level is Level.STREET
    assert out.state.lead_unit == "U-CG"
    assert out.state.co_units == ("U-GA", "U-SW")


def test_escalation_ladder_stops_at_district() -> None:
    state = replace(state_in(Status.ACCEPTED), level=Level.GRID)
    levels = []
    for _ in range(3):
        state = decide(state, OPERATOR, Action.ESCALATE, Params(reason="上报"), CTX).state
        levels.append(state.level)
    assert levels == [Level.COMMUNITY, Level.STREET, Level.DISTRICT]
    with refused(IllegalTransition, "district level"):
        decide(state, DISTRICT_SUPERVISOR, Action.ESCALATE, Params(reason="上报"), CTX)
    down = decide(state, DISTRICT_SUPERVISOR, Action.DEESCALATE, Params(reason="下派"), CTX).state
    assert down.level is Level.STREET


def test_escalated_to_the_district_the_street_reads_only_until_it_comes_back() -> None:
    """The street that sent a case up can no longer dispatch, whistle or bring it down: the
    district platform holds it. Once handed back down, the street acts on it again."""
    state = replace(state_in(Status.ACCEPTED), level=Level.STREET)
    up = decide(state, OPERATOR, Action.ESCALATE, Params(reason="需区级协调"), CTX).state
    assert up.level is Level.DISTRICT and up.status is Status.ACCEPTED
    for actor in (OPERATOR, SUPERVISOR):
        street_may = allowed_actions(up, actor)
        assert street_may == [Action.NOTE], actor.role
        with refused(Forbidden, "held by the district platform: read only here"):
            decide(up, actor, Action.DISPATCH, Params(unit="S-LJ01-CG"), CTX)
    assert Action.DISPATCH in allowed_actions(up, DISTRICT_SUPERVISOR)
    down = decide(up, DISTRICT_SUPERVISOR, Action.DEESCALATE, Params(reason="街道可办"), CTX)
    assert Action.DISPATCH in allowed_actions(down.state, OPERATOR)


def test_a_return_waits_for_the_centre_then_remembers_the_unit_and_clears_it() -> None:
    state = state_in(Status.IN_PROGRESS)
    asked = decide(state, LIAISON, Action.RETURN, Params(reason=" 不属本单位 "), CTX)
    # Still the unit's, its clock running, the request and its reason on the case.
    assert asked.state.status is Status.IN_PROGRESS
    assert asked.state.lead_unit == "S-LJ01-CG"
    assert asked.state.deadline_at == state.deadline_at
    assert asked.state.return_reason == "不属本单位"
    assert asked.event.payload == {"unit": "S-LJ01-CG", "requested": True}
    assert asked.event.to_status is Status.IN_PROGRESS
    with refused(IllegalTransition, "already asked to return"):
        decide(asked.state, LIAISON, Action.RETURN, Params(reason="再退"), CTX)
    with pytest.raises(Forbidden):  # the centre's to decide, not the unit's
        decide(asked.state, LIAISON, Action.APPROVE_RETURN, Params(), CTX)
    approved = decide(asked.state, OPERATOR, Action.APPROVE_RETURN, Params(), CTX).state
    assert approved.status is Status.ACCEPTED
    assert approved.lead_unit is None
    assert approved.returned_units == ("S-LJ01-CG",)
    assert approved.return_reason is None


def test_a_refused_return_leaves_the_case_with_the_unit() -> None:
    asked = decide(
        state_in(Status.DISPATCHED), LIAISON, Action.RETURN, Params(reason="不属本单位"), CTX
    ).state
    with refused(Invalid, "needs"):
        decide(asked, SUPERVISOR, Action.REFUSE_RETURN, Params(), CTX)
    kept = decide(asked, SUPERVISOR, Action.REFUSE_RETURN, Params(reason="属本单位"), CTX).state
    assert kept.status is Status.DISPATCHED and kept.lead_unit == "S-LJ01-CG"
    assert kept.return_reason is None and kept.returned_units == ()
    with refused(IllegalTransition, "no return request"):
        decide(kept, OPERATOR, Action.APPROVE_RETURN, Params(), CTX)
    # Asked again after a refusal: a new request.
    assert decide(
        kept, LIAISON, Action.RETURN, Params(reason="确非本单位"), CTX
    ).state.return_reason


def test_while_a_return_waits_the_unit_neither_reports_it_handled_nor_asks_for_time() -> None:
    asked = decide(
        state_in(Status.IN_PROGRESS), LIAISON, Action.RETURN, Params(reason="不属本单位"), CTX
    ).state
    offered = allowed_actions(asked, LIAISON)
    assert Action.HANDLED not in offered and Action.EXTEND not in offered
    with refused(IllegalTransition, "already asked to return"):
        decide(asked, LIAISON, Action.HANDLED, Params(result="已办"), CTX)
    with refused(IllegalTransition, "already asked to return"):
        until = NOW + timedelta(days=3)
        decide(asked, LIAISON, Action.EXTEND, Params(reason="需协调", until=until), CTX)


def test_a_return_from_an_older_trail_replays_as_the_immediate_return_it_was() -> None:
    """An event written before requests carries no mark: replayed, it gives the case back."""
    old = workflow_replay(
        state_in(Status.DISPATCHED),
        Action.RETURN,
        Params(reason="不属本单位"),
        CTX,
        "cg",
    )
    assert old.state.status is Status.ACCEPTED
    assert old.state.returned_units == ("S-LJ01-CG",)
    marked = workflow_replay(
        state_in(Status.DISPATCHED),
        Action.RETURN,
        Params(reason="不属本单位", requested=True),
        CTX,
        "cg",
    )
    assert marked.state.status is Status.DISPATCHED
    assert marked.state.return_reason == "不属本单位"


def test_extension_moves_the_deadline_only_when_approved() -> None:
    state = state_in(Status.IN_PROGRESS)
    until = NOW + timedelta(days=20)
    asked = decide(state, LIAISON, Action.EXTEND, Params(reason="需协调", until=until), CTX)
    assert asked.state.deadline_at == state.deadline_at
    with refused(IllegalTransition, "awaiting approval"):
        decide(asked.state, LIAISON, Action.EXTEND, Params(reason="再延", until=until), CTX)
    with pytest.raises(Forbidden):
        decide(asked.state, OPERATOR, Action.APPROVE_EXTENSION, Params(), CTX)
    approved = decide(asked.state, SUPERVISOR, Action.APPROVE_EXTENSION, Params(), CTX)
    assert approved.state.deadline_at == until
    assert approved.state.ext_until is None
    with refused(Invalid, "later"):
        decide(
            state, LIAISON, Action.EXTEND, Params(reason="x", until=NOW - timedelta(days=1)), CTX
        )


def test_suspension_stops_the_clock_and_resume_restores_what_was_left() -> None:
    state = state_in(Status.IN_PROGRESS)
    clock = CTX.clock
    left = clock.remaining(NOW, state.deadline_at, working=True)  # type: ignore[arg-type]
    paused = decide(state, SUPERVISOR, Action.SUSPEND, PARAMS[Action.SUSPEND], CTX).state
    assert paused.deadline_at is None
    later = replace(CTX, now=NOW + timedelta(days=9))
    resumed = decide(paused, SUPERVISOR, Action.RESUME, Params(), later).state
    assert resumed.status is Status.IN_PROGRESS
    assert clock.elapsed(later.now, resumed.deadline_at, working=True) == left  # type: ignore[arg-type]


def test_a_shelved_case_needs_a_review_day_after_today_and_within_the_horizon() -> None:
    state = state_in(Status.IN_PROGRESS)
    today = date(2026, 11, 18)  # NOW in Shanghai
    with refused(Invalid, "needs"):
        decide(state, SUPERVISOR, Action.SUSPEND, Params(reason="等待"), CTX)
    for day in (today, today - timedelta(days=1)):
        with refused(Invalid, "after today"):
            decide(state, SUPERVISOR, Action.SUSPEND, Params(reason="等待", review_on=day), CTX)
    with refused(Invalid, "365"):
        far = today + timedelta(days=366)
        decide(state, SUPERVISOR, Action.SUSPEND, Params(reason="等待", review_on=far), CTX)
    shelved = decide(
        state, SUPERVISOR, Action.SUSPEND, Params(reason="等待", review_on=REVIEW_ON), CTX
    )
    assert shelved.state.review_on == REVIEW_ON
    assert shelved.event.payload["review_on"] == "2026-12-18"
    assert review_light(CTX.clock, shelved.state, NOW) is Light.GREEN
    on_the_day = datetime(2026, 12, 18, 1, 0, tzinfo=UTC)
    assert review_light(CTX.clock, shelved.state, on_the_day) is Light.YELLOW
    assert review_light(CTX.clock, shelved.state, on_the_day + timedelta(days=1)) is Light.RED
    # Shelved before the date was asked for: due for review at once.
    assert review_light(CTX.clock, replace(shelved.state, review_on=None), NOW) is Light.YELLOW
    resumed = decide(shelved.state, SUPERVISOR, Action.RESUME, Params(), CTX).state
    assert resumed.review_on is None
    assert review_light(CTX.clock, resumed, NOW) is Light.NONE


def test_a_review_notes_the_shelved_case_and_sets_its_next_review() -> None:
    shelved = decide(
        state_in(Status.IN_PROGRESS),
        SUPERVISOR,
        Action.SUSPEND,
        Params(reason="等待", review_on=date(2026, 11, 20)),
        CTX,
    ).state
    later = CTX.at(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    with pytest.raises(Forbidden):  # a supervisor's oversight
        decide(shelved, OPERATOR, Action.REVIEW, Params(text="x", review_on=REVIEW_ON), later)
    with refused(Invalid, "after today"):
        bad = Params(text="仍待", review_on=date(2026, 11, 20))
        decide(shelved, SUPERVISOR, Action.REVIEW, bad, later)
    out = decide(
        shelved, SUPERVISOR, Action.REVIEW, Params(text="仍待", review_on=REVIEW_ON), later
    )
    assert out.state.status is Status.SUSPENDED and out.state.review_on == REVIEW_ON
    assert out.event.payload == {"text": "仍待", "review_on": "2026-12-18"}


def test_a_suspension_from_an_older_trail_replays_without_a_review_day() -> None:
    out = workflow_replay(
        state_in(Status.IN_PROGRESS), Action.SUSPEND, Params(reason="等待"), CTX, "sup"
    )
    assert out.state.status is Status.SUSPENDED and out.state.review_on is None


def test_rate_once_and_reopen_only_when_dissatisfied() -> None:
    closed = state_in(Status.CLOSED)
    with refused(IllegalTransition, "dissatisfied"):
        decide(closed, SUPERVISOR, Action.REOPEN, Params(reason="x"), CTX)
    rated = decide(closed, OPERATOR, Action.RATE, Params(rating=Rating.DISSATISFIED), CTX).state
    with refused(IllegalTransition, "followed up already"):
        decide(rated, OPERATOR, Action.RATE, Params(rating=Rating.SATISFIED), CTX)
    reopened = decide(rated, SUPERVISOR, Action.REOPEN, Params(reason="不满意"), CTX).state
    assert reopened.status is Status.DISPATCHED
    assert reopened.rework_count == 1
    assert reopened.rating is None


def test_urgency_change_recomputes_the_deadline_in_wall_clock() -> None:
    state = state_in(Status.IN_PROGRESS)
    out = decide(state, OPERATOR, Action.SET_URGENCY, Params(urgency=Urgency.URGENT), CTX)
    assert out.state.deadline_at == state.step_started_at + timedelta(minutes=240)  # type: ignore[operator]


def test_grid_worker_registers_only_in_own_grid() -> None:
    made = open_case(
        WORKER,
        code="E2026-0000100",
        street="LJ01",
        grid="LJ010101",
        category="020201",
        urgency=Urgency.NORMAL,
        ctx=CTX,
    )
    assert made.state.status is Status.REPORTED
    assert made.state.deadline_at is not None
    with pytest.raises(Forbidden):
        open_case(
            WORKER,
            code="E2026-0000101",
            street="LJ01",
            grid="LJ010102",
            category="020201",
            urgency=Urgency.NORMAL,
            ctx=CTX,
        )
    with pytest.raises(Forbidden):
        open_case(
            LIAISON,
            code="E2026-0000102",
            street="LJ01",
            grid="LJ010101",
            category="020201",
            urgency=Urgency.NORMAL,
            ctx=CTX,
        )


def test_unknown_unit_is_invalid() -> None:
    with refused(Invalid, "no unit"):
        decide(state_in(Status.ACCEPTED), OPERATOR, Action.DISPATCH, Params(unit="U-XX"), CTX)


def test_a_grid_worker_closes_a_simple_case_on_the_spot_in_one_step() -> None:
    reported = state_in(Status.REPORTED)
    # The caller cannot spare a case the spot check: the share decides, not the params.
    asked = Params(result="已现场清理", photo="photos/on-spot.jpg", spot_check=True)
    out = decide(reported, WORKER, Action.SELF_CLOSE, asked, CTX)
    assert out.state.status is Status.CLOSED and out.state.closed_at == NOW
    assert (out.state.lead_unit, out.state.handled_by, out.state.handled_unit) == (
        "W-LJ010101",
        WORKER.login,
        "W-LJ010101",
    )
    assert out.event.payload == {
        "result": "已现场清理",
        "photo": "photos/on-spot.jpg",
        "spot_check": False,
    }


def test_a_spot_checked_case_waits_for_someone_else_to_verify_it() -> None:
    every = replace(CTX, spot_share=1.0)
    params = Params(result="已现场清理", photo="photos/on-spot.jpg")
    out = decide(state_in(Status.REPORTED), WORKER, Action.SELF_CLOSE, params, every)
    assert out.state.status is Status.VERIFYING and out.event.payload["spot_check"] is True
    assert out.state.deadline_at is not None  # the spot check has its own clock
    with refused(Forbidden, "separation of duties"):
        decide(out.state, WORKER, Action.VERIFY, Params(passed=True), every)
    closed = decide(out.state, OPERATOR, Action.VERIFY, Params(passed=True), every)
    assert closed.state.status is Status.CLOSED


def test_on_the_spot_needs_a_simple_category_a_result_and_a_photo() -> None:
    other = replace(state_in(Status.REPORTED), category="020202")
    params = Params(result="已现场清理", photo="photos/on-spot.jpg")
    with refused(Invalid, "cannot be handled on the spot"):
        decide(other, WORKER, Action.SELF_CLOSE, params, CTX)
    with refused(Invalid, "photo"):
        decide(state_in(Status.REPORTED), WORKER, Action.SELF_CLOSE, Params(result="已清理"), CTX)


def test_the_spot_check_draw_takes_about_its_share_and_never_changes_its_mind() -> None:
    codes = [f"E2026-{n:07d}" for n in range(4000)]
    drawn = [drawn_for_spot_check(code, 0.2) for code in codes]
    assert 0.17 < sum(drawn) / len(codes) < 0.23
    assert drawn == [drawn_for_spot_check(code, 0.2) for code in codes]
    assert not any(drawn_for_spot_check(code, 0.0) for code in codes)
    assert all(drawn_for_spot_check(code, 1.0) for code in codes)
