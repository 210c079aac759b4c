"""A digest's text: signed, read back only with its own key, and any change to it, its name or
its place among the others found."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from console.domain import digests
from console.domain.digests import Digest, Head
from console.domain.errors import Invalid
from tests.conftest import refused

AT = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.generate()
HEAD = Head(1342, "ab" * 32, "cd" * 32)


def chain(n: int) -> list[tuple[Digest, str]]:
    made: list[tuple[Digest, str]] = []
    for number in range(1, n + 1):
        before = made[-1][0] if made else None
        head = Head(HEAD.seq + number, HEAD.hash, HEAD.content)
        made.append(digests.sign(number, head, AT + timedelta(hours=number), before, KEY))
    return made


def test_a_digest_reads_back_as_signed() -> None:
    made, text = digests.sign(1, HEAD, AT, None, KEY)
    read = digests.read("digest-000001.json", text, KEY.public_key())
    assert read == made
    assert (read.head, read.at, read.previous) == (HEAD, AT, None)
    assert read.key == digests.fingerprint(KEY.public_key()) and read.key.startswith("SHA256:")


@pytest.mark.parametrize(
    "field, value", [("seq", 1343), ("hash", "00" * 32), ("at", "2026-12-04T02:00:00+00:00")]
)
def test_any_change_breaks_its_signature(field: str, value: object) -> None:
    _, text = digests.sign(1, HEAD, AT, None, KEY)
    changed = json.dumps(json.loads(text) | {field: value})
    with refused(Invalid, "does not match its signature: it was changed after it was signed"):
        digests.read("digest-000001.json", changed, KEY.public_key())


def test_only_the_signing_keys_public_half_reads_it() -> None:
    _, text = digests.sign(1, HEAD, AT, None, KEY)
    other = Ed25519PrivateKey.generate().public_key()
    with refused(Invalid, r"was signed by key SHA256:\S+, not SHA256:"):
        digests.read("digest-000001.json", text, other)


def test_a_renamed_or_unreadable_digest() -> None:
    _, text = digests.sign(1, HEAD, AT, None, KEY)
    with refused(Invalid, "says it is number 1: the file was renamed"):
        digests.read("digest-000002.json", text, KEY.public_key())
    with refused(Invalid, "cannot be read: it is no Gridcall digest"):
        digests.read("digest-000001.json", "shift notes", KEY.public_key())


def test_digests_follow_each_other_without_a_gap() -> None:
    made = [d for d, _ in chain(3)]
    digests.check_sequence(made)
    with refused(Invalid, r"digest 2 is missing \(after digest-000001.json\)"):
        digests.check_sequence([made[0], made[2]])
    stranger = digests.sign(2, HEAD, AT + timedelta(hours=2), None, KEY)[0]
    with refused(Invalid, "digest-000002.json does not name digest-000001.json"):
        digests.check_sequence([made[0], stranger])


def test_file_names() -> None:
    assert digests.file_name(12) == "digest-000012.json"
    assert digests.number_of("digest-000012.json") == 12
    assert digests.number_of("notes.txt") is None
