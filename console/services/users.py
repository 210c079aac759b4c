"""Managing the console's users: add, set a password, disable, enable, give a role, issue a
service's API token.

Only a user who manages users (an admin, or a user with the admin flag) changes others; anyone
changes their own password, given the old one. Every change is one transaction that writes a
`user-changed` event into the trail, signed by who made it; bad input writes nothing. Afterwards
the store's cached reference is read again, so this process sees the change at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from console import wallclock
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.enums import AreaLevel, Role, UnitKind, UserKind
from console.domain.errors import Forbidden, Invalid, Label, NotFound
from console.domain.limits import LOGIN, USER_NAME_MAX, check_text
from console.domain.oversight import SYSTEM
from console.domain.policy import POLICY
from console.models import SignIn, User
from console.queries.reference import Reference, UserInfo, reference
from console.services import auth
from console.services.audit import append_trail

U = User.__table__.c
T = SignIn.__table__.c


@dataclass(frozen=True)
class Scope:
    """Where a user works, as codes; each role takes the one kind of place it reads from."""

    street: str | None = None
    community: str | None = None
    grid: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Place:
    """The place a role needs: which kind, whether it may be left out (the whole district),
    and for a unit, which kinds of unit the role stands for."""

    kind: str | None  # "street", "community", "grid", "unit"; None: no place at all
    required: bool = True
    unit_kinds: frozenset[UnitKind] = frozenset()


# Read beside the policy's reach: a grid worker reads their grid, a community operator their
# community, a liaison or a section's staff their unit, an operator their street; supervisors
# and leaders a street or (left out) the district; trainers and admins the district.
PLACES: dict[Role, Place] = {
    Role.GRID_WORKER: Place("grid"),
    Role.COMMUNITY: Place("community"),
    Role.LIAISON: Place("unit", unit_kinds=frozenset({UnitKind.DEPARTMENT, UnitKind.COMPANY})),
    Role.SECTION: Place("unit", unit_kinds=frozenset({UnitKind.SECTION})),
    Role.OPERATOR: Place("street"),
    Role.SUPERVISOR: Place("street", required=False),
    Role.LEADER: Place("street", required=False),
    Role.TRAINER: Place(None),
    Role.ADMIN: Place(None),
}
_PLACE_LABEL = {
    "street": Label("level", "street"),
    "community": Label("level", "community"),
    "grid": Label("level", "grid"),
    "unit": Label("field", "unit"),
}


def placed(ref: Reference, role: Role, scope: Scope) -> dict[str, int | None]:
    """The user's place columns for this role and scope, or Invalid saying what is wrong.

    A grid worker, a community operator and a section's staff also carry their street, as the
    demo district's users do, so the street a user works in is always known."""
    need = PLACES[role]
    given = {k: v for k, v in vars(scope).items() if v}
    role_label = Label("role", role.value)
    extra = sorted(set(given) - {need.kind})
    if extra:
        raise Invalid("error.scope_not_for_role", role=role_label, place=_PLACE_LABEL[extra[0]])
    code = given.get(need.kind) if need.kind else None
    if need.kind is not None and code is None and need.required:
        raise Invalid("error.scope_needed", role=role_label, place=_PLACE_LABEL[need.kind])
    columns: dict[str, int | None] = {
        "street_id": None,
        "community_id": None,
        "grid_id": None,
        "unit_id": None,
    }
    if code is None:
        return columns
    if need.kind == "unit":
        unit = ref.unit(code)
        if unit.kind not in need.unit_kinds:
            raise Invalid(
                "error.unit_not_for_role",
                unit=code,
                role=role_label,
                kinds=tuple(Label("unit_kind", k.value) for k in sorted(need.unit_kinds)),
            )
        return columns | {"unit_id": unit.id, "street_id": unit.street_id}
    if need.kind == "grid":
        grid = ref.grid(code)
        return columns | {"grid_id": grid.id, "street_id": grid.street_id}
    area = ref.area(code)
    level = AreaLevel.STREET if need.kind == "street" else AreaLevel.COMMUNITY
    if area.level is not level:
        raise Invalid("error.not_a_place", code=code, place=Label("level", level.value))
    if level is AreaLevel.STREET:
        return columns | {"street_id": area.id}
    return columns | {"community_id": area.id, "street_id": area.street_id}


