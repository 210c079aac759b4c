"""The reporter's personal data, on SQLite and PostgreSQL: who sees the name and phone, how
they are masked, and revealing a phone — allowed by the policy only, and recorded in the trail."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Role, Source
from console.domain.errors import Forbidden, NotFound
from console.domain.intake import NewCase, confidential_by_default
from console.domain.policy import ReporterView
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.present import detail_json, event_line, reporter_text
from console.queries import cases as q
from console.queries.reference import reference
from console.services.cases import act, create_case
from console.services.personal import reveal_phone
from console.session import Session
from tests.conftest import ANCHOR, refused, trail_findings
from tests.services.helpers import NOW, Cast, cast, new_case

CLOCK = SlaClock()
TZ = ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"  # what `new_case` takes down
MASKED_PHONE = "138****5678"


@pytest.fixture(scope="module")
def c(seeded: Store) -> Cast:
    return cast(seeded)


def _district_supervisor(store: Store) -> str:
    ref = reference(store)
    return min(
        u.login for u in ref.users.values() if u.role is Role.SUPERVISOR and u.street_id is None
    )


def _liaison(store: Store) -> tuple[str, str]:
    """A department's liaison and their unit."""
    ref = reference(store)
    user = min(
        (u for u in ref.users.values() if u.role is Role.LIAISON and u.unit_id),
        key=lambda u: u.login,
    )
    assert user.unit_id is not None
    return user.login, ref.units[user.unit_id].code


def _given_to(store: Store, c: Cast, unit: str, *, confidential: bool = False) -> str:
    """A new case of the cast's street, accepted and dispatched to `unit`."""
    new = NewCase(
        title="噪音扰民",
        category=c.category,
        grid=c.grid,
        address="江滨路3号",
        source=Source.HOTLINE,
        reporter_name="王女士",
        reporter_phone=PHONE,
        confidential=confidential,
    )
    code = create_case(store, CLOCK, c.operator, new, now=NOW).code
    act(store, CLOCK, c.operator, code, Action.ACCEPT, now=NOW + timedelta(minutes=3))
    act(
        store,
        CLOCK,
        c.operator,
        code,
        Action.DISPATCH,
        Params(unit=unit),
        now=NOW + timedelta(minutes=6),
    )
    return code


def _timeline(store: Store, code: str) -> list[q.TimelineEntry]:
    return list(q.detail(store, q.DISTRICT_WIDE, code).timeline)


def test_the_streets_operator_reveals_the_phone_and_the_trail_records_it(
    seeded: Store, c: Cast
) -> None:
    d = new_case(seeded, c)
    before = _timeline(seeded, d.code)
    revealed = reveal_phone(seeded, c.operator, d.code, now=NOW + timedelta(minutes=1))
    assert revealed.phone == PHONE
    timeline = _timeline(seeded, d.code)
    assert len(timeline) == len(before) + 1
    newest = timeline[0]
    assert (newest.seq, newest.actor, newest.action) == (revealed.event, c.operator, "reveal")
    assert newest.from_status is newest.to_status is d.row.status
    assert PHONE not in str(newest.payload)  # the trail says who looked, not what they saw
    assert "查看报告人电话" in event_line(newest, TZ, "zh")
    assert trail_findings(seeded) == []
    # Looking changes nothing of the case itself.
    assert q.detail(seeded, q.DISTRICT_WIDE, d.code).row.version == d.row.version


def test_the_lead_units_liaison_sees_and_reveals_a_reporter(seeded: Store, c: Cast) -> None:
    liaison, unit = _liaison(seeded)
    code = _given_to(seeded, c, unit)
    actor = reference(seeded).actor(liaison)
    d = q.detail(seeded, actor, code)
    assert d.reporter_view(actor) is ReporterView.FULL
    assert reveal_phone(seeded, liaison, code).phone == PHONE


