"""Escalation that routes: a case sent up to the district platform is the district's to act on,
in its "escalated to us" view; the street that sent it up reads it only until it comes back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.domain.actions import Action
from console.domain.enums import Level, Role, Status
from console.domain.errors import Forbidden
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.queries.reference import reference
from console.queries.views import views
from console.services.cases import act
from tests.conftest import refused
from tests.services.helpers import NOW, Cast, cast, new_case


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
