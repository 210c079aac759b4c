"""The loop's mechanisms on both stores. Escalation that routes: a case sent up to the district
platform is the district's to act on, in its "escalated to us" view; the street that sent it up
reads it only until it comes back. 自办自结: a grid worker's case handled on the spot, closed in
one step or spot-checked by the centre."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, update

from console.domain.actions import Action
from console.domain.enums import Level, Role, Source, Status, Step
from console.domain.errors import Forbidden, Invalid
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.models import Meta
from console.present import step_due
from console.queries import cases as q
from console.queries.cases import DISTRICT_WIDE
from console.queries.counts import header_counts
from console.queries.reference import LEVEL_LIMITS_KEY, SPOT_CHECK_KEY, reference
from console.queries.views import views
from console.services.cases import act, report_handled
from tests.conftest import refused, trail_findings
from tests.services.helpers import NOW, Cast, cast, new_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def c(seeded) -> Cast:  # type: ignore[no-untyped-def]
    return cast(seeded)


def _district_supervisor(store) -> str:  # type: ignore[no-untyped-def]
    return next(
        u.login
        for u in sorted(reference(store).users.values(), key=lambda u: u.login)
        if u.role is Role.SUPERVISOR and u.street_id is None
    )


def _codes(store, login: str, f: q.QueueFilter) -> set[str]:  # type: ignore[no-untyped-def]
    actor = reference(store).actor(login)
    rows = q.page(store, actor, f, q.Sort.DEADLINE, limit=500, now=NOW + timedelta(hours=1))
    return {r.code for r in rows}


def test_a_case_sent_up_to_the_district_is_the_districts_until_handed_back(seeded, c: Cast) -> None:
    district = _district_supervisor(seeded)
    code = new_case(seeded, c).code
    at = NOW
    for level_up in (Action.ACCEPT, Action.ESCALATE, Action.ESCALATE, Action.ESCALATE):
        at += timedelta(minutes=3)
        params = Params(reason="超出街道协调能力") if level_up is Action.ESCALATE else Params()
        d = act(seeded, SlaClock(), c.operator, code, level_up, params, now=at)
    assert d.row.level is Level.DISTRICT and d.row.status is Status.ACCEPTED

    # The district's key 2 is "escalated to us" and holds it; the street's is still 12345.
    escalated = views(seeded, district)[2]
    assert escalated.filter.level is Level.DISTRICT
    assert code in _codes(seeded, district, escalated.filter)
    assert views(seeded, c.operator)[2].filter.level is None
    # The street still reads it, and finds it among the cases it sent up.
    assert code in _codes(seeded, c.operator, q.QueueFilter(level=Level.DISTRICT))

    for login in (c.operator, c.supervisor):
        with refused(Forbidden, "held by the district platform"):
            act(seeded, SlaClock(), login, code, Action.DISPATCH, Params(unit=c.section), now=at)
    noted = act(seeded, SlaClock(), c.operator, code, Action.NOTE, Params(text="已报区级"), now=at)
    assert noted.row.version == d.row.version + 1  # a note still goes on, and nothing else moved

    back = act(
        seeded, SlaClock(), district, code, Action.DEESCALATE, Params(reason="街道可办"), now=at
    )
    assert back.row.level is Level.STREET
    assert code not in _codes(seeded, district, escalated.filter)
    sent = act(
        seeded, SlaClock(), c.operator, code, Action.DISPATCH, Params(unit=c.section), now=at
    )
    assert sent.row.status is Status.DISPATCHED


def test_a_case_sent_up_is_timed_by_the_level_holding_it(stores) -> None:  # type: ignore[no-untyped-def]
    """上报 with that level's time limits: the district platform dispatches in its own limit
    (seeds/levels.toml), a district unit signs in the category's; the overall deadline stays;
    the trail replays to the same case after the store's figures change."""
    store = stores.seeded()
    c, clock = cast(store), SlaClock()
    district = _district_supervisor(store)
    first = new_case(store, c)
    code, due = first.code, first.due_at
    limits = reference(store).limits(c.category)
    own = reference(store).centre.level_limits[Level.DISTRICT]  # seeds/levels.toml
    dispatch, verify = own.normal[Step.DISPATCH], own.normal[Step.VERIFY]
    assert (dispatch, verify) != (limits.normal[Step.DISPATCH], limits.normal[Step.VERIFY])
    at = NOW
    for level_up in (Action.ACCEPT, Action.ESCALATE, Action.ESCALATE, Action.ESCALATE):
        at += timedelta(minutes=3)
        params = Params(reason="超出街道协调能力") if level_up is Action.ESCALATE else Params()
        d = act(store, clock, c.operator, code, level_up, params, now=at)
    assert d.row.level is Level.DISTRICT
    assert d.row.deadline_at == clock.add(at, dispatch, working=True)
    assert d.due_at == due
    # The pane and `case show` say whose limit the step runs on.
    assert "(the district level's limit)" in (step_due(d, SHANGHAI, "en") or "")
    assert "（按区级时限）" in (step_due(d, SHANGHAI, "zh") or "")
    unit = c.departments[0]
    at += timedelta(minutes=10)
    given = act(store, clock, district, code, Action.DISPATCH, Params(unit=unit), now=at)
    assert given.row.deadline_at == clock.add(at, limits.normal[Step.SIGN], working=True)
    assert "limit" not in (step_due(given, SHANGHAI, "en") or "")  # the category's
    at += timedelta(minutes=10)
    act(store, clock, c.staff[unit], code, Action.SIGN, Params(), now=at)
    at += timedelta(minutes=10)
    done = Params(result="已处置")
    handled = act(store, clock, c.staff[unit], code, Action.HANDLED, done, now=at)
    # The district verifies in its own limit, the unit signed in the category's.
    assert handled.row.deadline_at == clock.add(at, verify, working=True)
    assert handled.due_at == due

    # The district's figures change in the store: the trail still holds the ones it used.
    meta = Meta.__table__
    store.write(
        lambda s: s.execute(update(meta).where(meta.c.key == LEVEL_LIMITS_KEY).values(value="{}"))
    )
    reference(store, reload=True)
    assert trail_findings(store) == []


