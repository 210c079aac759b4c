"""The dashboard at the console: its tiles say what the figures' queries say, a red unit's row
opens the queue of that unit's red cases, and `gridcall run --dashboard` opens on it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Static

from console import wallclock
from console.config import Settings
from console.db import Store
from console.domain.enums import Light
from console.queries import figures as fq
from console.queries.cases import QueueFilter
from console.queries.reference import name_in
from console.views.screens.dashboard import DashboardScreen
from console.views.screens.main import MainScreen
from console.views.widgets.queue import QueueView
from tests.people import PASSWORD, set_password
from tests.tui.conftest import DISTRICT, OPERATOR, AppFactory, screen_text, session
from tests.tui.pty import OnPty
from tests.tui.quiet import until_quiet


def tile(screen: DashboardScreen, key: str) -> list[str]:
    """A tile's lines after its title: today, this week, the range."""
    return screen_text(screen.query_one(f"#dash-{key}", Static)).splitlines()[1:4]


def value(line: str) -> str:
    """The figure of a tile's line, without the period's name or the arrow."""
    return line.split()[-1].rstrip("↑↓=")


async def test_the_tiles_are_the_figures_of_their_periods(
    busy: Store, console_app: AppFactory
) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("D")
        await until_quiet(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        s = session(busy, DISTRICT, "en")
        today = s.today()
        monday = today - timedelta(days=today.weekday())
        spans = [
            s.days(today, today),
            s.days(monday, today),
            s.days(today - timedelta(days=29), today),
        ]
        now = wallclock.now()
        tallies = [fq.tally(busy, s.actor, span, now) for span in spans]
        assert tallies[2].reported > tallies[0].reported > 0  # the seeded store has figures
        assert [value(v) for v in tile(screen, "reported")] == [f"{x.reported:,}" for x in tallies]
        # Today so far against yesterday by the same time of day (6 p.m. here), not all of it.
        by_now = fq.tally(busy, s.actor, s.by_now_yesterday(), now)
        whole = fq.tally(
            busy, s.actor, s.days(today - timedelta(days=1), today - timedelta(days=1)), now
        )
        assert by_now.reported < whole.reported
        moved = "↑" if tallies[0].reported > by_now.reported else "↓"
        assert tile(screen, "reported")[0].endswith(
            moved if tallies[0].reported != by_now.reported else "="
        )
        assert [value(v) for v in tile(screen, "closed")] == [f"{x.closed:,}" for x in tallies]
        assert [value(v) for v in tile(screen, "overdue_now")] == [
            f"{x.overdue_now:,}" for x in tallies
        ]
        assert [value(v) for v in tile(screen, "on_time_rate")] == [
            f"{x.on_time_rate * 100:.1f}%" if x.on_time_rate is not None else "—" for x in tallies
        ]
        assert [value(v) for v in tile(screen, "satisfaction")] == [
            f"{x.satisfaction * 100:.1f}%" if x.satisfaction is not None else "—" for x in tallies
        ]

        await pilot.press("7")  # the range: the last 7 days
        await until_quiet(pilot)
        week = fq.tally(busy, s.actor, s.days(today - timedelta(days=6), today), now)
        assert value(tile(screen, "reported")[2]) == f"{week.reported:,}"
        assert "7 days" in tile(screen, "reported")[2]


async def test_enter_on_the_worst_red_unit_shows_its_red_cases(
    busy: Store, console_app: AppFactory
) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    s = session(busy, DISTRICT, "en")
    red = fq.red_units(busy, s.actor, wallclock.now())
    worst, n, _ = red[0]
    assert worst is not None and sum(k for _, k, _ in red) > n  # other units have red cases
    unit = s.reference.units[worst]
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("D")
        await until_quiet(pilot)
        table = app.screen.query_one("#dash-red", DataTable)
        assert table.has_focus and table.cursor_row == 0
        first = str(table.get_row_at(0)[0])
        assert name_in(unit, "en")[:10] in first
        await pilot.press("enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        queue = app.screen.query_one(QueueView)
        assert queue.model.filter == QueueFilter(unit=unit.code, lights=frozenset({Light.RED}))
        rows = queue.model.rows or []
        assert len(rows) == n
        assert {r.lead_unit_id for r in rows} == {worst}
        assert {r.light(wallclock.now()) for r in rows} == {Light.RED}


async def test_a_street_ranks_its_communities_and_escape_goes_back(
    busy: Store, console_app: AppFactory
) -> None:
    app = console_app(busy, login=OPERATOR, lang="zh")
    app.settings = Settings(on_time_target=0.65)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("D")
        await until_quiet(pilot)
        title = screen_text(app.screen.query_one("#dash-rank-title", Static))
        assert "社区按期结案排名" in title
        rank = app.screen.query_one("#dash-rank", DataTable)
        s = session(busy, OPERATOR)
        ref = s.reference
        street = ref.area("LJ01").id
        communities = {name_in(a, "zh") for a in ref.areas.values() if a.parent_id == street}
        rows = [rank.get_row_at(i) for i in range(rank.row_count)]
        assert rows and {str(r[0]) for r in rows} <= communities
        # Red below the centre's on-time target (config: on_time_target).
        marked = {str(r[0]) for r in rows if "red" in str(r[0].style)}
        below = {str(r[0]) for r in rows if str(r[2]) != "—" and float(str(r[2])[:-1]) < 65}
        assert marked == below and marked and len(marked) < len(rows)
        await pilot.press("u")
        await until_quiet(pilot)
        assert "单位按期结案排名" in screen_text(app.screen.query_one("#dash-rank-title", Static))
        await pilot.press("escape")
        await until_quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+p", *"数据看板")  # the palette names it too
        await until_quiet(pilot, 0.2)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("question_mark")  # its keys are in the help
        await until_quiet(pilot)
        keys = screen_text(app.screen.query_one("#help-keys", Static))
        assert "上月" in keys and "查看这些案件" in keys and "地区/单位排名" in keys


def test_run_dashboard_opens_on_it_after_sign_in(busy: Store, tmp_path: Path) -> None:
    if not busy.is_sqlite:
        return  # the console's own process: one store is enough
    set_password(busy, DISTRICT)
    with OnPty(busy.url, {}, tmp_path, login=DISTRICT, args=("--dashboard",)) as console:
        console.wait_for_text("demo password")
        console.settle(0.3)
        console.type(PASSWORD + "\r")
        console.wait_for_text("Red now, by unit")
        console.wait_for_text("Streets by on-time closure")
        console.type("q")
        console.wait_for_text("1 All open")
