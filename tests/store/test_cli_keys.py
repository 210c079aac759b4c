"""`gridcall user key add | list | remove`: the keys a user signs in with over SSH.

On SQLite and PostgreSQL (the `district` store), through `gridcall`'s entry point."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from console.db import Store
from tests.store.identity import Desk

OWNER = "op.fengqi1"
OTHER = "op.fengqi2"


@pytest.fixture
def desk(district: Store, tmp_path: Path) -> Desk:
    return Desk(district, tmp_path)


def keypair(path: Path) -> tuple[Path, str]:
    """A new ed25519 key pair; the public file and its fingerprint as ssh-keygen prints it."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "laptop", "-f", str(path)],
        check=True,
    )
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", f"{path}.pub"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(f"{path}.pub"), listed.stdout.split()[1]


def listed(desk: Desk, login: str, *args: str) -> list[dict[str, object]]:
    ran = desk(login, "user", "key", "list", *args, "--json")
    assert ran.code == 0, ran.err
    rows: list[dict[str, object]] = json.loads(ran.out)
    return rows


def test_a_user_registers_lists_and_removes_their_own_key(desk: Desk, tmp_path: Path) -> None:
    public, fingerprint = keypair(tmp_path / "id_own")
    added = desk(OWNER, "user", "key", "add", str(public))
    assert added.code == 0 and fingerprint in added.out and OWNER in added.out
    mine = listed(desk, OWNER)
    assert [(r["login"], r["fingerprint"], r["comment"]) for r in mine] == [
        (OWNER, fingerprint, "laptop")
    ]
    assert mine[0]["algorithm"] == "ssh-ed25519" and mine[0]["last_used_at"] is None
    plain = desk(OWNER, "user", "key", "list")
    assert fingerprint in plain.out  # whole, never cut short by a table's width
    assert desk(OWNER, "user", "key", "remove", fingerprint).code == 0
    assert listed(desk, OWNER) == []


def test_keys_that_cannot_be_registered_change_nothing(desk: Desk, tmp_path: Path) -> None:
    public, fingerprint = keypair(tmp_path / "id_twice")
    assert desk(OTHER, "user", "key", "add", str(public)).code == 0
    desk.sign_in(OWNER)  # their sign-in is in the trail before we count
    before = desk.events()
    private = desk(OWNER, "user", "key", "add", str(tmp_path / "id_twice"))
    assert private.code == 2 and "private key" in private.err
    garbage = tmp_path / "garbage.pub"
    garbage.write_text("ssh-ed25519 not-a-key\n")
    bad = desk(OWNER, "user", "key", "add", str(garbage))
    assert bad.code == 2 and "not an OpenSSH public key" in bad.err
    missing = desk(OWNER, "user", "key", "add", str(tmp_path / "nowhere.pub"))
    assert missing.code == 2 and "nowhere.pub" in missing.err
    twice = desk(OWNER, "user", "key", "add", str(public))
    assert twice.code == 2 and f"{fingerprint} is registered already" in twice.err
    for ran in (private, bad, missing, twice):
        assert len(ran.err.strip().splitlines()) == 1, ran.err
    assert desk.events() == before
    assert [r["login"] for r in listed(desk, OTHER)] == [OTHER]


def test_anothers_keys_are_an_admins_business(desk: Desk, tmp_path: Path) -> None:
    public, fingerprint = keypair(tmp_path / "id_theirs")
    refused = desk(OWNER, "user", "key", "add", str(public), "--login", OTHER)
    assert refused.code == 1 and "admin" in refused.err
    assert desk("admin", "user", "key", "add", str(public), "--login", OTHER).code == 0
    assert desk(OWNER, "user", "key", "list", "--login", OTHER).code == 1
    assert fingerprint in [r["fingerprint"] for r in listed(desk, "admin", "--all")]
    # Someone else's key reads as no key at all to whoever may not manage users.
    gone = desk(OWNER, "user", "key", "remove", fingerprint)
    assert gone.code == 1 and f"no key {fingerprint}" in gone.err
    assert desk("admin", "user", "key", "remove", fingerprint).code == 0
    assert fingerprint not in [r["fingerprint"] for r in listed(desk, OTHER)]
