"""Signed digests of the audit chain: its head, anchored outside the store.

A digest names the chain's last event (its sequence number and link hash) at a moment, signed
with an Ed25519 key the store never holds, and chained to the digest before it by that file's
SHA-256, as CloudTrail chains its digest files. Because each link hash covers every event
before it, one digest vouches for the whole trail up to its event: whoever later rewrites that
stretch and re-links the chain cannot make the link hash the digest signed, nor sign a new
digest without the key. The digest also keeps its event's content digest (which leaves out the
event's place in the chain), so that a verifier can find that event again after events before
it were dropped or inserted and the chain renumbered.

This module makes and reads a digest's text; the files and the keys are the services'.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from console.domain.errors import Invalid

FORMAT = "gridcall-audit-digest/1"
_NAME = "digest-{:06d}.json"


@dataclass(frozen=True)
class Head:
    """The chain's last link as a digest signs it; `content` is None for an empty trail."""

    seq: int
    hash: str
    content: str | None


@dataclass(frozen=True)
class Digest:
    number: int  # 1, 2, 3… in its directory
    head: Head
    at: datetime  # when it was signed
    previous: str | None  # the SHA-256 of the digest before it (its file); None for the first
    key: str  # the fingerprint of the key that signed it
    text_hash: str  # the SHA-256 of this digest's own file, which the next one names

    @property
    def name(self) -> str:
        return file_name(self.number)


def file_name(number: int) -> str:
    return _NAME.format(number)


def number_of(name: str) -> int | None:
    """The number a digest's file name carries; None for a file that is no digest's."""
    if not (name.startswith("digest-") and name.endswith(".json")):
        return None
    middle = name.removeprefix("digest-").removesuffix(".json")
    return int(middle) if middle.isdigit() else None


def fingerprint(public: Ed25519PublicKey) -> str:
    """A key's name, as OpenSSH shows one: SHA256: and the unpadded base64 of its hash."""
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sign(
    number: int, head: Head, at: datetime, previous: Digest | None, key: Ed25519PrivateKey
) -> tuple[Digest, str]:
    """A new digest and its file's text."""
    fields: dict[str, Any] = {
        "format": FORMAT,
        "number": number,
        "seq": head.seq,
        "hash": head.hash,
        "content": head.content,
        "at": at.astimezone(UTC).isoformat(),
        "previous": previous.text_hash if previous else None,
        "key": fingerprint(key.public_key()),
    }
    signature = base64.b64encode(key.sign(_canonical(fields))).decode()
    text = json.dumps(fields | {"signature": signature}, indent=1, sort_keys=True) + "\n"
    return _digest(fields, text), text


def read(name: str, text: str, public: Ed25519PublicKey) -> Digest:
    """A digest file's content, its signature checked against `public`; Invalid, naming the
    file, when it is no digest, another key signed it, or its signature fails."""
    try:
        fields = json.loads(text)
        signature = base64.b64decode(fields.pop("signature"), validate=True)
        if fields.get("format") != FORMAT:
            raise ValueError(fields.get("format"))
        digest = _digest(fields, text)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise Invalid("error.digest_unreadable", file=name) from exc
    if digest.number != number_of(name):
        raise Invalid("error.digest_misnamed", file=name, number=digest.number)
    ours = fingerprint(public)
    if digest.key != ours:
        raise Invalid("error.digest_other_key", file=name, signer=digest.key, ours=ours)
    try:
        public.verify(signature, _canonical(fields))
    except InvalidSignature as exc:
        raise Invalid("error.digest_forged", file=name) from exc
    return digest


def _digest(fields: dict[str, Any], text: str) -> Digest:
    number, seq, link = fields["number"], fields["seq"], fields["hash"]
    content, previous, key = fields["content"], fields["previous"], fields["key"]
    if not (isinstance(number, int) and isinstance(seq, int) and number > 0 and seq >= 0):
        raise ValueError("number")
    for value, optional in ((link, False), (content, True), (previous, True), (key, False)):
        if not (isinstance(value, str) or (optional and value is None)):
            raise ValueError(value)
    at = datetime.fromisoformat(fields["at"])
    if at.tzinfo is None:
        raise ValueError("at")
    return Digest(number, Head(seq, link, content), at, previous, key, _hash(text))


def check_sequence(digests: list[Digest]) -> None:
    """Digests in number order must follow each other without a gap, each naming the one
    before it; Invalid names the first that does not. (Digests before the first kept may have
    been archived: the first kept vouches for the chain before it all the same.)"""
    for before, after in pairwise(digests):
        if after.number != before.number + 1:
            raise Invalid("error.digest_missing", number=before.number + 1, after=before.name)
        if after.previous != before.text_hash:
            raise Invalid("error.digest_unchained", file=after.name, before=before.name)
        if after.at < before.at:
            raise Invalid("error.digest_time", file=after.name, before=before.name)
