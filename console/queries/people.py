"""The users' state that changes by the minute, so it is read fresh, not from the reference."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from console.db import Store
from console.models import User

U = User.__table__.c


def locked_until(store: Store, now: datetime) -> dict[str, datetime]:
    """The logins locked out by failed sign-ins at `now`, and until when."""
    with store.read() as s:
        rows = s.execute(select(U.login, U.locked_until).where(U.locked_until > now)).all()
    return {r.login: r.locked_until for r in rows}
