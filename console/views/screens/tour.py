"""The tour (导览): a trainee's first sign-in to a training store walks them through the
console in a few pages, each naming the keys the console binds at that moment (after the
centre's keymap), as the footer and the help screen do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from console.i18n import t
from console.views.context import session_of
from console.views.widgets.keynames import localise

# Each page: its catalogue name, and the bindings whose keys it names.
PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("welcome", ()),
    ("queue", ("queue.down", "queue.up", "queue.open", "find.search", "find.filter")),
    ("case", ("action.accept", "action.dispatch", "action.whistle", "action.menu")),
    ("help", ("main.help", "app.palette")),
)


@dataclass(frozen=True)
class TourPage:
    title: str
    text: str
    keys: tuple[tuple[str, str], ...]  # (the keys, what they do)


class TourScreen(ModalScreen[None]):
    """The pages one at a time: → or enter onwards, ← back, esc leaves the tour."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,enter,space", "turn(1)", "Next", id="tour.next"),
        Binding("left", "turn(-1)", "Back", id="tour.back"),
        Binding("escape", "dismiss", "Leave the tour", id="tour.close"),
    ]

    def __init__(self, pages: list[TourPage]) -> None:
        super().__init__()
        localise(self, session_of(self).lang)
        self.pages = pages
        self.at = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="tour-box"):
            yield Static(id="tour-page")
            yield Static(t("tour.keys", session_of(self).lang), id="tour-keys", markup=False)

    def on_mount(self) -> None:
        self._show()

    def action_turn(self, by: int) -> None:
        if self.at + by >= len(self.pages):
            self.dismiss()
            return
        self.at = max(0, self.at + by)
        self._show()

    def _show(self) -> None:
        page = self.pages[self.at]
        lang = session_of(self).lang
        box = self.query_one("#tour-box")
        box.border_title = t("tour.title", lang, n=self.at + 1, of=len(self.pages))
        keys = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, show_header=False)
        keys.add_column(no_wrap=True)
        keys.add_column()
        for key, does in page.keys:
            keys.add_row(Text(key, style="bold"), Text(does))
        said = Group(Text(page.title, style="bold"), Text(page.text), Text(""), keys)
        self.query_one("#tour-page", Static).update(said)
