"""The shift handover on both stores: what a shift leaves open in its scope, the draft made of
it, saving a note (with its trail event), who reads which note, and when a note is news."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from console import wallclock
from console.config import Settings
from console.db import Store
from console.domain.actions import Action
from console.domain.audit import TrailEvent
from console.domain.enums import Light, Source, Urgency
from console.domain.errors import Forbidden, Invalid, NotFound
from console.domain.handover import BODY_MAX, Section, scope_key
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.i18n import when
from console.models import Handover
from console.present import handover_draft
from console.queries import cases as q
from console.queries.handover import (
    OpenItems,
    latest,
    note,
    notes,
    open_items,
    shift_start,
    unseen,
)
from console.queries.reference import name_in, reference
from console.services import auth
from console.services.cases import act, create_case
from console.services.handover import save_handover
from tests.conftest import refused, trail_findings
from tests.people import add_trainer, trail
from tests.services.helpers import NOW, Cast, cast, new_case

CLOCK = SlaClock()
TZ = Settings().tz
SHIFT = timedelta(hours=12)


@pytest.fixture(autouse=True)
def _clock_back() -> Iterator[None]:
    yield
    wallclock.freeze(None)


def _codes(items: OpenItems, section: Section) -> list[str]:
    (part,) = [p for p in items.sections if p.section is section]
    return [c.row.code for c in part.cases]


def _named(items: OpenItems) -> set[str]:
    return {c.row.code for part in items.sections for c in part.cases}


def _total(items: OpenItems, section: Section) -> int:
    return next(p.total for p in items.sections if p.section is section)


def _step(
    store: Store, login: str, code: str, action: Action, at: datetime, **params: object
) -> None:
    act(store, CLOCK, login, code, action, Params(**params), now=at)


def _signs_in(store: Store, login: str, at: datetime) -> None:
    """A sign-in at the console's door, as the trail records it."""
    wallclock.freeze(at)
    auth.record(store, login, TrailEvent.SIGN_IN, {"where": "console"})


def _signs_out(store: Store, login: str, at: datetime) -> None:
    wallclock.freeze(at)
    auth.record(store, login, TrailEvent.SIGN_OUT, {"where": "console"})


def _elsewhere(store: Store, c: Cast) -> Cast:
    """The same cast, acting in another street through its operator there."""
    ref = reference(store)
    street = ref.actor(c.other_operator).street
    grid = min(
        a.code
        for a in ref.areas.values()
        if a.level.value == "grid" and a.street_id == ref.area(street or "").id
    )
    return replace(c, operator=c.other_operator, grid=grid)


def test_the_shifts_start_is_found_among_the_sign_ins_not_by_reading_the_trail(
    district: Store,
) -> None:
    """A console opening finds its user's latest sign-in: on PostgreSQL, read from the whole
    trail, that was 446 ms of the start at a million cases (gridcall bench). The index of
    sign-ins must serve the query as it is sent, its condition spelled as the index's."""
    store = district
    c = cast(store)
    _signs_in(store, c.operator, NOW)
    sent: list[tuple[str, object]] = []

    def keep(conn: object, cursor: object, sql: str, params: object, *_: object) -> None:
        sent.append((sql, params))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        shift = shift_start(store, c.operator)
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)
    assert shift is not None and shift.at == NOW
    ((sql, params),) = [(q_, p) for q_, p in sent if "audit_events" in q_]
    with store.engine.connect() as conn:
        if store.is_sqlite:
            explained = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # as on a trail of millions
            explained = conn.exec_driver_sql(f"EXPLAIN {sql}", params)
        plan = " / ".join(str(r[-1]) for r in explained)
    assert "ix_audit_sign_ins" in plan, plan


# --- what a shift leaves open ---------------------------------------------------------------


