"""The Textual App: one store, one signed-in user, the queue beside the case.

Given a session it opens on the queue. Given the console's gate (`console.gate`) it opens on
the sign-in screen unless the CLI's shift token proves the user already, locks itself after
the idle minutes, and opens a console afresh for whoever signs in next.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.filter import LineFilter
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from console import heap, wallclock
from console.config import Settings, config_path
from console.domain.audit import TrailEvent
from console.domain.errors import GridcallError
from console.domain.handover import shift_end_between
from console.domain.training import TrainingClock
from console.gate import Gate
from console.i18n import label, say, t
from console.live import ChangeWatcher
from console.present import pasted
from console.queries.counts import Counts
from console.queries.handover import HandoverNote
from console.session import Session
from console.settings_schema import refuse
from console.terminal import Colours, Terminal, read
from console.views import keymap, paste_guard
from console.views.drawing import OWN_THEMES, line_filters, theme_for
from console.views.hangup import HangupDriver
from console.views.messages import ClockMoved, SignedIn, StoreAway, Swept, Unlocked
from console.views.screens.actions import ActionScreen, CaseActionScreen
from console.views.screens.main import MainScreen
from console.views.screens.palette import Palette
from console.views.screens.sign_in import Door, LockScreen, SignInScreen
from console.views.screens.too_small import TooSmall, follow_size
from console.views.widgets.header import CentreHeader
from console.views.widgets.hint_line import HintLine
from console.views.widgets.key_echo import SHOWN, KeyEcho
from console.views.widgets.keynames import described, localise
from console.views.widgets.queue import QueueView
from console.views.widgets.text_limit import CappedInput, paste_limit
from console.views.widgets.training_banner import TrainingBanner

if TYPE_CHECKING:
    from console.domain.scenario import Event, Expectation

# How often an idle console is looked at: often enough to lock within half a minute of the
# idle time, rarely enough not to wake the process for nothing.
IDLE_CHECK = 30.0
SWEEP_EVERY = 60.0  # seconds between two sweeps of automatic 督办 (and one as the queue is up)
DIRECT_EVERY = 1.0  # seconds between two looks, on the trainer's console, for events fallen due
# The screens the queue's first frame does without, imported as they are first shown.
HANDOVER = "console.views.screens.handover"
DASHBOARD = "console.views.screens.dashboard"
TRAINER = "console.views.screens.trainer"  # a training console's alone


def _loaded(module: str, *names: str) -> tuple[type[Any], ...]:
    """The classes `names` of a screen module imported as first needed; none while it is not
    imported, for no screen can be one of them until it is."""
    found = sys.modules.get(module)
    return tuple(getattr(found, n) for n in names) if found is not None else ()


def _is_one(screen: Screen[Any], module: str, *names: str) -> bool:
    return isinstance(screen, _loaded(module, *names))


class GridcallApp(App[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "views/app.tcss",
        "views/actions.tcss",
        "views/find.tcss",
        "views/intake.tcss",
        "views/grid_browser.tcss",
        "views/sign_in.tcss",
        "views/handover.tcss",
        "views/dashboard.tcss",
        "views/trainer.tcss",
    ]
    TITLE = "Gridcall"
    ENABLE_COMMAND_PALETTE = True
    # Declared here (Textual adds its own otherwise) so the footer names it in the language.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+p", "command_palette", "palette", show=False, priority=True, id="app.palette"
        ),
        # Tab moves on as the key is read: keys typed ahead of the screen (a burst over SSH,
        # a paste) go to the field Tab took them to, not the end of the one before.
        Binding("tab", "focus_next", show=False, priority=True, id="app.next_field"),
        Binding("shift+tab", "focus_previous", show=False, priority=True, id="app.previous_field"),
        Binding("question_mark", "help", "Help", id="main.help"),
        Binding("ctrl+l", "sign_out", "Sign out", show=False, id="app.sign_out"),
    ]

    def __init__(
        self,
        session: Session | None = None,
        *,
        gate: Gate | None = None,
        login: str = "",
        settings: Settings | None = None,
        theme_name: str | None = None,
        live: bool = True,
        testing: bool = False,
        freeze_heap: bool = False,
        greeting: str | None = None,
        terminal: Terminal | None = None,
        dashboard: bool = False,
        echo_keys: bool = False,
    ) -> None:
        super().__init__(driver_class=HangupDriver)
        self.opens_on_dashboard = dashboard  # `run --dashboard`: each console opens on it
        paste_guard.install()
        self.greeting = greeting  # a word for the operator once the console is up
        if session is not None:
            self.lang = session.lang
        elif gate is not None:
            self.lang = gate.lang
        else:
            raise ValueError("a console needs a session, or a gate to sign in at")
        self._session = session
        self._gate = gate
        # A training store (培训): the banner on every screen, the trainer's clock followed.
        self.training = session.training if session is not None else bool(gate and gate.training)
        self._training_clock: TrainingClock | None = None
        self._minute_timer: Timer | None = None
        self._director: Timer | None = None  # the trainer's console fires the drill's events
        # For a room watching a training console: the last keys and what they did.
        self.echo_keys = echo_keys and self.training
        self._echoed: list[tuple[str, str]] = []
        self._last_echo: events.Key | None = None
        self._hint: str | None = None  # the guided mode's next step, as last read
        self.login_given = login  # the sign-in screen's login, filled in (`run --user`)
        localise(self, self.lang)
        self.settings = settings or Settings()
        self.live_enabled = live
        self._watching = False
        # The live watcher is connected and the screens have caught up with it: every change
        # from now on is announced (console.live).
        self.caught_up = False
        # Under test: no blinking cursors, so every snapshot of a screen is the same.
        self.testing = testing
        # Once the first page is shown the screens, styles and reference data stay for the
        # life of the process (console.heap). Tests leave it: they start hundreds of apps.
        self.freeze_heap = freeze_heap
        self._tidy: heap.Tidy | None = None
        self.theme_choice = theme_name or self.settings.theme
        # What the terminal shows: its colours, its glyphs, the mouse (`gridcall run` passes
        # App.run the mouse from it).
        self.terminal = terminal or read(os.environ, self.theme_choice)
        # Textual's `:nocolor` rules (reverse video for what colour marked) hold without colour;
        # ours are under the class `-no-colour` (on_mount), as NO_COLOR's greys need none.
        self.no_color = self.no_color or self.terminal.colours is Colours.NONE
        self._line_filters = line_filters(self.terminal)
        # A key or the mouse: the idle lock's start, on the wall clock (a training clock jumps).
        self.last_input: datetime = wallclock.wall()
        self.shift_end_checked: datetime = wallclock.now()  # shift ends until then were offered

    # The signed-in user's header, made for each session (`open_console`).
    header: CentreHeader

    @property
    def session(self) -> Session:
        """The signed-in user's session; only the door's screens are shown without one."""
        assert self._session is not None, "no one is signed in"
        return self._session

    @property
    def signed_in(self) -> bool:
        return self._session is not None

    @property
    def gate(self) -> Gate | None:
        return self._gate

    @property
    def live(self) -> bool:
        """The store answers: actions may be taken (read-only on what is shown otherwise)."""
        return self.header.live

    def action_help(self) -> None:
        """The keys live on the current screen (one line per action, all its keys), then the
        guide to the loop."""
        from console.views.screens.help import (
            HelpScreen,  # its Markdown is loaded when first asked for
        )

        if isinstance(self.screen, HelpScreen | Door):
            return
        lang = self.lang
        keys: dict[str, list[str]] = {}
        does: dict[str, str] = {}
        for active in self.active_bindings.values():
            b = active.binding
            if not b.id:
                continue  # Textual's own scrolling keys, which the queue's keys cover
            keys.setdefault(b.id, []).append(self.get_key_display(b))
            # A widget may say more than the catalogue: the view keys name their views.
            said = getattr(active.node, "key_help", None)
            does[b.id] = (said(b.id) if callable(said) else None) or t(f"key.{b.id}", lang)
        self.push_screen(HelpScreen([(" ".join(keys[i]), does[i]) for i in keys]))

    def action_command_palette(self) -> None:
        # Textual's own palette speaks English whatever the language (`Palette`).
        # is_open takes an App[object]; App is invariant in its result type, so App[None] is not
        # one to mypy, though is_open only reads the app's screen.
        if isinstance(self.screen, Door):
            return  # at the door there is nothing to act on yet, nor while it is locked
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(self.lang))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.signed_in and not (
            isinstance(screen, Door) or _is_one(screen, HANDOVER, "HandoverScreen")
        ):
            yield SystemCommand(
                t("key.handover.open", self.lang),
                self._shortcut(screen, "handover.open"),
                self.action_open_handover,
            )
        if isinstance(screen, MainScreen):
            yield SystemCommand(
                t("key.dashboard.open", self.lang),
                self._shortcut(screen, "dashboard.open"),
                screen.action_dashboard,
            )
        if self.training and isinstance(screen, MainScreen):
            yield SystemCommand(t("key.tour.open", self.lang), "", self.action_tour)
        if self.check_action("sign_out", ()):
            yield SystemCommand(
                t("key.app.sign_out", self.lang),
                self._shortcut(screen, "app.sign_out"),
                self.action_sign_out,
            )

    def _keys_of(self, screen: Screen[Any], binding_id: str) -> str:
        """The keys of a binding live on a screen, as the footer names them (after a keymap)."""
        return " ".join(
            self.get_key_display(active.binding)
            for active in screen.active_bindings.values()
            if active.binding.id == binding_id
        )

    def _bound_keys(self, screen: Screen[Any], binding_id: str) -> str:
        """The keys a screen binds to a binding after the keymap, whether or not its action
        applies this moment: the tour names a case's actions before a case is chosen."""
        return " ".join(
            self.get_key_display(binding)
            for _, bindings in screen._binding_chain
            for _, binding in bindings
            if binding.id == binding_id
        )

    def _shortcut(self, screen: Screen[Any], binding_id: str) -> str:
        """A palette command's help: its keys on the screen the palette was opened over."""
        keys = self._keys_of(screen, binding_id)
        return t("signin.cmd_help", self.lang, shortcut=keys) if keys else ""

    def get_key_display(self, binding: Binding) -> str:
        shown = super().get_key_display(binding)
        # Textual shows ↑ ⏎ ⌫ for keys; a terminal without them reads the key's own name.
        return shown if self.terminal.unicode or shown.isascii() else binding.key

    def get_line_filters(self) -> list[LineFilter]:
        return [*super().get_line_filters(), *self._line_filters]

    _quitting = False  # q was pressed (or the console ends): the screens are going away

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._quitting = True
        super().exit(*args, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        if self._quitting and isinstance(event, events.InputEvent):
            # A key typed right after q (a terminal sends both at once) would open a form on
            # a screen that is being taken down.
            return
        if isinstance(event, events.Paste):
            # Every field of every form: what a paste carries besides text never lands, and
            # what would take the field past its limit is refused whole, and said.
            event.text = pasted(event.text)
            if self._paste_refused(event.text):
                return
        if isinstance(event, events.InputEvent):
            self.last_input = wallclock.wall()
            if self._tidy is not None:
                self._tidy.input()
        if self.echo_keys and isinstance(event, events.Key):
            self._echo(event)
        await super().on_event(event)

    def _paste_refused(self, text: str) -> bool:
        field = self.focused
        most = paste_limit(field, text)
        if most is None:
            return False
        if isinstance(field, CappedInput):  # a field that names itself in its refusal
            words = field.full
        else:
            words = t("paste.too_long", self.lang, n=len(text), max=most)
        self.bell()
        self.notify(words, severity="warning", markup=False)
        return True

    def _echo(self, event: events.Key) -> None:
        """For the room: the key and the action it is bound to here; keys typed into a field
        are the field's, and say nothing."""
        if event is self._last_echo or (event.is_printable and isinstance(self.focused, Input)):
            return  # the key bubbling back up, or typed into a field
        self._last_echo = event
        active = self.screen.active_bindings.get(event.key)
        if active is None or not active.enabled or not active.binding.description:
            return
        pressed = (self.get_key_display(active.binding), described(active.binding, self.lang))
        self._echoed = [*self._echoed, pressed][-SHOWN:]
        for screen in self.screen_stack:
            for echo in screen.query(KeyEcho):
                echo.show(self._echoed)

    def on_mount(self) -> None:
        for theme in OWN_THEMES:
            self.register_theme(theme)
        self.theme = theme_for(self.terminal, self.theme_choice)
        self.set_class(self.terminal.colours is Colours.NONE, "-no-colour")
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if self._gate is not None:
            self.set_interval(IDLE_CHECK, self.lock_if_idle)
        if self.settings.handover.shift_ends:
            self.set_interval(IDLE_CHECK, self.offer_at_shift_end)
        session = self._session
        if session is None and self._gate is not None:
            proven = self._gate.from_token()
            # `run --user` naming someone else than the shift's user asks for their password.
            if proven is not None and self.login_given in ("", proven.login):
                session = proven
        if self.greeting:
            self.notify(self.greeting, timeout=15)
        if self.training:
            self.screen_change_signal.subscribe(self, self._mark_training)
        if session is None:
            self.push_screen(SignInScreen(self.login_given))
        else:
            self.open_console(session)
        follow_size(self, self.size, self.lang)

    def on_resize(self, event: events.Resize) -> None:
        if follow_size(self, event.size, self.lang):
            self.lock_if_idle()  # not while the notice hid the console: now, if it is due
        for screen in self.screen_stack:
            for banner in screen.query(TrainingBanner):
                banner.to_the_right(event.size.width)
            for echo in screen.query(KeyEcho):
                echo.above_the_footer(event.size.height)
            for line in screen.query(HintLine):
                line.above_the_echo(event.size.height)

    def _mark_training(self, screen: Screen[Any]) -> None:
        """Every screen of a training console carries the banner, from the sign-in on, and
        the key echo when the room watches it."""
        if not screen.query(TrainingBanner):
            screen.mount(TrainingBanner(t("ui.training", self.lang)))
        if self.echo_keys and not screen.query(KeyEcho):
            echo = KeyEcho()
            screen.mount(echo)
            echo.show(self._echoed)
        if not screen.query(HintLine):
            line = HintLine()
            screen.mount(line)
            line.show(t("train.next", self.lang), self._hint)

    # --- who sits at the console --------------------------------------------------------------

    def open_console(self, session: Session) -> None:
        """The console of this session, on its queue; the screens of any session before it
        are discarded (another user at the lock screen, a sign-in after a sign-out)."""
        # The store's state carries over to the next user's header: the live watch goes on.
        live = self.header.live if hasattr(self, "header") else True
        self._session = session
        self._training_clock = session.follow_training_clock()
        # A notice that came back while this console's own write was in flight.
        session.held_notice = lambda newest: self.call_from_thread(self.store_changed, newest)
        self.header = self._header(session)
        self.header.live = live
        self.watch(self.header, "live", self._live_changed, init=False)
        self.last_input = wallclock.wall()
        self._discard_screens()
        main = MainScreen(self.header)
        self.push_screen(main)
        if self._director is not None:
            self._director.stop()
            self._director = None
        if session.drives_training:
            # The trainer's console opens on the drill, and directs it: no second terminal
            # running `gridcall train play`.
            from console.views.screens import trainer  # a training console's

            self.push_screen(trainer.TrainerScreen())
            self._director = self.set_interval(DIRECT_EVERY, self.direct)
        elif self.opens_on_dashboard:
            main.action_dashboard()
        if self._watching:  # a console before this one started the counts and the live watch
            self.refresh_counts()
        if self._gate is not None:
            self._last_shifts_news(session)
            if session.first_time_here():
                self.call_after_refresh(self.action_tour)

    def action_tour(self) -> None:
        """The training console's tour, naming the keys the main screen binds now."""
        from console.views.screens.tour import PAGES, TourPage, TourScreen  # training only

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None or isinstance(self.screen, TourScreen):
            return
        lang = self.lang
        pages = []
        for name, ids in PAGES:
            keys = tuple(
                (shown, t(f"key.{i}", lang)) for i in ids if (shown := self._bound_keys(main, i))
            )
            title, text = t(f"tour.{name}.title", lang), t(f"tour.{name}.text", lang)
            pages.append(TourPage(title, text, keys))
        self.push_screen(TourScreen(pages))

    def _header(self, session: Session) -> CentreHeader:
        ref = session.reference
        user = session.user
        district = next((a for a in ref.areas.values() if a.level.value == "district"), None)
        street = ref.areas[user.street_id].name if user.street_id else None
        centre = street or (district.name if district else "Gridcall")
        kind = "SQLite" if session.store.is_sqlite else "PostgreSQL"
        header = CentreHeader(
            centre,
            user.name,
            label("role", user.role, session.lang),
            kind,
            session.tz,
            session.lang,
        )
        if self.training:  # the banner covers the line's right end
            header.reserve = TrainingBanner(t("ui.training", session.lang)).cells
        return header

    def _discard_screens(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, TooSmall) and action in ("help", "command_palette", "sign_out"):
            return False  # nothing of the console's is shown to act on
        if action == "sign_out":
            return self._gate is not None and self.signed_in and not isinstance(self.screen, Door)
        if action == "open_handover":
            return self.signed_in and not (
                isinstance(self.screen, Door) or _is_one(self.screen, HANDOVER, "HandoverScreen")
            )
        return True

    def action_sign_out(self) -> None:
        """The user leaves. One who hands over is asked first whether to write the handover
        for the next shift, leave without it, or stay."""
        if _is_one(self.screen, HANDOVER, "SignOutOffer", "HandoverForm"):
            return  # asked already, or writing it
        if not self.session.hands_over:
            self._sign_out()
            return
        from console.views.screens.handover import SignOutOffer

        self.push_screen(SignOutOffer(), self._sign_out_answered)

    def _sign_out_answered(self, answer: str | None) -> None:
        if answer == "leave":
            self._sign_out()
        elif answer == "write":
            from console.views.screens.handover import HandoverForm

            self.push_screen(HandoverForm(), self._handed_over)

    def _handed_over(self, note: HandoverNote | None) -> None:
        """The handover is kept: the user leaves. Left unsaved, they stay."""
        if note is not None:
            self._sign_out(said="handover.signed_out_saved")

    def _sign_out(self, said: str = "signin.signed_out") -> None:
        """The trail says the user left, and the console returns to the sign-in screen."""
        if self._gate is not None and self._gate.bound_to is not None:
            self.exit()  # an SSH console ends with its user's shift; its server writes the trail
            return
        session = self.session
        self._record(session.login, TrailEvent.SIGN_OUT, {"where": "console"})
        self._session = None
        self._discard_screens()
        line = t(said, self.lang, name=session.user.name)
        self.push_screen(SignInScreen(session.login, said=line))

    # --- the shift handover (交接班) --------------------------------------------------------------

    def action_open_handover(self) -> None:
        """The latest handover of the user's scope, from anywhere (key H, or the palette)."""
        from console.views.screens.handover import HandoverScreen

        self.push_screen(HandoverScreen())

    @work(thread=True, exclusive=True, group="handover-news", exit_on_error=False)
    def _last_shifts_news(self, session: Session) -> None:
        """As a shift begins: the last shift's handover, shown once if it is news to the user
        (someone else's, within a shift's length, not followed by a sign-out of theirs)."""
        assert self._gate is not None
        within = timedelta(hours=self._gate.lockout.shift_hours)
        try:
            note = session.handover_news(within)
        except GridcallError as exc:
            self.call_from_thread(self.store_away, exc)
            return
        if note is not None:
            self.call_from_thread(self._show_news, session, note)

    def _show_news(self, session: Session, note: HandoverNote) -> None:
        if self._session is session and not isinstance(self.screen, Door):
            from console.views.screens.handover import HandoverScreen

            self.push_screen(HandoverScreen(note, news=True))

    def offer_at_shift_end(self) -> None:
        """At a shift end the centre set ([handover] shift_ends), once: a word that the
        handover is due, with the keys that write it."""
        now = wallclock.now()
        since, self.shift_end_checked = self.shift_end_checked, now
        session = self._session
        if session is None or isinstance(self.screen, Door) or not session.hands_over:
            return
        rules = self.settings.handover
        end = shift_end_between(since, now, rules.shift_ends, session.tz)
        if end is None:
            return
        # The keys as the queue's screen has them, wherever the user is (a keymap may move them).
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        opens = self._keys_of(main, "handover.open")
        sign_out = self._keys_of(main, "app.sign_out")
        said = t(
            "handover.shift_end", self.lang, time=f"{end:%H:%M}", open=opens, sign_out=sign_out
        )
        self.notify(said, timeout=60)

    def lock_if_idle(self) -> None:
        """Lock the console when no key or mouse has moved for the centre's idle minutes."""
        gate = self._gate
        if gate is None or self._session is None or isinstance(self.screen, Door | TooSmall):
            return
        minutes = gate.lockout.idle_minutes
        if wallclock.wall() - self.last_input >= timedelta(minutes=minutes):
            self._record(self._session.login, TrailEvent.IDLE_LOCK, {"minutes": minutes})
            self.push_screen(LockScreen(self._session, minutes))

    def on_signed_in(self, message: SignedIn) -> None:
        before = self._session
        if before is not None and before.login != message.session.login:
            # A shared workstation at shift change: the first user's session ends here.
            self._record(before.login, TrailEvent.SESSION_ENDED, {"by": message.session.login})
            self.notify(t("lock.took_over", self.lang, name=before.user.name))
        self.open_console(message.session)

    def on_unlocked(self, message: Unlocked) -> None:
        if isinstance(self.screen, LockScreen):
            self.pop_screen()
        self.last_input = wallclock.wall()

    @work(thread=True, group="trail", exit_on_error=False)
    def _record(self, login: str, what: TrailEvent, payload: dict[str, Any]) -> None:
        """Put the console's comings and goings into the trail, off the screen's thread."""
        assert self._gate is not None
        try:
            self._gate.record(login, what, payload)
        except GridcallError as exc:
            self.call_from_thread(self.store_away, exc)

    def _queue_shown(self) -> None:
        """The queue's first page is in (or the store did not answer it): only now the header
        counts and the live watch start, so that they do not hold up the first screen."""
        if self._watching:
            return
        self._watching = True
        if self.freeze_heap:
            heap.freeze()
            self._tidy = heap.Tidy()
            self.set_interval(heap.QUIET / 2, self._tidy.tick)
        self.refresh_counts()
        if self.live_enabled:
            self.watch_store()
            self._at_next_minute()
            # Automatic 督办: every console sweeps (the store makes sure each urge is written
            # once), so that a centre without cron still urges on time.
            self.sweep()
            self.set_interval(SWEEP_EVERY, self.sweep)

    @work(thread=True, exclusive=True, group="oversight", exit_on_error=False)
    def sweep(self) -> None:
        """One sweep of automatic 督办, by the system, off the screen's thread."""
        session = self._session
        if session is None:
            return  # signed out since it was asked for
        try:
            issued = session.sweep()
        except GridcallError as exc:
            self.call_from_thread(self.store_away, exc)
            return
        if issued:
            self.post_message(Swept(len(issued)))

    @work(thread=True, exclusive=True, group="director", exit_on_error=False)
    def direct(self) -> None:
        """The scenario's events whose training time has come, made to happen."""
        session = self._session
        if session is None or not session.drives_training:
            return  # signed out since
        try:
            fired = session.fire_training_events()
        except GridcallError as exc:
            self.call_from_thread(self.store_away, exc)
            return
        if fired:
            self.call_from_thread(self._fired, fired)

    def _fired(self, fired: list[Event]) -> None:
        for event in fired:
            kind = t(f"trainer.event.{event.kind.value}", self.lang)
            self.notify(t("trainer.fired", self.lang, kind=kind, case=event.case))
        self.refresh_counts()
        self.show_changes()

    def on_clock_moved(self, message: ClockMoved) -> None:
        """The trainer moved the clock here: follow it now, not at the store's notice."""
        self.store_changed(None)

    def on_swept(self, message: Swept) -> None:
        self.refresh_counts()
        self.show_changes()

    def on_queue_view_loaded(self) -> None:
        self._queue_shown()

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def refresh_counts(self) -> None:
        session = self._session
        if session is None:
            return  # signed out since it was asked for
        if self.training:
            self.call_from_thread(self.refresh_hint)
        try:
            counts = session.counts()
        except GridcallError as exc:
            self.call_from_thread(self.store_away, exc)
            return
        self.call_from_thread(self._new_counts, counts)

    @work(thread=True, exclusive=True, group="hint", exit_on_error=False)
    def refresh_hint(self) -> None:
        """The guided mode's next step, read again as the scenario and the trainees move."""
        session = self._session
        if session is None:
            return
        try:
            step = session.training_hint()
        except GridcallError:
            return  # the counts beside it say the store is away
        self.call_from_thread(self._new_hint, step)

    def _new_hint(self, step: Expectation | None) -> None:
        said = None
        if step is not None:
            said = (
                step.hint_in(self.lang) or f"{step.case}: {label('action', step.action, self.lang)}"
            )
        self._hint = said
        for screen in self.screen_stack:
            for line in screen.query(HintLine):
                line.show(t("train.next", self.lang), said)

    def _new_counts(self, counts: Counts) -> None:
        before = self.header.counts
        self.header.counts = counts
        if before is not None and counts.urgent_new > before.urgent_new:
            # A new urgent case: the counter flashes (and the bell rings, if wanted).
            self.header.flash()
            if self.settings.bell:
                self.bell()

    def store_away(self, error: GridcallError) -> None:
        """The store cannot be reached: say so once; what is on screen stays readable."""
        if self.signed_in:
            if not self.header.live:
                return
            self.header.live = False
        lang = self.lang
        self.notify(
            say(error, lang).splitlines()[0], severity="error", title=t("ui.live_off", lang)
        )

    def on_store_away(self, message: StoreAway) -> None:
        self.store_away(message.error)

    def on_queue_view_store_away(self, message: QueueView.StoreAway) -> None:
        self.store_away(message.error)
        self._queue_shown()

    def on_recount(self) -> None:
        self.refresh_counts()

    def on_show_changes(self) -> None:
        self.show_changes()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed unexpectedly: tell the operator, keep the console running."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            message = (
                say(error, self.lang)
                if isinstance(error, GridcallError)
                else (f"{type(error).__name__}: {error}")
            )
            self.notify(
                message.splitlines()[0] if message else type(error).__name__, severity="error"
            )

    @work(thread=True, exclusive=True, group="live")
    def watch_store(self) -> None:
        """Follow other consoles' changes; say so in the header when the store goes away."""
        worker = get_current_worker()
        watcher = ChangeWatcher(self.session.store.engine.url)
        while not worker.is_cancelled:
            try:
                connected = watcher.connect()
                newest = None if connected else watcher.wait(1.0)
            except Exception:
                watcher.close()
                self.call_from_thread(setattr, self.header, "live", False)
                time.sleep(2)
                continue
            if connected or not self.header.live:
                self.call_from_thread(self._catch_up)
            elif newest is not None:
                self.call_from_thread(self.store_changed, newest)
        watcher.close()

    def _catch_up(self) -> None:
        """The watcher is connected, or the store answers again: what was committed while
        nothing watched (between the first page and the first connection, or in an outage)
        went unannounced, so the screens reload once. From now on every change is."""
        self.header.live = True
        self.store_changed(None)
        self.caught_up = True

    def _live_changed(self, live: bool) -> None:
        # The action keys come and go with the store (read-only while it is away).
        self.screen.refresh_bindings()

    def store_changed(self, newest: int | None) -> None:
        """Something was committed: reload, unless `newest` (the store's newest event, None
        when unknown) is the echo of this console's own writes, already shown. On a training
        store it may be the trainer's clock: every light and time left follows it."""
        session = self._session
        if session is not None and self.training and self._clock_moved(session):
            self.refresh_counts()
            self.show_changes(reread=True)
            self.header.refresh()
            if self._watching:
                self._at_next_minute()
        elif session is not None and session.is_news(newest):
            self.refresh_counts()
            self.show_changes()

    def _clock_moved(self, session: Session) -> bool:
        before = self._training_clock
        self._training_clock = session.follow_training_clock()
        return self._training_clock != before

    def minute_passed(self) -> None:
        """Lights, time left and the header's red count are worked out against the clock:
        each minute, every screen shows them anew, although nothing in the store changed (a
        case turns red on time on a quiet night). Re-armed each time, so it keeps to the
        minute."""
        self._at_next_minute()
        self.refresh_counts()
        self.show_changes(reread=True)
        if self.training:  # the header's own minute is the wall clock's
            self.header.refresh()

    def _at_next_minute(self) -> None:
        # A training clock running at ×60 turns a minute every second; set anew, it is timed
        # afresh.
        if self._minute_timer is not None:
            self._minute_timer.stop()
        rate = self._training_clock.rate if self._training_clock is not None else 1.0
        self._minute_timer = self.set_timer(
            wallclock.to_next_minute(wallclock.now()) / max(rate, 1.0), self.minute_passed
        )

    def show_changes(self, *, reread: bool = False) -> None:
        """Every screen in the stack, not only the one on top, shows the store as it is now:
        its queues reload (the case pane beside one follows its row) and a case screen reads
        its case again. An operator who steps back from a form or a case finds the queue
        current, without waiting for the next change. `reread`: the cases beside the queues
        are read again too, even unchanged (their time left moves with the clock)."""
        # The screens that read the store themselves.
        reading = _loaded(DASHBOARD, "DashboardScreen") + _loaded(TRAINER, "TrainerScreen")
        for screen in self.screen_stack:
            if isinstance(screen, reading):
                screen.reload()
            elif isinstance(screen, ActionScreen) and (
                reread or isinstance(screen, CaseActionScreen)
            ):
                screen.reload_case()  # a queue's screen reloads its queue with it
            else:
                for queue in screen.query(QueueView):
                    queue.reload()


def check_keymap(settings: Settings) -> None:
    """The config file's [keymap] against every binding of the console, each problem named
    before a console starts (Textual would ignore or silently resolve them)."""
    if settings.keymap:
        refuse(keymap.problems(settings.keymap, config_path(), GridcallApp))
