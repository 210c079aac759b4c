"""Every action through the services, on SQLite and PostgreSQL: state, trace, refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from console.domain.actions import Action
from console.domain.enums import Rating, Status, Urgency
from console.domain.errors import Conflict, IllegalTransition, Invalid, NotFound
from console.domain.policy import SUMMONED_WORK, UNIT_WORK
from console.domain.sla import SlaClock
from console.domain.whistle import UnitRating
from console.domain.workflow import TABLE, WITH_UNIT, Params, drawn_for_spot_check
from console.queries import cases as q
from console.queries.reference import reference
from console.services.cases import act
from tests.conftest import refused, trail_findings
from tests.services.helpers import NOW, REVIEW_ON, Cast, cast, new_case, walk
from tests.unit.test_workflow import SPEC, SUMMONS

CLOCK = SlaClock()


@pytest.fixture(scope="module")
def c(seeded) -> Cast:  # type: ignore[no-untyped-def]
    return cast(seeded)


SIMPLE_CATEGORY = "040104"  # corridor clutter: its grid's worker handles it (自办)


@pytest.fixture(scope="module")
def first(seeded, c: Cast) -> str:  # type: ignore[no-untyped-def]
    return new_case(seeded, c).code


def params_for(action: Action, c: Cast, first: str, status: Status) -> tuple[str, Params]:
    """Who takes the action, with what: a supervisor where only supervisors may, the section's
    staff for the section's own work."""
    sup_only = {
        Action.APPROVE_EXTENSION,
        Action.REFUSE_EXTENSION,
        Action.SUSPEND,
        Action.RESUME,
        Action.REVIEW,
        Action.REOPEN,
        Action.WAIVE,
    }
    who = c.supervisor if action in sup_only else c.operator
    if action in UNIT_WORK:
        who = c.section_staff
    if action is Action.SELF_CLOSE:  # the grid's own worker, on the spot
        who = c.staff[c.grid_unit]
    if action in SUMMONED_WORK:  # the department the whistle of `_prepare` summons
        who = c.staff[c.departments[1]]
    until = NOW + timedelta(days=30)
    params = {
        Action.REJECT: Params(reason="信息不全"),
        Action.DUPLICATE: Params(other_case=first),
        Action.DISPATCH: Params(unit=c.section),
        Action.WHISTLE: Params(unit=c.departments[0], co_units=c.departments[1:]),
        Action.ESCALATE: Params(reason="需街道协调"),
        Action.DEESCALATE: Params(reason="社区可办"),
        Action.RETURN: Params(reason="不属本单位"),
        Action.HANDLED: Params(result="已清理"),
        Action.VERIFY: Params(passed=True),
        Action.URGE: Params(text="请抓紧"),
        Action.REPLY: Params(text="已安排人员"),
        Action.EXTEND: Params(reason="需协调", until=until),
        Action.REFUSE_EXTENSION: Params(reason="按期办结"),
        Action.SUSPEND: Params(reason="等待政策", review_on=REVIEW_ON),
        Action.REVIEW: Params(text="仍待政策出台", review_on=REVIEW_ON),
        Action.REFUSE_RETURN: Params(reason="属本单位职责"),
        Action.RATE: Params(rating=Rating.SATISFIED),
        Action.REOPEN: Params(reason="不满意"),
        Action.NOTE: Params(text="已电话联系"),
        Action.SET_URGENCY: Params(urgency=Urgency.URGENT),
        Action.SET_CATEGORY: Params(category="020202" if c.category != "020202" else "020203"),
        Action.SELF_CLOSE: Params(result="已现场清理", photo="https://photos.lj.example/1.jpg"),
        Action.FEEDBACK: Params(text="已到场配合"),
        Action.WAIVE: Params(unit=c.departments[1], reason="非本部门职责"),
        Action.RATE_UNIT: Params(unit=c.departments[1], unit_rating=UnitRating.ADEQUATE),
    }.get(action, Params())
    return who, params


