"""The grid browser: the territory tree, the card of the grid under the cursor, its queue."""

from __future__ import annotations

from textual.widgets import Tree

from console import wallclock
from console.domain.enums import AreaLevel, StaffRole
from console.queries import cases as q
from console.queries.reference import reference
from console.views.screens.case import CaseScreen
from console.views.screens.grid_browser import REST, GridBrowserScreen
from console.views.widgets.case_pane import CasePane
from console.views.widgets.queue import QueueView
from tests.tui.conftest import AppFactory, screen_text
from tests.tui.quiet import until_quiet


async def test_a_grid_shows_its_card_and_only_its_cases(busy, console_app: AppFactory) -> None:
    app = console_app(busy)
    ref = reference(busy)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_quiet(pilot)
        row = app.screen.query_one(QueueView).current_row
        assert row is not None
        await pilot.press("b")  # opens at the grid of the case under the cursor
        await until_quiet(pilot, REST)

        screen = app.screen
        assert isinstance(screen, GridBrowserScreen)
        tree = screen.query_one(Tree)
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        grid = tree.cursor_node.data
        assert grid.id == row.grid_id
        card = screen_text(screen.query_one("#browser-card-body"))
        assert " › ".join(a.name for a in ref.path(grid.id)) in card
        worker = next(
            s for s in ref.staff_by_area[grid.id] if s.role == StaffRole.GRID_WORKER.value
        )
        assert worker.name in card
        queue = screen.query_one(QueueView)
        expected = q.count(
            busy, app.session.actor, q.QueueFilter(grid=grid.code), now=wallclock.now()
        )
        assert expected >= 1 and queue.model.total == expected
        shown = [queue.model.row_at(i) for i in range(queue.model.total)]
        assert all(r is not None and r.grid_id == grid.id for r in shown)

        await pilot.press("enter")  # into the grid's queue
        assert app.focused is queue
        first = queue.current_row
        assert first is not None
        await pilot.press("enter")  # open the case
        await until_quiet(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.code == first.code
        assert first.code in app.screen.query_one(CasePane).text
        await pilot.press("escape")  # back to the queue, then the tree, then the main screen
        assert app.screen is screen and app.focused is queue
        await pilot.press("escape")
        assert app.focused is tree
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_moving_in_the_tree_follows_with_card_and_queue(
    busy, console_app: AppFactory
) -> None:
    app = console_app(busy, lang="en")
    ref = reference(busy)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("b")
        await until_quiet(pilot, REST)
        screen = app.screen
        assert isinstance(screen, GridBrowserScreen)
        tree = screen.query_one(Tree)
        # The operator's street only, dedicated grids marked under their community.
        streets = [n.data for n in tree.root.children]
        assert [s.code for s in streets if s is not None] == ["LJ01"]
        dedicated = [
            n
            for street in tree.root.children
            for community in street.children
            for n in community.children
            if n.data is not None and n.data.level is AreaLevel.DEDICATED
        ]
        assert dedicated and all(str(n.label).startswith("◆") for n in dedicated)
        assert all(
            n.parent is not None and n.parent.data.id == n.data.community_id for n in dedicated
        )  # type: ignore[union-attr]

        await pilot.press("shift+left")  # up to the community: its cases, all of them
        await until_quiet(pilot, REST)
        community = tree.cursor_node.data  # type: ignore[union-attr]
        assert community is not None and community.level is AreaLevel.COMMUNITY
        assert screen.area == community
        queue = screen.query_one(QueueView)
        expected = q.count(
            busy, app.session.actor, q.QueueFilter(community=community.code), now=wallclock.now()
        )
        assert queue.model.total == expected
        card = screen_text(screen.query_one("#browser-card-body"))
        grids = [
            a
            for a in ref.areas.values()
            if a.community_id == community.id and a.level in (AreaLevel.GRID, AreaLevel.DEDICATED)
        ]
        assert f"{len(grids)} grids" in card


async def test_the_card_stays_with_the_cursor_whatever_order_highlights_come_in(
    busy, console_app: AppFactory, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The tree highlights its root as it lays out, and the screen places the cursor on the
    grid asked for; on a busy machine the root's highlight can come first and rest out, or
    come last. Either way the card shows the grid under the cursor, never the district's."""
    from console.views.screens import grid_browser

    monkeypatch.setattr(grid_browser, "REST", 0.0)  # a rest that always runs out at once
    shown: list[AreaLevel] = []
    show = GridBrowserScreen.show

    def recorded(screen: GridBrowserScreen, area):  # type: ignore[no-untyped-def]
        shown.append(area.level)
        show(screen, area)

    monkeypatch.setattr(GridBrowserScreen, "show", recorded)
    app = console_app(busy)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_quiet(pilot)
        await pilot.press("b")
        await until_quiet(pilot, 0.1)
        screen = app.screen
        assert isinstance(screen, GridBrowserScreen)
        tree = screen.query_one(Tree)
        tree.post_message(Tree.NodeHighlighted(tree.root))  # the root's, arriving late
        await until_quiet(pilot, 0.1)
        assert shown and AreaLevel.DISTRICT not in shown
        assert screen.area is not None and screen.area.level is AreaLevel.GRID