def user_row(s: Session, login: str) -> Any:
    row = s.execute(select(User.__table__).where(U.login == login).with_for_update()).first()
    if row is None:
        raise NotFound("error.no_user", login=login)
    return row


def _manages(row: Any) -> bool:
    return bool(row.admin) or POLICY[Role(row.role)].manages_users


def require_manager(s: Session, by: str) -> None:
    """Refuse unless `by` is an active user who manages users (read now, not from a cache)."""
    row = s.execute(select(U.active, U.admin, U.role).where(U.login == by)).first()
    if row is None or not row.active or not _manages(row):
        raise Forbidden("error.manages_users")


def _managers_left(s: Session) -> int:
    rows = s.execute(select(U.admin, U.role).where(U.active.is_(True))).all()
    return sum(1 for r in rows if _manages(r))


def check_login(login: str) -> str:
    login = login.strip()
    if not LOGIN.fullmatch(login):
        raise Invalid("error.bad_login", login=login, max=32)
    if login.lower() == SYSTEM:  # the trail's own actor for automatic urges: no one else's
        raise Invalid("error.system_login", login=login)
    return login


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise Invalid("error.name_missing")
    check_text("name", name, USER_NAME_MAX)
    return name


def record_change(
    s: Session, by: str, at: datetime, login: str, change: str, **payload: Any
) -> None:
    append_trail(s, by, at, TrailEvent.USER_CHANGED, {"login": login, "change": change, **payload})


def _written(store: Store, login: str) -> UserInfo:
    return reference(store, reload=True).user(login)


def _end_tokens(s: Session, user_id: int, at: datetime) -> None:
    s.execute(
        update(SignIn.__table__)
        .where((T.user_id == user_id) & T.ended_at.is_(None))
        .values(ended_at=at)
    )


def add_user(
    store: Store,
    by: str,
    login: str,
    name: str,
    role: Role,
    scope: Scope = Scope(),
    *,
    admin: bool = False,
    kind: UserKind = UserKind.PERSON,
    password: str | None = None,
    now: datetime | None = None,
) -> UserInfo:
    """Add a user. A person signs in with `password`; a service account has none (its API
    token comes from `new_api_token`)."""
    at = now or wallclock.now()
    login, name = check_login(login), check_name(name)
    columns = placed(reference(store), role, scope)
    if kind is UserKind.SERVICE and password is not None:
        raise Invalid("error.service_no_password", login=login)
    hashed = auth.hash_password(password) if password is not None else None

    def work(s: Session) -> None:
        require_manager(s, by)
        _insert(s, login, name, role, columns, admin, kind, hashed)
        record_change(s, by, at, login, "added", role=role.value, kind=kind.value, admin=admin)

    store.write(work)
    return _written(store, login)


def _insert(
    s: Session,
    login: str,
    name: str,
    role: Role,
    columns: dict[str, int | None],
    admin: bool,
    kind: UserKind,
    hashed: str | None,
) -> None:
    if s.execute(select(U.id).where(U.login == login)).first() is not None:
        raise Invalid("error.user_exists", login=login)
    s.execute(
        insert(User.__table__).values(
            login=login,
            name=name,
            role=role.value,
            active=True,
            kind=kind.value,
            admin=admin,
            password_hash=hashed,
            **columns,
        )
    )


def first_admin(
    store: Store, login: str, name: str, password: str, *, now: datetime | None = None
) -> UserInfo:
    """The first user of an empty store (`gridcall init`): an admin, who adds the rest."""
    at = now or wallclock.now()
    login, name = check_login(login), check_name(name)
    columns = placed(reference(store), Role.ADMIN, Scope())
    hashed = auth.hash_password(password)

    def work(s: Session) -> None:
        if s.execute(select(func.count()).select_from(User.__table__)).scalar_one():
            raise Forbidden("error.has_users")
        _insert(s, login, name, Role.ADMIN, columns, False, UserKind.PERSON, hashed)
        record_change(s, login, at, login, "added", role=Role.ADMIN.value, via="init")

    store.write(work)
    return _written(store, login)


