"""The Textual App: one store, one signed-in user, the queue beside the case."""

from __future__ import annotations

import os
import time
from pathlib import PurePath
from typing import ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.theme import Theme
from textual.worker import Worker, WorkerState, get_current_worker

from console import heap, wallclock
from console.config import Settings
from console.domain.errors import GridcallError
from console.i18n import label, say, t
from console.live import ChangeWatcher
from console.queries.counts import Counts
from console.session import Session
from console.views.messages import StoreAway
from console.views.screens.actions import ActionScreen, CaseActionScreen
from console.views.screens.main import MainScreen
from console.views.widgets.header import CentreHeader
from console.views.widgets.keynames import localise
from console.views.widgets.queue import QueueView

THEMES = {"dark": "textual-dark", "light": "textual-light"}
# Monochrome: meaning is carried by symbols (○ ◐ ●) and weight, never by colour alone.
MONO = Theme(
    name="gridcall-mono",
    primary="#d0d0d0",
    secondary="#a8a8a8",
    accent="#ffffff",
    foreground="#e4e4e4",
    background="#000000",
    surface="#101010",
    panel="#1c1c1c",
    warning="#ffffff",
    error="#ffffff",
    success="#bcbcbc",
    dark=True,
)


class GridcallApp(App[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "views/app.tcss",
        "views/actions.tcss",
        "views/find.tcss",
        "views/intake.tcss",
        "views/grid_browser.tcss",
    ]
    TITLE = "Gridcall"
    ENABLE_COMMAND_PALETTE = True
    # Declared here (Textual adds its own otherwise) so the footer names it in the language.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+p", "command_palette", "palette", show=False, priority=True, id="app.palette"
        ),
        Binding("question_mark", "help", "Help", id="main.help"),
    ]

    def __init__(
        self,
        session: Session,
        *,
        settings: Settings | None = None,
        theme_name: str | None = None,
        live: bool = True,
        testing: bool = False,
        freeze_heap: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        # A notice that came back while this console's own write was in flight.
        session.held_notice = lambda newest: self.call_from_thread(self.store_changed, newest)
        localise(self, session.lang)
        self.settings = settings or Settings()
        ref = session.reference
        user = session.user
        district = next((a for a in ref.areas.values() if a.level.value == "district"), None)
        street = ref.areas[user.street_id].name if user.street_id else None
        centre = street or (district.name if district else "Gridcall")
        kind = "SQLite" if session.store.is_sqlite else "PostgreSQL"
        self.header = CentreHeader(
            centre,
            user.name,
            label("role", user.role, session.lang),
            kind,
            session.tz,
            session.lang,
        )
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

        if isinstance(self.screen, HelpScreen):
            return
        lang = self.session.lang
        keys: dict[str, list[str]] = {}
        does: dict[str, str] = {}
        for active in self.active_bindings.values():
            b = active.binding
            if not b.id:
                continue  # Textual's own scrolling keys, which the queue's keys cover
            keys.setdefault(b.id, []).append(self.get_key_display(b))
            does[b.id] = t(f"key.{b.id}", lang)
        self.push_screen(HelpScreen([(" ".join(keys[i]), does[i]) for i in keys]))

    def action_command_palette(self) -> None:
        # Textual's own palette says "Search for commands…" whatever the language.
        # is_open takes an App[object]; App is invariant in its result type, so App[None] is not
        # one to mypy, though is_open only reads the app's screen.
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            placeholder = t("ui.palette", self.session.lang)
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    async def on_event(self, event: events.Event) -> None:
        if self._tidy is not None and isinstance(event, events.InputEvent):
            self._tidy.input()
        await super().on_event(event)

    def on_mount(self) -> None:
        self.register_theme(MONO)
        mono = self.theme_choice == "mono" or bool(os.environ.get("NO_COLOR"))
        self.theme = MONO.name if mono else THEMES.get(self.theme_choice, "textual-dark")
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.watch(self.header, "live", self._live_changed, init=False)
        self.push_screen(MainScreen(self.header))

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
            self.set_timer(wallclock.to_next_minute(wallclock.now()), self.minute_passed)

    def on_queue_view_loaded(self) -> None:
        self._queue_shown()

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def refresh_counts(self) -> None:
        try:
            counts = self.session.counts()
        except GridcallError as exc:
            self.call_from_thread(self.store_away, exc)
            return
        self.call_from_thread(self._new_counts, counts)

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
        if self.header.live:
            self.header.live = False
            lang = self.session.lang
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
                say(error, self.session.lang)
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
        when unknown) is the echo of this console's own writes, already shown."""
        if self.session.is_news(newest):
            self.refresh_counts()
            self.show_changes()

    def minute_passed(self) -> None:
        """Lights, time left and the header's red count are worked out against the clock:
        each minute, every screen shows them anew, although nothing in the store changed (a
        case turns red on time on a quiet night). Re-armed each time, so it keeps to the
        minute."""
        self.set_timer(wallclock.to_next_minute(wallclock.now()), self.minute_passed)
        self.refresh_counts()
        self.show_changes(reread=True)

    def show_changes(self, *, reread: bool = False) -> None:
        """Every screen in the stack, not only the one on top, shows the store as it is now:
        its queues reload (the case pane beside one follows its row) and a case screen reads
        its case again. An operator who steps back from a form or a case finds the queue
        current, without waiting for the next change. `reread`: the cases beside the queues
        are read again too, even unchanged (their time left moves with the clock)."""
        for screen in self.screen_stack:
            if isinstance(screen, ActionScreen) and (
                reread or isinstance(screen, CaseActionScreen)
            ):
                screen.reload_case()  # a queue's screen reloads its queue with it
            else:
                for queue in screen.query(QueueView):
                    queue.reload()
