"""Appending to the audit chain, and checking it end to end."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from console.domain.audit import TrailEvent, chain_hash, payload_text, stamp
from console.domain.workflow import Event
from console.models import AuditEvent, AuditHead

E = AuditEvent.__table__.c
H = AuditHead.__table__.c


def append_event(s: Session, case_id: int, actor: str, at: datetime, event: Event) -> int:
    """Append one event of a case in the caller's transaction; returns its sequence number."""
    return _append(
        s,
        case_id,
        actor,
        at,
        event.action.value,
        event.from_status.value if event.from_status else None,
        event.to_status.value,
        event.reason,
        event.payload,
    )


def append_trail(
    s: Session,
    actor: str,
    at: datetime,
    what: TrailEvent,
    payload: dict[str, Any] | None = None,
    *,
    case_id: int | None = None,
    status: str | None = None,
) -> int:
    """Append an event that changes no case (a sign-in, a lock, a revealed phone)."""
    return _append(s, case_id, actor, at, what.value, status, status, None, payload or {})


def _append(
    s: Session,
    case_id: int | None,
    actor: str,
    at: datetime,
    action: str,
    from_status: str | None,
    to_status: str | None,
    reason: str | None,
    payload_data: dict[str, Any],
) -> int:
    """The head row is locked (FOR UPDATE on PostgreSQL; SQLite's write transactions are
    already exclusive), so concurrent writers take consecutive numbers and cannot fork the
    chain."""
    head = s.execute(select(H.seq, H.hash).where(H.id == 1).with_for_update()).one()
    seq: int = head.seq + 1
    payload = payload_text(payload_data)
    digest = chain_hash(
        head.hash,
        seq,
        case_id,
        stamp(at),
        actor,
        action,
        from_status,
        to_status,
        reason,
        payload,
    )
    s.execute(
        insert(AuditEvent.__table__).values(
            seq=seq,
            case_id=case_id,
            at=at,
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            payload=payload,
            prev_hash=head.hash,
            hash=digest,
        )
    )
    s.execute(update(AuditHead.__table__).where(H.id == 1).values(seq=seq, hash=digest))
    return seq
