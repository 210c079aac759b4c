"""Finding cases: `/` search, `f` filters, `s` sort, views on 1–9, the palette — real keys."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from textual import events
from textual.widgets import Static

from console import wallclock
from console.app import GridcallApp
from console.domain.enums import Light
from console.i18n import t
from console.present import view_title
from console.queries import cases as q
from console.queries.reference import reference
from console.queries.views import default_view, saved_views
from console.services.views import delete_view
from console.views.screens.find_modals import FilterScreen
from console.views.widgets.find import FindBar, ViewBar
from console.views.widgets.queue import QueueView
from tests.tui.conftest import DISTRICT, AppFactory
from tests.tui.quiet import until_quiet

TERM = "垃圾"  # in a few dozen seeded titles: garbage piled, overflowing, burnt…
SIZE = (100, 30)


TYPED = 0.25  # past the search box's debounce


def queue_of(app: GridcallApp) -> QueueView:
    return app.screen.query_one(QueueView)


def bar_text(app: GridcallApp) -> str:
    return app.screen.query_one(ViewBar).render().plain


def expected(store, f: q.QueueFilter, sort: q.Sort = q.Sort.DEADLINE, limit: int = 20):  # type: ignore[no-untyped-def]
    actor = reference(store).actor(DISTRICT)
    now = wallclock.now()
    return q.page(store, actor, f, sort, limit=limit, now=now), q.count(store, actor, f, now=now)


def shown(queue: QueueView, n: int) -> list[str]:
    return [row.code for row in (queue.model.rows or [])[:n]]


async def test_search_keeps_only_matching_cases(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        await pilot.press("slash", *TERM)
        await until_quiet(pilot, TYPED)
        rows, total = expected(busy, q.QueueFilter(text=TERM), limit=500)
        assert 0 < total < 3000
        assert queue.model.total == total
        assert shown(queue, total) == [r.code for r in rows]
        for row in queue.model.rows or []:
            detail = q.detail(busy, q.DISTRICT_WIDE, row.code, timeline=False)
            assert TERM in row.title + row.code + detail.address
        assert t("find.count", "zh", n=f"{total:,}") in bar_text(app)
        assert f"/{TERM}" in bar_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is queue and queue.model.filter.text == TERM
        assert app.screen.query_one(FindBar).display  # the search stays in sight
        await pilot.press("escape")
        await until_quiet(pilot)
        assert queue.model.filter == q.QueueFilter()
        assert not app.screen.query_one(FindBar).display


async def test_bang_inverts_the_search(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("slash", "exclamation_mark", *TERM, "enter")
        await until_quiet(pilot)
        queue = queue_of(app)
        assert queue.model.filter.negate and queue.model.filter.text == TERM
        _, everything = expected(busy, q.QueueFilter())
        _, matching = expected(busy, q.QueueFilter(text=TERM))
        rows, total = expected(busy, queue.model.filter)
        assert total == everything - matching == queue.model.total
        assert shown(queue, 20) == [r.code for r in rows]
        assert all(TERM not in row.title for row in queue.model.rows or [])
        assert f"{total:,} cases" in bar_text(app) and f"/!{TERM}" in bar_text(app)


async def test_filter_red_only(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        # f, then the light row: → → onto "overdue", space picks it, Enter applies.
        await pilot.press("f", "down", "right", "right", "space", "enter")
        await until_quiet(pilot)
        queue = queue_of(app)
        assert queue.model.filter == q.QueueFilter(lights=frozenset({Light.RED}))
        now = wallclock.now()
        rows = queue.model.rows or []
        assert rows and all(row.light(now) is Light.RED for row in rows)
        _, total = expected(busy, queue.model.filter)
        assert queue.model.total == total
        assert "overdue" in bar_text(app) and f"{total:,} cases" in bar_text(app)


def typed(text: str) -> list[str]:
    return ["minus" if c == "-" else c for c in text]


# f, then ↓ past every row (status … follow-up, urges) onto the first of the period's two days.
TO_PERIOD = ["f", *["down"] * 12]


async def test_filter_by_the_days_reported(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press(*TO_PERIOD, *typed("2026-11-10"), "down", *typed("2026-11-12"))
        await pilot.press("enter")
        await until_quiet(pilot)
        queue = queue_of(app)
        shanghai = ZoneInfo("Asia/Shanghai")  # the centre's zone: its days, not UTC's
        start, end = (
            datetime(2026, 11, 10, tzinfo=shanghai),
            datetime(2026, 11, 13, tzinfo=shanghai),
        )
        assert queue.model.filter == q.QueueFilter(reported_from=start, reported_until=end)
        rows, total = expected(busy, queue.model.filter)
        _, everything = expected(busy, q.QueueFilter())
        assert 0 < total < everything and queue.model.total == total
        assert shown(queue, 20) == [r.code for r in rows]
        assert all(start <= row.created_at < end for row in queue.model.rows or [])
        assert "reported 2026-11-10 to 2026-11-12" in bar_text(app)
        # The form opens again on the period it keeps.
        await pilot.press(*TO_PERIOD)
        await until_quiet(pilot)
        assert app.focused is not None and getattr(app.focused, "value", None) == "2026-11-10"


async def test_a_bad_day_is_refused_in_the_form(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press(*TO_PERIOD, *typed("2026-12-02"), "down", *typed("2026-12-01"))
        await pilot.press("enter")
        await until_quiet(pilot)
        screen = app.screen
        assert isinstance(screen, FilterScreen)  # still open, nothing applied
        hint = screen.query_one("#filter-hint", Static).render()
        assert "起始日期 2026-12-02 晚于 截止日期 2026-12-01" in str(hint)
        # The error put the cursor on the day it names.
        await pilot.press("ctrl+a", "ctrl+k", *typed("2026-11-30"), "enter")
        await until_quiet(pilot)
        assert not isinstance(app.screen, FilterScreen)
        assert queue_of(app).model.filter.reported_from == datetime(
            2026, 11, 30, tzinfo=ZoneInfo("Asia/Shanghai")
        )


async def test_sort_key_changes_the_order(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        before = shown(queue, 10)
        await pilot.press("s")
        await until_quiet(pilot)
        assert queue.model.sort is q.Sort.REPORTED
        rows, _ = expected(busy, q.QueueFilter(), q.Sort.REPORTED, limit=10)
        assert shown(queue, 10) == [r.code for r in rows] != before
        assert t("sort.reported", "en") in bar_text(app)
        await pilot.press(*["s"] * (len(q.Sort) - 1))  # round to the start
        await until_quiet(pilot)
        assert queue.model.sort is q.Sort.DEADLINE and shown(queue, 10) == before


async def test_key_3_shows_the_red_view(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("3")
        await until_quiet(pilot)
        queue = queue_of(app)
        red = default_view(3)
        assert (queue.model.filter, queue.model.sort) == (red.filter, red.sort)
        rows, total = expected(busy, red.filter)
        assert shown(queue, 20) == [r.code for r in rows] and queue.model.total == total
        assert bar_text(app).startswith(f" 3 {view_title(red, 'zh')} ")


async def test_a_saved_view_survives_a_restart(busy, console_app: AppFactory) -> None:
    login = "sup.district2"  # a user of its own: the module's store is shared
    app = console_app(busy, login=login, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("slash", *TERM, "enter", "s")  # a search, sorted newest first
        await until_quiet(pilot)
        wanted = (queue_of(app).model.filter, queue_of(app).model.sort)
        await pilot.press("S", "9", *"trash", "enter")
        await until_quiet(pilot)
    try:
        [saved] = saved_views(busy, login)
        assert (saved.slot, saved.name, (saved.filter, saved.sort)) == (9, "trash", wanted)

        app = console_app(busy, login=login, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await until_quiet(pilot)
            queue = queue_of(app)
            assert queue.model.filter == q.QueueFilter()
            await pilot.press("9")
            await until_quiet(pilot)
            assert (queue.model.filter, queue.model.sort) == wanted
            assert bar_text(app).startswith(" 9 trash ")
            assert app.screen.query_one(FindBar).display  # the view's search words show
    finally:
        delete_view(busy, login, 9)


async def test_palette_lists_views_and_sorts(busy, console_app: AppFactory) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("ctrl+p", *"soon")
        await until_quiet(pilot, TYPED)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert queue_of(app).model.filter == default_view(4).filter
        await pilot.press("ctrl+p", *"rt: urg")
        await until_quiet(pilot, TYPED)
        await pilot.press("enter")
        await until_quiet(pilot)
        assert queue_of(app).model.sort is q.Sort.URGENCY


async def test_help_lists_every_find_key(snapshot_store, console_app: AppFactory) -> None:
    app = console_app(snapshot_store, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        listed = dict(app.screen.bindings_shown)  # type: ignore[attr-defined]
    ids = ["find.search", "find.filter", "find.sort", "view.save"] + [
        f"view.{n}" for n in range(1, 10)
    ]
    keys = ["/", "f", "s", "S", *map(str, range(1, 10))]
    # The view keys by their views' names.
    said = {f"view.{n}": f"视图 {n}：{view_title(default_view(n), 'zh')}" for n in range(1, 10)}
    for key, binding_id in zip(keys, ids, strict=True):
        expected = said.get(binding_id) or t(f"key.{binding_id}", "zh")
        assert listed.get(key) == expected, binding_id
    # On the queue, with no search shown, Enter opens the case and Esc is not the search's:
    # the help listed "search done" and "clear search" there.
    assert listed.get("⏎") == t("key.queue.open", "zh")
    assert t("key.find.clear", "zh") not in listed.values()


async def test_a_search_typed_with_its_enter_in_one_burst_is_the_one_taken(
    busy, console_app: AppFactory
) -> None:
    """Over SSH `/term⏎` arrives in one read: Enter is read ahead of the characters still on
    their way into the box, yet the search taken is the whole term, and a key pressed before
    it is taken acts on nothing (it would act on rows about to go)."""
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        await pilot.press("slash")
        await pilot.pause()
        burst = [(ch, ch) for ch in TERM] + [("enter", "\r"), ("u", "u")]
        for key, character in burst:  # one read from the terminal
            app.post_message(events.Key(key, character))
        await until_quiet(pilot, TYPED)
        assert queue.model.filter.text == TERM
        assert app.focused is queue
        assert type(app.screen).__name__ == "MainScreen"  # the u urged nothing


async def test_keys_typed_ahead_of_enter_and_esc_act_on_the_queue(
    busy, console_app: AppFactory
) -> None:
    """An operator types `/term⏎s` in one burst, faster than the console draws: the `s` sorts
    the found cases, it does not land in the search box. The same after Esc."""
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        await pilot.press("slash", *TERM)
        await until_quiet(pilot, TYPED)
        for key, character in (("enter", "\r"), ("s", "s")):  # one read from the terminal
            app.post_message(events.Key(key, character))
        await until_quiet(pilot, TYPED)
        assert queue.model.filter.text == TERM
        assert queue.model.sort is q.Sort.REPORTED
        assert app.focused is queue
        await pilot.press("slash")
        await pilot.pause()
        for key, character in (("escape", "\x1b"), ("s", "s")):
            app.post_message(events.Key(key, character))
        await until_quiet(pilot, TYPED)
        assert queue.model.filter.text == ""
        assert queue.model.sort is q.Sort.URGENCY
        assert app.focused is queue
