"""The audit chain: each event's hash covers its content and the hash of the event before it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def payload_text(payload: dict[str, Any]) -> str:
    """The canonical JSON stored (and hashed) for an event's payload."""
    if not payload:
        return "{}"
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def stamp(at: datetime) -> str:
    """An instant as the chain hashes it: UTC, to the microsecond, '2026-11-20 10:00:00.000000'."""
    return at.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def chain_hash(
    prev: str,
    seq: int,
    case_id: int,
    at: str,
    actor: str,
    action: str,
    from_status: str | None,
    to_status: str,
    reason: str | None,
    payload: str,
) -> str:
    """SHA-256 over the previous hash and every field, each prefixed by its length, so no
    choice of field contents can make two different events hash the same way."""
    fields = (
        prev,
        str(seq),
        str(case_id),
        at,
        actor,
        action,
        from_status or "",
        to_status,
        reason if reason is not None else "\x00",
        payload,
    )
    body = "".join(f"{len(f)}:{f}" for f in fields)
    return hashlib.sha256(body.encode()).hexdigest()
