"""The public keys users sign in with over SSH (`gridcall serve ssh`).

A user registers their own keys; a user manager registers anyone's. A key belongs to one user
(its fingerprint is unique in the store). Each change is a `user-changed` event in the trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncssh
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from console import wallclock
from console.db import Store
from console.domain.errors import Forbidden, Invalid, NotFound
from console.models import User, UserKey
from console.services.users import record_change, require_manager, user_row

K = UserKey.__table__.c
U = User.__table__.c
COMMENT_MAX = 64  # user_keys.comment


@dataclass(frozen=True)
class PublicKey:
    fingerprint: str  # SHA256:… as `ssh-keygen -l` prints it
    line: str  # OpenSSH's one-line form, without the comment
    comment: str


def parse(text: str) -> PublicKey:
    """An OpenSSH public key line (an `id_ed25519.pub`), or Invalid saying what it is not."""
    text = text.strip()
    if "PRIVATE KEY" in text:
        raise Invalid("error.key_is_private")
    try:
        key = asyncssh.import_public_key(text)
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise Invalid("error.bad_public_key", detail=str(exc)) from exc
    comment = key.get_comment() or ""
    key.set_comment(None)
    line = key.export_public_key("openssh").decode("ascii").strip()
    return PublicKey(key.get_fingerprint("sha256"), line, comment[:COMMENT_MAX])


def add_key(
    store: Store, by: str, login: str, text: str, *, now: datetime | None = None
) -> PublicKey:
    """Register a key for `login`: one's own, or anyone's by a user manager."""
    at = now or wallclock.now()
    key = parse(text)

    def work(s: Session) -> None:
        if by != login:
            require_manager(s, by)
        row = user_row(s, login)
        owner = s.execute(select(K.user_id).where(K.fingerprint == key.fingerprint)).first()
        if owner is not None:
            raise Invalid("error.key_exists", fingerprint=key.fingerprint)
        s.execute(
            insert(UserKey.__table__).values(
                user_id=row.id,
                fingerprint=key.fingerprint,
                public_key=key.line,
                comment=key.comment,
                added_at=at,
            )
        )
        record_change(s, by, at, login, "key-added", key=key.fingerprint)

    store.write(work)
    return key


def remove_key(store: Store, by: str, fingerprint: str, *, now: datetime | None = None) -> str:
    """Remove a key by its fingerprint: one's own, or anyone's by a user manager. The login
    it belonged to."""
    at = now or wallclock.now()

    def work(s: Session) -> str:
        found = s.execute(
            select(K.id, U.login)
            .join(User.__table__, U.id == K.user_id)
            .where(K.fingerprint == fingerprint.strip())
        ).first()
        if found is None:
            raise NotFound("error.no_key", fingerprint=fingerprint)
        if found.login != by:
            try:
                require_manager(s, by)
            except Forbidden:
                # Another's key reads as no key at all to whoever may not manage users.
                raise NotFound("error.no_key", fingerprint=fingerprint) from None
        s.execute(delete(UserKey.__table__).where(K.id == found.id))
        record_change(s, by, at, found.login, "key-removed", key=fingerprint.strip())
        return str(found.login)

    return store.write(work)
