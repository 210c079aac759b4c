"""The reporter's personal data: showing a masked phone in full is a step the trail records.

Who sees what of a reporter is the policy's (`reporter_view`); the phone stays masked even for
those who may see it until they ask, and each asking is an audit event of the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from console import wallclock
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.errors import Forbidden, NotFound
from console.domain.policy import ReporterView
from console.live import publish
from console.queries.cases import load_detail
from console.queries.reference import reference
from console.services.audit import append_trail


@dataclass(frozen=True)
class Revealed:
    phone: str
    event: int  # the number of the reveal's audit event


def reveal_phone(store: Store, login: str, code: str, *, now: datetime | None = None) -> Revealed:
    """The reporter's phone of case `code` in full, for a user the policy lets see it; the
    policy is asked again here, whatever the screen offered, and the reveal is appended to
    the trail in the same transaction."""
    at = now or wallclock.now()
    ref = reference(store)
    actor = ref.actor(login)

    def work(s: Session) -> Revealed:
        d = load_detail(s, ref, actor, code, timeline=False)  # out of scope: no case
        view = d.reporter_view(actor)
        if view is ReporterView.HIDDEN:
            raise Forbidden("error.reveal_hidden", code=d.code)
        if view is not ReporterView.FULL:
            raise Forbidden("error.reveal_masked", code=d.code)
        if not d.reporter_phone:
            raise NotFound("error.no_phone", code=d.code)
        event = append_trail(
            s, actor.login, at, TrailEvent.REVEAL, case_id=d.row.id, status=d.row.status.value
        )
        publish(s, d.code)  # the case's timeline has a new line
        return Revealed(d.reporter_phone, event)

    return store.write(work)