def _prepare(store, c: Cast, d, action: Action, at):  # type: ignore[no-untyped-def]
    """Meet a guard: a pending extension, a dissatisfied rating, a level to come down from."""
    if action in (Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION):
        return act(
            store,
            CLOCK,
            c.section_staff,
            d.code,
            Action.EXTEND,
            Params(reason="需协调", until=NOW + timedelta(days=30)),
            now=at,
        )
    if action in (Action.APPROVE_RETURN, Action.REFUSE_RETURN):
        asked = Params(reason="不属本单位")
        return act(store, CLOCK, c.section_staff, d.code, Action.RETURN, asked, now=at)
    if action is Action.REOPEN:
        return act(
            store,
            CLOCK,
            c.operator,
            d.code,
            Action.RATE,
            Params(rating=Rating.DISSATISFIED),
            now=at,
        )
    if action is Action.DEESCALATE:
        return act(store, CLOCK, c.operator, d.code, Action.ESCALATE, Params(reason="上报"), now=at)
    if action is Action.REPLY:  # an urge that asks the unit for a reply
        urge = Params(text="请抓紧", reply_hours=4)
        return act(store, CLOCK, c.operator, d.code, Action.URGE, urge, now=at)
    if action is Action.SELF_CLOSE:  # a matter the grid's own worker handles
        simple = Params(category=SIMPLE_CATEGORY)
        return act(store, CLOCK, c.operator, d.code, Action.SET_CATEGORY, simple, now=at)
    if action in SUMMONS:  # the section leads a whistle that summons the departments
        status = d.row.status
        whistle = Params(unit=c.section, co_units=c.departments[1:])
        d = act(store, CLOCK, c.operator, d.code, Action.WHISTLE, whistle, now=at)
        if status is Status.IN_PROGRESS:
            d = act(store, CLOCK, c.section_staff, d.code, Action.SIGN, Params(), now=at)
        if action is Action.RATE_UNIT:
            staff, fed = c.staff[c.departments[1]], Params(text="已到场配合")
            d = act(store, CLOCK, staff, d.code, Action.FEEDBACK, fed, now=at)
    return d


@pytest.mark.parametrize("status", list(Status))
def test_every_transition_and_refusal(seeded, c: Cast, first: str, status: Status) -> None:  # type: ignore[no-untyped-def]
    at = NOW + timedelta(hours=2)
    sample = walk(seeded, c, status, first_code=first)
    for action in TABLE:
        sources, target = SPEC[action]
        who, params = params_for(action, c, first, status)
        if status not in sources:
            # A case the section was never given is out of its staff's reach: no such case.
            ours = c.departments[1] if action in SUMMONED_WORK else c.section
            given = ours in (sample.lead_unit_code, *sample.co_units)
            theirs = action in UNIT_WORK | SUMMONED_WORK
            refusal = NotFound if theirs and not given else IllegalTransition
            with pytest.raises(refusal):
                act(seeded, CLOCK, who, sample.code, action, params, now=at)
            unchanged = q.detail(seeded, q.DISTRICT_WIDE, sample.code)
            assert unchanged.row.version == sample.row.version
            assert unchanged.row.status is status
            continue
        if action in SUMMONS and status not in WITH_UNIT:
            continue  # a whistle's tasks after the handling: test_whistle_tasks walks them
        d = _prepare(seeded, c, walk(seeded, c, status, first_code=first), action, at)
        after = act(seeded, CLOCK, who, d.code, action, params, now=at + timedelta(minutes=1))
        expected = target or (Status.ACCEPTED if action is Action.RESUME else status)
        share = reference(seeded).centre.spot_check_share
        if action is Action.SELF_CLOSE and drawn_for_spot_check(d.code, share):
            expected = Status.VERIFYING  # drawn for the centre's spot check
        assert after.row.status is expected, (action, status)
        assert after.row.version == d.row.version + 1
        assert after.timeline[0].action == action.value
        assert after.timeline[0].actor == who
        assert len(after.timeline) == after.row.version
    assert trail_findings(seeded) == []


def test_the_whole_loop_leaves_a_readable_trace(seeded, c: Cast) -> None:  # type: ignore[no-untyped-def]
    d = walk(seeded, c, Status.CLOSED, first_code="x")
    d = act(
        seeded,
        CLOCK,
        c.operator,
        d.code,
        Action.RATE,
        Params(rating=Rating.BASIC, comment="处理及时"),
        now=NOW + timedelta(days=1),
    )
    assert [e.action for e in reversed(d.timeline)] == [
        "new",
        "accept",
        "dispatch",
        "sign",
        "handled",
        "send-verify",
        "verify",
        "rate",
    ]
    assert d.row.deadline_at is None and d.closed_at is not None
    assert d.rating is Rating.BASIC and d.rating_comment == "处理及时"
    assert d.result == "已劝离摊贩"
    ref = reference(seeded)
    assert d.lead_unit_code == c.section
    assert ref.unit(c.section).id == d.row.lead_unit_id


