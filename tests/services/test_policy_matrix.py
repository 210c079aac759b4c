"""Role × action × scope through the services, on SQLite and PostgreSQL, against the spec.

The demo district's people stand in for the spec's cast (tests/policy_spec.py): for every
action, on a case led by each kind of unit, everyone who may not is refused and nothing is
written; everyone who may is offered the action; one of them takes it and the trail names them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Rating, Source, Status, Urgency
from console.domain.errors import Forbidden, NotFound
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.domain.whistle import UnitRating
from console.domain.workflow import TABLE, Params, allowed_actions
from console.queries import cases as q
from console.queries.reference import reference
from console.services.cases import act, create_case
from tests.people import add_trainer
from tests.policy_spec import HOLDS, LEADS, may
from tests.services.helpers import NOW, REVIEW_ON
from tests.unit.test_workflow import OUTSIDER, SPEC, SUMMONS

CLOCK = SlaClock()
# The demo district's people in the spec's places around a case of grid LJ010101.
LOGINS = {
    "op": "op.jiangbin1",
    "op_other": "op.wangchao1",
    "sup": "sup.jiangbin",
    "sup_district": "sup.district1",
    "sup_other": "sup.wangchao",
    "community": "co.lj0101",
    "community_other": "co.lj0102",
    "liaison": "liaison.cg",
    "liaison_other": "liaison.ga",
    "section": "sec.s-lj01-cg",
    "section_other": "sec.s-lj02-cg",
    "gw": "gw.lj010101",
    "gw_other": "gw.lj010102",
    "leader": "leader.jiangbin",
    "leader_district": "leader.district",
    "trainer": "trainer",  # added by hand: the store is no training store, trainers only read
    "admin": "admin",
}
HOLDER = {unit: LOGINS[who] for who, unit in HOLDS.items()}
UNTIL = NOW + timedelta(days=30)
PARAMS = {
    Action.REJECT: Params(reason="信息不全"),
    Action.DISPATCH: Params(unit="S-LJ01-CG"),
    Action.WHISTLE: Params(unit="U-CG", co_units=("U-GA",)),
    Action.ESCALATE: Params(reason="需街道协调"),
    Action.DEESCALATE: Params(reason="社区可办"),
    Action.RETURN: Params(reason="不属本单位"),
    Action.HANDLED: Params(result="已清理"),
    Action.VERIFY: Params(passed=True),
    Action.URGE: Params(text="请抓紧"),
    Action.REPLY: Params(text="已安排人员"),
    Action.EXTEND: Params(reason="需协调", until=UNTIL),
    Action.REFUSE_EXTENSION: Params(reason="按期办结"),
    Action.SUSPEND: Params(reason="等待政策", review_on=REVIEW_ON),
    Action.REVIEW: Params(text="仍待政策出台", review_on=REVIEW_ON),
    Action.REFUSE_RETURN: Params(reason="属本单位职责"),
    Action.RATE: Params(rating=Rating.SATISFIED),
    Action.REOPEN: Params(reason="不满意"),
    Action.NOTE: Params(text="已电话联系"),
    Action.SET_URGENCY: Params(urgency=Urgency.URGENT),
    Action.SET_CATEGORY: Params(category="010101"),
    Action.SELF_CLOSE: Params(result="已现场清理", photo="https://photos.lj.example/1.jpg"),
    Action.FEEDBACK: Params(text="已到场配合"),
    Action.WAIVE: Params(unit=OUTSIDER, reason="非本部门职责"),
    Action.RATE_UNIT: Params(unit=OUTSIDER, unit_rating=UnitRating.TIMELY),
}


@pytest.fixture(autouse=True)
def _a_trainer(seeded: Store) -> None:
    add_trainer(seeded)


def _case(store: Store, lead: str, status: Status, action: Action) -> q.CaseDetail:
    """A case of grid LJ010101 brought to `status` by the people whose work each step is."""
    d = create_case(
        store,
        CLOCK,
        LOGINS["op"],
        NewCase(
            title="人行道井盖缺失",
            # Self-closing is for what the grid's own worker handles (here, corridor clutter).
            category="040104" if action is Action.SELF_CLOSE else "010102",
            grid="LJ010101",
            address="江滨路12号",
            source=Source.HOTLINE,
        ),
        now=NOW,
    )
    op, sup, unit = LOGINS["op"], LOGINS["sup"], HOLDER[lead]
    steps: list[tuple[str, Action, Params]] = [(op, Action.ACCEPT, Params())]
    if action is Action.DEESCALATE:  # a case at grid level has nowhere lower to go
        steps.append((op, Action.ESCALATE, Params(reason="需社区协调")))
    if action in SUMMONS:  # a whistle summons the unit nobody holds and the cast's others
        co = (OUTSIDER, *(u for u in LEADS if u != lead))
        steps.append((op, Action.WHISTLE, Params(unit=lead, co_units=co)))
        if action is Action.RATE_UNIT:
            steps.append(("liaison.sw", Action.FEEDBACK, Params(text="已反馈")))
    elif status is not Status.ACCEPTED and status is not Status.REPORTED:
        steps.append((op, Action.DISPATCH, Params(unit=lead)))
    if status in (Status.IN_PROGRESS, Status.HANDLED, Status.CLOSED, Status.SUSPENDED):
        steps.append((unit, Action.SIGN, Params()))
    if status in (Status.HANDLED, Status.CLOSED):
        steps.append((unit, Action.HANDLED, Params(result="已处置")))
    if status is Status.CLOSED:
        steps.append((LOGINS["sup"], Action.VERIFY, Params(passed=True)))
        if action is Action.REOPEN:
            steps.append((op, Action.RATE, Params(rating=Rating.DISSATISFIED)))
    if status is Status.SUSPENDED:
        steps.append((sup, Action.SUSPEND, Params(reason="等待", review_on=REVIEW_ON)))
    if action in (Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION):
        steps.append((unit, Action.EXTEND, Params(reason="需协调", until=UNTIL)))
    if action is Action.REPLY:  # an urge that asks the unit for a reply
        steps.append((op, Action.URGE, Params(text="请抓紧", reply_hours=4)))
    if action in (Action.APPROVE_RETURN, Action.REFUSE_RETURN):
        steps.append((unit, Action.RETURN, Params(reason="不属本单位")))
    if status is Status.REPORTED:
        steps = []
    at = NOW
    for login, step, params in steps:
        at += timedelta(minutes=5)
        d = act(store, CLOCK, login, d.code, step, params, now=at)
    assert d.row.status is status
    return d


def _events(store: Store) -> int:
    with store.read() as s:
        return int(s.execute(text("SELECT count(*) FROM audit_events")).scalar_one())


@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("action", list(TABLE))
def test_every_role_in_and_out_of_reach(seeded: Store, action: Action, lead: str) -> None:
    sources, _ = SPEC[action]
    status = next(s for s in (Status.IN_PROGRESS, *sorted(sources)) if s in sources)
    d = _case(seeded, lead, status, action)
    ref = reference(seeded)
    params = PARAMS.get(action, Params())
    if action is Action.DUPLICATE:
        params = Params(other_case=_case(seeded, lead, Status.REPORTED, action).code)
    takers = []
    for who, login in LOGINS.items():
        allowed = may(who, action, d.lead_unit_code, d.handled_unit, d.co_units, d.row.level)
        offered = action in allowed_actions(d.state(), ref.actor(login))
        assert offered is allowed, (who, action.value, lead)
        if allowed:
            takers.append(login)
            continue
        before = _events(seeded)
        with pytest.raises((Forbidden, NotFound)):
            act(seeded, CLOCK, login, d.code, action, params, now=NOW + timedelta(hours=1))
        assert _events(seeded) == before, (who, action.value)
    assert takers, f"nobody may {action.value} a case led by {lead}"
    done = act(seeded, CLOCK, takers[0], d.code, action, params, now=NOW + timedelta(hours=1))
    assert done.timeline[0].actor == takers[0]
    assert done.timeline[0].action == action.value