def test_the_draft_names_a_red_case_and_a_case_the_operator_touched(district: Store) -> None:
    store = district
    c = cast(store)
    ref = reference(store)
    late = NOW + timedelta(days=30)
    overdue = new_case(store, c, NOW, title="井盖缺失")
    _step(store, c.operator, overdue.code, Action.ACCEPT, NOW + timedelta(minutes=1))
    _step(
        store, c.operator, overdue.code, Action.DISPATCH, NOW + timedelta(minutes=2), unit=c.section
    )
    theirs = new_case(store, _elsewhere(store, c), NOW, title="另一街道的井盖")
    _signs_in(store, c.operator, late - timedelta(hours=1))
    shift = shift_start(store, c.operator)
    assert shift is not None and shift.at == late - timedelta(hours=1)
    touched = new_case(store, c, late - timedelta(minutes=50), title="楼道堆放杂物")
    _step(store, c.operator, touched.code, Action.ACCEPT, late - timedelta(minutes=40))

    items = open_items(store, ref.actor(c.operator), late, shift=shift, urgent_hours=8)
    assert overdue.code in _codes(items, Section.RED)
    assert _codes(items, Section.TOUCHED) == [touched.code]
    assert touched.code not in _codes(items, Section.RED)
    assert theirs.code not in _named(items)  # another street's: out of scope

    scope = scope_key(ref.actor(c.operator))
    assert scope is not None
    draft = handover_draft(items, ref, scope, TZ, "en")
    street = name_in(ref.area(c.street), "en")
    assert draft.startswith(f"Handover · {street} · {when(late, TZ)} (shift from ")
    red = draft.index("Overdue (red): ")
    assert red < draft.index(f"● {overdue.code}  dispatched  -") < draft.index("Warning (yellow)")
    worked = draft.index("Worked on this shift, still open: 1")
    assert worked < draft.index(f"{touched.code}  accepted  accept  楼道堆放杂物")
    assert draft.rstrip().endswith("Notes for the next shift:")
    zh = handover_draft(items, ref, scope, TZ, "zh")
    assert "本班经手、仍在办 1 件：" in zh and f"{overdue.code}  已派遣" in zh


def test_extensions_awaiting_approval_and_returned_cases_are_left_open(district: Store) -> None:
    store = district
    c = cast(store)
    ref = reference(store)
    at = NOW + timedelta(hours=2)
    _signs_in(store, c.section_staff, at)
    asked = new_case(store, c, at, title="路灯不亮")
    _step(store, c.operator, asked.code, Action.ACCEPT, at + timedelta(minutes=1))
    _step(store, c.operator, asked.code, Action.DISPATCH, at + timedelta(minutes=2), unit=c.section)
    _step(store, c.section_staff, asked.code, Action.SIGN, at + timedelta(minutes=3))
    due = q.detail(store, q.DISTRICT_WIDE, asked.code).row.deadline_at
    assert due is not None
    until = due + timedelta(days=2)
    _step(
        store, c.section_staff, asked.code, Action.EXTEND, at + timedelta(minutes=4),
        reason="需采购灯具", until=until,
    )  # fmt: skip
    back = new_case(store, c, at, title="广告牌松动")
    _step(store, c.operator, back.code, Action.ACCEPT, at + timedelta(minutes=1))
    _step(store, c.operator, back.code, Action.DISPATCH, at + timedelta(minutes=2), unit=c.section)
    _step(
        store, c.section_staff, back.code, Action.RETURN, at + timedelta(minutes=3),
        reason="不属于本科室",
    )  # fmt: skip
    _step(store, c.operator, back.code, Action.APPROVE_RETURN, at + timedelta(minutes=4))

    now = at + timedelta(minutes=10)
    items = open_items(store, ref.actor(c.supervisor), now, shift=None, urgent_hours=8)
    assert asked.code in _codes(items, Section.EXTENSIONS)
    assert back.code in _codes(items, Section.RETURNED)
    assert asked.code not in _codes(items, Section.RETURNED)
    assert Section.TOUCHED not in [p.section for p in items.sections]  # no shift, no one's work
    draft = handover_draft(items, ref, f"street:{c.street}", TZ, "en")
    assert f"{asked.code}  in progress  until {when(until, TZ)}  路灯不亮" in draft
    section = name_in(ref.unit(c.section), "en")
    assert f"{back.code}  accepted  returned by {section[:8]}" in draft
    # The section's own shift: it worked on both, but a returned case is no longer its own.
    staff = ref.actor(c.section_staff)
    theirs = open_items(store, staff, now, shift=shift_start(store, staff.login), urgent_hours=8)
    assert _codes(theirs, Section.TOUCHED) == [asked.code]
    assert back.code not in _named(theirs)


