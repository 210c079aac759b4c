"""The queue: one line per case, virtual over any number of cases.

A ScrollView on the Line API (the Toolong pattern): its virtual height is the queue's length,
`render_line` draws what is loaded and a placeholder for what is not, and a thread worker
fetches keyset pages around the cursor. Report text is drawn as plain segments, never markup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from console import wallclock
from console.domain.enums import Light, Status, Urgency
from console.domain.errors import GridcallError, NotFound
from console.i18n import label, t
from console.present import inert, status_text, time_left
from console.queries import cases as q
from console.queries.reference import Reference, name_in, reference
from console.session import Session
from console.terminal import UNICODE, Glyphs
from console.views import messages
from console.views.context import glyphs_of
from console.views.viewmodels.queue import MARGIN, PAGE, Fetch, QueueModel, Request
from console.views.widgets.kept_styles import KeptStyles
from console.views.widgets.keynames import localise
from console.views.widgets.lights import light_classes, light_css


@dataclass(frozen=True)
class Column:
    name: str
    width: int  # 0: takes what is left
    min_total: int  # shown only when the queue is at least this wide


@dataclass
class Ahead:
    """A search's first page and count, fetched while the typing pause runs (`look_ahead`):
    when the pause ends on the same filter, the queue shows them at once."""

    filter: q.QueueFilter
    sort: q.Sort
    rows: list[q.CaseRow] | None = None
    total: int | None = None
    request: Request | None = None  # the reload that took it over, once the pause ended


FIT_CACHE = 2000  # rows whose fitted columns are kept

# The time left beside its light: the two change with the clock, and a line is sent from its
# start to the last cell that changed, so the minute's redraw of a row is its first 11 cells.
COLUMNS = (
    Column("light", 2, 0),
    Column("left", 9, 0),
    # 督办: the lead unit's reply owed (!) or late (!!), beside the clock it is about; two
    # cells even at 80 columns, where the unit reads its queue.
    Column("urged", 2, 0),
    Column("code", 14, 0),
    Column("urgency", 0, 0),  # as wide as the language's longest urgency name
    Column("status", 0, 0),  # as wide as the language's longest status name
    Column("title", 0, 0),
    Column("grid", 14, 90),
    Column("category", 14, 110),
    Column("unit", 16, 130),
)
# 督办's mark: a reply owed, a reply late; plain ASCII, the same on every terminal, and told
# apart without colour as the lights are.
URGED = {Light.YELLOW: "!", Light.RED: "!!"}
# Columns holding a label of the domain: never cut, so "in progress" does not read "in pro…".
LABELLED = {"urgency": Urgency, "status": Status}


@cache
def _label_width(name: str, lang: str) -> int:
    kind = LABELLED[name]
    widest = max(cell_len(label(name, v, lang)) for v in kind)
    if name == "status":  # a case whose unit asked to return it reads so (status_text)
        widest = max(widest, cell_len(t("case.return_requested", lang)))
    return widest


@cache
def layout(width: int, lang: str) -> list[tuple[str, int]]:
    """Column widths for a queue this wide in this language; the title takes the rest."""
    shown = [c for c in COLUMNS if width >= c.min_total]
    widths = {c.name: _label_width(c.name, lang) if c.name in LABELLED else c.width for c in shown}
    fixed = sum(w + 1 for w in widths.values() if w)
    title = max(8, width - fixed - 1)
    return [(c.name, widths[c.name] or title) for c in shown]


def fit(text: str, width: int, ellipsis: str = UNICODE.ellipsis) -> str:
    """Cut or pad to exactly `width` cells, CJK-aware, with an ellipsis when cut."""
    if cell_len(text) > width:
        if width < 2:
            return set_cell_size(text, width)
        cut = set_cell_size(text, width - 1)
        if not text.startswith(cut):
            cut = cut[:-1]  # the pad where half a wide character would be: "…" goes there
        return set_cell_size(cut + ellipsis, width)
    return set_cell_size(text, width)


class QueueHeader(Static):
    """The column titles above the queue."""

    _line = ""

    def show(self, width: int, lang: str) -> None:
        """The titles for a queue this wide; repainted only when they change (each reload of
        the queue asks again)."""
        line = " ".join(fit(t(f"col.{name}", lang), w) for name, w in layout(width, lang))
        if line != self._line:
            self._line = line
            self.update(line, layout=False)  # always one line high


class QueueView(ScrollView, can_focus=True):
    """The virtual queue."""

    DEFAULT_CSS = """
    QueueView {
        height: 1fr;
        scrollbar-size-vertical: 1;
        /* Lines are cut to the width: a horizontal scrollbar would only hide the last row. */
        overflow-x: hidden;
    }

    QueueView > .queue--cursor {
        background: $accent 40%;
        text-style: bold;
    }

    QueueView:focus > .queue--cursor {
        background: $accent;
        color: $text;
    }

    QueueView > .queue--urgent {
        color: $error;
        text-style: bold;
    }

    QueueView > .queue--placeholder {
        color: $text-muted;
    }

    QueueView > .queue--marked {
        text-style: underline;
    }
    """ + light_css("QueueView", "queue")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue--cursor",
        *light_classes("queue"),
        "queue--urgent",
        "queue--placeholder",
        "queue--marked",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", show=False, id="queue.down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="queue.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="queue.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="queue.pageup"),
        Binding("g,home", "top", "Top", show=False, id="queue.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="queue.bottom"),
        Binding("enter", "open", "Open", show=False, id="queue.open"),
        Binding("space", "mark", "Mark", show=False, id="queue.mark"),
    ]

    # No repaint of its own: watch_cursor redraws just the two lines the cursor left and entered.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(Message):
        def __init__(self, row: q.CaseRow | None) -> None:
            self.row = row
            super().__init__()

    class Opened(Message):
        def __init__(self, row: q.CaseRow) -> None:
            self.row = row
            super().__init__()

    class StoreAway(messages.StoreAway):
        """A fetch failed because the store could not be reached."""

    class Landed(Message):
        """After an action on `code`: where the cursor stands now (`row`), and whether the
        case left the view (`left`: its status or anything else no longer matches)."""

        def __init__(self, code: str, left: bool, row: q.CaseRow | None) -> None:
            self.code = code
            self.left = left
            self.row = row
            super().__init__()

    class Loaded(Message):
        """A page arrived: the header's counts and the footer may want to know."""

        def __init__(self, total: int) -> None:
            self.total = total
            super().__init__()

    def __init__(
        self,
        session: Session,
        *,
        f: q.QueueFilter | None = None,
        sort: q.Sort = q.Sort.DEADLINE,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        localise(self, session.lang)
        self.session = session
        self.model = QueueModel(f or q.QueueFilter(), sort)
        self.marked: set[int] = set()
        self._follow: int | None = None  # keep the cursor on this case id after a reload
        self._to_top = False  # a reload from the top: the cursor goes there when rows arrive
        # After an action: the case acted on, and whether it left the view (`Landed`).
        self._landing: tuple[str, bool] | None = None
        self._ref: Reference | None = None
        self._fit_cache: OrderedDict[tuple[int, int, int], list[tuple[str, str]]] = OrderedDict()
        self._style = KeptStyles(self)
        # What each line of the view was last drawn with (`_shown`): a reload repaints only
        # the lines, or the time left of the lines, that now show something else.
        self._drawn: dict[int, tuple[Hashable, str]] = {}
        self._ahead: Ahead | None = None
        self._ahead_running = False  # one look-ahead fetch of rows at a time, one of a count
        self._counting = False

    @cached_property
    def _glyphs(self) -> Glyphs:
        return glyphs_of(self)

    @property
    def ref(self) -> Reference:
        if self._ref is None:
            self._ref = reference(self.session.store)
        return self._ref

    # --- loading -------------------------------------------------------------------------------

    def reload(
        self, f: q.QueueFilter | None = None, sort: q.Sort | None = None, *, keep: bool = True
    ) -> None:
        """Fetch afresh (new filter, sort, or a change elsewhere); keep the cursor's case."""
        # With no row under the cursor, a reload in flight has cleared the rows: the case it
        # follows is still the one to land on.
        current = self.current_row
        self._landing = None
        if not keep:
            self._follow = None
        elif current is not None:
            self._follow = current.id
        top = max(0, self.cursor - self.scroll_offset.y)
        self.model.reset(f, sort)
        request = Request(
            Fetch.TOP if self.cursor < 60 or not keep else Fetch.OFFSET,
            self.model.generation,
            offset=max(0, self.cursor - top - 40),
        )
        # The rows on screen stay until the new ones arrive and replace them in one frame: a
        # frame of placeholders in between would only delay that one by a frame's interval.
        self._to_top = not keep
        ahead, self._ahead = self._ahead, None
        wanted = (self.model.filter, self.model.sort)
        if (
            not keep
            and ahead is not None
            and ahead.request is None
            and ((ahead.filter, ahead.sort) == wanted)
        ):
            self._take_over(ahead, request)
            return
        self._start(request, count=True)

    # --- looking ahead while the operator types ------------------------------------------------

    def look_ahead(self, f: q.QueueFilter) -> None:
        """Fetch the top of the queue under `f` now, for a reload with it that is coming (the
        search's typing pause): the pause and the fetch run side by side, not one after the
        other. Rows and counts each go one fetch at a time, the newest filter next: one typed
        past meanwhile is skipped, and a slow count of a term typed past holds up no rows."""
        if self._ahead is not None and self._ahead.filter == f:
            return
        self._ahead = Ahead(f, self.model.sort)
        if not self._ahead_running:
            self._ahead_running = True
            self._fetch_ahead_rows(self._ahead)

    def _take_over(self, ahead: Ahead, request: Request) -> None:
        """The reload `request` is the look-ahead's: what it has is shown now, the rest when
        it comes."""
        self.model.pending = request
        ahead.request = request
        self._ahead = ahead
        if ahead.rows is not None:
            self._arrived(request, ahead.rows, None)
        if ahead.total is not None:
            self._counted(request.generation, ahead.total)

    @work(thread=True, group="queue-ahead", exit_on_error=False)
    def _fetch_ahead_rows(self, ahead: Ahead) -> None:
        store, actor, now = self.session.store, self.session.actor, wallclock.now()
        try:
            rows = q.page(store, actor, ahead.filter, ahead.sort, now=now, limit=PAGE)
        except GridcallError:
            rows = None
        self.app.call_from_thread(self._ahead_rows, ahead, rows)

    def _ahead_rows(self, ahead: Ahead, rows: list[q.CaseRow] | None) -> None:
        """The look-ahead's rows: kept, or shown if the reload already took it over; then its
        count, and the newest filter's rows if it was typed past."""
        newest = self._ahead
        self._ahead_running = False
        if ahead is newest:
            if rows is None:
                self._ahead_failed(ahead)
                return
            ahead.rows = rows
            if ahead.request is not None:
                self._arrived(ahead.request, rows, None)
            self._count_ahead()
        elif newest is not None and newest.rows is None:
            self._ahead_running = True
            self._fetch_ahead_rows(newest)

    def _count_ahead(self) -> None:
        ahead = self._ahead
        if self._counting or ahead is None or ahead.rows is None or ahead.total is not None:
            return
        self._counting = True
        self._fetch_ahead_count(ahead)

    @work(thread=True, group="queue-ahead-count", exit_on_error=False)
    def _fetch_ahead_count(self, ahead: Ahead) -> None:
        store, actor, now = self.session.store, self.session.actor, wallclock.now()
        try:
            total: int | None = q.count(store, actor, ahead.filter, now=now)
        except GridcallError:
            total = None
        self.app.call_from_thread(self._ahead_counted, ahead, total)

    def _ahead_counted(self, ahead: Ahead, total: int | None) -> None:
        self._counting = False
        if ahead is self._ahead:
            if total is None:
                self._ahead_failed(ahead)
                return
            ahead.total = total
            if ahead.request is not None:
                self._counted(ahead.request.generation, total)
        self._count_ahead()  # the newest filter's, if it waited for this one

    def _ahead_failed(self, ahead: Ahead) -> None:
        """The store did not answer the look-ahead: the reload asks for itself, and says so."""
        self._ahead = None
        if ahead.request is not None:
            self._start(ahead.request, count=True)

    def reveal(self, row: q.CaseRow) -> None:
        """Reload with the cursor on this case wherever it now stands, e.g. one just registered:
        its place is counted in the store, since it may lie far beyond the first page."""
        self.model.reset()
        self._follow = row.id
        self._landing = None
        self._locate(row, self.model.generation)

    def reload_after_action(self, code: str) -> None:
        """Reload after an action on `code`. The rule for the cursor: it stays on the case
        while the case is still in the view, wherever the action moved it in the order; a case
        that left the view leaves the cursor where it stood, on the case that took its place.
        Either way `Landed` says where the cursor is, so the screen can tell the operator."""
        self.model.reset()
        self._locate_acted(code, self.model.generation, self.cursor)

    @work(thread=True, group="queue-fetch", exit_on_error=False)
    def _locate_acted(self, code: str, generation: int, cursor: int) -> None:
        m = self.model
        store, actor, now = self.session.store, self.session.actor, wallclock.now()
        # Where the case stood had it stayed: the row there is the case itself only while the
        # case still matches the view's filter.
        request = Request(Fetch.OFFSET, generation, offset=max(0, cursor - MARGIN))
        follow: int | None = None
        try:
            row = self.session.case(code, timeline=False).row
            at = q.position(store, actor, m.filter, m.sort, row, now=now)
            there = q.page(store, actor, m.filter, m.sort, now=now, limit=1, offset=at)
            if there and there[0].id == row.id:
                follow = row.id
                request = Request(Fetch.OFFSET, generation, offset=max(0, at - MARGIN))
        except NotFound:
            pass  # out of this user's reach now: out of the view too
        except GridcallError as exc:
            self.app.call_from_thread(self._failed, request, exc)
            return
        self.app.call_from_thread(self._land, request, code, follow)

    def _land(self, request: Request, code: str, follow: int | None) -> None:
        if request.generation != self.model.generation:
            return  # a newer reload came in meanwhile
        self._follow = follow
        self._landing = (code, follow is None)
        self._start(request, count=True)

    @work(thread=True, group="queue-fetch", exit_on_error=False)
    def _locate(self, row: q.CaseRow, generation: int) -> None:
        m = self.model
        at = q.position(
            self.session.store, self.session.actor, m.filter, m.sort, row, now=wallclock.now()
        )
        request = Request(Fetch.OFFSET, generation, offset=max(0, at - MARGIN))
        self.app.call_from_thread(self._jump, request)

    def _jump(self, request: Request) -> None:
        if request.generation == self.model.generation:  # no newer reload came in meanwhile
            self._start(request, count=True)

    def _start(self, request: Request, *, count: bool = False) -> None:
        self.model.pending = request
        self._fetch(request, count)

    @work(thread=True, group="queue-fetch", exit_on_error=False)
    def _fetch(self, request: Request, count: bool) -> None:
        try:
            self._fetch_now(request, count)
        except GridcallError as exc:
            # The store went away: keep showing what is loaded; the live watcher resyncs.
            self.app.call_from_thread(self._failed, request, exc)

    def _failed(self, request: Request, exc: GridcallError) -> None:
        if request.generation == self.model.generation:
            self.model.pending = None
        self.post_message(self.StoreAway(exc))

    def _fetch_now(self, request: Request, count: bool) -> None:
        now = wallclock.now()
        m = self.model
        if request.kind is Fetch.BOTTOM:
            rows = q.last_page(
                self.session.store,
                self.session.actor,
                m.filter,
                m.sort,
                limit=request.limit,
                now=now,
            )
        else:
            rows = q.page(
                self.session.store,
                self.session.actor,
                m.filter,
                m.sort,
                now=now,
                limit=request.limit,
                after=request.key if request.kind is Fetch.AFTER else None,
                before=request.key if request.kind is Fetch.BEFORE else None,
                offset=request.offset if request.kind is Fetch.OFFSET else 0,
            )
        self.app.call_from_thread(self._arrived, request, rows, None)
        if count:
            total = q.count(self.session.store, self.session.actor, m.filter, now=now)
            self.app.call_from_thread(self._counted, request.generation, total)

    def _arrived(self, request: Request, rows: list[q.CaseRow], total: int | None) -> None:
        if not self.model.apply(request, rows, total):
            return
        self._resize()
        if self._to_top and request.kind is Fetch.TOP:
            self._to_top = False
            self.scroll_to(y=0, animate=False, immediate=True)
            self.cursor = 0
        if self._follow is not None:
            position = self.model.position_of(self._follow)
            self._follow = None
            if position is not None:
                self.cursor = position
        if request.kind is Fetch.BOTTOM:
            self.cursor = max(0, self.model.total - 1)
        # Set even when unchanged: the cursor's watcher loads what is needed and posts
        # Highlighted for the row now under it.
        self.cursor = min(self.cursor, max(0, self.model.total - 1))
        self._repaint_changed()
        if self._landing is not None:
            code, left = self._landing
            self._landing = None
            self.post_message(self.Landed(code, left, self.current_row))

    def _counted(self, generation: int, total: int) -> None:
        if generation != self.model.generation:
            return
        self.model.total = max(total, self.model.loaded.stop)
        self._resize()
        self._repaint_changed()
        self.post_message(self.Loaded(self.model.total))

    def _resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.model.total)

    def _ensure_loaded(self) -> None:
        first = self.scroll_offset.y
        last = first + self.size.height
        lo, hi = min(first, self.cursor), max(last, self.cursor)
        request = self.model.need(lo, hi)
        if request is not None:
            self._start(request)

    # --- moving ----------------------------------------------------------------------------------

    @property
    def current_row(self) -> q.CaseRow | None:
        return self.model.row_at(self.cursor)

    def watch_cursor(self, old: int, new: int) -> None:
        height = max(1, self.size.height)
        y = self.scroll_offset.y
        if new < y:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= y + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh_lines(old)  # queue positions: ScrollView subtracts the scroll itself
        self.refresh_lines(new)
        self._ensure_loaded()
        self.post_message(self.Highlighted(self.current_row))

    def _clamp(self, position: int) -> int:
        return max(0, min(position, self.model.total - 1))

    def action_move(self, delta: int) -> None:
        self.cursor = self._clamp(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        height = max(1, self.size.height - 1)
        self.scroll_to(y=self.scroll_offset.y + direction * height, animate=False, immediate=True)
        self.cursor = self._clamp(self.cursor + direction * height)

    def action_top(self) -> None:
        self.cursor = 0

    def action_bottom(self) -> None:
        if self.model.total:
            self.cursor = self.model.total - 1

    def action_open(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Opened(row))

    def action_mark(self) -> None:
        row = self.current_row
        if row is None:
            return
        self.marked ^= {row.id}
        self.action_move(1)

    def on_resize(self) -> None:
        self._resize()
        self._ensure_loaded()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._ensure_loaded()

    # --- drawing -----------------------------------------------------------------------------

    def _fitted(self, row: q.CaseRow, width: int) -> list[tuple[str, str]]:
        """The row's columns cut to width, except the time left, which changes by the minute.

        Fitting CJK text to cells is the costly part of drawing a line, so it is done once per
        case version and width, and kept (an LRU the size of a few screens).
        """
        key = (row.id, row.version, width)
        cached = self._fit_cache.get(key)
        if cached is not None:
            self._fit_cache.move_to_end(key)
            return cached
        ref = self.ref
        ellipsis = self._glyphs.ellipsis
        unit = ref.units.get(row.lead_unit_id) if row.lead_unit_id else None
        category = ref.categories.get(row.category_id)
        texts = {
            "code": row.code,
            "urgency": label("urgency", row.urgency, self.session.lang),
            "status": status_text(row, self.session.lang),
            "title": inert(row.title),
            "grid": ref.areas[row.grid_id].name if row.grid_id in ref.areas else "",
            "category": name_in(category, self.session.lang) if category else "",
            "unit": unit.name if unit else "—",
        }
        fitted = [
            (name, fit(texts[name], w, ellipsis) if name in texts else str(w))
            for name, w in layout(width, self.session.lang)
        ]
        self._fit_cache[key] = fitted
        if len(self._fit_cache) > FIT_CACHE:
            self._fit_cache.popitem(last=False)
        return fitted

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style.clear()

    def _shown(self, position: int, now: datetime) -> tuple[Hashable, str]:
        """What the line at `position` shows, in two parts: all but the time left, and the
        time left, which alone changes as the minutes pass."""
        if position >= self.model.total:
            return (self.size.width, "blank"), ""
        row = self.model.row_at(position)
        if row is None:
            return (self.size.width, "placeholder"), ""
        return self._shown_row(row, position, row.light(now), now)

    def _shown_row(
        self, row: q.CaseRow, position: int, light: Light, now: datetime
    ) -> tuple[Hashable, str]:
        # The urge's mark turns late with the clock, as the light turns red.
        urged = row.urged(now)
        line = (self.size.width, row.id, row.version, light, urged, position == self.cursor)
        return (*line, row.id in self.marked), time_left(row, now, self.session.lang)

    def _repaint_changed(self) -> None:
        """Repaint the lines in view that would now show something else than they do; of a
        line whose time left alone changed, only the time left. The minute's redraw of a quiet
        queue sends a few cells, not the screen."""
        now = wallclock.now()
        top = self.scroll_offset.y
        left: Region | None = None
        x = 0
        for name, width in layout(self.size.width, self.session.lang):
            if name == "left":
                left = Region(x, 0, width, 1)
            x += width + 1
        for y in range(self.size.height):
            shown = self._shown(top + y, now)
            drawn = self._drawn.get(y)
            if drawn == shown:
                continue
            if left is not None and drawn is not None and drawn[0] == shown[0]:
                self.refresh(left.translate((0, y)))
            else:
                self.refresh_lines(top + y)

    def render_line(self, y: int) -> Strip:
        position = self.scroll_offset.y + y
        width = self.size.width
        base = self._style()
        now = wallclock.now()
        row = self.model.row_at(position) if position < self.model.total else None
        if row is None:
            self._drawn[y] = self._shown(position, now)
            if position >= self.model.total:
                return Strip.blank(width, base)
            style = base + self._style("queue--placeholder")
            return Strip([Segment(fit("  " + self._glyphs.ellipsis, width), style)], width)
        light = row.light(now)
        self._drawn[y] = shown = self._shown_row(row, position, light, now)
        glyphs = self._glyphs
        row_style = base
        marked = row.id in self.marked
        if marked:
            row_style += self._style("queue--marked")
        if position == self.cursor:
            row_style += self._style("queue--cursor")
        light_style = row_style + self._style(f"queue--{light.value}")
        urgent_style = row_style + self._style("queue--urgent")
        # Neighbours of one style are sent as one segment: each segment is sent with its own
        # escape codes, and a line of a dozen columns in one style costs a third of the bytes.
        # The space after a column takes the column's style: it looks the same, and the light
        # and its time left go as one run.
        segments: list[Segment] = []
        text, style = "", row_style
        for name, cell in self._fitted(row, width):
            if name == "light":
                # A mark shows as a character too, for monochrome terminals and screen readers.
                symbol = glyphs.light(light) + (glyphs.mark if marked else "")
                cell, cell_style = fit(symbol, int(cell)), light_style
            elif name == "left":
                cell, cell_style = fit(shown[1], int(cell)), light_style
            elif name == "urged":
                urged = row.urged(now)
                cell = fit(URGED.get(urged, ""), int(cell))
                if urged is Light.NONE:
                    cell_style = row_style
                else:
                    cell_style = row_style + self._style(f"queue--{urged.value}")
            elif name == "urgency" and row.urgency is Urgency.URGENT:
                cell_style = urgent_style
            else:
                cell_style = row_style
            if cell_style is not style and text:
                segments.append(Segment(text, style))
                text = ""
            text, style = text + cell + " ", cell_style
        segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(width, row_style)
