"""The overall deadline 办结时限 through the services on both stores: a case registered keeps
it on its row, a new urgency derives it again from the registration time, an approved
extension moves it, and the trail replays to the same deadline."""

from __future__ import annotations

from datetime import timedelta

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Status, Urgency
from console.domain.sla import SlaClock
from console.domain.workflow import Params, overall_minutes
from console.queries.reference import reference
from console.services.cases import act
from tests.conftest import trail_findings
from tests.services.helpers import NOW, cast, walk


def test_the_row_keeps_it_and_the_trail_replays_it(seeded: Store) -> None:
    clock = SlaClock()
    c = cast(seeded)
    d = walk(seeded, c, Status.IN_PROGRESS, first_code="-", start=NOW)
    limits = reference(seeded).limits(c.category)
    minutes, working = overall_minutes(limits, Urgency.NORMAL)
    assert d.due_at == clock.add(NOW, minutes, working=working)
    assert d.row.created_at == NOW and not d.due_given

    later = NOW + timedelta(hours=1)
    urgent = act(
        seeded,
        clock,
        c.supervisor,
        d.code,
        Action.SET_URGENCY,
        Params(urgency=Urgency.URGENT),
        now=later,
    )
    wall, _ = overall_minutes(limits, Urgency.URGENT)
    assert urgent.due_at == NOW + timedelta(minutes=wall)  # from registration, not from now

    assert urgent.row.deadline_at is not None and urgent.due_at is not None
    until = urgent.row.deadline_at + timedelta(hours=5)
    asked = Params(reason="需协调", until=until)
    act(seeded, clock, c.section_staff, d.code, Action.EXTEND, asked, now=later)
    granted = act(seeded, clock, c.supervisor, d.code, Action.APPROVE_EXTENSION, now=later)
    assert granted.due_at == urgent.due_at + timedelta(hours=5)
    assert trail_findings(seeded) == []
