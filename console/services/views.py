"""Saving and deleting a user's queue views (the number keys 1–9), one transaction each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from console.db import Store
from console.domain.errors import Invalid, NotFound
from console.domain.limits import VIEW_NAME_MAX, check_text
from console.domain.policy import desk
from console.models import SavedView
from console.queries.cases import QueueFilter, Sort
from console.queries.reference import reference
from console.queries.views import (
    SLOTS,
    View,
    check_filter,
    default_view,
    filter_to_json,
)

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

V = SavedView.__table__.c


def _slot(slot: int) -> None:
    if slot not in SLOTS:
        raise Invalid("error.view_slot", slot=slot)


def save_view(store: Store, login: str, slot: int, name: str, f: QueueFilter, sort: Sort) -> View:
    """Keep this filter and sort on the key `slot` for this user, replacing what was there."""
    ref = reference(store)
    user = ref.user(login)
    _slot(slot)
    name = " ".join(name.split())
    if not name:
        raise Invalid("error.view_name")
    if len(name) > VIEW_NAME_MAX:
        raise Invalid("error.view_name_long", max=VIEW_NAME_MAX)
    check_text("view_name", name, VIEW_NAME_MAX)
    check_filter(f, ref)
    values = {"name": name, "filters": filter_to_json(f), "sort": sort.value}

    def work(s: Session) -> None:
        # An upsert: two consoles of one user saving the same slot at once must not collide
        # on the unique (user, slot) key; the later save wins.
        # Each store's dialect, imported here: a console loads only its own store's.
        stmt: PgInsert | SqliteInsert
        if s.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt = pg_insert(SavedView.__table__)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(SavedView.__table__)
        stmt = stmt.values(user_id=user.id, slot=slot, **values)
        s.execute(stmt.on_conflict_do_update(index_elements=[V.user_id, V.slot], set_=values))

    store.write(work)
    return View(slot, name, f, sort, saved=True)


def delete_view(store: Store, login: str, slot: int) -> View:
    """Forget the user's view on `slot`; the slot's default is what it shows again."""
    user = reference(store).user(login)
    _slot(slot)

    def work(s: Session) -> None:
        gone = cast(  # a DELETE's result is a CursorResult; Session.execute says Result
            CursorResult[Any],
            s.execute(delete(SavedView.__table__).where(V.user_id == user.id, V.slot == slot)),
        )
        if gone.rowcount != 1:
            raise NotFound("error.view_not_saved", slot=slot)

    store.write(work)
    return default_view(slot, desk=desk(reference(store).actor(login)))