def set_password(
    store: Store,
    by: str,
    login: str,
    password: str,
    *,
    old: str | None = None,
    now: datetime | None = None,
) -> None:
    """Set a person's password: their own, given the old one; anyone's, by a user manager."""
    at = now or wallclock.now()
    hashed = auth.hash_password(password)

    def work(s: Session) -> None:
        row = user_row(s, login)
        if by == login:
            if old is None or not auth.matches(row.password_hash, old):
                raise Forbidden("error.old_password")
        else:
            require_manager(s, by)
        if row.kind != UserKind.PERSON.value:
            raise Invalid("error.service_no_password", login=login)
        s.execute(update(User.__table__).where(U.id == row.id).values(password_hash=hashed))
        record_change(s, by, at, login, "password")

    store.write(work)
    reference(store, reload=True)


def disable(store: Store, by: str, login: str, *, now: datetime | None = None) -> UserInfo:
    """Disable a user: their sign-ins and tokens end now; the trail keeps their name."""
    at = now or wallclock.now()

    def work(s: Session) -> None:
        require_manager(s, by)
        row = user_row(s, login)
        s.execute(update(User.__table__).where(U.id == row.id).values(active=False))
        _end_tokens(s, row.id, at)
        if _managers_left(s) == 0:
            raise Forbidden("error.last_manager", login=login)
        record_change(s, by, at, login, "disabled")

    store.write(work)
    return _written(store, login)


def enable(store: Store, by: str, login: str, *, now: datetime | None = None) -> UserInfo:
    """Enable a user again; a lockout from failed sign-ins ends too."""
    at = now or wallclock.now()

    def work(s: Session) -> None:
        require_manager(s, by)
        row = user_row(s, login)
        s.execute(
            update(User.__table__)
            .where(U.id == row.id)
            .values(active=True, failed_signins=0, locked_until=None)
        )
        record_change(s, by, at, login, "enabled")

    store.write(work)
    return _written(store, login)


def set_role(
    store: Store,
    by: str,
    login: str,
    role: Role,
    scope: Scope = Scope(),
    *,
    now: datetime | None = None,
) -> UserInfo:
    """Give a user a role and the place it needs (their old place goes with their old role)."""
    at = now or wallclock.now()
    columns = placed(reference(store), role, scope)

    def work(s: Session) -> None:
        require_manager(s, by)
        row = user_row(s, login)
        s.execute(update(User.__table__).where(U.id == row.id).values(role=role.value, **columns))
        if _managers_left(s) == 0:
            raise Forbidden("error.last_manager", login=login)
        record_change(s, by, at, login, "role", role=role.value)

    store.write(work)
    return _written(store, login)


def new_api_token(store: Store, by: str, login: str, *, now: datetime | None = None) -> str:
    """A new API token for a service account; its earlier API tokens end. Shown once: only
    its hash is kept."""
    at = now or wallclock.now()
    with store.read() as s:
        require_manager(s, by)
        row = s.execute(select(U.kind, U.active).where(U.login == login)).first()
    if row is None:
        raise NotFound("error.no_user", login=login)
    if row.kind != UserKind.SERVICE.value:
        raise Invalid("error.not_a_service", login=login)
    if not row.active:
        raise Forbidden("error.user_disabled", login=login)
    token = auth.issue_token(store, login, kind=auth.API, hours=None, now=at)
    kept = auth.token_hash(token)

    def work(s: Session) -> None:
        user_id = user_row(s, login).id
        s.execute(
            update(SignIn.__table__)
            .where(
                (T.user_id == user_id)
                & (T.kind == auth.API)
                & T.ended_at.is_(None)
                & (T.token_hash != kept)
            )
            .values(ended_at=at)
        )
        record_change(s, by, at, login, "token")

    store.write(work)
    return token
