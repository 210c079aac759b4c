"""The dashboard (数据看板): the centre's figures within the reader's scope, at a glance.

Headline tiles for today, this week and the range chosen (7 / 30 days, this month, last month),
each beside the period before; the units with cases in red now, worst first (红灯督办); the
reader's places — or units — ranked by on-time closure, red below the target; the trend of
reported and closed cases per day. Enter on a row dismisses the screen with the queue's filter
for it, which the queue's screen applies: the screen never reaches the App. Every figure is read
through the session in a worker, so the first frame is immediate and the numbers follow.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Sparkline, Static

from console import wallclock
from console.domain.errors import GridcallError
from console.domain.figures import By, Tally
from console.i18n import t
from console.present import cell_width, clip, percent, until
from console.queries.cases import QueueFilter
from console.queries.reference import name_in
from console.session import Session
from console.views.context import console_of, glyphs_of, session_of
from console.views.messages import StoreAway
from console.views.viewmodels.dashboard import (
    HEADLINE,
    Days,
    Figure,
    Headline,
    Move,
    Period,
    Tables,
    areas_by,
    change,
    period_days,
    read_headline,
    read_tables,
    red_drill,
    today_days,
    unit_name,
    week_days,
)
from console.views.widgets.keybar import KeyBar
from console.views.widgets.keynames import localise

WIDE = 120  # from this width the tiles stand in one row
RELOAD_GAP = 5.0  # seconds at least between two loads that the store's changes ask for


@dataclass
class Board:
    """What the reader chose, kept by the queue's screen while the dashboard is closed."""

    period: Period = Period.DAYS_30
    units: bool = False  # rank the units rather than the places


