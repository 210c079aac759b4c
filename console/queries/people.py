"""The users' state that changes by the minute, so it is read fresh, not from the reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from console.db import Store
from console.domain.enums import UserKind
from console.models import User, UserKey

U = User.__table__.c
K = UserKey.__table__.c


def locked_until(store: Store, now: datetime) -> dict[str, datetime]:
    """The logins locked out by failed sign-ins at `now`, and until when."""
    with store.read() as s:
        rows = s.execute(select(U.login, U.locked_until).where(U.locked_until > now)).all()
    return {r.login: r.locked_until for r in rows}


@dataclass(frozen=True)
class KeyRow:
    """A registered public key, as `user key list` shows it."""

    login: str
    fingerprint: str
    algorithm: str
    comment: str
    added_at: datetime
    last_used_at: datetime | None


def keys_of(store: Store, login: str | None = None) -> list[KeyRow]:
    """The keys of one user, or of everyone (None), by login then date."""
    query = (
        select(U.login, K.fingerprint, K.public_key, K.comment, K.added_at, K.last_used_at)
        .join(User.__table__, U.id == K.user_id)
        .order_by(U.login, K.added_at)
    )
    if login is not None:
        query = query.where(U.login == login)
    with store.read() as s:
        rows = s.execute(query).all()
    return [
        KeyRow(
            r.login,
            r.fingerprint,
            r.public_key.split(" ", 1)[0],
            r.comment,
            r.added_at,
            r.last_used_at,
        )
        for r in rows
    ]


def key_admits(store: Store, login: str, fingerprint: str, now: datetime) -> bool:
    """Whether this key opens this login now: the key is theirs, and they are a person who is
    neither disabled nor locked out."""
    with store.read() as s:
        row = s.execute(
            select(U.active, U.kind, U.locked_until)
            .join(UserKey.__table__, K.user_id == U.id)
            .where((U.login == login) & (K.fingerprint == fingerprint))
        ).first()
    return (
        row is not None
        and row.active
        and row.kind == UserKind.PERSON.value
        and (row.locked_until is None or row.locked_until <= now)
    )
