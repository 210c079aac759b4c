"""Appending to the audit chain, and checking it end to end."""

from __future__ import annotations

from collections.abc import Sequence
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


def append_events(
    s: Session, actor: str, at: datetime, events: Sequence[tuple[int, Event]]
) -> None:
    """Append many cases' events by one actor at one time, in order, in the caller's
    transaction: each linked as `append_event` links it, the head read and moved once."""
    if not events:
        return
    head = s.execute(select(H.seq, H.hash).where(H.id == 1).with_for_update()).one()
    seq, last = head.seq, head.hash
    rows = []
    for case_id, event in events:
        seq += 1
        row = _row(case_id, actor, at, event.action.value,
                   event.from_status.value if event.from_status else None,
                   event.to_status.value, event.reason, event.payload, seq, last)  # fmt: skip
        rows.append(row)
        last = row["hash"]
    s.execute(insert(AuditEvent.__table__), rows)
    s.execute(update(AuditHead.__table__).where(H.id == 1).values(seq=seq, hash=last))


def _row(
    case_id: int | None,
    actor: str,
    at: datetime,
    action: str,
    from_status: str | None,
    to_status: str | None,
    reason: str | None,
    payload_data: dict[str, Any],
    seq: int,
    prev_hash: str,
) -> dict[str, Any]:
    """One event's row, linked to the one before it."""
    payload = payload_text(payload_data)
    digest = chain_hash(
        prev_hash, seq, case_id, stamp(at), actor, action, from_status, to_status, reason, payload
    )
    return {
        "seq": seq,
        "case_id": case_id,
        "at": at,
        "actor": actor,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "payload": payload,
        "prev_hash": prev_hash,
        "hash": digest,
    }


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
    row = _row(
        case_id, actor, at, action, from_status, to_status, reason, payload_data, seq, head.hash
    )
    s.execute(insert(AuditEvent.__table__), row)
    digest = row["hash"]
    s.execute(update(AuditHead.__table__).where(H.id == 1).values(seq=seq, hash=digest))
    return seq