class DrillTable(DataTable[Text | str]):
    """A table of the dashboard: Enter on a row shows its cases in the queue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Show", id="dashboard.drill"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localise(self, session_of(self).lang)


class DashboardScreen(Screen["QueueFilter | None"]):
    """The figures; dismissed with the queue's filter of the row chosen, or None (back)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="dashboard.back"),
        Binding("7", "period('7')", "7 days", id="dashboard.days7"),
        Binding("3", "period('30')", "30 days", id="dashboard.days30"),
        Binding("m", "period('month')", "Month", id="dashboard.month"),
        Binding("M", "period('last_month')", "Last month", show=False, id="dashboard.last_month"),
        Binding("u", "units", "Units", id="dashboard.units"),
        Binding("r", "reload", "Reload", show=False, id="dashboard.reload"),
    ]
    AUTO_FOCUS = "#dash-red"

    def __init__(self, board: Board | None = None) -> None:
        super().__init__()
        localise(self, self.session.lang)
        self.board = board or Board()
        self.headline: Headline | None = None
        self.tables: Tables | None = None
        self._loaded_at = 0.0
        self._pending: Timer | None = None
        self._red_drills: list[QueueFilter] = []
        self._rank_drills: list[QueueFilter] = []

    @property
    def session(self) -> Session:
        return session_of(self)

    @property
    def target(self) -> float:
        return console_of(self).settings.on_time_target

    def compose(self) -> ComposeResult:
        yield Static(id="dash-heading", markup=False)
        with Grid(id="dash-tiles"):
            for figure in HEADLINE:
                yield Static(classes="dash-tile", id=f"dash-{figure.key}")
        with Horizontal(id="dash-trend"):
            with Vertical(classes="dash-trend-labels"):
                yield Static(id="dash-trend-reported", markup=False)
                yield Static(id="dash-trend-closed", markup=False)
            with Vertical(classes="dash-trend-lines"):
                yield Sparkline([], id="dash-spark-reported")
                yield Sparkline([], id="dash-spark-closed")
        with Horizontal(id="dash-tables"):
            with Vertical(classes="dash-table-box"):
                yield Static(id="dash-red-title", classes="dash-table-title", markup=False)
                yield DrillTable(id="dash-red")
            with Vertical(classes="dash-table-box"):
                yield Static(id="dash-rank-title", classes="dash-table-title", markup=False)
                yield DrillTable(id="dash-rank")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()
        self.reload()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")
        self._show_tables()
        self._show_trend()

    # --- reading ------------------------------------------------------------------------------

    def spans(self) -> tuple[Days, Days, Days]:
        today = self.session.today()
        return today_days(today), week_days(today), period_days(self.board.period, today)

    def reload(self) -> None:
        """Read the figures again: at once, unless they were read less than RELOAD_GAP ago
        (a busy store's changes come every second); then once the gap has passed."""
        wait = self._loaded_at + RELOAD_GAP - time.monotonic()
        if wait <= 0:
            self.action_reload()
        elif self._pending is None:
            self._pending = self.set_timer(wait, self.action_reload)

    def action_reload(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self._loaded_at = time.monotonic()
        self._load(self.spans(), self.board.units)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _load(self, spans: tuple[Days, Days, Days], units: bool) -> None:
        session = self.session
        try:
            self.app.call_from_thread(self._headline_in, read_headline(session, spans))
            tables = read_tables(session, spans[2], units)
        except GridcallError as error:
            self.post_message(StoreAway(error))
            return
        self.app.call_from_thread(self._tables_in, tables)

    def _headline_in(self, headline: Headline) -> None:
        self.headline = headline
        self._show_tiles()

    def _tables_in(self, tables: Tables) -> None:
        self.tables = tables
        self._show_tables()
        self._show_trend()

    # --- showing ------------------------------------------------------------------------------

    def show(self) -> None:
        self._show_heading()
        self._show_tiles()
        self._show_tables()
        self._show_trend()

    def _show_heading(self) -> None:
        session = self.session
        lang = session.lang
        user = session.user
        ref = session.reference
        scope = t("dash.scope.district", lang)
        if user.street_id is not None:
            scope = name_in(ref.areas[user.street_id], lang)
        _, _, chosen = self.spans()
        period = t(f"dash.period.{self.board.period.value}", lang)
        glyphs = glyphs_of(self)
        span = t(
            "dash.range",
            lang,
            period=period,
            first=f"{chosen.first:%m-%d}",
            last=f"{chosen.last:%m-%d}",
        ).replace("–", glyphs.en_dash)
        heading = Text(f" {t('dash.heading', lang, scope=scope)}", "bold")
        heading.append(f" {glyphs.bar} {span}")
        heading.append(f" {glyphs.bar} ")
        heading.append(t("dash.target", lang, rate=percent(self.target)), "dim")
        self.query_one("#dash-heading", Static).update(heading)

    def _period_names(self) -> list[str]:
        lang = self.session.lang
        return [
            t("dash.today", lang),
            t("dash.week", lang),
            t(f"dash.period.{self.board.period.value}", lang),
        ]

    def _show_tiles(self) -> None:
        lang = self.session.lang
        glyphs = glyphs_of(self)
        names = self._period_names()
        width = max(cell_width(n) for n in names)
        for figure in HEADLINE:
            tile = Text(t(f"dash.fig.{figure.key}", lang), "bold")
            for i, name in enumerate(names):
                pad = " " * (width - cell_width(name) + 1)
                tile.append(f"\n{name}{pad}", "dim")
                if self.headline is None:
                    tile.append(glyphs.ellipsis, "dim")
                    continue
                now, before = self.headline.rows[i]
                tile.append_text(self._figure(figure, now, before))
            self.query_one(f"#dash-{figure.key}", Static).update(tile)

    def _figure(self, figure: Figure, now: Tally, before: Tally) -> Text:
        glyphs = glyphs_of(self)
        value = figure.value(now)
        shown = percent(value) if figure.rate else f"{int(value or 0):,}"
        text = Text(shown)
        moved = change(figure, now, before)
        if moved is None:
            return text
        arrow = {Move.UP: glyphs.up, Move.DOWN: glyphs.down, Move.SAME: "="}[moved.move]
        style = "dim" if moved.good is None else ("green" if moved.good else "red")
        text.append(arrow, style)
        return text

    def _show_tables(self) -> None:
        session = self.session
        lang = session.lang
        glyphs = glyphs_of(self)
        ref = session.reference
        red = self.query_one("#dash-red", DrillTable)
        rank = self.query_one("#dash-rank", DrillTable)
        by = By.UNIT if self.board.units else areas_by(session.actor)
        self.query_one("#dash-red-title", Static).update(
            Text(f" {t('dash.red.title', lang)}", "bold")
        )
        self.query_one("#dash-rank-title", Static).update(
            Text(f" {t(f'dash.rank.{by.value}', lang)}", "bold")
        )
        red_row, rank_row = red.cursor_row, rank.cursor_row
        red.clear(columns=True)
        rank.clear(columns=True)
        tables = self.tables
        # The counts' columns fit the largest count (a district's month runs to six digits);
        # each table has half the screen, and what the numbers leave is the names'.
        red_w = _width((n for _, n, _ in tables.red) if tables else (), 5)
        rep_w = _width((r.tally.reported for r in tables.ranking) if tables else (), 5)
        half = max(self.size.width // 2, 40)
        red_names = half - (red_w + 8) - 2 * 3 - 1
        rank_names = half - (rep_w + 7 + 7) - 2 * 4 - 1
        red.add_column(t("dash.red.unit", lang), width=red_names)
        red.add_column(t("dash.red.cases", lang), width=red_w)
        red.add_column(t("dash.red.longest", lang), width=8)
        rank.add_column(t("dash.rank.name", lang), width=rank_names)
        rank.add_column(t("dash.rank.reported", lang), width=rep_w)
        rank.add_column(t("dash.rank.on_time", lang), width=7)
        rank.add_column(t("dash.rank.closure", lang), width=7)
        self._red_drills = []
        self._rank_drills = []
        if tables is None:
            red.add_row(Text(glyphs.ellipsis, "dim"), "", "")
            rank.add_row(Text(glyphs.ellipsis, "dim"), "", "", "")
            return
        now = wallclock.now()
        none = t("dash.no_unit", lang)
        for unit, n, oldest in tables.red:
            name = clip(unit_name(ref, unit, lang, none), red_names - 2)
            red.add_row(
                Text(f"{glyphs.red} {name}", "red"),
                Text(f"{n:,}", "bold red", justify="right"),
                Text(until(oldest, now, lang), justify="right"),
            )
            self._red_drills.append(red_drill(ref, unit))
        if not tables.red:
            red.add_row(Text(t("dash.red.none", lang), "dim"), "", "")
        for row in tables.ranking:
            mark = "red" if row.below(self.target) else ""
            rank.add_row(
                Text(clip(row.name, rank_names), mark),
                Text(f"{row.tally.reported:,}", justify="right"),
                Text(percent(row.tally.on_time_rate), f"bold {mark}".strip(), justify="right"),
                Text(percent(row.tally.closure_rate), justify="right"),
            )
            self._rank_drills.append(row.drill)
        if not tables.ranking:
            rank.add_row(Text(t("dash.rank.none", lang), "dim"), "", "", "")
        red.move_cursor(row=min(red_row, red.row_count - 1))
        rank.move_cursor(row=min(rank_row, rank.row_count - 1))

    def _show_trend(self) -> None:
        lang = self.session.lang
        trend = self.tables.trend if self.tables is not None else []
        reported = [r for _, r, _ in trend]
        closed = [c for _, _, c in trend]
        self.query_one("#dash-trend-reported", Static).update(
            Text(t("dash.trend.reported", lang, n=f"{sum(reported):,}"))
        )
        self.query_one("#dash-trend-closed", Static).update(
            Text(t("dash.trend.closed", lang, n=f"{sum(closed):,}"))
        )
        # One column or more per day, the same for both lines, so that a day is one place.
        lines = self.query_one(".dash-trend-lines")
        room = lines.size.width
        per_day = max(1, room // len(trend)) if trend and room else 1
        for sid, data in (("#dash-spark-reported", reported), ("#dash-spark-closed", closed)):
            spark = self.query_one(sid, Sparkline)
            spark.data = [float(v) for v in data]
            if trend and room:
                spark.styles.width = min(room, per_day * len(trend))

    # --- keys ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_period(self, period: str) -> None:
        chosen = Period(period)
        if chosen is self.board.period:
            return
        self.board.period = chosen
        self.headline = None
        self.tables = None
        self.show()
        self.action_reload()

    def action_units(self) -> None:
        self.board.units = not self.board.units
        self.tables = None
        self._show_tables()
        self.action_reload()

    @on(DataTable.RowSelected)
    def _drill(self, event: DataTable.RowSelected) -> None:
        drills = self._red_drills if event.data_table.id == "dash-red" else self._rank_drills
        row = event.cursor_row
        if 0 <= row < len(drills):
            self.dismiss(drills[row])


def _width(counts: Iterable[int], least: int) -> int:
    """The cells a column of counts needs, thousands separated: at least `least`."""
    return max([least, *(len(f"{n:,}") for n in counts)])
