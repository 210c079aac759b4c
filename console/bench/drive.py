"""Driving the headless console through what an operator does: keys, filters, views, sorts,
searches and actions, and another console's change, each timed to the frame that shows it."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from console.bench.figures import Samples
from console.bench.frames import bench_app, quiet, rows_shown, shown_at, watch_arrivals
from console.bench.stores import LOGIN
from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Light, Status
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.services.cases import act


async def drive(store: Store, repeat: int, terms: list[str]) -> Samples:
    """The figures of the headless app; its searches are for `terms`, the words the bench
    also types on a terminal (bench/terms), so the two figures stand side by side."""
    from console.views.widgets.queue import QueueView

    samples = Samples()
    app = bench_app(store)
    async with app.run_test(size=(160, 48)):
        queue = app.screen.query_one(QueueView)
        arrivals = watch_arrivals(app, queue)
        await quiet(app)
        for key, times in (
            ("down", repeat * 3),
            ("pagedown", repeat),
            ("G", 1),
            ("up", repeat),
            ("g", 1),
            ("pagedown", repeat),
        ):
            for _ in range(times):
                seen = app.frames
                started = time.perf_counter()
                app.simulate_key(key)
                shown = await app.frame_after(seen, timeout=2.0)
                if shown is not None:
                    samples.add("key → repaint (↓ PgDn g G)", (shown - started) * 1000)
                await quiet(app)
        filters = [
            q.QueueFilter(lights=frozenset({Light.RED})),
            q.QueueFilter(statuses=frozenset({Status.REPORTED})),
            q.QueueFilter(statuses=frozenset({Status.HANDLED, Status.VERIFYING})),
            q.QueueFilter(),
        ]
        for i in range(repeat):
            await _timed_reload(
                app,
                queue,
                arrivals,
                samples,
                "filter / view / sort → repaint",
                f=filters[i % len(filters)],
                keep=False,
            )
            await _timed_reload(
                app,
                queue,
                arrivals,
                samples,
                "filter / view / sort → repaint",
                sort=list(q.Sort)[i % len(q.Sort)],
                keep=False,
            )
        for i in range(repeat):
            term = terms[i % len(terms)]
            await _timed_reload(
                app,
                queue,
                arrivals,
                samples,
                "text search → repaint",
                f=q.QueueFilter(text=term),
                sort=q.Sort.DEADLINE,
                keep=False,
            )
        await _timed_reload(
            app,
            queue,
            arrivals,
            Samples(),
            "",
            # The whole open queue: a small store may have no new case in this street at the
            # hour the bench runs (its cases are dated back from now).
            f=q.QueueFilter(),
            keep=False,
        )
        for _ in range(repeat):  # a note each: the p95 of ten would be their slowest
            row = await _current_row(app, queue)
            if row is None:
                break
            before = len(arrivals)
            app.operator_key()
            started = time.perf_counter()
            await asyncio.to_thread(
                app.session.act, row.code, Action.NOTE, Params(text="bench"), row.version
            )
            queue.reload()
            shown = await rows_shown(app, queue, arrivals, before)
            samples.add("action → queue shows it", (shown - started) * 1000)
            await _next_case(app, queue)
        await _another_console(app, queue, arrivals, store, samples, repeat)
    return samples


async def _timed_reload(
    app: Any, queue: Any, arrivals: list[int], samples: Samples, name: str, **reload: Any
) -> None:
    await quiet(app)
    before = len(arrivals)
    app.operator_key()
    started = time.perf_counter()
    queue.reload(**reload)
    shown = await rows_shown(app, queue, arrivals, before)
    samples.add(name, (shown - started) * 1000)


async def _another_console(
    app: Any, queue: Any, arrivals: list[int], store: Store, samples: Samples, repeat: int
) -> None:
    """Another console (its own connection) writes; time until this one repaints with it."""
    other = Store(store.url)
    for _ in range(min(repeat, 5)):
        row = await _current_row(app, queue)
        if row is None:
            break
        done = threading.Event()
        committed: list[float] = []

        def write(code: str, committed: list[float], done: threading.Event) -> None:
            act(other, SlaClock(), LOGIN, code, Action.NOTE, Params(text="other console"))
            committed.append(time.perf_counter())
            done.set()

        threading.Thread(target=write, args=(row.code, committed, done)).start()
        version = row.version
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            await app.frame_after(app.frames, timeout=1.0)
            current = queue.model.row_at(queue.cursor)
            if done.is_set() and current is not None and current.version > version:
                # The frame after the rows with the change arrived is the one showing it.
                shown = await shown_at(app, arrivals[-1])
                break
        else:
            shown = time.perf_counter()  # never shown: the 5 s stand in the table
        samples.add("another console's change visible", (shown - committed[0]) * 1000)
        await _next_case(app, queue)
    other.dispose()


async def _next_case(app: Any, queue: Any) -> None:
    """On to the next case, at rest: each note of a run goes to a case of its own, so a
    store that is benched again and again does not pile a long timeline onto one case."""
    queue.action_move(1)
    await quiet(app)


async def _current_row(app: Any, queue: Any) -> Any:
    """The row under the cursor, once the queue holds it again (a change seen by the live
    watch reloads the queue, and the rows are away while the page is read)."""
    deadline = time.perf_counter() + 5
    while queue.current_row is None and time.perf_counter() < deadline:
        await app.frame_after(app.frames, timeout=0.5)
    return queue.current_row
