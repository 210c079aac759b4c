"""The Textual App: one store, one signed-in user, the queue beside the case."""

from __future__ import annotations

import time
from typing import ClassVar

from textual import work
from textual.app import App
from textual.worker import get_current_worker

from console import wallclock
from console.config import Settings
from console.db import Store
from console.domain.sla import SlaClock
from console.domain.workflow import Actor
from console.i18n import get_lang, label
from console.live import ChangeWatcher
from console.queries import cases as q
from console.queries.counts import header_counts
from console.queries.grids import grid_card
from console.queries.reference import reference
from console.views.case_pane import CasePane, case_text, grid_text
from console.views.header import CentreHeader
from console.views.main_screen import MainScreen
from console.views.queue import QueueView


class GridcallApp(App[None]):
    CSS_PATH: ClassVar[list[str]] = [
        "views/app.tcss",
        "views/actions.tcss",
        "views/find.tcss",
        "views/intake.tcss",
    ]
    TITLE = "Gridcall"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        store: Store,
        clock: SlaClock,
        login: str,
        *,
        settings: Settings | None = None,
        theme_name: str | None = None,
        live: bool = True,
        testing: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.settings = settings or Settings()
        ref = reference(store)
        self.actor: Actor = ref.actor(login)
        user = ref.user(login)
        district = next((a for a in ref.areas.values() if a.level.value == "district"), None)
        street = ref.areas[user.street_id].name if user.street_id else None
        centre = street or (district.name if district else "Gridcall")
        lang = get_lang()
        kind = "SQLite" if store.is_sqlite else "PostgreSQL"
        self.header = CentreHeader(
            centre, user.name, label("role", user.role, lang), kind, self.settings.timezone
        )
        self.live_enabled = live
        # Under test: no blinking cursors, so every snapshot of a screen is the same.
        self.testing = testing
        self.theme_choice = theme_name or self.settings.theme

    def on_mount(self) -> None:
        self.theme = {"dark": "textual-dark", "light": "textual-light", "mono": "textual-ansi"}.get(
            self.theme_choice, "textual-dark"
        )
        self.push_screen(MainScreen())
        self.refresh_counts()
        if self.live_enabled:
            self.watch_store()

    @work(thread=True, exclusive=True, group="counts")
    def refresh_counts(self) -> None:
        counts = header_counts(self.store, self.actor, wallclock.now())
        self.call_from_thread(setattr, self.header, "counts", counts)

    @work(thread=True, exclusive=True, group="case")
    def load_case(self, code: str, pane: CasePane) -> None:
        detail = q.detail(self.store, code)
        ref = reference(self.store)
        lang = get_lang()
        tz = self.settings.tz
        card = grid_card(self.store, detail.row.grid_id, wallclock.now(), lang=lang)
        self.call_from_thread(pane.show, case_text(detail, ref, tz, lang), grid_text(card, lang))

    @work(thread=True, exclusive=True, group="live")
    def watch_store(self) -> None:
        """Follow other consoles' changes; say so in the header when the store goes away."""
        worker = get_current_worker()
        watcher = ChangeWatcher(self.store.engine.url)
        while not worker.is_cancelled:
            try:
                changed = watcher.wait(1.0)
            except Exception:
                watcher.close()
                self.call_from_thread(setattr, self.header, "live", False)
                time.sleep(2)
                continue
            if not self.header.live:
                self.call_from_thread(setattr, self.header, "live", True)
                changed = True
            if changed:
                self.call_from_thread(self.store_changed)
        watcher.close()

    def store_changed(self) -> None:
        self.refresh_counts()
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.query_one(QueueView).reload()
