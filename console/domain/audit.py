"""The audit chain: each event's hash covers its content and the hash of the event before it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64


class TrailEvent(StrEnum):
    """Events of the trail besides a case's actions: who came, went, was kept out, looked,
    handed over."""

    SIGN_IN = "sign-in"
    SIGN_OUT = "sign-out"
    SIGN_IN_FAILED = "sign-in-failed"
    LOCKED_OUT = "locked-out"  # too many failures: the login is locked for a while
    IDLE_LOCK = "idle-lock"  # the console locked itself after the idle time
    SESSION_ENDED = "session-ended"  # another user signed in at the same console
    TOKEN_ISSUED = "token-issued"  # a service's API token
    USER_CHANGED = "user-changed"  # added, password set, role set, disabled, enabled
    REVEAL = "reveal"  # a reporter's masked phone shown in full
    # A console over SSH (`gridcall serve ssh`): opened, its link dropped (the console goes on,
    # waiting to be reattached), reattached or taken over, ended.
    SSH_OPENED = "ssh-opened"
    SSH_DETACHED = "ssh-detached"
    SSH_REATTACHED = "ssh-reattached"
    SSH_ENDED = "ssh-ended"
    HANDOVER = "handover"  # a shift's handover note saved for the next shift of its scope


@dataclass(frozen=True)
class Finding:
    """Something wrong that `gridcall audit verify` found: a catalogue key and the values it
    names, worded where it is shown (`i18n.say`), like an error; `seq` places it in the
    trail, when it is an event's."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    seq: int | None = None


# One encoder for every payload: json.dumps with options builds a new encoder on each call,
# which the seeder would pay millions of times.
_PAYLOAD_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def payload_text(payload: dict[str, Any]) -> str:
    """The canonical JSON stored (and hashed) for an event's payload."""
    if not payload:
        return "{}"
    return _PAYLOAD_ENCODER.encode(payload)


def stamp(at: datetime) -> str:
    """An instant as the chain hashes it: UTC, to the microsecond, '2026-11-20 10:00:00.000000'."""
    if at.tzinfo is not UTC:  # instants from the SLA clock are UTC already; skip the conversion
        at = at.astimezone(UTC)
    return at.isoformat(" ", "microseconds")[:26]


def content_digest(
    case_id: int | None,
    at: str,
    actor: str,
    action: str,
    from_status: str | None,
    to_status: str | None,
    reason: str | None,
    payload: str,
) -> str:
    """SHA-256 of an event's content, each field prefixed by its length, so that no choice of
    field contents can make two different events read the same. Needs no other event, so it
    can be computed wherever the event is made."""
    # One f-string rather than a join over the fields: the seeder hashes millions of events.
    case = "" if case_id is None else str(case_id)  # None: an event of no case (a sign-in)
    before = from_status or ""
    to_status = to_status or ""
    why = reason if reason is not None else "\x00"
    body = (
        f"{len(case)}:{case}{len(at)}:{at}{len(actor)}:{actor}{len(action)}:{action}"
        f"{len(before)}:{before}{len(to_status)}:{to_status}{len(why)}:{why}"
        f"{len(payload)}:{payload}"
    )
    return hashlib.sha256(body.encode()).hexdigest()


def link_hash(prev: str, seq: int, digest: str) -> str:
    """The chain: each link covers the previous link, the event's place and its content."""
    return hashlib.sha256(f"{prev}{seq}:{digest}".encode()).hexdigest()


def chain_hash(
    prev: str,
    seq: int,
    case_id: int | None,
    at: str,
    actor: str,
    action: str,
    from_status: str | None,
    to_status: str | None,
    reason: str | None,
    payload: str,
) -> str:
    return link_hash(
        prev,
        seq,
        content_digest(case_id, at, actor, action, from_status, to_status, reason, payload),
    )
