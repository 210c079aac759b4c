"""The console's door: who may sit at it, proven by a password or by the CLI's shift token.

A Gate belongs to one console on one store. It turns a proven login into the `Session` the
screens act through, checks the same user's password again after an idle lock, and puts the
console's comings and goings (idle lock, sign-out, a session ended by another user's sign-in)
into the audit chain. The screens hold it through `console.views.context`, never the App.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from console import credentials
from console.db import Store
from console.domain.audit import TrailEvent
from console.domain.enums import UserKind
from console.domain.errors import Forbidden, GridcallError
from console.domain.lockout import Lockout
from console.domain.oversight import DEFAULT_OVERSIGHT, OversightRules
from console.domain.sla import SlaClock
from console.domain.whistle import DEFAULT_RULES, WhistleRules
from console.queries.handover import shift_start
from console.queries.reference import UserInfo, reference
from console.services import auth
from console.session import Session

WHERE = "console"  # the sign-in events' `where`, beside the CLI's


class Gate:
    def __init__(
        self,
        store: Store,
        clock: SlaClock,
        lang: str,
        tz: ZoneInfo,
        lockout: Lockout = auth.DEFAULT_LOCKOUT,
        *,
        bound_to: str | None = None,
        whistle: WhistleRules = DEFAULT_RULES,
        oversight: OversightRules = DEFAULT_OVERSIGHT,
    ) -> None:
        self.store = store
        self.clock = clock
        self.lang = lang
        self.tz = tz
        self.lockout = lockout
        self.whistle = whistle
        self.oversight = oversight
        # The store as the sign-in screen names it: its address, never its password.
        self.where: str = store.describe()
        # A console over SSH belongs to the user its key proved: nobody else signs in at it,
        # and signing out ends it.
        self.bound_to = bound_to

    @property
    def training(self) -> bool:
        """A training store (培训): its banner shows from the sign-in on."""
        return reference(self.store).centre.training

    @property
    def demo_password(self) -> str | None:
        """The demo store's documented password, which its sign-in screen states."""
        return reference(self.store).centre.demo_password

    def sign_in(self, login: str, password: str) -> Session:
        """A new session for this login, or the refusal (the same for an unknown login and a
        wrong password; locked out; disabled)."""
        if self.bound_to is not None and login.strip() != self.bound_to:
            raise Forbidden("error.console_bound", login=self.bound_to)
        login = auth.sign_in(self.store, login, password, where=WHERE, lockout=self.lockout)
        return self._session(login)

    def unlock(self, session: Session, password: str) -> Session:
        """The same user back at an idle-locked console: their session, as it was."""
        auth.sign_in(self.store, session.login, password, where=WHERE, lockout=self.lockout)
        return session

    def from_token(self) -> Session | None:
        """The session a signed-in CLI shift of this OS user proves on this store, if any:
        then the console opens without asking for the password again."""
        token = credentials.saved_token(self.store.describe())
        if token is None:
            return None
        try:
            login = auth.holder(self.store, token)
        except GridcallError:
            return None  # expired, ended or disabled: the sign-in screen asks
        user = self._known(login)
        if user is None or user.kind is not UserKind.PERSON:
            return None  # a service's API token opens no console
        auth.record(self.store, login, TrailEvent.SIGN_IN, {"where": WHERE, "by": "token"})
        return self._session(login)

    def admit(self, login: str) -> Session:
        """The session of a user proven before the console opened (an SSH key): the trail has
        their sign-in already."""
        return self._session(login)

    def record(self, login: str, what: TrailEvent, payload: dict[str, Any] | None = None) -> None:
        auth.record(self.store, login, what, payload)

    def _known(self, login: str) -> UserInfo | None:
        """The user, from the reference; read again when they were added since it was."""
        ref = reference(self.store)
        if login not in ref.user_by_login:
            ref = reference(self.store, reload=True)
        return ref.user_by_login.get(login)

    def _session(self, login: str) -> Session:
        """The session of a login just signed in: its shift begins with that sign-in."""
        self._known(login)
        shift = shift_start(self.store, login)
        return Session(
            self.store,
            self.clock,
            login,
            self.lang,
            self.tz,
            shift=shift,
            whistle=self.whistle,
            oversight=self.oversight,
        )