def test_deadlines_follow_the_category_limits(seeded, c: Cast) -> None:  # type: ignore[no-untyped-def]
    d = new_case(seeded, c)
    limits = reference(seeded).limits(c.category)
    minutes, working = limits.for_step(d.state().step, Urgency.NORMAL)  # type: ignore[arg-type]
    assert d.row.deadline_at == CLOCK.add(NOW, minutes, working=working)
    urgent = act(
        seeded,
        CLOCK,
        c.operator,
        d.code,
        Action.SET_URGENCY,
        Params(urgency=Urgency.URGENT),
        now=NOW + timedelta(minutes=5),
    )
    assert urgent.row.deadline_at == NOW + timedelta(minutes=limits.urgent[d.state().step])  # type: ignore[index]


def test_stale_version_is_a_conflict_naming_who(seeded, c: Cast) -> None:  # type: ignore[no-untyped-def]
    d = act(seeded, CLOCK, c.operator, new_case(seeded, c).code, Action.ACCEPT, now=NOW)
    seen = d.row.version
    act(
        seeded,
        CLOCK,
        c.supervisor,
        d.code,
        Action.NOTE,
        Params(text="已阅"),
        version=seen,
        now=NOW + timedelta(minutes=1),
    )
    with refused(Conflict, f"changed by {c.supervisor}"):
        act(
            seeded,
            CLOCK,
            c.operator,
            d.code,
            Action.DISPATCH,
            Params(unit=c.section),
            version=seen,
            now=NOW + timedelta(minutes=2),
        )
    assert q.detail(seeded, q.DISTRICT_WIDE, d.code).row.status is Status.ACCEPTED


def test_scope_is_enforced_by_the_service(seeded, c: Cast) -> None:  # type: ignore[no-untyped-def]
    d = new_case(seeded, c)
    with refused(NotFound, f"no case {d.code}"):  # not "may not": it does not exist for them
        act(seeded, CLOCK, c.other_operator, d.code, Action.ACCEPT, now=NOW)
    mine = q.page(
        seeded,
        reference(seeded).actor(c.other_operator),
        q.QueueFilter(),
        q.Sort.REPORTED,
        limit=10_000,
        now=NOW,
    )
    assert d.code not in {r.code for r in mine}


def test_bad_input_changes_nothing(seeded, c: Cast) -> None:  # type: ignore[no-untyped-def]
    d = act(seeded, CLOCK, c.operator, new_case(seeded, c).code, Action.ACCEPT, now=NOW)
    with refused(Invalid, "no unit U-NOPE"):
        act(seeded, CLOCK, c.operator, d.code, Action.DISPATCH, Params(unit="U-NOPE"), now=NOW)
    with refused(NotFound, "no case E2099"):
        act(
            seeded,
            CLOCK,
            c.operator,
            d.code,
            Action.DUPLICATE,
            Params(other_case="E2099-0000001"),
            now=NOW,
        )
    with pytest.raises(NotFound):
        act(seeded, CLOCK, "nobody", d.code, Action.NOTE, Params(text="x"), now=NOW)
    with refused(Invalid, "needs: reason"):
        act(seeded, CLOCK, c.operator, d.code, Action.REJECT, Params(reason="   "), now=NOW)
    after = q.detail(seeded, q.DISTRICT_WIDE, d.code)
    assert after.row.version == d.row.version
    assert len(after.timeline) == len(d.timeline)


def test_messages_in_chinese(seeded, c: Cast) -> None:  # type: ignore[no-untyped-def]
    d = walk(seeded, c, Status.CLOSED, first_code="x")
    with refused(IllegalTransition, r"已结案，不能派遣.*值班长", "zh"):
        act(seeded, CLOCK, c.operator, d.code, Action.DISPATCH, Params(unit=c.section), now=NOW)


def test_duplicates_are_linked_both_ways(seeded, c: Cast, first: str) -> None:  # type: ignore[no-untyped-def]
    d = walk(seeded, c, Status.DUPLICATE, first_code=first)
    assert d.duplicate_of == first
    assert d.code in q.duplicates_of(seeded, q.DISTRICT_WIDE, first)


def test_forged_audit_row_is_caught(stores) -> None:  # type: ignore[no-untyped-def]
    store = stores.seeded(cases=30)
    assert trail_findings(store) == []
    with store.raw_write() as conn:
        # An intruder with the database owner's rights switches the guard off first.
        if store.is_sqlite:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE audit_events SET reason = 'nothing to see' WHERE seq = 17"))
    assert trail_findings(store)[0] == (
        "event 17 does not match its hash: a field was changed after it was written"
    )


def test_detail_state_round_trips(seeded, c: Cast) -> None:  # type: ignore[no-untyped-def]
    d = walk(seeded, c, Status.IN_PROGRESS, first_code="x")
    s = d.state()
    assert replace(s) == s
    assert s.lead_unit == c.section and s.status is Status.IN_PROGRESS