def test_a_confidential_reporter_is_hidden_from_the_unit_not_the_operator(
    seeded: Store, c: Cast
) -> None:
    liaison, unit = _liaison(seeded)
    code = _given_to(seeded, c, unit, confidential=True)
    actor = reference(seeded).actor(liaison)
    d = q.detail(seeded, actor, code)
    assert d.confidential
    view = d.reporter_view(actor)
    assert view is ReporterView.HIDDEN
    assert reporter_text(d, view, "zh") == "保密"
    assert reporter_text(d, view, "en") == "confidential"
    shown = detail_json(d, reference(seeded), ANCHOR, view, CLOCK)
    assert (shown["reporter_name"], shown["reporter_phone"]) == (None, None)
    assert "王" not in str(shown) and "5678" not in str(shown)
    events = len(_timeline(seeded, code))
    with refused(Forbidden, "confidential"):
        reveal_phone(seeded, liaison, code)
    assert len(_timeline(seeded, code)) == events  # a refusal appends nothing
    assert reveal_phone(seeded, c.operator, code).phone == PHONE


def test_others_see_the_reporter_masked_and_may_not_reveal(seeded: Store, c: Cast) -> None:
    d = new_case(seeded, c)
    supervisor = _district_supervisor(seeded)
    actor = reference(seeded).actor(supervisor)
    view = q.detail(seeded, actor, d.code).reporter_view(actor)
    assert view is ReporterView.MASKED
    assert reporter_text(d, view, "zh") == f"王*  {MASKED_PHONE}"
    shown = detail_json(d, reference(seeded), ANCHOR, view, CLOCK)
    assert (shown["reporter_name"], shown["reporter_phone"]) == ("王*", MASKED_PHONE)
    events = len(_timeline(seeded, d.code))
    with refused(Forbidden, "operators and supervisors and the lead unit"):
        reveal_phone(seeded, supervisor, d.code)
    assert len(_timeline(seeded, d.code)) == events


def test_a_full_reader_sees_the_name_and_the_phone_masked_until_revealed(
    seeded: Store, c: Cast
) -> None:
    d = new_case(seeded, c)
    view = d.reporter_view(reference(seeded).actor(c.operator))
    assert view is ReporterView.FULL
    assert reporter_text(d, view, "en") == f"王女士  {MASKED_PHONE}"
    assert reporter_text(d, view, "en", PHONE) == f"王女士  {PHONE}"
    shown = detail_json(d, reference(seeded), ANCHOR, view, CLOCK, PHONE)
    assert (shown["reporter_name"], shown["reporter_phone"]) == ("王女士", PHONE)
    assert shown["reporter_view"] == "full"


def test_out_of_scope_a_reveal_finds_no_case(seeded: Store, c: Cast) -> None:
    d = new_case(seeded, c)
    with refused(NotFound, f"no case {d.code}"):
        reveal_phone(seeded, c.other_operator, d.code)


def test_a_case_without_a_phone_has_nothing_to_reveal(seeded: Store, c: Cast) -> None:
    new = NewCase(
        title="路灯不亮",
        category=c.category,
        grid=c.grid,
        address="江滨路5号",
        source=Source.PATROL,
    )
    d = create_case(seeded, CLOCK, c.operator, new, now=NOW)
    assert reporter_text(d, ReporterView.FULL, "zh") is None
    with refused(NotFound, "no reporter's phone"):
        reveal_phone(seeded, c.operator, d.code)


def test_the_session_keeps_what_its_user_revealed(seeded: Store, c: Cast) -> None:
    d = new_case(seeded, c)
    session = Session(seeded, CLOCK, c.operator, "zh", TZ)
    assert session.revealed(d.code) is None
    assert session.reveal(d.code) == PHONE
    assert session.revealed(d.code) == PHONE
    newest = session.case(d.code).newest_event
    assert not session.is_news(newest)  # its own write: no second reload for it


def test_tips_are_confidential_by_default(seeded: Store) -> None:
    ref = reference(seeded)
    tips = {
        c.code for c in ref.categories.values() if c.is_leaf and confidential_by_default(c.name)
    }
    assert {"030204", "030203", "080203"} <= tips  # 黄赌毒线索, 电信诈骗线索, 非法集资线索
    assert not confidential_by_default(ref.category_by_code["010102"].name)  # a manhole cover


def test_a_case_registered_confidential_stays_so(seeded: Store, c: Cast) -> None:
    new = NewCase(
        title="疑似聚众赌博",
        category="030204",
        grid=c.grid,
        address="江滨路7号",
        source=Source.HOTLINE,
        reporter_name="李先生",
        reporter_phone="13900001111",
        confidential=True,
    )
    d = create_case(seeded, CLOCK, c.operator, new, now=NOW)
    assert q.detail(seeded, q.DISTRICT_WIDE, d.code).confidential
