"""An insider at work: raw writes to the store, past the trail's append-only guard, as someone
who holds the SQLite file or the PostgreSQL owner's credentials can make them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text

from console.db import Store
from console.domain.audit import GENESIS, chain_hash, stamp
from console.models import AuditEvent

E = AuditEvent.__table__.c


def forge(store: Store, *statements: str, **params: Any) -> None:
    """Run the statements with the trail's guard switched off, as its owner can."""
    with store.raw_write() as conn:
        _unguard(store, conn)
        for statement in statements:
            conn.execute(text(statement), params)


def _unguard(store: Store, conn: Any) -> None:
    if store.is_sqlite:
        for op in ("update", "delete"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS audit_events_no_{op}"))
    else:
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))


def relink(store: Store) -> None:
    """Recompute every link and the head, as a forger covering an edit does: the chain then
    holds again, end to end."""
    columns = (E.id, E.seq, E.case_id, E.at, E.actor, E.action, E.from_status, E.to_status)
    with store.read() as s:
        rows = s.execute(select(*columns, E.reason, E.payload).order_by(E.seq)).all()
    prev, links = GENESIS, []
    for id_, seq, case_id, at, actor, action, before, after, reason, payload in rows:
        link = chain_hash(
            prev, seq, case_id, stamp(at), actor, action, before, after, reason, payload
        )
        links.append({"i": id_, "p": prev, "h": link})
        prev = link
    with store.raw_write() as conn:
        _unguard(store, conn)
        conn.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :i"), links)
        conn.execute(
            text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
            {"s": rows[-1].seq if rows else 0, "h": prev},
        )


def append_forged(
    store: Store, case_id: int, actor: str, action: str, before: str, after: str, at: datetime
) -> int:
    """An event appended as the store's own writer would, properly chained and the head moved
    on: nothing in the chain betrays it. Returns its sequence number."""
    with store.raw_write() as conn:
        seq, prev = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
        seq += 1
        link = chain_hash(prev, seq, case_id, stamp(at), actor, action, before, after, None, "{}")
        conn.execute(
            insert(AuditEvent.__table__).values(
                seq=seq,
                case_id=case_id,
                at=at,
                actor=actor,
                action=action,
                from_status=before,
                to_status=after,
                reason=None,
                payload="{}",
                prev_hash=prev,
                hash=link,
            )
        )
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": seq, "h": link})
    return int(seq)