def test_a_case_sent_up_to_the_community_is_its_workstations_for_its_own_people(
    seeded, c: Cast
) -> None:
    """难事不出社区: escalated from the grid, the case is in the community workstation's key 2;
    it gives it to its own grid worker, never to the street's sections; sent on up, it is the
    street's again and the community reads it only."""
    desk = _community_desk(seeded, c)
    code = new_case(seeded, c).code
    at = NOW
    for step in (Action.ACCEPT, Action.ESCALATE):
        at += timedelta(minutes=3)
        params = Params(reason="需社区协调") if step is Action.ESCALATE else Params()
        d = act(seeded, SlaClock(), c.operator, code, step, params, now=at)
    assert d.row.level is Level.COMMUNITY

    escalated = views(seeded, desk)[2]
    assert escalated.filter.level is Level.COMMUNITY
    assert escalated.title_key == "view.default.escalated_community"
    assert code in _codes(seeded, desk, escalated.filter)
    with refused(Forbidden, "not this community's"):
        act(seeded, SlaClock(), desk, code, Action.DISPATCH, Params(unit=c.section), now=at)
    given = act(seeded, SlaClock(), desk, code, Action.DISPATCH, Params(unit=c.grid_unit), now=at)
    assert given.row.status is Status.DISPATCHED and given.row.level is Level.COMMUNITY
    up = act(seeded, SlaClock(), desk, code, Action.ESCALATE, Params(reason="需街道统筹"), now=at)
    assert up.row.level is Level.STREET
    assert code not in _codes(seeded, desk, escalated.filter)
    with refused(Forbidden, "held by the street platform"):
        act(seeded, SlaClock(), desk, code, Action.DISPATCH, Params(unit=c.grid_unit), now=at)
    sent = act(
        seeded, SlaClock(), c.operator, code, Action.DISPATCH, Params(unit=c.section), now=at
    )
    assert sent.row.status is Status.DISPATCHED
    assert trail_findings(seeded) == []


def _community_desk(store, c: Cast) -> str:  # type: ignore[no-untyped-def]
    """The login of the workstation of the cast's grid's community."""
    ref = reference(store)
    community = ref.areas[ref.area(c.grid).community_id or 0].code
    return next(
        u.login
        for u in sorted(ref.users.values(), key=lambda u: u.login)
        if ref.actor(u.login).own_unit == f"C-{community}"
    )


def _spot_check_share(store, share: str) -> None:  # type: ignore[no-untyped-def]
    """The centre's share of on-the-spot cases drawn for its spot check, as its meta keeps it."""
    store.write(lambda s: s.execute(insert(Meta.__table__).values(key=SPOT_CHECK_KEY, value=share)))
    reference(store, reload=True)


def _handled_on_spot(store, c: Cast, result: str = "已清理"):  # type: ignore[no-untyped-def]
    return report_handled(
        store,
        SlaClock(),
        c.staff[c.grid_unit],
        _on_spot(store, c),
        result=result,
        photo="https://photos.lj.example/1.jpg",
        now=NOW,
    )


