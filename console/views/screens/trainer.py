"""The trainer's console (培训师控制台): the drill at a glance, and the trainer's hand on it.

The scenario's title and the training clock; the scoreboard (a row a trainee: points of the
total, steps, on time, late, wrong unit) and the room's missed steps; each expected step's
verdict so far; the timeline, each event fired or waiting. Keys pause and run the clock, move
it on (+15 min, +1 h, to the next event) and start the drill again. It reads the drill each
second (the clock moves the verdicts on) and as the store changes; it writes through the
session only, off the screen's thread. The trainer's console opens on it (`GridcallApp`), which
also fires the scenario's events as they fall due.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from console.domain.errors import GridcallError
from console.i18n import say, t, when
from console.session import Session
from console.views.context import glyphs_of, session_of
from console.views.messages import ClockMoved, StoreAway
from console.views.screens.action_forms import Confirm
from console.views.viewmodels.trainer import BoardText, board_text
from console.views.widgets.keybar import KeyBar
from console.views.widgets.keynames import localise

if TYPE_CHECKING:
    from console.demo.training import TrainerBoard

WIDE = 120  # from this width the timeline column is wider
REFRESH = 1.0  # seconds between two reads of the drill: its clock moves the verdicts on
ONE_RATE = 1.0  # the rate the clock runs at when resumed, unless it ran at another before


class TrainerScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="trainer.back"),
        Binding("p", "pause", "Pause/run", id="trainer.pause"),
        Binding("f", "advance(15)", "+15 min", id="trainer.advance15"),
        Binding("h", "advance(60)", "+1 h", id="trainer.advance60"),
        Binding("n", "next_event", "Next event", id="trainer.next_event"),
        Binding("R", "reset", "Reset", id="trainer.reset"),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise(self, self.session.lang)
        self.board: TrainerBoard | None = None
        self.rate = ONE_RATE  # the last rate the clock ran at: resuming runs at it again

    @property
    def session(self) -> Session:
        return session_of(self)

    def compose(self) -> ComposeResult:
        yield Static(id="trainer-heading", markup=False)
        with Horizontal(id="trainer-body"):
            with VerticalScroll(id="trainer-left"):
                yield Static(id="trainer-scores")
                yield Static(id="trainer-missed", markup=False)
                yield Static(id="trainer-steps")
            with VerticalScroll(id="trainer-right"):
                yield Static(id="trainer-timeline")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(REFRESH, self.reload)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")
        if self.board is not None:
            self.show(self.board)

    # --- reading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="trainer-board", exit_on_error=False)
    def reload(self) -> None:
        try:
            board = self.session.trainer_board()
        except GridcallError as error:
            self.post_message(StoreAway(error))
            return
        self.app.call_from_thread(self.show, board)

    def show(self, board: TrainerBoard | None) -> None:
        self.board = board
        lang = self.session.lang
        if board is None:
            self.query_one("#trainer-heading", Static).update(t("trainer.no_scenario", lang))
            return
        if not board.clock.frozen:
            self.rate = board.clock.rate
        text = board_text(board, self.session.tz, lang, glyphs_of(self))
        wide = self.size.width >= WIDE  # room for what each event and step says
        self.query_one("#trainer-heading", Static).update(text.heading)
        left = self.query_one("#trainer-left").content_size.width
        right = self.query_one("#trainer-right").content_size.width
        self.query_one("#trainer-scores", Static).update(_scores(text, left))
        self.query_one("#trainer-missed", Static).update(text.missed)
        self.query_one("#trainer-steps", Static).update(
            _table(text.steps_title, text.steps, columns=5 if wide else 4, width=left, right=(3,))
        )
        self.query_one("#trainer-timeline", Static).update(
            _table(text.timeline_title, text.timeline, columns=4 if wide else 3, width=right)
        )

    # --- the trainer's keys -------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_pause(self) -> None:
        board = self.board
        if board is None:
            self.app.bell()
        elif board.clock.frozen:
            rate = self.rate
            self._drive(lambda s: s.resume_training(rate))
        else:
            self._drive(lambda s: s.pause_training())

    def action_advance(self, minutes: int) -> None:
        self._drive(lambda s: s.advance_training(timedelta(minutes=minutes)))

    def action_next_event(self) -> None:
        self._drive(self._to_next_event)

    def _to_next_event(self, session: Session) -> None:
        if session.advance_training_to_next_event() is None:
            self.app.call_from_thread(self.notify, t("trainer.no_next", session.lang))

    def action_reset(self) -> None:
        board = self.board
        if board is None:
            self.app.bell()
            return
        lang = self.session.lang
        question = t("trainer.reset_confirm", lang, title=board.play.scenario.title_in(lang))
        self.app.push_screen(Confirm(question, lang, destructive=True), self._reset_answered)

    def _reset_answered(self, yes: bool | None) -> None:
        if yes:
            self._drive(self._restart)

    def _restart(self, session: Session) -> None:
        session.restart_training()
        board = session.trainer_board()
        if board is not None:
            lang = session.lang
            said = t(
                "trainer.reset_done",
                lang,
                title=board.play.scenario.title_in(lang),
                at=when(board.clock.at, session.tz),
            )
            self.app.call_from_thread(self.notify, said)

    @work(thread=True, exclusive=True, group="trainer-drive", exit_on_error=False)
    def _drive(self, move: Callable[[Session], object]) -> None:
        """One move of the trainer's, off the screen's thread; then every screen follows."""
        session = self.session
        try:
            move(session)
        except GridcallError as error:
            self.app.call_from_thread(
                self.notify, say(error, session.lang).splitlines()[0], severity="error"
            )
            return
        self.post_message(ClockMoved())
        self.reload()


def _scores(text: BoardText, width: int) -> Table:
    """The scoreboard: its columns' names, then a row a trainee."""
    rows = [text.score_head, *text.scores]
    columns = len(text.score_head)
    return _table(text.scores_title, rows, columns=columns, width=width, right=(1, 2, 3, 4, 5))


def _table(
    title: str,
    rows: Sequence[Sequence[str]],
    *,
    columns: int,
    width: int,
    right: tuple[int, ...] = (),
) -> Table:
    """A titled block of rows; the text is the scenario file's and the trail's: no markup."""
    table = Table(
        title=Text(title, style="bold"),
        title_justify="left",
        box=None,
        show_header=False,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    widths = [max((cell_len(r[n]) for r in rows), default=0) for n in range(columns)]
    # Every column keeps its width but the last, which is cut short where room runs out.
    last = max(width - sum(w + 1 for w in widths[:-1]), 1)
    for n in range(columns):
        table.add_column(
            justify="right" if n in right else "left",
            no_wrap=True,
            width=widths[n] if n < columns - 1 else min(widths[n], last),
            overflow="ellipsis",
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row[:columns]))
    return table
