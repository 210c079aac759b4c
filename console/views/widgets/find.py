"""Finding cases in the queue: `/` search, `f` filters, `s` sort, saved views on 1–9.

`FindBox` holds the queue. It adds the view bar above it (the view's name, what the filter
keeps, the sort, the count) and the one-line search at its foot, and owns the keys that change
what the queue shows. The matching itself is the queries' (console.queries.cases.conditions);
the queue's worker runs it. Filter and save modals live in find_modals.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import tzinfo
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.markup import escape
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from console.domain.enums import OPEN_STATUSES, Light, Status
from console.domain.errors import GridcallError
from console.domain.limits import SEARCH_MAX, VIEW_NAME_MAX
from console.domain.period import bound_text
from console.domain.policy import desk
from console.i18n import label, say, t
from console.present import inert, view_title
from console.queries import views as qv
from console.queries.cases import URGE_FILTERS, QueueFilter, Sort
from console.queries.reference import AreaInfo, CategoryInfo, Reference, UnitInfo, name_in
from console.session import Session
from console.terminal import UNICODE
from console.views.context import glyphs_of, session_of
from console.views.widgets.keynames import localise
from console.views.widgets.queue import QueueView, fit

if TYPE_CHECKING:
    from console.views.screens.find_modals import SaveRequest

DEBOUNCE = 0.15  # seconds of quiet typing before the queue is asked again


def _named(info: AreaInfo | UnitInfo | CategoryInfo | None, code: str, lang: str) -> str:
    """A code's display name; the English one in English where there is one."""
    if info is None:
        return code
    return name_in(info, lang)


def _period(f: QueueFilter, lang: str, tz: tzinfo) -> str | None:
    """The period the cases were reported in, as typed in the filter form; None: any time."""
    start = bound_text(f.reported_from, tz, end=False)
    end = bound_text(f.reported_until, tz, end=True)
    if start and end:
        if start == end:
            return t("find.reported_on", lang, day=start)
        return t("find.reported_between", lang, start=start, end=end)
    if start:
        return t("find.reported_since", lang, start=start)
    if end:
        return t("find.reported_until", lang, end=end)
    return None


def summary(f: QueueFilter, ref: Reference, lang: str, tz: tzinfo) -> str:
    """What the filter keeps, in a few words: the view bar's middle, the palette's help;
    times in the centre's zone `tz`."""
    parts: list[str] = []
    if f.statuses != OPEN_STATUSES:
        parts.append(
            t("find.and", lang).join(label("status", s, lang) for s in Status if s in f.statuses)
            or t("find.any_status", lang)
        )
    if f.lights:
        parts.append("/".join(label("light", v, lang) for v in Light if v in f.lights))
    if f.urgency:
        parts.append(label("urgency", f.urgency, lang))
    if f.category:
        parts.append(_named(ref.category_by_code.get(f.category), f.category, lang))
    if f.source:
        parts.append(label("source", f.source, lang))
    place = f.grid or f.community or f.street
    if place:
        parts.append(_named(ref.area_by_code.get(place), place, lang))
    if f.unit:
        parts.append(_named(ref.unit_by_code.get(f.unit), f.unit, lang))
    if f.level:
        parts.append(t("find.level", lang, level=label("level", f.level, lang)))
    if f.unrated:
        parts.append(t("find.unrated", lang))
    if f.triage:
        parts.append(t("find.triage", lang))
    if f.late_overall:
        parts.append(t("find.late_overall", lang))
    parts.extend(t(f"find.{name}", lang) for name in URGE_FILTERS if getattr(f, name))
    if f.return_requested:
        parts.append(t("find.return_requested", lang))
    if f.review_due_by is not None:
        parts.append(t("find.review_due", lang))
    reported = _period(f, lang, tz)
    if reported:
        parts.append(reported)
    if f.text:
        parts.append(("/!" if f.negate else "/") + inert(f.text))
    return f" {UNICODE.dot} ".join(parts) or t("find.open_cases", lang)