def _on_spot(store, c: Cast, category: str | None = None) -> NewCase:  # type: ignore[no-untyped-def]
    ref = reference(store)
    simple = min(c.code for c in ref.categories.values() if c.is_leaf and ref.self_closable(c.code))
    return NewCase(
        title="楼道堆放杂物",
        category=category or simple,
        grid=c.grid,
        address="江滨路12号3单元",
        source=Source.PATROL,
        description="巡查发现三楼楼道堆放纸箱",
    )


def _count(store) -> int:  # type: ignore[no-untyped-def]
    return q.count(store, DISTRICT_WIDE, q.QueueFilter(statuses=frozenset()), now=NOW)


def test_a_grid_worker_reports_a_case_handled_on_the_spot_closed_in_one_step(stores) -> None:  # type: ignore[no-untyped-def]
    seeded = stores.seeded()
    c = cast(seeded)
    # None of them drawn for the spot check, whatever code this case is given.
    _spot_check_share(seeded, "0")
    d = _handled_on_spot(seeded, c, result="已督促清理")
    closed = q.detail(seeded, DISTRICT_WIDE, d.code)
    assert closed.row.status is Status.CLOSED
    assert [e.action for e in closed.timeline][::-1] == ["new", "self-close"]
    assert closed.result == "已督促清理" and closed.timeline[0].payload["spot_check"] in (False,)
    assert trail_findings(seeded) == []


def test_on_the_spot_is_refused_whole_for_another_category_or_without_a_photo(
    seeded, c: Cast
) -> None:
    worker = c.staff[c.grid_unit]
    before = _count(seeded)
    with refused(Invalid, "cannot be handled on the spot"):
        report_handled(
            seeded,
            SlaClock(),
            worker,
            _on_spot(seeded, c, category=c.category),
            result="已处理",
            photo="https://photos.lj.example/1.jpg",
        )
    with refused(Invalid, "photo"):
        report_handled(seeded, SlaClock(), worker, _on_spot(seeded, c), result="已处理", photo="")
    with refused(Forbidden, "may not"):
        report_handled(
            seeded,
            SlaClock(),
            c.operator,
            _on_spot(seeded, c),
            result="已处理",
            photo="https://photos.lj.example/1.jpg",
        )
    assert _count(seeded) == before  # nothing registered


def test_the_centres_share_of_on_the_spot_cases_waits_for_its_spot_check(stores) -> None:  # type: ignore[no-untyped-def]
    store = stores.seeded()
    c = cast(store)
    _spot_check_share(store, "1")
    worker = c.staff[c.grid_unit]
    d = _handled_on_spot(store, c)
    assert d.row.status is Status.VERIFYING
    spot = q.page(
        store,
        reference(store).actor(c.operator),
        q.QueueFilter(statuses=frozenset({Status.VERIFYING})),
        q.Sort.DEADLINE,
        limit=500,
        now=NOW,
    )
    assert d.code in {r.code for r in spot}  # in the operator's "to verify" view
    with refused(Forbidden, "separation of duties"):
        act(store, SlaClock(), worker, d.code, Action.VERIFY, Params(passed=True), now=NOW)
    done = act(store, SlaClock(), c.operator, d.code, Action.VERIFY, Params(passed=True), now=NOW)
    assert done.row.status is Status.CLOSED
    assert trail_findings(store) == []


def test_what_waits_on_a_grid_worker_and_a_community_is_what_they_may_do(stores) -> None:  # type: ignore[no-untyped-def]
    """The header's 待我办: a grid worker's own case waiting for the centre's spot check is not
    theirs to verify; a case escalated to the community waits on its workstation."""
    store = stores.seeded()
    c = cast(store)
    _spot_check_share(store, "1")
    worker = c.staff[c.grid_unit]
    desk = _community_desk(store, c)

    def mine(login: str) -> int:
        return header_counts(store, reference(store).actor(login), NOW).mine

    before = mine(worker), mine(desk)
    _handled_on_spot(store, c)
    assert mine(worker) == before[0]  # waiting for the centre, not for them
    assert mine(desk) == before[1] + 1  # the community may verify it on site

    code = new_case(store, c).code
    act(store, SlaClock(), c.operator, code, Action.ACCEPT, now=NOW)
    assert mine(desk) == before[1] + 1
    act(store, SlaClock(), c.operator, code, Action.ESCALATE, Params(reason="需社区协调"), now=NOW)
    assert mine(desk) == before[1] + 2
