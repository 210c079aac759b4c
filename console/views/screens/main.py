"""The main screen: header, the queue, the case pane beside it on wide terminals, footer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal

from console.queries.cases import CaseRow, QueueFilter
from console.views.screens.actions import QueueActionScreen
from console.views.screens.case import CaseScreen
from console.views.widgets.case_pane import CasePane
from console.views.widgets.find import FindBox, FindCommands
from console.views.widgets.header import CentreHeader
from console.views.widgets.keybar import KeyBar
from console.views.widgets.queue import QueueHeader, QueueView

if TYPE_CHECKING:
    from console.views.screens.dashboard import Board

WIDE = 120  # from this width the case pane stands beside the queue
PANE_REST = 0.05  # seconds the cursor rests on a case before the pane beside it redraws


class MainScreen(QueueActionScreen):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        *QueueActionScreen.COMMANDS,
        FindCommands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload", show=False, id="main.reload"),
        Binding("n", "intake", "New case", show=False, id="intake.open"),
        Binding("b", "grids", "Grids", show=False, id="grids.open"),
        Binding("H", "app.open_handover", "Handover", show=False, id="handover.open"),
        Binding("D", "dashboard", "Dashboard", show=False, id="dashboard.open"),
        # Only the trainer's, in a training store (check_action): the footer shows it to them.
        # Not T: a case's verbs take it (approve a return) and this screen's keys would win.
        Binding("L", "trainer", "Trainer", id="trainer.open"),
        Binding("q", "app.quit", "Quit", show=False, id="main.quit"),
    ]

    def searching(self) -> bool:
        boxes = self.query(FindBox)
        return bool(boxes) and boxes.first().settling

    def __init__(self, header: CentreHeader) -> None:
        super().__init__()
        self.header = header  # the App's: it keeps the counts and the live state up to date
        # The dashboard's choices, the same each time it is opened (made as it first is).
        self.board: Board | None = None
        # The trainer's console has a key to the drill (read once: after a sign-out the screen
        # still answers the footer's questions, with nobody signed in).
        self.drives_training = self.session.drives_training

    def compose(self) -> ComposeResult:
        yield self.header
        with Horizontal(id="main"):
            with FindBox(id="queue-box"):
                yield QueueHeader(id="queue-header")
                yield QueueView(self.session, id="queue")
            yield CasePane(rest=PANE_REST, id="case-pane")
        yield KeyBar()

    _pane_case: tuple[str, int] | None = None  # the case (code, version) the pane was asked for

    def on_mount(self) -> None:
        queue = self.query_one(QueueView)
        queue.focus()
        queue.reload(keep=False)

    def on_resize(self) -> None:
        wide = self.size.width >= WIDE
        widened = wide and not self.has_class("-wide")
        self.set_class(wide, "-wide")
        if widened:
            # The pane was hidden while the cursor moved: it shows the case under it now.
            self._pane_case = None
            self._show_in_pane(self.query_one(QueueView).current_row)
        box = self.query_one("#queue-box")
        self.query_one(QueueHeader).show(box.size.width or self.size.width, self.session.lang)

    def on_queue_view_loaded(self, message: QueueView.Loaded) -> None:
        box = self.query_one("#queue-box")
        self.query_one(QueueHeader).show(box.size.width, self.session.lang)

    def reload_case(self) -> None:
        # The pane reads the highlighted case again when the reloaded queue arrives, even
        # unchanged: its time left and its grid's counts move with the clock.
        self._pane_case = None
        super().reload_case()

    def read_case(self, code: str) -> None:
        if self.size.width < WIDE:
            super().read_case(code)
        # Wide: the pane's read of the highlighted case (below) gives the action keys theirs.

    def on_queue_view_highlighted(self, message: QueueView.Highlighted) -> None:
        if self.size.width >= WIDE:
            self._show_in_pane(message.row)

    def _show_in_pane(self, row: CaseRow | None) -> None:
        pane = self.query_one("#case-pane", CasePane)
        shown = (row.code, row.version) if row else None
        if shown == self._pane_case:
            return  # the same case, unchanged: a page loaded around it, or the store moved on
        self._pane_case = shown
        if row is None:
            pane.show(None, None)
        else:
            # After the frame that shows the cursor there: reading the case and redrawing the
            # footer for its verbs must not hold that frame back.
            self.call_after_refresh(pane.load, row.code, then=self._subject_loaded)

    def on_queue_view_opened(self, message: QueueView.Opened) -> None:
        if self.size.width < WIDE:
            self.app.push_screen(CaseScreen(message.row.code))

    def action_reload(self) -> None:
        self.query_one(QueueView).reload()

    def action_intake(self) -> None:
        # Loaded when first opened: the form's TextArea is ~10 ms of the console's start.
        from console.views.screens.intake import open_intake

        open_intake(self, self.query_one(QueueView).reveal)

    def action_grids(self) -> None:
        from console.views.screens.grid_browser import GridBrowserScreen  # loaded when first opened

        row = self.query_one(QueueView).current_row
        self.app.push_screen(GridBrowserScreen(row.grid_id if row else None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "trainer":
            return self.drives_training
        return super().check_action(action, parameters)

    def action_trainer(self) -> None:
        # Loaded by a training console only, when its trainer opens the drill.
        from console.views.screens.trainer import TrainerScreen

        self.app.push_screen(TrainerScreen())

    def action_dashboard(self) -> None:
        # Imported as it is first opened: the queue's first frame does without it.
        from console.views.screens.dashboard import Board, DashboardScreen

        if self.board is None:
            self.board = Board()
        self.app.push_screen(DashboardScreen(self.board), self._drilled)

    def _drilled(self, f: QueueFilter | None) -> None:
        """Back from the dashboard: the queue of the row chosen there, if one was."""
        if f is not None:
            self.query_one(FindBox).refilter(f)
            self.query_one(QueueView).focus()
