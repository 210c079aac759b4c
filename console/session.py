"""The operator's session: who acts, on which store, at what clock, in which language.

The one object through which the console and the CLI act and read. Screens hold it (never the
App) and post messages up for what the App coordinates; the CLI makes one per command. Every
write of the UI goes through here, so each is marked as the session's own: the store's notice
of it comes back to this console too, and needs no second reload (`console.live.Echoes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar
from zoneinfo import ZoneInfo

from console import wallclock
from console.db import Store
from console.domain.actions import Action
from console.domain.intake import NewCase
from console.domain.policy import Actor
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.live import Echoes
from console.queries import cases as q
from console.queries.counts import Counts, header_counts
from console.queries.grids import GridCard, grid_card
from console.queries.reference import Reference, UserInfo, reference
from console.queries.views import View, views
from console.services import views as saved
from console.services.cases import act, create_case
from console.services.personal import reveal_phone

T = TypeVar("T")


def _newest(d: q.CaseDetail) -> int | None:
    return d.newest_event


def _ignore(newest: int | None) -> None:
    """Where a held notice goes when nobody follows the store's changes (the CLI)."""


@dataclass(eq=False)
class Session:
    store: Store
    clock: SlaClock
    login: str
    lang: str
    tz: ZoneInfo
    # Called, from the writing thread, with a notice of another console's change that came
    # back while this session's own write was in flight (None: not known which).
    held_notice: Callable[[int | None], None] = _ignore
    echoes: Echoes = field(default_factory=Echoes)
    # Phones this user revealed, by case: shown in full wherever the case is shown again.
    _revealed: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    # --- who, and what they see -------------------------------------------------------------

    @property
    def reference(self) -> Reference:
        return reference(self.store)

    @cached_property
    def actor(self) -> Actor:
        return self.reference.actor(self.login)

    @cached_property
    def user(self) -> UserInfo:
        return self.reference.user(self.login)

    def case(self, code: str, *, timeline: bool = True) -> q.CaseDetail:
        """The case, if this user may read it: out of scope it is NotFound, like no case."""
        return q.detail(self.store, self.actor, code, timeline=timeline)

    def codes_of(self, ids: Iterable[int]) -> list[str]:
        return q.codes_of(self.store, self.actor, ids)

    def grid_card(self, grid_id: int) -> GridCard:
        return grid_card(self.store, self.actor, grid_id, wallclock.now())

    def counts(self) -> Counts:
        return header_counts(self.store, self.actor, wallclock.now())

    def views(self) -> dict[int, View]:
        return views(self.store, self.login)

    # --- acting: one write path ---------------------------------------------------------------

    def act(
        self, code: str, action: Action, params: Params | None = None, version: int | None = None
    ) -> q.CaseDetail:
        """Take `action` on case `code` as this session's user. `version`: the version the
        operator saw; a case changed since is a Conflict naming who changed it."""
        return self._own_write(
            lambda: act(self.store, self.clock, self.login, code, action, params, version=version),
            _newest,
        )

    def report(self, new: NewCase) -> q.CaseDetail:
        """Report a new case as this session's user."""
        return self._own_write(
            lambda: create_case(self.store, self.clock, self.login, new), _newest
        )

    def reveal(self, code: str) -> str:
        """The reporter's phone of `code` in full, for a user who may see it; the trail
        records that they looked (refused, with the policy's reason, for everyone else)."""
        revealed = self._own_write(
            lambda: reveal_phone(self.store, self.login, code), lambda r: r.event
        )
        self._revealed[code] = revealed.phone
        return revealed.phone

    def revealed(self, code: str) -> str | None:
        """The phone of `code` if this user revealed it in this session."""
        return self._revealed.get(code)

    def save_view(self, slot: int, name: str, f: q.QueueFilter, sort: q.Sort) -> View:
        return saved.save_view(self.store, self.login, slot, name, f, sort)

    def delete_view(self, slot: int) -> View:
        return saved.delete_view(self.store, self.login, slot)

    def is_news(self, newest: int | None) -> bool:
        """Whether a notice of the store's newest event `newest` shows something this session
        has not shown yet (not the echo of its own write)."""
        return bool(self.echoes.judge(newest))  # None: held until this session's write is marked

    def _own_write(self, write: Callable[[], T], newest: Callable[[T], int | None]) -> T:
        """Run one write of this session's, marked as its own by its newest event."""
        self.echoes.writing()
        done: T | None = None
        try:
            done = write()
            return done
        finally:
            held = self.echoes.written(newest(done) if done is not None else None)
            if held is not None:
                self.held_notice(held)
