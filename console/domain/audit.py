"""The audit chain: each event's hash covers its content and the hash of the event before it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def payload_text(payload: dict[str, Any]) -> str:
    """The canonical JSON stored (and hashed) for an event's payload."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(
    prev: str,
    seq: int,
    case_id: int,
    at: datetime,
    actor: str,
    action: str,
    from_status: str | None,
    to_status: str,
    reason: str | None,
    payload: str,
) -> str:
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    body = json.dumps(
        [prev, seq, case_id, stamp, actor, action, from_status, to_status, reason, payload],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()
