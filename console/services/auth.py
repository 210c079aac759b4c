"""Proving who acts: passwords, lockout, and the tokens a CLI shift or a service holds.

Passwords are hashed with argon2id and never stored, logged or echoed. An unknown login and a
wrong password get the same refusal after the same work (a hash is checked either way); a
login that fails too often is locked for a while; a disabled user is refused. Every sign-in,
failure, lockout and sign-out is an event of the audit chain.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from console import wallclock
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.enums import UserKind
from console.domain.errors import Forbidden, GridcallError, Invalid
from console.domain.limits import LOGIN, PASSWORD_MAX
from console.domain.lockout import Lockout
from console.models import SignIn, User, UserKey
from console.services.audit import append_trail

U = User.__table__.c
T = SignIn.__table__.c
K = UserKey.__table__.c

PASSWORD_MIN = 8
SHIFT = "shift"  # a `gridcall login` token: one shift, then sign in again
API = "api"  # a service account's token: until revoked
DEFAULT_LOCKOUT = Lockout()


class NotSignedIn(GridcallError):
    """No proven identity: the CLI says how to sign in and exits 2."""

    key = "error.not_signed_in"


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, the library's current recommended parameters


@cache
def _decoy() -> str:
    """A hash to check an unknown login's password against, so it costs what a known one does."""
    return _hasher().hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise Invalid("error.password_short", min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:  # the sign-in box takes no more
        raise Invalid("error.password_long", max=PASSWORD_MAX)
    return _hasher().hash(password)


def matches(stored: str | None, password: str) -> bool:
    """Whether a password is the one `stored` hashes; with nothing stored, checked against a
    decoy so that an unknown login costs what a known one does."""
    try:
        return _hasher().verify(stored or _decoy(), password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(s: Session, login: str) -> Any:
    return s.execute(select(User.__table__).where(U.login == login).with_for_update()).first()


def sign_in(
    store: Store,
    login: str,
    password: str,
    *,
    where: str,
    lockout: Lockout = DEFAULT_LOCKOUT,
    now: datetime | None = None,
) -> str:
    """Check a password; the login on success, else a refusal that says no more than it must.

    The failure's count, the lockout and the events are written even when it is refused."""
    at = now or wallclock.now()
    login = login.strip()

    def work(s: Session) -> GridcallError | None:
        user = _user(s, login) if LOGIN.fullmatch(login) else None  # else no user's, unasked
        matched = matches(user.password_hash if user is not None else None, password)
        if user is None or user.kind != UserKind.PERSON.value:
            return Forbidden("error.sign_in_failed")
        if user.locked_until is not None and user.locked_until > at:
            append_trail(s, login, at, TrailEvent.SIGN_IN_FAILED, {"where": where, "why": "locked"})
            left = math.ceil((user.locked_until - at).total_seconds() / 60)
            return Forbidden("error.sign_in_locked", minutes=left)
        if not matched:
            failures = user.failed_signins + 1
            locked = failures >= lockout.failures
            s.execute(
                update(User.__table__)
                .where(U.id == user.id)
                .values(
                    failed_signins=0 if locked else failures,
                    locked_until=at + timedelta(minutes=lockout.minutes) if locked else None,
                )
            )
            append_trail(s, login, at, TrailEvent.SIGN_IN_FAILED, {"where": where})
            if locked:
                append_trail(s, login, at, TrailEvent.LOCKED_OUT, {"minutes": lockout.minutes})
            return Forbidden("error.sign_in_failed")
        if not user.active:
            append_trail(
                s, login, at, TrailEvent.SIGN_IN_FAILED, {"where": where, "why": "disabled"}
            )
            return Forbidden("error.user_disabled", login=login)
        changes: dict[str, Any] = {"failed_signins": 0, "locked_until": None}
        if _hasher().check_needs_rehash(user.password_hash):
            changes["password_hash"] = _hasher().hash(password)
        s.execute(update(User.__table__).where(U.id == user.id).values(**changes))
        append_trail(s, login, at, TrailEvent.SIGN_IN, {"where": where})
        return None

    refused = store.write(work)
    if refused is not None:
        raise refused
    return login


def sign_in_by_key(
    store: Store,
    login: str,
    fingerprint: str,
    *,
    where: str,
    client: str,
    now: datetime | None = None,
) -> None:
    """A sign-in proven by a registered public key (the SSH server has checked the signature):
    refused, like a password, to a disabled or locked-out user; the key's last use is kept."""
    at = now or wallclock.now()

    def work(s: Session) -> GridcallError | None:
        user = _user(s, login)
        key = (
            s.execute(
                select(K.id).where((K.fingerprint == fingerprint) & (K.user_id == user.id))
            ).first()
            if user is not None
            else None
        )
        if user is None or key is None or user.kind != UserKind.PERSON.value:
            return Forbidden("error.sign_in_failed")
        why = None
        if not user.active:
            why = "disabled"
        elif user.locked_until is not None and user.locked_until > at:
            why = "locked"
        if why is not None:
            append_trail(
                s,
                login,
                at,
                TrailEvent.SIGN_IN_FAILED,
                {"where": where, "why": why, "key": fingerprint},
            )
            return Forbidden("error.sign_in_failed")
        s.execute(update(UserKey.__table__).where(K.id == key.id).values(last_used_at=at))
        append_trail(
            s, login, at, TrailEvent.SIGN_IN, {"where": where, "key": fingerprint, "from": client}
        )
        return None

    refused = store.write(work)
    if refused is not None:
        raise refused


def record(
    store: Store, login: str, what: TrailEvent, payload: dict[str, Any] | None = None
) -> None:
    """Put a session's event (sign-out, idle lock, a session ended) into the trail."""
    at = wallclock.now()
    store.write(lambda s: append_trail(s, login, at, what, payload))


def issue_token(
    store: Store,
    login: str,
    *,
    kind: str,
    hours: int | None,
    now: datetime | None = None,
) -> str:
    """A new token for this user; only its hash is kept. `hours` None: until revoked."""
    at = now or wallclock.now()
    token = secrets.token_urlsafe(32)

    def work(s: Session) -> None:
        user_id = s.execute(select(U.id).where(U.login == login)).scalar_one()
        s.execute(
            insert(SignIn.__table__).values(
                user_id=user_id,
                token_hash=token_hash(token),
                kind=kind,
                created_at=at,
                expires_at=at + timedelta(hours=hours) if hours is not None else None,
            )
        )
        if kind == API:
            append_trail(s, login, at, TrailEvent.TOKEN_ISSUED, {"kind": kind})

    store.write(work)
    return token


def holder(store: Store, token: str, *, now: datetime | None = None) -> str:
    """The login a token proves, or NotSignedIn: unknown, ended, expired or disabled."""
    at = now or wallclock.now()
    with store.read() as s:
        row = s.execute(
            select(U.login, U.active, T.expires_at, T.ended_at)
            .join(User.__table__, U.id == T.user_id)
            .where(T.token_hash == token_hash(token))
        ).first()
    if row is None or row.ended_at is not None:
        raise NotSignedIn()
    if row.expires_at is not None and row.expires_at <= at:
        raise NotSignedIn("error.sign_in_expired")
    if not row.active:
        raise Forbidden("error.user_disabled", login=row.login)
    return str(row.login)


def end_token(store: Store, token: str, *, now: datetime | None = None) -> str | None:
    """End a token (sign out); the login it proved, or None if it proved nothing any more."""
    at = now or wallclock.now()

    def work(s: Session) -> str | None:
        row = s.execute(
            select(T.id, U.login)
            .join(User.__table__, U.id == T.user_id)
            .where(T.token_hash == token_hash(token), T.ended_at.is_(None))
        ).first()
        if row is None:
            return None
        s.execute(update(SignIn.__table__).where(T.id == row.id).values(ended_at=at))
        append_trail(s, row.login, at, TrailEvent.SIGN_OUT, {"where": "cli"})
        return str(row.login)

    return store.write(work)


def expires_at(store: Store, token: str) -> datetime | None:
    """When a token stops proving its holder; None for a service's token, until revoked."""
    with store.read() as s:
        return s.execute(
            select(T.expires_at).where(T.token_hash == token_hash(token))
        ).scalar_one_or_none()
