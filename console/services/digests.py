"""The digests' files and keys: making the signing key, signing the chain's head into a new
digest file, and reading a directory of digests back for `gridcall audit verify`.

The private key lives with the account that signs (mode 0600, like an SSH key; never in the
store); whoever verifies needs only the public half. Digest files are written once, with
O_EXCL, and left read-only: a digest is never rewritten, only followed by the next.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
    load_ssh_private_key,
    load_ssh_public_key,
)

from console import credentials
from console.db import Store
from console.domain import digests
from console.domain.audit import GENESIS, Finding
from console.domain.digests import Digest, Head
from console.domain.errors import Invalid
from console.services.verify import link_at, read_head, signed_params, walk_chain

PUBLIC_SUFFIX = ".pub"


def default_key() -> Path:
    """Where the signing key lives unless told: the signing account's state directory."""
    return credentials.state_dir() / "audit-digest.key"


def public_path(private: Path) -> Path:
    return private.with_name(private.name + PUBLIC_SUFFIX)


def make_key(path: Path) -> tuple[Path, str]:
    """A new Ed25519 key pair: the private half at `path` (0600), the public half beside it
    (.pub); its public file and fingerprint. An existing key is never replaced: the digests it
    signed would no longer verify with the new one."""
    public = public_path(path)
    for taken in (path, public):
        if taken.exists():
            raise Invalid("error.audit_key_exists", path=str(taken))
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    _write_once(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()), 0o600)
    _write_once(
        public,
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
        0o644,
    )
    return public, digests.fingerprint(key.public_key())


def private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at `path`: PEM (PKCS#8, as `gridcall audit keygen` and `openssl
    genpkey -algorithm ed25519` write it) or OpenSSH's (`ssh-keygen -t ed25519 -N ''`),
    readable by its owner only."""
    data = _read(path, "error.audit_key_missing")
    if os.stat(path).st_mode & 0o077:
        raise Invalid("error.audit_key_open", path=str(path))
    try:
        key = (
            load_ssh_private_key(data, None)
            if data.startswith(b"-----BEGIN OPENSSH")
            else load_pem_private_key(data, None)
        )
    except (ValueError, TypeError) as exc:
        raise Invalid("error.audit_key_unreadable", path=str(path)) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise Invalid("error.audit_key_kind", path=str(path))
    return key


def public_key(path: Path) -> Ed25519PublicKey:
    """The public half: PEM, or OpenSSH's one line (ssh-ed25519 …)."""
    data = _read(path, "error.audit_key_missing")
    try:
        key = (
            load_ssh_public_key(data)
            if data.lstrip().startswith(b"ssh-")
            else load_pem_public_key(data)
        )
    except (ValueError, TypeError) as exc:
        raise Invalid("error.audit_key_unreadable", path=str(path)) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise Invalid("error.audit_key_kind", path=str(path))
    return key


def read_digests(directory: Path, public: Ed25519PublicKey) -> list[Digest]:
    """Every digest in the directory, in number order, each signature checked and each
    chained to the one before it; Invalid names the first that is not."""
    if not directory.is_dir():
        raise Invalid("error.digest_dir", path=str(directory))
    found: list[Digest] = []
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        number = digests.number_of(entry.name)
        if number is None:
            continue
        try:
            text = entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise Invalid("error.digest_unreadable", file=entry.name) from exc
        found.append(digests.read(entry.name, text, public))
    found.sort(key=lambda d: d.number)
    digests.check_sequence(found)
    return found


def sign_head(
    store: Store, key: Ed25519PrivateKey, directory: Path, now: datetime
) -> Digest | Finding:
    """Sign the chain's head into the directory's next digest.

    The chain is checked first, from the last digest's event (or from the start, for the
    first digest) to the head, so that a digest never vouches for a chain already broken:
    then nothing is written, and the first broken link (or the last digest the store no
    longer matches) is returned instead."""
    try:
        directory.mkdir(mode=0o755, parents=True, exist_ok=True)
    except OSError as exc:
        raise Invalid("error.digest_unwritable", path=str(directory), detail=exc.strerror) from exc
    earlier = read_digests(directory, key.public_key())
    last = earlier[-1] if earlier else None
    problems: list[Finding] = []
    with store.scan() as conn:
        if last is None:
            start = Head(0, GENESIS, None)
        else:
            start = last.head
            head_seq, _ = read_head(conn)
            # The walk below starts after the last digest's event: that event itself, and so
            # the chain before it, must still be the one signed.
            if link_at(conn, start.seq) != start.hash:
                problems.append(_unsigned(last, head_seq))
        if not problems:
            end = walk_chain(store, conn, start, problems.append)
    if problems:
        return problems[0]
    digest, text = digests.sign(
        last.number + 1 if last else 1, Head(end.seq, end.hash, end.content), now, last, key
    )
    _write_once(directory / digest.name, text.encode(), 0o444)
    return digest


def _unsigned(last: Digest, head_seq: int) -> Finding:
    key = "audit.digest_truncated" if head_seq < last.head.seq else "audit.digest_rewritten"
    return Finding(key, signed_params(last, head_seq), last.head.seq)


def _read(path: Path, missing: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise Invalid(missing, path=str(path)) from exc
    except OSError as exc:
        raise Invalid("error.audit_key_unreadable", path=str(path)) from exc


def _write_once(path: Path, data: bytes, mode: int) -> None:
    """A new file, never one already there; on disk before this returns."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise Invalid("error.digest_exists", path=str(path)) from exc
    except OSError as exc:
        raise Invalid(
            "error.digest_unwritable", path=str(path.parent), detail=exc.strerror
        ) from exc
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, mode)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the file's name too, not only its bytes
    finally:
        os.close(folder)