def test_urgent_cases_of_the_last_hours(district: Store) -> None:
    store = district
    c = cast(store)
    ref = reference(store)
    at = NOW + timedelta(days=3)
    urgent = create_case(
        store,
        CLOCK,
        c.operator,
        NewCase(
            title="燃气泄漏",
            category=c.category,
            grid=c.grid,
            address="江滨路1号",
            source=Source.HOTLINE,
            urgency=Urgency.URGENT,
        ),
        now=at,
    )
    actor = ref.actor(c.operator)
    soon = open_items(store, actor, at + timedelta(hours=1), shift=None, urgent_hours=8)
    assert urgent.code in _codes(soon, Section.URGENT)
    later = open_items(store, actor, at + timedelta(hours=9), shift=None, urgent_hours=8)
    assert urgent.code not in _codes(later, Section.URGENT)
    wider = open_items(store, actor, at + timedelta(hours=9), shift=None, urgent_hours=10)
    assert urgent.code in _codes(wider, Section.URGENT)


def test_each_list_is_bounded_and_counts_all_as_the_queue_does(district: Store) -> None:
    store = district
    c = cast(store)
    ref = reference(store)
    actor = ref.actor(c.operator)
    at = NOW + timedelta(days=5)
    for i in range(3):
        d = new_case(store, c, at, title=f"共享单车乱停 {i}")
        _step(store, c.operator, d.code, Action.ACCEPT, at + timedelta(minutes=1))
    late = at + timedelta(days=30)
    items = open_items(store, actor, late, shift=None, urgent_hours=8, limit=2)
    for part in items.sections:
        assert len(part.cases) <= 2 and part.total >= len(part.cases)
    red = q.QueueFilter(lights=frozenset({Light.RED}))
    assert _total(items, Section.RED) == q.count(store, actor, red, now=late) >= 3
    page = q.page(store, actor, red, q.Sort.DEADLINE, limit=2, now=late)
    assert _codes(items, Section.RED) == [r.code for r in page]  # the queue's worst first


# --- saving and reading notes ---------------------------------------------------------------


def _count(store: Store) -> int:
    with store.read() as s:
        return int(s.execute(select(func.count()).select_from(Handover)).scalar_one())


def test_a_saved_handover_is_in_the_trail(district: Store) -> None:
    store = district
    began = NOW - timedelta(hours=8)
    saved = save_handover(
        store,
        "op.jiangbin1",
        "  交班说明：E2026-0000001 已回访，C2026-0000002 待派遣  \n\n",
        shift_began=began,
        now=NOW,
    )
    kept = saved.note
    assert kept.body == "交班说明：E2026-0000001 已回访，C2026-0000002 待派遣"
    assert kept.cases == ("E2026-0000001", "C2026-0000002")
    assert (kept.scope, kept.author, kept.written_at, kept.shift_began) == (
        "street:LJ01",
        "op.jiangbin1",
        NOW,
        began,
    )
    event, payload = trail(store, "op.jiangbin1")[-1]
    assert event == TrailEvent.HANDOVER
    assert json.loads(payload) == {"cases": 2, "handover": kept.id, "scope": "street:LJ01"}
    assert trail_findings(store) == []
    assert note(store, reference(store).actor("op.jiangbin1"), kept.id) == kept


