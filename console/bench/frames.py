"""The console as the bench runs it headless: an app that counts its composited frames, and
the waits for rest and for the frame that shows the rows a fetch brought."""

from __future__ import annotations

import asyncio
import inspect
import time
from pathlib import Path, PurePath
from typing import Any, ClassVar

from console.bench.stores import LOGIN
from console.config import Settings
from console.db import Store
from console.domain.sla import SlaClock
from console.session import Session
from console.terminal import Terminal


def bench_app(store: Store) -> Any:
    from console.app import GridcallApp

    class BenchApp(GridcallApp):
        """Counts composited frames; renders each to terminal bytes as a real driver would."""

        # Textual looks for a relative CSS path beside the module that defines the app class,
        # which for this one is the bench's, not the console's.
        CSS_PATH: ClassVar[list[str | PurePath]] = [
            str(Path(inspect.getfile(GridcallApp)).parent / path) for path in GridcallApp.CSS_PATH
        ]

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.frame = asyncio.Event()
            self.frame_times: list[float] = []  # when each frame was finished, in order
            self.arrival = asyncio.Event()  # rows have reached the queue

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None and hasattr(renderable, "render_segments"):
                renderable.render_segments(self.console)
            self.frame_times.append(time.perf_counter())
            self.frame.set()

        @property
        def frames(self) -> int:
            """How many frames have been finished."""
            return len(self.frame_times)

        def operator_key(self) -> None:
            """The key an operator presses for what the bench asks of the queue directly (a
            filter, a search, an action): the console holds its full collections after it."""
            if self._tidy is not None:
                self._tidy.input()

        async def frame_after(self, seen: int, timeout: float = 5.0) -> float | None:
            """Wait for the frame after frame number `seen`; when it was finished, or None if
            none comes."""
            deadline = time.perf_counter() + timeout
            while self.frames <= seen:
                self.frame.clear()
                if self.frames > seen:
                    break
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                try:
                    await asyncio.wait_for(self.frame.wait(), left)
                except TimeoutError:
                    return None
            return self.frame_times[seen]

    # The centre's own language and time zone: what an operator there runs.
    session = Session(store, SlaClock(), LOGIN, "zh", Settings().tz)
    return BenchApp(session, live=True, testing=True, freeze_heap=True, terminal=Terminal())


def watch_arrivals(app: Any, queue: Any) -> list[int]:
    """Record the frame count each time rows arrive, so the next frame is the one showing them."""
    arrivals: list[int] = []
    original = queue._arrived

    def arrived(*args: Any) -> None:
        original(*args)
        arrivals.append(app.frames)
        app.arrival.set()

    queue._arrived = arrived
    return arrivals


async def rows_shown(app: Any, queue: Any, arrivals: list[int], before: int) -> float:
    """Wait until the fetches started now are in and a frame shows them; when that frame was
    finished. It sleeps until rows arrive: polling here would take the interpreter from the
    thread that fetches them."""
    while len(arrivals) <= before or queue.model.pending is not None:
        app.arrival.clear()
        await app.arrival.wait()
    return await shown_at(app, arrivals[-1])


async def shown_at(app: Any, seen: int) -> float:
    shown: float | None = await app.frame_after(seen)
    if shown is None:
        raise RuntimeError("the console drew no frame for 5 s")
    return shown


async def quiet(app: Any) -> None:
    """Wait for rest: no fetch running, the case pane has drawn the case it was given, and
    no frame for 50 ms, as after an operator's glance at the case. (The live watcher runs
    for ever, so only the fetching workers are waited for, once it has caught up.) A
    measurement that began while frames were still coming would be held to Textual's pace of
    one frame per 1/60 s."""
    from console.views.widgets.case_pane import CasePane

    while True:
        while (
            not app.caught_up
            or any(w.is_running for w in app.workers if w.group != "live")
            or any(pane.waiting for pane in app.screen.query(CasePane))
        ):
            await asyncio.sleep(0.001)
        drawn = app.frames
        await asyncio.sleep(0.05)
        if app.frames == drawn:
            return