def parse_search(value: str) -> tuple[str, bool]:
    """What the search line asks for: the words, and whether `!` turned them round."""
    value = value.strip()
    negate = value.startswith("!")
    text = value.removeprefix("!").strip()
    return text, negate and bool(text)


class ViewBar(Widget):
    """One line above the queue: view, what the filter keeps, sort, count."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view_name = ""
        self.what = ""
        self.sort = Sort.DEADLINE
        self.total: int | None = None

    def show(self, view_name: str, what: str, sort: Sort, total: int | None) -> None:
        shown = (view_name, what, sort, total)
        if shown != (self.view_name, self.what, self.sort, self.total):
            # Only a change repaints: each reload of the queue, by the minute too, says so.
            self.view_name, self.what, self.sort, self.total = shown
            self.refresh()

    def render(self) -> Content:
        lang = session_of(self).lang
        glyphs = glyphs_of(self)
        if self.total is None:
            count = glyphs.ellipsis  # the count for a new filter is on its way
        else:
            count = t(
                "find.count_one" if self.total == 1 else "find.count", lang, n=f"{self.total:,}"
            )
        sort = f"{glyphs.bar} {t(f'sort.{self.sort}', lang)} {glyphs.bar} "
        head = f" {self.view_name} "
        room = self.size.width - cell_len(head) - cell_len(sort) - cell_len(count) - 1
        middle = fit(f"{glyphs.bar} {self.what}", room, glyphs.ellipsis) if room > 2 else ""
        # Content, not markup: view names and search words are typed by people.
        return Content.assemble((head, "bold"), middle, sort, (count + " ", "bold"))


class FindBar(Horizontal):
    """The search line at the queue's foot: shown by `/`, kept while a search is active."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.input = Input(
            placeholder=t("find.placeholder", session_of(self).lang),
            id="find-input",
            max_length=SEARCH_MAX,
            select_on_focus=False,
        )

    def compose(self) -> ComposeResult:
        yield Static("/", id="find-prompt")
        yield self.input


