"""Automatic 督办 in the domain: which urges the centre's rules call for on a case, each once,
the system's event naming its rule, the reply deadline and its light, the lead's reply."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from console.domain.actions import Action
from console.domain.enums import Light, Role, Status, Urgency
from console.domain.errors import Forbidden, IllegalTransition, Invalid
from console.domain.oversight import SYSTEM, Due, Missed, OversightRules, Rule
from console.domain.policy import Actor
from console.domain.workflow import (
    CaseState,
    Context,
    Params,
    allowed_actions,
    decide,
    due_oversight,
    oversee,
    replay,
    reply_light,
)
from tests.conftest import refused
from tests.policy_spec import OPERATOR, SECTION, SUPERVISOR
from tests.unit.test_whistle import GA, signed
from tests.unit.test_workflow import CTX, NOW, state_in

RULES = OversightRules()
RED = Due(Rule.URGE_WHEN_RED, "S-LJ01-CG")
RAISE = Due(Rule.SUPERVISOR_AFTER)


def red(hours_past: float = 1, status: Status = Status.IN_PROGRESS) -> tuple[CaseState, Context]:
    """A case held by the section whose step deadline passed `hours_past` wall hours ago (the
    clock urgent, so that hours are hours), and the context at that moment."""
    s = replace(state_in(status), urgency=Urgency.URGENT)
    ctx = CTX.at(s.deadline_at + timedelta(hours=hours_past))  # type: ignore[operator]
    return s, ctx


def test_a_red_step_with_a_unit_is_urged_once_with_a_reply_deadline() -> None:
    s, ctx = red()
    assert due_oversight(s, RULES, ctx) == (RED,)
    out = oversee(s, RED, RULES, ctx)
    assert out is not None
    assert out.event.action is Action.URGE and out.event.from_status is out.event.to_status
    assert out.event.payload == {
        "rule": "urge_when_red",
        "unit": "S-LJ01-CG",
        "reply_hours": 4,
        "reply_by": (ctx.now + timedelta(hours=4)).isoformat(),
        "count": 1,
    }
    assert out.state.urge_count == 1 and out.state.urged_red
    assert out.state.reply_by == ctx.now + timedelta(hours=4)  # an urgent case: wall hours
    assert due_oversight(out.state, RULES, ctx) == ()  # once for the step
    assert oversee(out.state, RED, RULES, ctx) is None  # asked again, nothing is due


def test_nothing_is_due_before_red_nor_without_a_unit_nor_with_the_rule_off() -> None:
    s, ctx = red()
    assert due_oversight(s, RULES, CTX.at(s.deadline_at - timedelta(minutes=1))) == ()  # type: ignore[operator]
    for status in (Status.ACCEPTED, Status.HANDLED, Status.VERIFYING, Status.SUSPENDED):
        assert due_oversight(replace(s, status=status), RULES, ctx) == ()
    assert due_oversight(s, replace(RULES, urge_when_red=False), ctx) == ()


def test_a_new_step_may_be_urged_again_and_a_result_ends_the_reply_owed() -> None:
    s, ctx = red(status=Status.DISPATCHED)
    urged = oversee(s, RED, RULES, ctx)
    assert urged is not None
    signed_ = decide(urged.state, SECTION, Action.SIGN, Params(), ctx).state
    assert not signed_.urged_red and signed_.reply_by is not None  # still the unit's to answer
    later = ctx.at(signed_.deadline_at + timedelta(minutes=1))  # type: ignore[operator]
    assert due_oversight(signed_, RULES, later) == (RED,)
    handled = decide(signed_, SECTION, Action.HANDLED, Params(result="已处理"), ctx).state
    assert handled.reply_by is None and reply_light(ctx.clock, handled, ctx.now) is Light.NONE


@pytest.mark.parametrize(
    ("multiple", "past", "raised"),
    [(2.0, 3.9, False), (2.0, 4.0, True), (3.0, 7.9, False), (3.0, 8.0, True), (1.0, 0.0, True)],
)
def test_red_for_n_times_the_steps_limit_raises_it_to_the_supervisor(
    multiple: float, past: float, raised: bool
) -> None:
    """The urgent handling limit is 240 minutes: red for 2 × it is 4 hours past the deadline."""
    s, ctx = red(past)
    s = replace(s, urged_red=True)
    rules = replace(RULES, supervisor_after=multiple)
    assert (due_oversight(s, rules, ctx) == (RAISE,)) is raised
    if raised:
        out = oversee(s, RAISE, rules, ctx)
        assert out is not None
        assert out.state.overseen_at == ctx.now and out.state.urge_count == s.urge_count
        assert out.event.payload == {"rule": "supervisor_after"}
        assert due_oversight(out.state, rules, ctx) == ()  # a 督办件 once
    assert due_oversight(s, replace(rules, supervisor_after=0), ctx) == ()


def test_a_late_department_is_urged_once_per_deadline_naming_it() -> None:
    s = signed()  # whistled to U-CG with U-GA and U-SW summoned: 2 h to check in, 24 to answer
    [ga, sw] = s.tasks
    late = CTX.at(ga.check_in_by + timedelta(minutes=1))
    s = decide(s, GA, Action.CHECK_IN, Params(), CTX.at(ga.check_in_warn)).state
    assert due_oversight(s, RULES, late) == (
        Due(Rule.URGE_LATE_DEPARTMENTS, "U-SW", Missed.CHECK_IN),
    )
    out = oversee(s, Due(Rule.URGE_LATE_DEPARTMENTS, "U-SW", Missed.CHECK_IN), RULES, late)
    assert out is not None
    assert out.event.payload == {
        "rule": "urge_late_departments",
        "unit": "U-SW",
        "missed": "check_in",
        "count": 1,
    }
    assert out.state.tasks[1].urged == ("check_in",) and out.state.reply_by is None
    assert due_oversight(out.state, RULES, late) == ()
    past_feedback = CTX.at(sw.feedback_by + timedelta(minutes=1))
    assert due_oversight(out.state, replace(RULES, urge_when_red=False), past_feedback) == (
        Due(Rule.URGE_LATE_DEPARTMENTS, "U-GA", Missed.FEEDBACK),
        Due(Rule.URGE_LATE_DEPARTMENTS, "U-SW", Missed.FEEDBACK),
    )
    waived = decide(
        out.state, SUPERVISOR, Action.WAIVE, Params(unit="U-SW", reason="非本部门职责"), late
    ).state
    off = replace(RULES, urge_when_red=False)
    assert [d.unit for d in due_oversight(waived, off, past_feedback)] == ["U-GA"]
    assert due_oversight(waived, replace(off, urge_late_departments=False), past_feedback) == ()


def test_an_operators_urge_may_ask_for_a_reply_and_names_no_rule() -> None:
    s = state_in(Status.IN_PROGRESS)
    forged = Params(text="请抓紧", reply_hours=2, rule="supervisor_after", unit="U-SW")
    out = decide(s, OPERATOR, Action.URGE, forged, CTX)
    assert out.state.overseen_at is None and "rule" not in out.event.payload
    assert out.state.reply_by == CTX.clock.add(NOW, 120, working=True)  # working time
    assert out.event.payload["reply_hours"] == 2
    with refused(Invalid, "reply"):
        decide(s, OPERATOR, Action.URGE, Params(reply_hours=24 * 31), CTX)


def test_the_lead_unit_replies_with_a_text_and_the_reply_has_its_light() -> None:
    s = decide(state_in(Status.IN_PROGRESS), OPERATOR, Action.URGE, Params(reply_hours=4), CTX)
    urged = s.state
    clock = CTX.clock
    assert reply_light(clock, urged, NOW) is Light.GREEN
    assert reply_light(clock, urged, urged.reply_warn) is Light.YELLOW  # type: ignore[arg-type]
    assert reply_light(clock, urged, urged.reply_by) is Light.RED  # type: ignore[arg-type]
    assert Action.REPLY in allowed_actions(urged, SECTION)
    assert Action.REPLY not in allowed_actions(state_in(Status.IN_PROGRESS), SECTION)
    for other in (OPERATOR, GA, Actor("li", Role.LIAISON, unit="U-CG")):
        with pytest.raises(Forbidden):
            decide(urged, other, Action.REPLY, Params(text="收到"), CTX)
    with refused(Invalid, "needs"):
        decide(urged, SECTION, Action.REPLY, Params(text=" "), CTX)
    out = decide(urged, SECTION, Action.REPLY, Params(text="今日处理"), CTX)
    assert out.state.reply_by is None and out.event.payload == {"text": "今日处理", "on_time": True}
    with refused(IllegalTransition, "waiting for a reply"):
        decide(out.state, SECTION, Action.REPLY, Params(text="再次回复"), CTX)


def test_the_systems_urges_replay_from_their_events() -> None:
    s, ctx = red(5)
    for due in (RED, RAISE):
        out = oversee(s, due, RULES, ctx)
        assert out is not None
        again = replay(
            s,
            Action.URGE,
            Params(
                rule=out.event.payload["rule"],
                unit=out.event.payload.get("unit"),
                reply_hours=out.event.payload.get("reply_hours"),
            ),
            ctx,
            SYSTEM,
        )
        assert again.state == out.state
        s = out.state
