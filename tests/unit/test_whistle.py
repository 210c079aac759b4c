"""吹哨报到 in the transition table: a task per summoned department, its check-in and its
feedback by that department alone, the lead's result held while any owes it, a supervisor's
waiver, the street's rating."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from console.domain.actions import Action
from console.domain.enums import Light, Role, Status
from console.domain.errors import Forbidden, IllegalTransition, Invalid
from console.domain.policy import Actor
from console.domain.whistle import TaskState, UnitRating, WhistleRules, owing
from console.domain.workflow import CaseState, Context, Params, allowed_actions, decide
from tests.conftest import refused
from tests.policy_spec import OPERATOR, SUPERVISOR
from tests.unit.test_workflow import CTX, NOW, state_in

LEAD = Actor("li", Role.LIAISON, unit="U-CG")
GA = Actor("li2", Role.LIAISON, unit="U-GA")
SW = Actor("li3", Role.LIAISON, unit="U-SW")
WHISTLED = Params(unit="U-CG", co_units=("U-GA", "U-SW"))


def at(hours: float) -> Context:
    return CTX.at(NOW + timedelta(hours=hours))


def whistled(ctx: Context = CTX) -> CaseState:
    return decide(state_in(Status.ACCEPTED), OPERATOR, Action.WHISTLE, WHISTLED, ctx).state


def signed() -> CaseState:
    return decide(whistled(), LEAD, Action.SIGN, Params(), at(0.5)).state


def test_a_whistle_gives_each_summoned_department_its_own_deadlines() -> None:
    out = decide(state_in(Status.ACCEPTED), OPERATOR, Action.WHISTLE, WHISTLED, CTX)
    tasks = out.state.tasks
    assert [t.unit for t in tasks] == ["U-GA", "U-SW"]  # the lead is given no task
    clock = CTX.clock
    for t in tasks:
        assert t.state is TaskState.TO_CHECK_IN
        assert t.check_in_by == clock.add(NOW, 120, working=True)
        assert t.feedback_by == clock.add(NOW, 24 * 60, working=True)
        assert t.check_in_warn < t.check_in_by < t.feedback_by
        assert t.light(NOW) is Light.GREEN  # freshly whistled reads green
        assert t.light(t.check_in_warn) is Light.YELLOW
        assert t.light(t.check_in_by + timedelta(minutes=1)) is Light.RED
    assert out.event.payload["hours"] == [2, 24]


def test_the_centres_hours_set_the_deadlines() -> None:
    ctx = replace(CTX, whistle=WhistleRules(check_in_hours=1, feedback_hours=8))
    [task, _] = whistled(ctx).tasks
    assert task.check_in_by == CTX.clock.add(NOW, 60, working=True)
    assert task.feedback_by == CTX.clock.add(NOW, 8 * 60, working=True)


def test_a_summoned_department_checks_in_and_feeds_back_for_itself_only() -> None:
    s = signed()
    assert Action.CHECK_IN in allowed_actions(s, GA)
    assert Action.CHECK_IN not in allowed_actions(s, LEAD)  # the lead has no task
    with refused(Forbidden, "may not check in"):
        decide(s, LEAD, Action.CHECK_IN, Params(), at(1))
    stranger = Actor("x", Role.LIAISON, unit="U-XX")
    with refused(Forbidden, "may not file feedback"):
        decide(s, stranger, Action.FEEDBACK, Params(text="x"), at(1))
    # The unit named by a department's own people is theirs, whatever they send.
    out = decide(s, GA, Action.CHECK_IN, Params(unit="U-SW"), at(1))
    ga, sw = out.state.tasks
    assert (ga.state, sw.state) == (TaskState.CHECKED_IN, TaskState.TO_CHECK_IN)
    assert ga.checked_in_on_time and out.event.payload == {"unit": "U-GA", "on_time": True}
    with refused(IllegalTransition, "checked in on .* already"):
        decide(out.state, GA, Action.CHECK_IN, Params(), at(1.5))
    fed = decide(out.state, GA, Action.FEEDBACK, Params(text="已到场，占道已清理"), at(3)).state
    assert (
        fed.tasks[0].state is TaskState.FED_BACK and fed.tasks[0].feedback == "已到场，占道已清理"
    )
    assert fed.tasks[0].light(NOW + timedelta(days=9)) is Light.NONE
    with refused(Invalid, "needs"):
        decide(fed, SW, Action.FEEDBACK, Params(text=" "), at(3))


def test_late_check_in_is_recorded_as_late() -> None:
    s = signed()
    late = s.tasks[0].check_in_by + timedelta(minutes=5)
    out = decide(s, GA, Action.CHECK_IN, Params(), CTX.at(late))
    assert out.event.payload["on_time"] is False
    assert not out.state.tasks[0].checked_in_on_time


def test_the_leads_result_waits_for_every_department_owing_feedback() -> None:
    s = decide(signed(), GA, Action.FEEDBACK, Params(text="已反馈"), at(2)).state
    assert owing(s.tasks) == ("U-SW",)
    assert Action.HANDLED not in allowed_actions(s, LEAD)
    with refused(IllegalTransition, "still owe their feedback: U-SW"):
        decide(s, LEAD, Action.HANDLED, Params(result="已处置"), at(3))
    with refused(IllegalTransition, "吹哨部门未反馈：U-SW", "zh"):
        decide(s, LEAD, Action.HANDLED, Params(result="已处置"), at(3))
    done = decide(s, SW, Action.FEEDBACK, Params(text="已反馈"), at(3)).state
    assert decide(done, LEAD, Action.HANDLED, Params(result="已处置"), at(4)).state.status is (
        Status.HANDLED
    )


def test_a_supervisor_waives_with_a_reason() -> None:
    s = signed()
    with refused(Forbidden, "may not waive"):
        decide(s, OPERATOR, Action.WAIVE, Params(unit="U-SW", reason="非本部门职责"), at(1))
    with refused(Forbidden, "may not waive"):
        decide(s, SW, Action.WAIVE, Params(unit="U-SW", reason="非本部门职责"), at(1))
    with refused(Invalid, "needs"):
        decide(s, SUPERVISOR, Action.WAIVE, Params(unit="U-SW", reason="  "), at(1))
    with refused(Invalid, "not a department the whistle"):
        decide(s, SUPERVISOR, Action.WAIVE, Params(unit="U-CG", reason="牵头"), at(1))
    out = decide(s, SUPERVISOR, Action.WAIVE, Params(unit="U-SW", reason="非本部门职责"), at(1))
    sw = out.state.tasks[1]
    assert (sw.state, sw.waive_reason) == (TaskState.WAIVED, "非本部门职责")
    assert out.event.reason == "非本部门职责" and out.event.payload["owed"] == "to_check_in"
    assert owing(out.state.tasks) == ("U-GA",)
    with refused(IllegalTransition, "U-SW has fed back .* or was released"):
        decide(out.state, SUPERVISOR, Action.WAIVE, Params(unit="U-SW", reason="再免"), at(2))
    with refused(IllegalTransition, "U-SW has fed back .* or was released"):
        decide(out.state, SW, Action.FEEDBACK, Params(text="迟到的反馈"), at(2))
    assert Action.FEEDBACK not in allowed_actions(out.state, SW)
    done = decide(out.state, GA, Action.FEEDBACK, Params(text="已反馈"), at(2)).state
    with refused(IllegalTransition, "every department .* has fed back or been released"):
        decide(done, SUPERVISOR, Action.WAIVE, Params(unit="U-GA", reason="x"), at(3))


def test_the_street_rates_a_department_once_it_has_answered() -> None:
    s = signed()
    rate = Params(unit="U-GA", unit_rating=UnitRating.TIMELY)
    with refused(IllegalTransition, "no department .* is waiting to be rated"):
        decide(s, OPERATOR, Action.RATE_UNIT, rate, at(1))
    s = decide(s, GA, Action.FEEDBACK, Params(text="已反馈"), at(2)).state
    with refused(IllegalTransition, "U-SW has not fed back .*: there is nothing to rate"):
        decide(s, OPERATOR, Action.RATE_UNIT, replace(rate, unit="U-SW"), at(2))
    with refused(Forbidden, "may not rate"):
        decide(s, GA, Action.RATE_UNIT, rate, at(2))
    out = decide(s, OPERATOR, Action.RATE_UNIT, rate, at(2))
    assert out.state.tasks[0].rating is UnitRating.TIMELY
    assert out.event.payload == {"unit": "U-GA", "unit_rating": "timely"}
    with refused(IllegalTransition, "no department .* is waiting to be rated"):
        decide(out.state, OPERATOR, Action.RATE_UNIT, rate, at(3))
    # With another still to rate, rating this one again names it.
    sw = decide(out.state, SW, Action.FEEDBACK, Params(text="已反馈"), at(3)).state
    with refused(IllegalTransition, "U-GA has been rated on .* already"):
        decide(sw, OPERATOR, Action.RATE_UNIT, rate, at(3))


@pytest.mark.parametrize("action", [Action.APPROVE_RETURN, Action.ESCALATE])
def test_tasks_end_when_the_units_lose_the_case(action: Action) -> None:
    s = signed()
    if action is Action.APPROVE_RETURN:  # the lead asked to give it back
        s = decide(s, LEAD, Action.RETURN, Params(reason="不属本单位"), at(1)).state
        assert s.tasks and s.co_units  # asked, not yet given back
    out = decide(s, OPERATOR, action, Params(reason="不属本单位"), at(1))
    assert out.state.tasks == () and out.state.co_units == ()


def test_a_department_summoned_again_keeps_its_task() -> None:
    s = decide(signed(), GA, Action.CHECK_IN, Params(), at(1)).state
    again = Params(unit="U-CG", co_units=("U-GA", "U-GA2"))
    with pytest.raises(Invalid):  # an unknown unit is refused before anything changes
        decide(s, OPERATOR, Action.WHISTLE, again, at(2))
    out = decide(s, OPERATOR, Action.WHISTLE, Params(unit="U-CG", co_units=("U-GA",)), at(2))
    assert [(t.unit, t.state) for t in out.state.tasks] == [("U-GA", TaskState.CHECKED_IN)]