class FindBox(Vertical):
    """The queue with its view bar and search line, and the keys that change what it shows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="find.search"),
        Binding("f", "filter", "Filter", id="find.filter"),
        Binding("s", "sort", "Sort", id="find.sort"),
        Binding("S", "save_view", "Save view", show=False, id="view.save"),
        # Enter and Esc leave the search box at once, before the next key is read: keys typed
        # ahead of the screen (`/term⏎u`) go to the queue, not into the box. Priority bindings
        # run as the key is read; a queue key waiting behind them finds the queue focused.
        Binding("enter", "search_done", "Search", show=False, priority=True, id="find.done"),
        Binding(
            "escape", "clear_search", "Clear search", show=False, priority=True, id="find.clear"
        ),
        *(Binding(str(n), f"view({n})", f"View {n}", show=False, id=f"view.{n}") for n in qv.SLOTS),
    ]

    def __init__(self, *children: Widget, id: str | None = None) -> None:
        super().__init__(*children, id=id)
        localise(self, self.session.lang)
        self.view_bar = ViewBar(id="view-bar")
        self.search_bar = FindBar(id="find-bar")
        self.search_input = self.search_bar.input
        at = desk(self.session.actor)
        self.views = {n: qv.default_view(n, desk=at) for n in qv.SLOTS}
        self.slot = 1  # the view last chosen; the bar marks it * once the queue differs
        self.total: int | None = None  # None while the count for a new filter is coming
        self._debounce: Timer | None = None
        self.settling = False  # Enter has left the box; its search is not taken yet

    def compose(self) -> ComposeResult:
        # Both are docked (find.tcss), so they sit above and below the queue although
        # Textual mounts them after the children the screen put in this box.
        yield self.view_bar
        yield self.search_bar

    @property
    def session(self) -> Session:
        return session_of(self)

    @property
    def queue(self) -> QueueView:
        return self.query_one(QueueView)

    def on_mount(self) -> None:
        self.show_bar()
        self.load_views()

    # --- what the queue shows ------------------------------------------------------------------

    def refilter(self, f: QueueFilter | None = None, sort: Sort | None = None) -> None:
        """Show the queue with this filter and/or sort, from the top."""
        if self._debounce is not None:
            self._debounce.stop()
        model = self.queue.model
        f = f or model.filter
        sort = sort or model.sort
        if (f, sort) == (model.filter, model.sort):
            return
        self.total = None
        self.queue.reload(f, sort, keep=False)
        box = self.search_input
        if parse_search(box.value) != (f.text, f.negate):
            box.value = ("!" if f.negate else "") + f.text
        if f.text:
            self.search_bar.display = True
        self.show_bar()

    def show_bar(self) -> None:
        model = self.queue.model
        view = self.views[self.slot]
        lang = self.session.lang
        name = f"{view.slot} {view_title(view, lang)}"
        if (model.filter, model.sort) != (view.filter, view.sort):
            name += " *"  # changed since the view was chosen, as an editor marks a file
        what = summary(model.filter, self.queue.ref, lang, self.session.tz)
        self.view_bar.show(name, what, model.sort, self.total)

    def on_queue_view_loaded(self, message: QueueView.Loaded) -> None:
        self.total = message.total
        self.show_bar()

    # --- `/` search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.display = True
        self.search_input.focus()

    @on(Input.Changed, "#find-input")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self._search_now)
        # The store is asked during the pause, not after it: the rows are ready when it ends.
        text, negate = parse_search(self.search_input.value)
        self.queue.look_ahead(replace(self.queue.model.filter, text=text, negate=negate))

    def _search_now(self) -> None:
        text, negate = parse_search(self.search_input.value)
        self.refilter(replace(self.queue.model.filter, text=text, negate=negate))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter and Esc are ours only in the search box, or while a search is shown: the queue
        # has them otherwise (Enter opens the case), and the help lists what they do there.
        if action == "search_done":
            return self.search_input.has_focus
        if action == "clear_search":
            return self.search_bar.display
        return True

    def action_search_done(self) -> None:
        # Enter is read ahead of the characters typed before it, which still wait in the
        # box's own queue: the search is taken once the box has them, and until then the
        # queue's keys stay inert rather than act on the rows from before the search.
        self.settling = True
        self.screen.set_focus(self.queue)
        self.search_input.call_later(self._search_settled)

    def _search_settled(self) -> None:
        self.settling = False
        self._search_now()
        self.search_bar.display = bool(self.queue.model.filter.text)

    def action_clear_search(self) -> None:
        self.refilter(replace(self.queue.model.filter, text="", negate=False))
        self.search_bar.display = False
        self.screen.set_focus(self.queue)

    # --- `f` filter and `s` sort ---------------------------------------------------------------

    def action_filter(self) -> None:
        # The filter and save forms are loaded when first asked for (~9 ms of start-up).
        from console.views.screens.find_modals import FilterScreen

        self.app.push_screen(
            FilterScreen(self.queue.model.filter, self.queue.ref, self.session.actor),
            lambda f: self.refilter(f) if f is not None else None,
        )

    def action_sort(self) -> None:
        self.refilter(sort=next_sort(self.queue.model.sort))

    # --- views on 1–9 --------------------------------------------------------------------------

    def key_help(self, binding_id: str) -> str | None:
        """The help's line for a view key: the view's name, the user's own or the default's."""
        slot = binding_id.removeprefix("view.")
        if not slot.isdigit():
            return None
        lang = self.session.lang
        return t("key.view.named", lang, n=slot, name=view_title(self.views[int(slot)], lang))

    @work(thread=True, exclusive=True, group="views", exit_on_error=False)
    def load_views(self) -> None:
        found = self.session.views()
        self.app.call_from_thread(self._views_loaded, found)

    def _views_loaded(self, found: dict[int, qv.View]) -> None:
        self.views = found
        first = found[1]
        if first.saved and self.slot == 1:
            # The user's own view 1 is where their queue starts.
            self.action_view(1)
        self.show_bar()

    def action_view(self, slot: int) -> None:
        view = self.views[slot]
        try:
            qv.check_filter(view.filter, self.queue.ref)
        except GridcallError as err:
            self.app.notify(say(err, self.session.lang), severity="error", markup=False)
            return
        self.slot = slot
        self.refilter(view.filter, view.sort)
        self.search_bar.display = bool(view.filter.text)
        self.show_bar()

    def action_save_view(self) -> None:
        model = self.queue.model
        view = self.views[self.slot]
        unchanged = (model.filter, model.sort) == (view.filter, view.sort)
        lang = self.session.lang
        name = (
            view_title(view, lang)
            if unchanged
            else summary(model.filter, self.queue.ref, lang, self.session.tz)
        )
        from console.views.screens.find_modals import SaveViewScreen

        self.app.push_screen(
            SaveViewScreen(self.views, self.slot, name[:VIEW_NAME_MAX]),
            self._save_answered,
        )

    def _save_answered(self, request: SaveRequest | None) -> None:
        if request is not None:
            model = self.queue.model
            self.store_view(request, model.filter, model.sort)

    @work(thread=True, group="views-write", exit_on_error=False)
    def store_view(self, request: SaveRequest, f: QueueFilter, sort: Sort) -> None:
        session = self.session
        try:
            if request.name is None:
                view = session.delete_view(request.slot)
            else:
                view = session.save_view(request.slot, request.name, f, sort)
        except GridcallError as err:
            message = say(err, session.lang)
            self.app.call_from_thread(self.app.notify, message, severity="error", markup=False)
            return
        self.app.call_from_thread(self._view_stored, view)

    def _view_stored(self, view: qv.View) -> None:
        self.views = {**self.views, view.slot: view}
        key = "save.saved" if view.saved else "save.restored"
        lang = self.session.lang
        self.app.notify(t(key, lang, slot=view.slot, name=view_title(view, lang)), markup=False)
        if view.saved:
            self.slot = view.slot
        self.show_bar()

    # --- the command palette -------------------------------------------------------------------

    def commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """(text, help, what it does) for every view and sort order."""
        lang = self.session.lang
        for slot, view in self.views.items():
            text = t("cmd.view", lang, slot=slot, name=view_title(view, lang))
            sort = t(f"sort.{view.sort}", lang)
            kept = summary(view.filter, self.queue.ref, lang, self.session.tz)
            what = f"{kept} {UNICODE.dot} {sort}"
            yield text, what, partial(self.action_view, slot)
        for sort in Sort:
            text = t("cmd.sort", lang, sort=t(f"sort.{sort}", lang))
            yield text, t("cmd.sort_help", lang), partial(self.refilter, None, sort)


def next_sort(sort: Sort) -> Sort:
    order = list(Sort)
    return order[(order.index(sort) + 1) % len(order)]


def _highlighted(matcher: Matcher, text: str) -> Content:
    """The hit with the matched letters marked. Matcher.highlight would read the text as
    markup, and view names are typed by people."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class FindCommands(Provider):
    """Ctrl+P: every view on 1–9 by name, and the sort orders."""

    def _box(self) -> FindBox | None:
        found = self.screen.query(FindBox)
        return found.first() if found else None

    async def discover(self) -> Hits:
        box = self._box()
        for text, what, run in box.commands() if box else ():
            yield DiscoveryHit(Content(text), run, text=text, help=escape(what))

    async def search(self, query: str) -> Hits:
        box = self._box()
        matcher = self.matcher(query)
        for text, what, run in box.commands() if box else ():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlighted(matcher, text), run, text=text, help=escape(what))
