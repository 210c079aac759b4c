"""A search is asked of the store while the typing pause runs (`QueueView.look_ahead`), so its
rows are ready when the pause ends; only the newest term typed is fetched, and what is shown is
always the search of the box's last text."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from console.db import Store
from console.queries import cases as q
from console.views.widgets.find import FindBox
from console.views.widgets.queue import QueueView
from tests.tui.conftest import DISTRICT, AppFactory
from tests.tui.quiet import until_quiet
from tests.tui.test_find import SIZE, TERM, TYPED, expected, queue_of, shown


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What happened, in order: each page asked of the store (its term) and each end of the
    typing pause."""
    said: list[tuple[str, str]] = []
    page, ended = q.page, FindBox._search_now
    running = [0]
    lock = threading.Lock()

    def asked(store: Any, actor: Any, f: q.QueueFilter, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("after") is None and kwargs.get("before") is None:
            said.append(("page", f.text))
        with lock:
            running[0] += 1
            said.append(("at once", str(running[0])))
        try:
            return page(store, actor, f, *args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    def pause_ended(self: FindBox) -> None:
        said.append(("pause ended", self.search_input.value))
        ended(self)

    monkeypatch.setattr(q, "page", asked)
    monkeypatch.setattr(FindBox, "_search_now", pause_ended)
    return said


def shows_the_search(busy: Store, queue: QueueView, term: str, first: int | None = None) -> None:
    """The queue shows the search of `term`: its filter, its count and its first rows (all of
    them, or the `first`)."""
    rows, total = expected(busy, q.QueueFilter(text=term), limit=500)
    n = total if first is None else min(total, first)
    assert queue.model.filter.text == term and queue.model.total == total
    assert shown(queue, n) == [r.code for r in rows][:n]


async def test_the_search_is_asked_during_the_pause_and_only_once(
    busy, console_app: AppFactory, told: list[tuple[str, str]]
) -> None:
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        await pilot.press("slash")
        told.clear()
        await pilot.press(*TERM)
        await until_quiet(pilot, TYPED)
        # The store was asked before the pause ended, and the pause's end asked nothing more.
        assert told.index(("page", TERM)) < told.index(("pause ended", TERM))
        assert told.count(("page", TERM)) == 1
        shows_the_search(busy, queue, TERM)


async def test_typing_past_a_look_ahead_shows_the_last_term(
    busy, console_app: AppFactory, told: list[tuple[str, str]]
) -> None:
    """A term typed a character at a time, faster than the pause: the rows and the count are
    the whole term's, whatever the look-ahead fetched for its beginnings."""
    app = console_app(busy, login=DISTRICT, lang="en")
    term = "E2026-0000"
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        await pilot.press("slash")
        for ch in term:
            await pilot.press(ch)
            await pilot.pause(0.02)
        await until_quiet(pilot, TYPED)
        shows_the_search(busy, queue, term, first=100)
        # Typing never piles fetches up on the store: one at a time, the newest term next.
        assert max(int(n) for what, n in told if what == "at once") == 1
        await pilot.press("backspace", "backspace")
        await until_quiet(pilot, TYPED)
        shows_the_search(busy, queue, term[:-2], first=100)


async def test_a_slow_count_of_a_term_typed_past_holds_up_no_rows(
    busy, console_app: AppFactory, told: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first character's count is slow (a character in most cases of a million): the
    whole term's rows are fetched while it still runs, not after it."""
    count = q.count

    def slow(store: Any, actor: Any, f: q.QueueFilter, **kwargs: Any) -> int:
        if f.text == TERM[0]:
            time.sleep(0.6)
        n = count(store, actor, f, **kwargs)
        told.append(("counted", f.text))
        return n

    monkeypatch.setattr(q, "count", slow)
    app = console_app(busy, login=DISTRICT, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        queue = queue_of(app)
        await pilot.press("slash")
        told.clear()
        await pilot.press(TERM[0])
        await pilot.pause(0.1)  # its rows are in, its count is on its way
        await pilot.press(TERM[1])
        await until_quiet(pilot, 1.0)
        assert told.index(("page", TERM)) < told.index(("counted", TERM[0]))
        shows_the_search(busy, queue, TERM)
