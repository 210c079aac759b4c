"""The main screen: header, the queue, the case pane beside it on wide terminals, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from console.i18n import get_lang, t
from console.views.case_pane import CasePane
from console.views.case_screen import CaseScreen
from console.views.help import HelpScreen
from console.views.queue import QueueHeader, QueueView

WIDE = 120  # from this width the case pane stands beside the queue

if TYPE_CHECKING:
    from console.app import GridcallApp


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="main.help"),
        Binding("r", "reload", "Reload", id="main.reload"),
        Binding("q", "app.quit", "Quit", id="main.quit"),
    ]

    @property
    def console(self) -> GridcallApp:
        return cast("GridcallApp", self.app)

    def compose(self) -> ComposeResult:
        app = self.console
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
        app = self.console
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
