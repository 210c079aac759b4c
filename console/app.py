"""The Textual App: one store, one signed-in user, the queue beside the case."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Markdown, Static
from textual.worker import get_current_worker

from console import wallclock
from console.config import Settings
from console.db import Store
from console.domain.sla import SlaClock
from console.domain.workflow import Actor
from console.i18n import get_lang, label, t
from console.live import ChangeWatcher
from console.queries import cases as q
from console.queries.counts import Counts, header_counts
from console.queries.grids import grid_card
from console.queries.reference import reference
from console.views.case_pane import CasePane, case_text, grid_text
from console.views.queue import QueueHeader, QueueView

HELP_DIR = Path(__file__).resolve().parent / "views"
WIDE = 120  # from this width the case pane stands beside the queue


class CentreHeader(Static):
    """Centre, user and role, clock, counts, the store and the live connection's state.

    On a narrow terminal it drops, in turn, the centre's suffix, the role and the store kind,
    so the counts and the live state always show.
    """

    counts: reactive[Counts | None] = reactive(None)
    live: reactive[bool] = reactive(True)

    def __init__(self, place: str, name: str, role: str, store_kind: str, tz_name: str) -> None:
        super().__init__(id="header")
        self.place = place
        self.name = name
        self.role = role
        self.store_kind = store_kind
        self.tz = ZoneInfo(tz_name)

    def on_mount(self) -> None:
        self.set_interval(30, self.refresh)

    def render(self) -> str:
        lang = get_lang()
        clock = wallclock.now().astimezone(self.tz).strftime("%m-%d %H:%M")
        c = self.counts
        figures = (
            f"{t('ui.new', lang)} {c.new}  {t('ui.red', lang)} {c.red}  "
            f"{t('ui.mine', lang)} {c.mine}" if c else "…"
        )
        live = t("ui.live_on" if self.live else "ui.live_off", lang)
        width = self.size.width or 80
        for centre, who, store in (
            (self.place + t("ui.centre", lang), f"{self.name}（{self.role}）", self.store_kind),
            (self.place, f"{self.name}（{self.role}）", self.store_kind),
            (self.place, self.name, self.store_kind),
            (self.place, self.name, ""),
        ):
            tail = f"{store} {live}".strip()
            text = f" {centre} │ {who} │ {clock} │ {figures} │ {tail}"
            if cell_len(text) <= width:
                return text
        return text


class HelpScreen(ModalScreen[None]):
    """The live bindings of the screen beneath, and a short guide to the loop."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.bindings_shown = bindings

    def compose(self) -> ComposeResult:
        lang = get_lang()
        keys = "\n".join(f"| `{k}` | {d} |" for k, d in self.bindings_shown)
        guide = (HELP_DIR / f"help.{lang}.md").read_text(encoding="utf-8")
        text = guide.replace(
            "{keys}", f"| {t('ui.key', lang)} | {t('ui.does', lang)} |\n|---|---|\n{keys}"
        )
        with Vertical(id="help-box"):
            yield Markdown(text)


class CaseScreen(Screen[None]):
    """One case full screen: used on terminals too narrow for the pane beside the queue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="case.back"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        yield CasePane(id="case-full")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        assert isinstance(app, GridcallApp)
        app.load_case(self.code, self.query_one(CasePane))


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="main.help"),
        Binding("r", "reload", "Reload", id="main.reload"),
        Binding("q", "app.quit", "Quit", id="main.quit"),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        assert isinstance(app, GridcallApp)
        yield app.header
        with Horizontal(id="main"):
            with Vertical(id="queue-box"):
                yield QueueHeader(id="queue-header")
                yield QueueView(app.store, app.actor, get_lang(), app.settings.tz, id="queue")
            yield CasePane(id="case-pane")
        yield Footer()

    def on_mount(self) -> None:
        queue = self.query_one(QueueView)
        queue.focus()
        queue.reload(keep=False)

    def on_resize(self) -> None:
        wide = self.size.width >= WIDE
        self.set_class(wide, "-wide")
        box = self.query_one("#queue-box")
        self.query_one(QueueHeader).show(box.size.width or self.size.width, get_lang())

    def on_queue_view_loaded(self, message: QueueView.Loaded) -> None:
        box = self.query_one("#queue-box")
        self.query_one(QueueHeader).show(box.size.width, get_lang())

    def on_queue_view_highlighted(self, message: QueueView.Highlighted) -> None:
        if self.size.width < WIDE:
            return
        pane = self.query_one("#case-pane", CasePane)
        app = self.app
        assert isinstance(app, GridcallApp)
        if message.row is None:
            pane.show(None, None)
        else:
            app.load_case(message.row.code, pane)

    def on_queue_view_opened(self, message: QueueView.Opened) -> None:
        if self.size.width < WIDE:
            self.app.push_screen(CaseScreen(message.row.code))

    def action_reload(self) -> None:
        self.query_one(QueueView).reload()

    def action_help(self) -> None:
        lang = get_lang()
        shown = []
        for binding in self.app.active_bindings.values():
            b = binding.binding
            shown.append(
                (self.app.get_key_display(b), t(f"key.{b.id}", lang) if b.id else b.description)
            )
        self.app.push_screen(HelpScreen(shown))


class GridcallApp(App[None]):
    CSS_PATH = "views/app.tcss"
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
            f"{centre}{t('ui.centre', lang)}",
            f"{user.name}（{label('role', user.role, lang)}）",
            kind,
            self.settings.timezone,
        )
        self.live_enabled = live
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
