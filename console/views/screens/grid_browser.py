"""The grid browser (key b): the territory as a tree, beside the card and the open cases of what
the cursor is on.

district → street → community → grid, with dedicated grids (◆) after the grids of their
community. Resting on a grid shows its card and its queue; on a community, a street or the
district, a summary and all their cases. Enter on a grid steps into its queue, Enter there
opens the case, Esc steps back out. Below 120 columns there is no room for a tree and a
readable queue side by side, so the queue, once entered, takes the tree's place until Esc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from console.domain.enums import AreaLevel
from console.domain.errors import GridcallError
from console.i18n import label, t
from console.queries.cases import QueueFilter
from console.queries.reference import GRID_LEVELS, AreaInfo, Reference
from console.queries.scope import territory
from console.session import Session
from console.terminal import UNICODE
from console.views.context import session_of
from console.views.messages import StoreAway
from console.views.screens.case import CaseScreen
from console.views.widgets.case_pane import grid_text
from console.views.widgets.keybar import KeyBar
from console.views.widgets.keynames import localise
from console.views.widgets.queue import QueueHeader, QueueView

WIDE = 120  # from this width the tree, the card and the queue all stay in view
# How long the cursor rests on a node before its card and queue are fetched: holding ↓ runs
# through the tree without a query for every node passed.
REST = 0.12


def queue_filter(area: AreaInfo) -> QueueFilter:
    """The open cases under a node of the tree."""
    if area.level in GRID_LEVELS:
        return QueueFilter(grid=area.code)
    if area.level is AreaLevel.COMMUNITY:
        return QueueFilter(community=area.code)
    if area.level is AreaLevel.STREET:
        return QueueFilter(street=area.code)
    return QueueFilter()


def node_label(area: AreaInfo, lang: str) -> Text:
    if area.level is AreaLevel.DEDICATED:
        kind = label("dedicated", area.kind, lang) if area.kind else ""
        return Text.assemble((f"{UNICODE.dedicated} ", "bold"), area.name, (f" {kind}", "dim"))
    return Text(area.name)


def area_text(
    ref: Reference, area: AreaInfo, visible: Callable[[AreaInfo], bool], lang: str
) -> RenderableType:
    """A community, a street or the district: where it is and how big (the grids this user
    sees under it), from the reference data alone."""
    whole = area.level is AreaLevel.DISTRICT
    grids = [
        a
        for a in ref.areas.values()
        if a.level in GRID_LEVELS
        and visible(a)
        and (whole or area.id in (a.street_id, a.community_id, a.parent_id))
    ]
    households = sum(a.households for a in grids)
    population = sum(a.population for a in grids)
    path = f" {UNICODE.path} ".join(a.name for a in ref.path(area.id)) or area.name
    return Group(
        Text(label("level", area.level.value, lang), style="bold underline"),
        Text(path, style="bold"),
        Text(t("grids.count", lang, n=len(grids))),
        Text(t("grids.households", lang, households=households, population=population)),
    )


class GridBrowserScreen(Screen[None]):
    """The tree on the left; the card over the queue on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="grids.back"),
        Binding("r", "reload", "Reload", id="grids.reload"),
    ]

    def __init__(self, grid_id: int | None = None) -> None:
        """`grid_id`: the grid to open at (the case under the queue's cursor), if any."""
        super().__init__()
        localise(self, self.session.lang)
        self.start = grid_id
        self.area: AreaInfo | None = None  # what the card and the queue show
        self._rest: Timer | None = None
        # The node the cursor is being placed on as the screen opens: the tree highlights its
        # root first, and a busy machine can let that highlight's rest run out before the
        # cursor arrives, showing the district's card over the grid asked for.
        self._placing: TreeNode[AreaInfo] | None = None

    @property
    def session(self) -> Session:
        return session_of(self)

    def compose(self) -> ComposeResult:
        yield Static(id="browser-heading")
        with Horizontal(id="browser"):
            yield Tree[AreaInfo](Text(""), id="grid-tree")
            with Vertical(id="browser-right"):
                with VerticalScroll(id="browser-card"):
                    yield Static(id="browser-card-body")
                yield Static(id="browser-queue-title")
                yield QueueHeader(id="browser-queue-header")
                yield QueueView(self.session, id="browser-queue")
        yield KeyBar()

    def on_mount(self) -> None:
        tree = self.query_one("#grid-tree", Tree)
        start = self.build(tree)
        tree.focus()
        self._placing = start
        # The tree lays out its lines on the next refresh; only then can its cursor move.
        self.call_after_refresh(tree.move_cursor, start)
        if start.data is not None:
            self.show(start.data)

    def build(self, tree: Tree[AreaInfo]) -> TreeNode[AreaInfo]:
        """Fill the tree with the user's part of the territory; return the node to start on:
        the grid asked for, else the first street."""
        lang = self.session.lang
        ref = self.session.reference
        visible = territory(self.session.actor, ref)
        children: dict[int, list[AreaInfo]] = {}
        for area in ref.areas.values():
            if area.parent_id is not None and area.level is not AreaLevel.MICRO and visible(area):
                children.setdefault(area.parent_id, []).append(area)
        for kids in children.values():
            kids.sort(key=lambda a: (a.level is AreaLevel.DEDICATED, a.code))
        district = next(a for a in ref.areas.values() if a.level is AreaLevel.DISTRICT)
        tree.root.set_label(Text(district.name, style="bold"))
        tree.root.data = district
        tree.root.expand()
        found: dict[int, TreeNode[AreaInfo]] = {}

        def add(node: TreeNode[AreaInfo], area: AreaInfo) -> None:
            for kid in children.get(area.id, []):
                if kid.level in GRID_LEVELS:
                    found[kid.id] = node.add_leaf(node_label(kid, lang), data=kid)
                else:
                    found[kid.id] = child = node.add(node_label(kid, lang), data=kid)
                    add(child, kid)

        add(tree.root, district)
        start = found.get(self.start) if self.start is not None else None
        if start is None:
            start = tree.root.children[0] if tree.root.children else tree.root
        above = start.parent
        while above is not None:
            above.expand()
            above = above.parent
        if start.allow_expand:
            start.expand()
        return start

    # --- showing what the cursor is on -----------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[AreaInfo]) -> None:
        if self._placing is not None:
            if event.node is not self._placing:
                return  # the tree's own first highlight, before the cursor is placed
            self._placing = None
        elif event.node is not event.node.tree.cursor_node:
            return  # a highlight the cursor has already left, arriving late
        # A newer highlight always overrides one still resting, even when it comes back to
        # what is shown.
        if self._rest is not None:
            self._rest.stop()
            self._rest = None
        area = event.node.data
        if area is not None and area != self.area:
            self._rest = self.set_timer(REST, lambda: self.show(area))

    def show(self, area: AreaInfo) -> None:
        self.area = area
        lang = self.session.lang
        ref = self.session.reference
        path = f" {UNICODE.path} ".join(a.name for a in ref.path(area.id)) or area.name
        self.query_one("#browser-heading", Static).update(
            Text.assemble((f" {t('grids.heading', lang)}", "bold"), f"  {UNICODE.bar}  {path}")
        )
        self.query_one("#browser-queue-title", Static).update(
            Text.assemble((t("grids.queue", lang), "bold"), f" {UNICODE.dot} {area.name}")
        )
        self.query_one("#browser-card-body", Static).update(UNICODE.ellipsis)
        self.query_one(QueueView).reload(queue_filter(area), keep=False)

    @work(thread=True, exclusive=True, group="browser-card", exit_on_error=False)
    def load_card(self, area: AreaInfo) -> None:
        session = self.session
        lang = session.lang
        body: RenderableType
        if area.level in GRID_LEVELS:
            try:
                found = session.grid_card(area.id)
            except GridcallError as exc:
                self.post_message(StoreAway(exc))
                return
            card = grid_text(found, lang)
            if area.level is AreaLevel.DEDICATED:
                kind = label("dedicated", area.kind, lang) if area.kind else ""
                mark = f"{UNICODE.dedicated} {t('grids.dedicated', lang)} {UNICODE.dot} {kind}"
                card = Group(Text(mark, style="bold"), card)
            body = card
        else:
            ref = session.reference
            body = area_text(ref, area, territory(session.actor, ref), lang)
        self.app.call_from_thread(self.show_card, area, body)

    def show_card(self, area: AreaInfo, body: RenderableType) -> None:
        if area == self.area:  # the cursor has not moved on meanwhile
            self.query_one("#browser-card-body", Static).update(body)

    def on_queue_view_loaded(self, message: QueueView.Loaded) -> None:
        """The card follows its queue: each time the queue is counted afresh (the cursor came
        to rest on a node, the reload key, another console's change, the minute's redraw),
        the card is read afresh too, so its open and overdue counts agree with the queue."""
        if self.area is not None:
            self.load_card(self.area)
            self.query_one("#browser-queue-title", Static).update(
                Text.assemble(
                    (t("grids.queue", self.session.lang), "bold"),
                    f" {UNICODE.dot} {self.area.name} {UNICODE.dot} {message.total}",
                )
            )
        self.show_columns()

    def show_columns(self) -> None:
        queue = self.query_one(QueueView)
        self.query_one(QueueHeader).show(queue.size.width or self.size.width, self.session.lang)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")
        self.call_after_refresh(self.show_columns)

    # --- keys ------------------------------------------------------------------------------

    def on_tree_node_selected(self, event: Tree.NodeSelected[AreaInfo]) -> None:
        area = event.node.data
        if area is not None and area.level in GRID_LEVELS:
            if area != self.area:
                self.show(area)
            self.query_one(QueueView).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.set_class(isinstance(event.widget, QueueView), "-in-queue")
        self.call_after_refresh(self.show_columns)

    def on_queue_view_opened(self, message: QueueView.Opened) -> None:
        self.app.push_screen(CaseScreen(message.row.code))

    def action_back(self) -> None:
        if self.query_one(QueueView).has_focus:
            self.query_one("#grid-tree", Tree).focus()
        else:
            self.dismiss()

    def action_reload(self) -> None:
        if self.area is not None:
            self.query_one(QueueView).reload()
