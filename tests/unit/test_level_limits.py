"""An escalated case is timed by the level holding it (上报至社区、区平台: "that level's time
limits"): its steps there take the level's limit where the level sets one, its category's
elsewhere; the escalation's event carries the figures, so a replay needs no seeds of today;
the overall deadline never moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from console.domain.actions import Action
from console.domain.enums import Level, Status, Step, Urgency
from console.domain.oversight import OversightRules, Rule
from console.domain.workflow import (
    CaseState,
    Context,
    LevelLimits,
    Params,
    decide,
    due_oversight,
    open_case,
    replay,
)
from tests.policy_spec import CAST, DISTRICT_SUPERVISOR, OPERATOR, SUPERVISOR
from tests.unit.test_workflow import CTX, LIMITS, NOW

COMMUNITY = LevelLimits(normal={Step.DISPATCH: 240}, urgent={Step.DISPATCH: 30})
DISTRICT = LevelLimits(
    normal={Step.DISPATCH: 90, Step.VERIFY: 900}, urgent={Step.DISPATCH: 20, Step.VERIFY: 120}
)
LEVELS = {Level.COMMUNITY: COMMUNITY, Level.DISTRICT: DISTRICT}
LEVELLED = replace(CTX, level_limits=LEVELS.get)
ESCALATE = Params(reason="超出处置能力")


def at(minutes: int, ctx: Context = LEVELLED) -> Context:
    return replace(ctx, now=NOW + timedelta(minutes=minutes))


def accepted(urgency: Urgency = Urgency.NORMAL) -> CaseState:
    state = open_case(
        OPERATOR,
        code="E2026-0000011",
        street="LJ01",
        community="LJ0101",
        grid="LJ010101",
        category="010101",
        urgency=urgency,
        ctx=LEVELLED,
    ).state
    return decide(state, OPERATOR, Action.ACCEPT, Params(), LEVELLED).state


def at_street(urgency: Urgency = Urgency.NORMAL) -> CaseState:
    """Accepted, escalated to the community, then to the street (whose limits are the
    category's)."""
    state = decide(accepted(urgency), OPERATOR, Action.ESCALATE, ESCALATE, at(5)).state
    return decide(state, SUPERVISOR, Action.ESCALATE, ESCALATE, at(10)).state


def test_escalated_to_the_community_it_is_dispatched_in_the_communitys_limit() -> None:
    outcome = decide(accepted(), OPERATOR, Action.ESCALATE, ESCALATE, at(5))
    state = outcome.state
    assert state.level is Level.COMMUNITY and state.status is Status.ACCEPTED
    assert state.deadline_at == CTX.clock.add(at(5).now, 240, working=True)
    assert state.level_limits == COMMUNITY
    assert outcome.event.payload["limits"] == {"dispatch": [240, 30]}


def test_at_the_street_the_categorys_limits_hold_again() -> None:
    state = at_street()
    assert state.level is Level.STREET and state.level_limits is None
    assert state.deadline_at == CTX.clock.add(
        at(10).now, LIMITS.normal[Step.DISPATCH], working=True
    )


def test_the_district_times_its_steps_and_leaves_the_others_to_the_category() -> None:
    state = at_street(Urgency.URGENT)
    outcome = decide(state, SUPERVISOR, Action.ESCALATE, ESCALATE, at(20))
    state = outcome.state
    assert state.level is Level.DISTRICT
    assert state.deadline_at == at(20).now + timedelta(minutes=20)  # urgent: wall-clock
    due = state.due_at
    give = Params(unit="U-CG")
    state = decide(state, DISTRICT_SUPERVISOR, Action.DISPATCH, give, at(30)).state
    sign = LIMITS.urgent[Step.SIGN]  # the district sets no limit to sign in: the category's
    assert state.deadline_at == at(30).now + timedelta(minutes=sign)
    state = decide(state, CAST["liaison"], Action.SIGN, Params(), at(40)).state
    handled = Params(result="已修复")
    state = decide(state, CAST["liaison"], Action.HANDLED, handled, at(50)).state
    assert state.status is Status.HANDLED
    assert state.deadline_at == at(50).now + timedelta(minutes=120)  # the district's verify
    assert state.due_at == due  # escalation never moves the overall deadline


def test_handed_back_down_the_next_step_takes_the_lower_levels_limits() -> None:
    state = decide(at_street(), SUPERVISOR, Action.ESCALATE, ESCALATE, at(20)).state
    deadline = state.deadline_at
    outcome = decide(state, DISTRICT_SUPERVISOR, Action.DEESCALATE, ESCALATE, at(25))
    state = outcome.state
    assert state.level is Level.STREET and state.level_limits is None
    assert state.deadline_at == deadline  # the step under way keeps its deadline
    assert "limits" not in outcome.event.payload
    state = decide(state, OPERATOR, Action.DISPATCH, Params(unit="S-LJ01-CG"), at(30)).state
    sign = LIMITS.normal[Step.SIGN]
    assert state.deadline_at == CTX.clock.add(at(30).now, sign, working=True)


def test_a_replay_follows_the_event_not_todays_figures() -> None:
    before = at_street()
    outcome = decide(before, SUPERVISOR, Action.ESCALATE, ESCALATE, at(20))
    carried = LevelLimits.from_json(outcome.event.payload["limits"])
    # The seeds have changed since (no district figures at all): the event still holds.
    again = replay(
        before, Action.ESCALATE, replace(ESCALATE, level_limits=carried), at(20, CTX), "sup"
    )
    assert again.state == outcome.state


def test_a_centre_without_level_figures_keeps_the_categorys_limits() -> None:
    outcome = decide(accepted(), OPERATOR, Action.ESCALATE, ESCALATE, at(5, CTX))
    assert outcome.state.level_limits is None and "limits" not in outcome.event.payload
    dispatch = LIMITS.normal[Step.DISPATCH]
    assert outcome.state.deadline_at == CTX.clock.add(at(5).now, dispatch, working=True)


def test_given_to_a_unit_above_it_the_case_leaves_the_communitys_limits() -> None:
    state = decide(accepted(), OPERATOR, Action.ESCALATE, ESCALATE, at(5)).state
    state = decide(state, OPERATOR, Action.DISPATCH, Params(unit="S-LJ01-CG"), at(10)).state
    assert state.level is Level.STREET and state.level_limits is None


def test_the_supervisor_rule_reads_the_levels_limit() -> None:
    signing = LevelLimits(normal={Step.SIGN: 60}, urgent={Step.SIGN: 10})
    ctx = replace(LEVELLED, level_limits={Level.DISTRICT: signing}.get)
    state = decide(at_street(), SUPERVISOR, Action.ESCALATE, ESCALATE, at(20, ctx)).state
    state = decide(state, DISTRICT_SUPERVISOR, Action.DISPATCH, Params(unit="U-CG"), at(30, ctx))
    state = state.state
    red = state.deadline_at
    assert red == CTX.clock.add(at(30).now, 60, working=True)  # the district's 60, not 240
    rules = OversightRules(urge_when_red=False, supervisor_after=2.0)
    # Red for once more the district's limit: raised to the supervisor (the category's 240
    # minutes would wait three working hours more).
    late = replace(ctx, now=CTX.clock.add(red, 60, working=True))
    assert [d.rule for d in due_oversight(state, rules, late)] == [Rule.SUPERVISOR_AFTER]
    early = replace(ctx, now=CTX.clock.add(red, 59, working=True))
    assert due_oversight(state, rules, early) == ()
