"""The operator's session: who acts, on which store, at what clock, in which language.

The one object through which the console and the CLI act and read. Screens hold it (never the
App) and post messages up for what the App coordinates; the CLI makes one per command. Every
write of the UI goes through here, so each is marked as the session's own: the store's notice
of it comes back to this console too, and needs no second reload (`console.live.Echoes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from console import wallclock
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Role
from console.domain.errors import Forbidden
from console.domain.figures import By, Tally
from console.domain.handover import hands_over, scope_key
from console.domain.intake import NewCase
from console.domain.oversight import OversightRules
from console.domain.period import midnight
from console.domain.policy import Actor
from console.domain.sla import SlaClock
from console.domain.training import TrainingClock
from console.domain.whistle import WhistleRules
from console.domain.workflow import Params
from console.live import Echoes
from console.queries import cases as q
from console.queries import figures as fq
from console.queries import handover as handover_q
from console.queries.counts import Counts, header_counts
from console.queries.figures import Group, Span
from console.queries.grids import GridCard, grid_card
from console.queries.handover import HandoverNote, OpenItems, ShiftStart
from console.queries.reference import Reference, UserInfo, reference
from console.queries.training import first_sign_in, training_clock
from console.queries.views import View, views
from console.services import oversight as oversight_service
from console.services import views as saved
from console.services.cases import act, create_case, report_handled
from console.services.handover import save_handover
from console.services.personal import reveal_phone
from console.services.training import set_clock

if TYPE_CHECKING:
    from console.demo.training import TrainerBoard
    from console.domain.scenario import Event, Expectation

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
    # The sign-in that began this shift (the console's door finds it as the session opens);
    # None for a session that was not signed in at a door: a command, a test, the bench.
    shift: ShiftStart | None = None
    # 吹哨报到: the centre's hours for a summoned department's task (the config's [whistle]).
    whistle: WhistleRules = field(default_factory=WhistleRules)
    # Automatic 督办: the centre's rules (the config's [oversight]), which `sweep` applies.
    oversight: OversightRules = field(default_factory=OversightRules)
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

    @property
    def training(self) -> bool:
        """A training store (培训): its banner on every screen, its time the trainer's."""
        return self.reference.centre.training

    def follow_training_clock(self) -> TrainingClock | None:
        """A training store's console reads the trainer's clock again and lives in its time
        from now on; the clock read (None for a production store, which keeps none)."""
        if not self.training:
            return None
        clock = training_clock(self.store)
        wallclock.follow(clock.now if clock is not None else None)
        return clock

    def first_time_here(self) -> bool:
        """A trainee signing in to this training store for the first time: the console shows
        them its tour. The trainer, and every production user, never."""
        return (
            self.training
            and self.user.role is not Role.TRAINER
            and first_sign_in(self.store, self.login)
        )

    def training_hint(self) -> Expectation | None:
        """The next step a training scenario in guided mode expects; None in an exam, without
        a scenario, or with nothing waiting."""
        if not self.training:
            return None
        # Loaded by a training console only: the seeder behind it is no production console's.
        from console.demo.training import hint

        return hint(self.store)

    # --- the trainer's hand on a drill (training stores only) --------------------------------
    # The seeder behind a drill is loaded by a training console only, as for the hint above.

    @property
    def drives_training(self) -> bool:
        """The trainer in a training store: theirs are the drill's clock and its events."""
        return self.training and self.actor.role is Role.TRAINER

    def trainer_board(self) -> TrainerBoard | None:
        """The drill now: the clock, the scoreboard, the timeline and each expected step's
        verdict so far; None without a scenario (or on a production store)."""
        if not self.training:
            return None
        from console.demo.training import trainer_board

        return trainer_board(self.store, wallclock.now())

    def fire_training_events(self) -> list[Event]:
        """The scenario's events whose training time has come, made to happen (as `gridcall
        train play` does): the trainer's console directs the drill itself."""
        from console.demo.training import fire_due

        self._trainer_only()
        return fire_due(self.store, self.clock, wallclock.now())

    def pause_training(self) -> TrainingClock:
        """Freeze the training clock: every console on the store holds still."""
        return self._move_clock(lambda clock, wall: clock.freeze(wall))

    def resume_training(self, rate: float) -> TrainingClock:
        """Run the training clock from where it stands at `rate` (×1 to ×60)."""
        return self._move_clock(lambda clock, wall: clock.run(wall, rate))

    def advance_training(self, by: timedelta) -> TrainingClock:
        """Move the training clock on by `by`, running or frozen as it was."""
        return self._move_clock(lambda clock, wall: clock.advance(wall, by))

    def advance_training_to_next_event(self) -> TrainingClock | None:
        """Move the training clock on to the scenario's next event still to fire; None (and
        nothing moved) when none waits ahead."""
        from console.demo.training import playing

        self._trainer_only()
        found = playing(self.store)
        clock = training_clock(self.store)
        wall = wallclock.wall()
        by = found[0].to_next_event(clock.now(wall)) if found and clock else None
        if clock is None or by is None:
            return None
        moved = clock.advance(wall, by)
        set_clock(self.store, moved)
        return moved

    def restart_training(self) -> None:
        """The drill again from its beginning, at its next start on the training clock
        (`console.demo.training.restart`)."""
        from console.demo.training import restart

        self._trainer_only()
        restart(self.store, wallclock.wall())

    def _move_clock(
        self, move: Callable[[TrainingClock, datetime], TrainingClock]
    ) -> TrainingClock:
        self._trainer_only()
        clock = training_clock(self.store)
        assert clock is not None, "a training store keeps its clock from the day it is made"
        # The clock's own arithmetic is on the wall clock's instants, as `train clock`'s is.
        moved = move(clock, wallclock.wall())
        set_clock(self.store, moved)
        return moved

    def _trainer_only(self) -> None:
        """The drill is the trainer's to drive: in a training store, by the trainer."""
        if not self.drives_training:
            raise Forbidden("error.trainer_only", login=self.login)

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
        return views(self.store, self.login, self.today())

    # --- the centre's figures, within this user's scope ---------------------------------------

    def today(self) -> date:
        """The centre's calendar day now."""
        return wallclock.now().astimezone(self.tz).date()

    def days(self, first: date, last: date) -> Span:
        """The centre's calendar days first…last."""
        return Span.days(first, last, self.tz)

    def by_now_yesterday(self) -> Span:
        """Yesterday from its midnight to the time of day it is now: today so far's match."""
        now = wallclock.now()
        today = now.astimezone(self.tz).date()
        yesterday = Span.days(today - timedelta(days=1), today - timedelta(days=1), self.tz)
        return replace(yesterday, end=yesterday.start + (now - midnight(today, self.tz)))

    def figures(self, span: Span) -> Tally:
        """The figures of the cases reported in the span, whole."""
        return fq.tally(self.store, self.actor, span, wallclock.now())

    def figures_by(self, span: Span, by: By) -> dict[Group, Tally]:
        """The figures of the cases reported in the span, by group (`console.domain.figures`)."""
        return fq.tally_by(self.store, self.actor, span, wallclock.now(), by)

    def trend(self, span: Span) -> list[tuple[date, int, int]]:
        """(day, reported, closed) for every day of the span."""
        return fq.trend(self.store, self.actor, span)

    def red_units(self) -> list[tuple[int | None, int, datetime]]:
        """The units holding cases in red now, the most first (None: no unit holds them)."""
        return fq.red_units(self.store, self.actor, wallclock.now())

    # --- acting: one write path ---------------------------------------------------------------

    def act(
        self, code: str, action: Action, params: Params | None = None, version: int | None = None
    ) -> q.CaseDetail:
        """Take `action` on case `code` as this session's user. `version`: the version the
        operator saw; a case changed since is a Conflict naming who changed it."""
        return self._own_write(
            lambda: act(
                self.store,
                self.clock,
                self.login,
                code,
                action,
                params,
                version=version,
                whistle=self.whistle,
            ),
            _newest,
        )

    def sweep(self, *, dry_run: bool = False) -> list[oversight_service.Issued]:
        """One sweep of automatic 督办 over the whole store, by the system (not this user):
        every console runs it, and what another wrote first is not written twice."""
        return oversight_service.sweep(self.store, self.clock, self.oversight, dry_run=dry_run)

    def report(self, new: NewCase) -> q.CaseDetail:
        """Report a new case as this session's user."""
        return self._own_write(
            lambda: create_case(self.store, self.clock, self.login, new), _newest
        )

    def report_handled(self, new: NewCase, result: str, photo: str) -> q.CaseDetail:
        """Report a case this grid worker handled on the spot (自办自结), in one step."""
        return self._own_write(
            lambda: report_handled(
                self.store, self.clock, self.login, new, result=result, photo=photo
            ),
            _newest,
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

    # --- the shift handover (交接班) --------------------------------------------------------------

    @property
    def handover_scope(self) -> str | None:
        """Whose next shift reads this user's handover (`console.domain.handover.scope_key`)."""
        return scope_key(self.actor)

    @property
    def hands_over(self) -> bool:
        """Whether this user writes a handover, and is offered one as they sign out."""
        return hands_over(self.actor)

    def open_items(self, urgent_hours: int) -> OpenItems:
        """What this shift leaves open in the user's scope, for the handover's draft."""
        return handover_q.open_items(
            self.store, self.actor, wallclock.now(), shift=self.shift, urgent_hours=urgent_hours
        )

    def save_handover(self, body: str) -> HandoverNote:
        """Keep this user's handover for the next shift of their scope."""
        began = self.shift.at if self.shift is not None else None
        saved = self._own_write(
            lambda: save_handover(self.store, self.login, body, shift_began=began),
            lambda done: done.event,
        )
        return saved.note

    def latest_handover(self) -> HandoverNote | None:
        """The newest handover of this user's scope."""
        return handover_q.latest(self.store, self.actor)

    def handovers(self, limit: int = 20, before: HandoverNote | None = None) -> list[HandoverNote]:
        """The handovers this user may read, newest first, a page after `before`."""
        return handover_q.notes(self.store, self.actor, limit=limit, before=before)

    def handover(self, note_id: int) -> HandoverNote:
        """One handover by its number, if this user may read it."""
        return handover_q.note(self.store, self.actor, note_id)

    def handover_news(self, within: timedelta) -> HandoverNote | None:
        """The last shift's handover, if it is news to this user as their shift begins."""
        if self.shift is None:
            return None
        return handover_q.unseen(self.store, self.actor, self.shift, wallclock.now(), within)

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
