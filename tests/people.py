"""Who may sign in, for tests: a known password on a seeded user, the demo's stated password,
a disabled user, and the trail's events of no case."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.enums import Role
from console.models import AuditEvent, Meta, User
from console.queries.reference import DEMO_PASSWORD_KEY, reference
from console.services.auth import hash_password
from console.services.users import add_user

PASSWORD = "demo-2026!"  # every test user's password


def set_password(store: Store, *logins: str, password: str = PASSWORD) -> None:
    hashed = hash_password(password)
    users = User.__table__
    store.write(
        lambda s: s.execute(
            update(users).where(users.c.login.in_(logins)).values(password_hash=hashed)
        )
    )


def add_trainer(store: Store, login: str = "trainer", *, password: str = PASSWORD) -> str:
    """A trainer an administrator added to a production store by hand (the demo makes one only
    in a training store): there the role only reads. Added once; its login."""
    if login not in {u.login for u in reference(store).users.values()}:
        add_user(store, "admin", login, "沈彩霞", Role.TRAINER, password=password)
        reference(store, reload=True)
    return login


def set_active(store: Store, login: str, active: bool) -> None:
    users = User.__table__
    store.write(
        lambda s: s.execute(update(users).where(users.c.login == login).values(active=active))
    )
    reference(store, reload=True)


def set_demo_password(store: Store, password: str) -> None:
    """The password the demo's sign-in screen states, as the demo seeder keeps it."""
    meta = Meta.__table__

    def work(s: Session) -> None:
        s.execute(delete(meta).where(meta.c.key == DEMO_PASSWORD_KEY))
        s.execute(insert(meta).values(key=DEMO_PASSWORD_KEY, value=password))

    store.write(work)
    reference(store, reload=True)


def trail(store: Store, login: str) -> list[tuple[str, str]]:
    """A user's events of no case, oldest first: (event, payload)."""
    events = AuditEvent.__table__.c
    with store.read() as s:
        rows = s.execute(
            select(events.action, events.payload)
            .where(events.actor == login, events.case_id.is_(None))
            .order_by(events.seq)
        ).all()
    return [(r.action, r.payload) for r in rows]
