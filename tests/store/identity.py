"""Signing in from tests: passwords for seeded users, and the CLI run in this process.

The demo store's users have no password until the demo seeds one, so tests give the users
they sign in as a password of their own, set by the seeded admin through the users service.
`gridcall` runs in-process through its real entry point (`console.cli.main`: errors mapped to
exit codes and one line), so a frozen clock (`console.wallclock.freeze`) reaches it.
"""

from __future__ import annotations

import gc
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from click.testing import CliRunner
from sqlalchemy import text, update

from console import cli
from console.db import Store
from console.demo.people import DEMO_PASSWORD
from console.domain.enums import Role
from console.models import User
from console.services import users
from console.services.auth import hash_password

PASSWORD = "correct-horse-42"
ADMIN = "admin"  # the demo district's admin


def give_password(store: Store, login: str, password: str = PASSWORD) -> None:
    """The admin sets it, as at a centre; the admin's own is written straight in, since
    changing one's own password needs the old one and the demo's admin has none yet."""
    if login != ADMIN:
        users.set_password(store, ADMIN, login, password)
        return
    hashed = hash_password(password)
    store.write(
        lambda s: s.execute(
            update(User.__table__)
            .where(User.__table__.c.login == login)
            .values(password_hash=hashed)
        )
    )


def add_section_user(store: Store, login: str, unit: str) -> None:
    """A street section's staff member (the demo seeds none yet), with the test password."""
    users.add_user(
        store, ADMIN, login, "测试科员", Role.SECTION, users.Scope(unit=unit), password=PASSWORD
    )


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def gridcall_here(
    *args: str, state: Path, stdin: str | None = None, token: str | None = None
) -> Ran:
    """`gridcall ARGS` in this process, for the OS user whose state directory is `state`."""
    env = {
        "GRIDCALL_STATE_DIR": str(state),
        "GRIDCALL_CONFIG": str(state.parent / "config.toml"),
        "GRIDCALL_DATA_DIR": str(state.parent / "data"),
        "GRIDCALL_TOKEN": token,
        "GRIDCALL_DATABASE_URL": None,
        "LC_ALL": "en_US.UTF-8",
    }
    code = 0
    with (
        CliRunner().isolation(input=stdin, env=env) as (out, err, _),
        mock.patch.object(sys, "argv", ["gridcall", *args]),
    ):
        try:
            cli.main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        printed, said = out.getvalue().decode(), err.getvalue().decode()
    gc.collect()  # each command opened its own store: let its connections go
    return Ran(code, printed, said)


class Desk:
    """The CLI of each person, signed in at their own OS account."""

    def __init__(self, store: Store, home: Path) -> None:
        self.store, self.home = store, home

    def __call__(self, login: str, *args: str) -> Ran:
        return gridcall_here(*args, "--db", self.store.url, state=self.sign_in(login))

    def sign_in(self, login: str) -> Path:
        """Their state directory, signed in on first use (the sign-in is in the trail too)."""
        state = self.home / login
        if not state.exists():
            signed = gridcall_here(
                "login",
                "--db",
                self.store.url,
                "--user",
                login,
                "--password-stdin",
                state=state,
                stdin=DEMO_PASSWORD + "\n",
            )
            assert signed.code == 0, signed.err
        return state

    def events(self) -> int:
        with self.store.read() as s:
            return int(s.execute(text("SELECT count(*) FROM audit_events")).scalar_one())

    def ok(self, login: str, *args: str) -> dict[str, object]:
        ran = self(login, *args, "--json")
        assert ran.code == 0, (login, args, ran.err)
        shown: dict[str, object] = json.loads(ran.out)
        return shown

    def refused(self, login: str, *args: str, says: str) -> None:
        self.sign_in(login)
        before = self.events()
        ran = self(login, *args)
        assert ran.code == 1, (login, args, ran.out)
        assert ran.err.strip().splitlines() == [ran.err.strip()] and says in ran.err, ran.err
        assert self.events() == before
