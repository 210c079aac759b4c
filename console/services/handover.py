"""Saving a shift's handover note (交接班) for the next shift of its scope, in one transaction
with its event in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from console import wallclock
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.handover import checked_body, codes_in, scope_key, write_refusal
from console.models import Handover
from console.queries.handover import HandoverNote
from console.queries.reference import reference
from console.services.audit import append_trail


@dataclass(frozen=True)
class Saved:
    note: HandoverNote
    event: int  # the number of the handover's audit event


def save_handover(
    store: Store,
    login: str,
    body: str,
    *,
    shift_began: datetime | None = None,
    now: datetime | None = None,
) -> Saved:
    """Keep this user's note for the next shift of their scope; refused for a role that hands
    nothing over, and for an empty or overlong note, before anything is written."""
    at = now or wallclock.now()
    ref = reference(store)
    actor = ref.actor(login)
    refusal = write_refusal(actor)
    if refusal is not None:
        raise refusal
    scope = scope_key(actor)
    assert scope is not None  # write_refusal: only a user with a scope hands over
    text = checked_body(body)
    codes = codes_in(text)
    user = ref.user(login)

    def work(s: Session) -> Saved:
        note_id = s.execute(
            insert(Handover.__table__)
            .values(
                user_id=user.id,
                scope=scope,
                written_at=at,
                shift_began=shift_began,
                body=text,
                cases=codes,
            )
            .returning(Handover.__table__.c.id)
        ).scalar_one()
        event = append_trail(
            s,
            login,
            at,
            TrailEvent.HANDOVER,
            {"handover": note_id, "scope": scope, "cases": len(codes)},
        )
        note = HandoverNote(note_id, scope, login, user.name, at, shift_began, text, tuple(codes))
        return Saved(note, event)

    return store.write(work)
