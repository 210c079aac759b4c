"""A unit's return waits for the centre (退回待批); a shelved case has a review day (挂账复核):
through the services and queries, on SQLite and PostgreSQL, and trails written before either."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.errors import IllegalTransition
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.domain.workflow import replay as workflow_replay
from console.models import Case, Meta
from console.present import detail_json, event_line, status_text
from console.queries import cases as q
from console.queries.reference import reference
from console.services import cells, record
from console.services.audit import append_event
from console.services.cases import act, context, state_values
from tests.conftest import refused, trail_findings
from tests.services.helpers import NOW, REVIEW_ON, Cast, cast, new_case, walk

CLOCK = SlaClock()
C = Case.__table__.c


@pytest.fixture(scope="module")
def c(seeded) -> Cast:  # type: ignore[no-untyped-def]
    return cast(seeded)


def _mine(title: str, **kw: object) -> q.QueueFilter:
    return q.QueueFilter(text=title, **kw)  # type: ignore[arg-type]


def test_a_return_waits_for_the_centre_and_reads_as_requested(seeded: Store, c: Cast) -> None:
    d = walk(seeded, c, Status.IN_PROGRESS, first_code="x")
    at = NOW + timedelta(hours=1)
    asked = act(
        seeded, CLOCK, c.section_staff, d.code, Action.RETURN, Params(reason="不属本科室"), now=at
    )
    assert asked.row.status is Status.IN_PROGRESS and asked.lead_unit_code == c.section
    assert asked.row.return_reason == "不属本科室"
    assert asked.row.deadline_at == d.row.deadline_at  # its clock keeps running
    assert status_text(asked.row, "zh") == "退回待批"
    assert status_text(asked.row, "en") == "return requested"
    assert asked.timeline[0].payload == {"unit": c.section, "requested": True}
    assert "退回待批" in event_line(asked.timeline[0], CLOCK.hours.tz, "zh")
    with refused(IllegalTransition, "already asked to return"):
        act(seeded, CLOCK, c.section_staff, d.code, Action.RETURN, Params(reason="再退"), now=at)
    actor = reference(seeded).actor(c.operator)
    waiting = q.page(seeded, actor, q.QueueFilter(return_requested=True), q.Sort.DEADLINE, now=at)
    assert d.code in [r.code for r in waiting]
    assert all(r.return_reason for r in waiting)
    data = detail_json(asked, reference(seeded), at, asked.reporter_view(actor), CLOCK)
    assert data["return_reason"] == "不属本科室"
    back = act(seeded, CLOCK, c.operator, d.code, Action.APPROVE_RETURN, Params(), now=at)
    assert back.row.status is Status.ACCEPTED and back.lead_unit_code is None
    assert back.returned_units == (c.section,) and back.row.return_reason is None
    waiting = q.page(seeded, actor, q.QueueFilter(return_requested=True), q.Sort.DEADLINE, now=at)
    assert d.code not in [r.code for r in waiting]
    assert trail_findings(seeded) == []


def test_a_refused_return_leaves_the_case_with_the_unit(seeded: Store, c: Cast) -> None:
    d = walk(seeded, c, Status.DISPATCHED, first_code="x")
    at = NOW + timedelta(hours=1)
    act(seeded, CLOCK, c.section_staff, d.code, Action.RETURN, Params(reason="非本科室"), now=at)
    kept = act(
        seeded, CLOCK, c.operator, d.code, Action.REFUSE_RETURN, Params(reason="属本科室"), now=at
    )
    assert kept.row.status is Status.DISPATCHED and kept.lead_unit_code == c.section
    assert kept.row.return_reason is None and kept.returned_units == ()
    assert kept.timeline[0].reason == "属本科室"
    assert trail_findings(seeded) == []


def _suspended(store: Store, c: Cast, title: str, at: datetime, review_on: date) -> str:
    d = new_case(store, c, at, title=title)
    act(store, CLOCK, c.operator, d.code, Action.ACCEPT, Params(), now=at)
    shelve = Params(reason="等待政策", review_on=review_on)
    act(store, CLOCK, c.supervisor, d.code, Action.SUSPEND, shelve, now=at)
    return d.code


def _old_style(store: Store, code: str, action: Action, params: Params, at: datetime) -> None:
    """What a release before requests and review days wrote for this action: a return that
    took effect at once, a suspension without a day (the replay's reading of an unmarked
    event is that older meaning)."""
    ref = reference(store)
    ctx = context(store, CLOCK, at)

    def work(s):  # type: ignore[no-untyped-def]
        current = q.load_detail(s, ref, q.DISTRICT_WIDE, code, timeline=False)
        outcome = workflow_replay(current.state(), action, params, ctx, "old.release")
        assert "requested" not in outcome.event.payload
        assert "review_on" not in outcome.event.payload
        s.execute(
            update(Case.__table__)
            .where(C.id == current.row.id)
            .values(**state_values(outcome.state, ref), version=current.row.version + 1)
        )
        append_event(s, current.row.id, "old.release", at, outcome.event)

    store.write(work)
    cells.build(store, CLOCK.hours.tz)  # as that release kept the figure cells


def test_an_older_trail_with_an_immediate_return_and_an_undated_suspension_replays(
    stores,  # type: ignore[no-untyped-def]
) -> None:
    store = stores.seeded(cases=10)
    c = cast(store)
    at = NOW + timedelta(hours=1)
    returned = walk(store, c, Status.DISPATCHED, first_code="x").code
    _old_style(store, returned, Action.RETURN, Params(reason="不属本单位"), at)
    shelved = new_case(store, c, at, title="旧挂账").code
    act(store, CLOCK, c.operator, shelved, Action.ACCEPT, Params(), now=at)
    _old_style(store, shelved, Action.SUSPEND, Params(reason="等待政策"), at)
    d = q.detail(store, q.DISTRICT_WIDE, returned)
    assert d.row.status is Status.ACCEPTED and d.returned_units == (c.section,)
    assert trail_findings(store) == []
    # init's replay of an older store fills the new fields as the trail has them.
    with store.raw_write() as conn:
        conn.execute(Meta.__table__.delete().where(Meta.__table__.c.key == record.RECORD_KEY))
        conn.execute(update(Case.__table__).values(return_reason="stale", review_on=REVIEW_ON))
    record.fill(store, CLOCK)
    with store.read() as s:
        left = s.execute(select(C.code).where(C.return_reason.is_not(None))).scalars().all()
    assert left == []
    assert q.detail(store, q.DISTRICT_WIDE, shelved).row.review_on is None
    assert trail_findings(store) == []
    # Shelved without a day: due for review at once, before any dated one.
    actor = reference(store).actor(c.supervisor)
    dated = _suspended(store, c, "新挂账", at, at.date() + timedelta(days=2))
    due = q.QueueFilter(review_due_by=at.date() + timedelta(days=5))
    codes = [r.code for r in q.page(store, actor, due, q.Sort.REVIEW, now=at)]
    assert codes.index(shelved) < codes.index(dated)


def test_review_due_lists_shelved_cases_by_their_review_day(seeded: Store, c: Cast) -> None:
    at = NOW + timedelta(hours=1)
    today = date(2026, 11, 18)
    days = [today + timedelta(days=n) for n in (3, 1, 2, 9)]
    codes = [_suspended(seeded, c, "复核排序", at, day) for day in days]
    actor = reference(seeded).actor(c.supervisor)
    later = today + timedelta(days=3)
    due = _mine("复核排序", review_due_by=later)
    rows = q.page(seeded, actor, due, q.Sort.REVIEW, now=at)
    assert [r.code for r in rows] == [codes[1], codes[2], codes[0]]  # not yet the 9th day's
    assert [r.review_on for r in rows] == sorted(days)[:3]
    # The keyset pages forwards and back alike.
    first = q.page(seeded, actor, due, q.Sort.REVIEW, now=at, limit=1)
    rest = q.page(
        seeded, actor, due, q.Sort.REVIEW, now=at, after=q.key_of(first[0], q.Sort.REVIEW)
    )
    assert [r.code for r in first + rest] == [r.code for r in rows]
    back = q.page(
        seeded, actor, due, q.Sort.REVIEW, now=at, before=q.key_of(rows[-1], q.Sort.REVIEW)
    )
    assert [r.code for r in back] == [r.code for r in rows[:-1]]
    # Reviewed: the next review day moves it out of what is due.
    review = Params(text="仍待政策", review_on=today + timedelta(days=20))
    reviewed = act(seeded, CLOCK, c.supervisor, codes[1], Action.REVIEW, review, now=at)
    assert reviewed.row.review_on == today + timedelta(days=20)
    assert reviewed.timeline[0].payload["text"] == "仍待政策"
    rows = q.page(seeded, actor, due, q.Sort.REVIEW, now=at)
    assert [r.code for r in rows] == [codes[2], codes[0]]
    resumed = act(seeded, CLOCK, c.supervisor, codes[2], Action.RESUME, Params(), now=at)
    assert resumed.row.review_on is None
    assert trail_findings(seeded) == []