def test_a_bad_handover_is_refused_and_nothing_is_written(district: Store) -> None:
    store = district
    add_trainer(store)  # by hand: the demo makes one only in a training store
    before = _count(store)
    with refused(Invalid, "^the handover is empty"):
        save_handover(store, "op.jiangbin1", " \n \n", now=NOW)
    with refused(Invalid, f"^a handover holds at most {BODY_MAX} characters; this one has"):
        save_handover(store, "op.jiangbin1", "长" * (BODY_MAX + 1), now=NOW)
    for login, role in (
        ("trainer", "trainer"),
        ("admin", "admin"),
        ("liaison.cg", "department liaison"),
        ("gw.lj010101", "grid worker"),
    ):
        with refused(Forbidden, rf"^{login} \({role}\) writes no handover$"):
            save_handover(store, login, "交班说明", now=NOW)
    assert _count(store) == before


def test_a_street_reads_its_own_handovers_and_the_district_reads_every_one(
    district: Store,
) -> None:
    store = district
    ref = reference(store)
    at = NOW + timedelta(days=10)
    ours = save_handover(store, "op.jiangbin1", "江滨：盯紧井盖", now=at).note
    theirs = save_handover(store, "op.wangchao1", "望潮：注意积水", now=at).note
    colleague, leader = ref.actor("op.jiangbin2"), ref.actor("leader.jiangbin")
    for reader in (colleague, leader):
        assert latest(store, reader) == ours
        assert all(n.scope == "street:LJ01" for n in notes(store, reader, limit=100))
        with refused(NotFound, f"^no handover {theirs.id}$"):
            note(store, reader, theirs.id)
    with refused(NotFound, "^no handover 999999$"):  # reads exactly like one that is not
        note(store, colleague, 999_999)
    assert latest(store, ref.actor("op.wangchao2")) == theirs

    district = ref.actor("sup.district1")
    assert {ours.id, theirs.id} <= {n.id for n in notes(store, district, limit=100)}
    assert note(store, district, theirs.id) == theirs
    assert latest(store, district) is None or latest(store, district).scope == "district"
    own = save_handover(store, "sup.district1", "全区：防汛值守", now=at).note
    assert own.scope == "district" and latest(store, district) == own
    assert latest(store, colleague) == ours  # a street does not read the district's
    with refused(NotFound, f"^no handover {own.id}$"):
        note(store, colleague, own.id)


def test_notes_come_newest_first_a_page_at_a_time(district: Store) -> None:
    store = district
    reader = reference(store).actor("co.lj0201")
    written = [
        save_handover(store, "co.lj0201", f"第 {i} 班", now=NOW + timedelta(minutes=i)).note
        for i in range(3)
    ]
    first = notes(store, reader, limit=2)
    assert first == written[:0:-1]
    assert notes(store, reader, limit=2, before=first[-1]) == written[:1]


# --- the last shift's note, as a shift begins ---------------------------------------------------


def test_the_last_shifts_note_is_news_once_and_never_ones_own(district: Store) -> None:
    store = district
    ref = reference(store)
    at = NOW + timedelta(days=20)
    _signs_in(store, "op.yunhe1", at)
    written = save_handover(store, "op.yunhe1", "云河：夜间巡查", now=at + timedelta(hours=8)).note
    _signs_out(store, "op.yunhe1", at + timedelta(hours=8))

    def news(login: str, when_: datetime) -> object:
        _signs_in(store, login, when_)
        shift = shift_start(store, login)
        assert shift is not None and shift.at == when_
        return unseen(store, ref.actor(login), shift, when_, SHIFT)

    arrives = at + timedelta(hours=8, minutes=5)
    assert news("op.yunhe2", arrives) == written
    _signs_out(store, "op.yunhe2", arrives + timedelta(hours=1))
    assert news("op.yunhe2", arrives + timedelta(hours=2)) is None  # read on the last shift
    assert news("op.yunhe1", arrives + timedelta(hours=3)) is None  # one's own
    assert news("op.yunhe3", at + timedelta(hours=21)) is None  # older than a shift
    assert news("sup.yunhe", arrives + timedelta(hours=4)) == written
