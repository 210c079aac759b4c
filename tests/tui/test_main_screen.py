"""The main screen: the queue, moving through it, the case beside it or full screen."""

from __future__ import annotations

from dataclasses import replace
from io import StringIO

from rich.cells import cell_len
from rich.console import Console

from console.config import Settings
from console.db import Store
from console.domain.actions import Action
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.services.cases import act, create_case
from console.views.widgets.case_pane import CasePane, case_text
from console.views.widgets.keybar import KeyBar
from console.views.widgets.queue import QueueView
from tests.tui.conftest import DISTRICT, OPERATOR, AppFactory, manhole, report, session
from tests.tui.quiet import until_quiet


async def test_keys_move_through_the_whole_queue(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        await until_quiet(pilot)
        total = queue.model.total
        assert total > 30
        first = queue.current_row
        await pilot.press("j", "j")
        assert queue.cursor == 2
        await pilot.press("G")
        await until_quiet(pilot)
        assert queue.cursor == total - 1
        last = queue.current_row
        assert last is not None and first is not None and last.code != first.code
        await pilot.press("g")
        await until_quiet(pilot)
        assert queue.cursor == 0
        assert queue.current_row == first
        await pilot.press("pagedown")
        assert queue.cursor > 10


async def test_enter_opens_the_case_on_a_narrow_terminal(busy, console_app: AppFactory) -> None:
    app = console_app(busy)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        code = app.screen.query_one(QueueView).current_row.code  # type: ignore[union-attr]
        await pilot.press("enter")
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        body = app.screen.query_one(CasePane).text
        assert code in body
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_a_terminal_grown_wide_shows_the_case_under_the_cursor(
    busy, console_app: AppFactory
) -> None:
    """The pane is hidden on a narrow terminal while the cursor moves; grown to 160 columns it
    shows the case the cursor is on, without a key pressed."""
    app = console_app(busy)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("j", "j")
        await until_quiet(pilot)
        code = app.screen.query_one(QueueView).current_row.code  # type: ignore[union-attr]
        await pilot.resize_terminal(160, 48)
        await until_quiet(pilot)
        pane = app.screen.query_one("#case-pane", CasePane)
        assert pane.text.startswith(code), pane.text[:80]


async def test_queue_matches_the_query(busy, console_app: AppFactory) -> None:
    """What the queue shows first is what the store says is most pressing."""
    from console import wallclock
    from console.queries.reference import reference

    app = console_app(busy)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_quiet(pilot)
        queue = app.screen.query_one(QueueView)
        expected = q.page(
            busy,
            reference(busy).actor("op.jiangbin1"),
            q.QueueFilter(),
            q.Sort.DEADLINE,
            limit=5,
            now=wallclock.now(),
        )
        assert [queue.model.row_at(i).code for i in range(5)] == [r.code for r in expected]  # type: ignore[union-attr]


async def test_the_cursor_is_redrawn_where_it_shows_after_a_scroll(
    busy, console_app: AppFactory
) -> None:
    """Only the two lines the cursor leaves and enters are redrawn on a move, so they must be
    the lines on screen: at the bottom of a scrolled queue, k moves the highlight up one line."""
    app = console_app(busy, login=DISTRICT)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        await until_quiet(pilot)
        await pilot.press("G")
        await until_quiet(pilot)
        assert queue.scroll_offset.y > 0
        redrawn: list[int] = []
        draw = queue.render_line
        queue.render_line = lambda y: redrawn.append(y) or draw(y)  # type: ignore[method-assign]
        await pilot.press("k")
        await pilot.pause()
        on_screen = queue.cursor - queue.scroll_offset.y
        assert {on_screen, on_screen + 1} <= set(redrawn)


async def test_the_last_case_is_on_screen_after_g(busy, console_app: AppFactory) -> None:
    """G puts the cursor on the last case, and that line is one the operator can see."""
    app = console_app(busy, login=DISTRICT)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        await until_quiet(pilot)
        await pilot.press("G")
        await until_quiet(pilot)
        assert queue.cursor == queue.model.total - 1
        visible = queue.scrollable_content_region.height
        assert 0 <= queue.cursor - queue.scroll_offset.y < visible
        assert queue.current_row is not None
        assert queue.current_row.code in app.export_screenshot()  # drawn, not hidden


async def test_a_click_on_a_footer_key_presses_it(busy, console_app: AppFactory) -> None:
    """The footer is one line of text; a click finds the key under the pointer, wide
    characters included."""
    app = console_app(busy)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        line = app.screen.query_one(KeyBar).render().plain
        assert line.startswith("/ ") and "?" in line
        await pilot.click(KeyBar, offset=(cell_len(line[: line.index("?")]), 0))
        await until_quiet(pilot)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_the_cursor_keeps_its_case_through_reloads_at_once(
    busy, console_app: AppFactory
) -> None:
    """Two reloads before the first one's rows are in (an action's and another console's
    change, or the minute's redraw): the cursor lands on its case, which has moved down a row
    meanwhile, not on the case that took its old place."""
    app = console_app(busy, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        queue = app.screen.query_one(QueueView)
        await until_quiet(pilot)
        queue.reload(sort=q.Sort.REPORTED)  # newest first: a new case comes in on top
        await until_quiet(pilot)
        # The reload kept the cursor's case, wherever the new order put it: start from the top.
        await pilot.press("g", "j", "j", "j")
        case = queue.current_row
        assert case is not None and queue.cursor == 3

        report(busy)
        queue.reload()
        queue.reload()
        await until_quiet(pilot)
        assert queue.current_row is not None and queue.current_row.code == case.code
        assert queue.cursor == 4


def test_a_case_to_triage_says_so_in_its_pane(busy: Store) -> None:
    """Filed under a neutral category by the hotline import: the operator reading it must see
    the category is theirs to set."""
    new = replace(manhole(busy), to_triage=True)
    code = create_case(busy, SlaClock(), OPERATOR, new).code
    reader = session(busy, lang="en")

    def pane() -> str:
        d = reader.case(code)
        shown = case_text(
            d, reader.reference, reader.clock, Settings().tz, "en", d.reporter_view(reader.actor)
        )
        out = Console(file=StringIO(), width=120, color_system=None)
        out.print(shown)
        return out.file.getvalue()  # type: ignore[attr-defined]

    assert "to triage" in pane()
    act(busy, SlaClock(), OPERATOR, code, Action.SET_CATEGORY, Params(category="010101"))
    assert "to triage" not in pane()
