"""`gridcall bench`: how the console feels at 10k, 100k and 1M cases, as a printed table.

It drives the real app headless: a key is posted (not pressed through Pilot, which idles
~40 ms per key by itself) and timed to the next frame the compositor produces — including the
terminal bytes a real driver would write — by the clock read as that frame is finished, not
when the bench's own coroutine wakes to see it (up to ~8 ms later while a worker thread
holds the interpreter). Start-up and memory are measured by running
`gridcall run` itself on a pseudo-terminal of 160×48 until the screen shows a case code, then
paging down 60 times, beside an empty Textual app started the same way in the same run (the
floor). Figures are medians and 95th percentiles in milliseconds; nothing here asserts a time.
"""

from __future__ import annotations

import asyncio
import compileall
import fcntl
import os
import pty
import re
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from select import select as wait_for_input
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import select, text
from sqlmodel import col

from console import wallclock
from console.db import Store
from console.domain.enums import Light, Status
from console.domain.sla import SlaClock
from console.domain.workflow import Action, Params
from console.models import Meta
from console.queries import cases as q
from console.queries.counts import header_counts, overdue_by_unit
from console.queries.reference import reference
from console.services.cases import act

STORES = Path(__file__).resolve().parents[1] / "bench" / "stores"
LOGIN = "op.jiangbin1"
SEED_SECONDS = "bench_seed_seconds"
SEED = "gridcall seed (the whole store)"
# Two-character words operators type, and one very common character.
SEARCH_TERMS = ("占道", "噪音", "漏水", "电梯", "小区", "井盖", "路")


@dataclass(frozen=True)
class Target:
    name: str
    limit: float | None = None  # every store's: ms, or a ratio for start-up, or MB for memory
    unit: str = "ms"
    # Instead, where the stores' targets differ: each store's; a store left out has none.
    stores: tuple[tuple[str, float], ...] = ()

    def limit_for(self, backend: str) -> float | None:
        return dict(self.stores).get(backend) if self.stores else self.limit

    @property
    def shown(self) -> str:
        if not self.stores:
            return f"{self.limit:g} {self.unit}"
        return ", ".join(f"{backend} {limit:g}" for backend, limit in self.stores) + f" {self.unit}"


TARGETS = (
    Target("start → first frame with cases", 1.5, "× floor"),
    Target("key → repaint (↓ PgDn g G)", 15),
    Target("filter / view / sort → repaint", 20),
    Target("text search → repaint", 50),
    Target("header and per-unit overdue counts", 50),
    Target("action → queue shows it", stores=(("sqlite", 30), ("pg", 50))),
    Target("another console's change visible", 1000),
    Target("resident memory", 150, "MB"),
    # 90 s for a million cases on SQLite; smaller stores are held to their share of it.
    # PostgreSQL's seed is measured too, against no target.
    Target(SEED, unit="s per 1M", stores=(("sqlite", 90),)),
)


@dataclass
class Samples:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- stores ----------------------------------------------------------------------------------


def _store_url(backend: str, size: int, pg_url: str | None, stores: Path) -> str:
    if backend == "sqlite":
        stores.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{stores / f'bench-{size}.db'}"
    if not pg_url:
        raise SystemExit("PostgreSQL benchmarks need --pg-url (a role that may create schemas)")
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    schema = f"bench_{size}"
    engine = Store(pg_url).engine
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    query = dict(url.query) | {"options": f"-csearch_path={schema}"}
    return url.set(query=query).render_as_string(hide_password=False)


def prepare(
    backend: str, size: int, pg_url: str | None, say: Callable[[str], None], stores: Path = STORES
) -> tuple[Store, float]:
    """A store of `size` generated cases, built once and reused while it still matches; and
    how long building it took (kept in the store, so a reused store still reports it)."""
    from console.demo.generate import seed_demo

    store = Store(_store_url(backend, size, pg_url, stores))
    store.migrate()
    with store.read() as s:
        meta = {key: value for key, value in s.execute(select(col(Meta.key), col(Meta.value)))}
    if meta.get("seed_cases") != str(size) or SEED_SECONDS not in meta:
        say(f"building the {backend} store of {size:,} cases …")
        started = time.perf_counter()
        seed_demo(store, SlaClock(), cases=size, seed=1, replace=True)
        took = time.perf_counter() - started
        store.write(lambda s: s.merge(Meta(key=SEED_SECONDS, value=f"{took:.3f}")))
        say(f"  built in {took:.1f} s")
        return store, took
    return store, float(meta[SEED_SECONDS])


# --- in-process measurements ---------------------------------------------------------------


def _bench_app(store: Store) -> Any:
    from console.app import GridcallApp

    class BenchApp(GridcallApp):
        """Counts composited frames; renders each to terminal bytes as a real driver would."""

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

    return BenchApp(store, SlaClock(), LOGIN, live=True, testing=True, settle_heap=True)


def _watch_arrivals(app: Any, queue: Any) -> list[int]:
    """Record the frame count each time rows arrive, so the next frame is the one showing them."""
    arrivals: list[int] = []
    original = queue._arrived

    def arrived(*args: Any) -> None:
        original(*args)
        arrivals.append(app.frames)
        app.arrival.set()

    queue._arrived = arrived
    return arrivals


async def _settle(app: Any, queue: Any, arrivals: list[int], before: int) -> float:
    """Wait until the fetches started now are in and a frame shows them; when that frame was
    finished. It sleeps until rows arrive: polling here would take the interpreter from the
    thread that fetches them."""
    while len(arrivals) <= before or queue.model.pending is not None:
        app.arrival.clear()
        await app.arrival.wait()
    return await _shown(app, arrivals[-1])


async def _shown(app: Any, seen: int) -> float:
    shown: float | None = await app.frame_after(seen)
    if shown is None:
        raise RuntimeError("the console drew no frame for 5 s")
    return shown


async def _timed_reload(
    app: Any, queue: Any, arrivals: list[int], samples: Samples, name: str, **reload: Any
) -> None:
    await _quiet(app)
    before = len(arrivals)
    app.operator_key()
    started = time.perf_counter()
    queue.reload(**reload)
    shown = await _settle(app, queue, arrivals, before)
    samples.add(name, (shown - started) * 1000)


async def _quiet(app: Any) -> None:
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
            or any(pane.settling for pane in app.screen.query(CasePane))
        ):
            await asyncio.sleep(0.001)
        drawn = app.frames
        await asyncio.sleep(0.05)
        if app.frames == drawn:
            return


async def _drive(store: Store, repeat: int) -> Samples:
    from console.views.widgets.queue import QueueView

    samples = Samples()
    app = _bench_app(store)
    async with app.run_test(size=(160, 48)):
        queue = app.screen.query_one(QueueView)
        arrivals = _watch_arrivals(app, queue)
        await _quiet(app)
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
                await _quiet(app)
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
            term = SEARCH_TERMS[i % len(SEARCH_TERMS)]
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
                app.take_action, row.code, Action.NOTE, Params(text="bench"), row.version
            )
            queue.reload()
            shown = await _settle(app, queue, arrivals, before)
            samples.add("action → queue shows it", (shown - started) * 1000)
            await _next_case(app, queue)
        await _another_console(app, queue, arrivals, store, samples, repeat)
    return samples


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
                shown = await _shown(app, arrivals[-1])
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
    await _quiet(app)


async def _current_row(app: Any, queue: Any) -> Any:
    """The row under the cursor, once the queue holds it again (a change seen by the live
    watch reloads the queue, and the rows are away while the page is read)."""
    deadline = time.perf_counter() + 5
    while queue.current_row is None and time.perf_counter() < deadline:
        await app.frame_after(app.frames, timeout=0.5)
    return queue.current_row


def _query_counts(store: Store, samples: Samples, repeat: int) -> None:
    actor = reference(store).actor(LOGIN)
    for _ in range(repeat):
        started = time.perf_counter()
        header_counts(store, actor, wallclock.now())
        overdue_by_unit(store, actor, wallclock.now())
        samples.add("header and per-unit overdue counts", (time.perf_counter() - started) * 1000)


# --- fresh-process measurements ------------------------------------------------------------

# An empty Textual app, started the same way as the console: the floor every start-up is
# compared with.
_FLOOR = r"""
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("READY")

Empty().run()
"""
PAGE_DOWN = b"\x1b[6~"
CASE_CODE = re.compile(rb"[A-Z]20\d\d-\d{7}")


def _in_terminal(argv: list[str], shows: re.Pattern[bytes], pages: int = 0) -> dict[str, float]:
    """Start `argv` on a real pseudo-terminal of 160×48, as a person would at a console; time
    until the screen shows `shows`; then press PgDn `pages` times and read the process's peak
    memory."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": "160", "LINES": "48"}
    env.pop("TEXTUAL", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    first = None
    try:
        deadline = started + 120
        while first is None and time.perf_counter() < deadline:
            ready, _, _ = wait_for_input([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            if shows.search(seen):
                first = time.perf_counter() - started
        if first is None:
            tail = seen[-400:].decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(argv[-4:])}: never showed its first screen: {tail}")
        for _ in range(pages):
            os.write(master, PAGE_DOWN)
            _drain(master, 0.02)
        _drain(master, 1.0 if pages else 0.2)
        rss = _peak_rss_mb(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    return {"first": first * 1000, "rss": rss}


def _drain(master: int, seconds: float) -> None:
    """Read what the app writes for a while, as a terminal would (a full pty blocks it)."""
    until = time.perf_counter() + seconds
    while (left := until - time.perf_counter()) > 0:
        ready, _, _ = wait_for_input([master], [], [], left)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                return


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _floor() -> float:
    return _in_terminal([sys.executable, "-c", _FLOOR], re.compile(rb"READY"))["first"]


def _start(url: str) -> dict[str, float]:
    """`gridcall run` itself, to the first screen that shows cases; then 60 PgDn."""
    argv = [sys.executable, "-m", "console.launch", "run", "--db", url, "--user", LOGIN]
    return _in_terminal(argv, CASE_CODE, pages=60)


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Run:
    floor: list[float] = field(default_factory=list)
    results: dict[tuple[str, int], Samples] = field(default_factory=dict)


def run(
    sizes: list[int],
    backends: list[str],
    pg_url: str | None,
    repeat: int,
    say: Callable[[str], None],
    stores: Path = STORES,
) -> Run:
    out = Run()
    # The console starts from bytecode, as an installed one (and `./dev run`) does: under
    # PYTHONDONTWRITEBYTECODE an editable checkout would otherwise compile every module of the
    # console at each start, which the floor's Textual, installed by pip, never does.
    compileall.compile_dir(Path(__file__).parent, quiet=1)
    for _ in range(max(3, repeat // 4)):
        out.floor.append(_floor())
    for backend in backends:
        for size in sizes:
            store, seeded = prepare(backend, size, pg_url, say, stores)
            say(f"measuring {backend} at {size:,} cases …")
            samples = asyncio.run(_drive(store, repeat))
            _query_counts(store, samples, repeat)
            for _ in range(max(3, repeat // 4)):
                fresh = _start(store.url)
                samples.add("start → first frame with cases", fresh["first"])
                samples.add("resident memory", fresh["rss"])
            samples.add(SEED, seeded)
            store.dispose()
            out.results[(backend, size)] = samples
    return out


def table(result: Run) -> Table:
    floor = statistics.median(result.floor)
    t = Table(
        title=f"Gridcall benchmark — floor (empty Textual app to first frame): "
        f"{floor:.0f} ms median",
        header_style="bold",
    )
    t.add_column("figure")
    t.add_column("target")
    for backend, size in result.results:
        t.add_column(f"{backend} {size:,}\nmedian / p95", justify="right")
        t.add_column("ratio", justify="right")
    for target in TARGETS:
        cells = [target.name, target.shown]
        for (backend, size), samples in result.results.items():
            values = samples.values.get(target.name, [])
            if not values:
                cells += ["—", "—"]
                continue
            med, p95 = statistics.median(values), _p95(values)
            if target.unit == "s per 1M":  # one build per store: a single figure
                cells.append(f"{med:.1f} s")
            else:
                unit = "MB" if target.unit == "MB" else "ms"
                cells.append(f"{med:.1f} / {p95:.1f} {unit}")
            limit = target.limit_for(backend)
            if limit is None:
                cells.append("—")
                continue
            if target.unit == "× floor":
                ratio = med / floor / limit
            elif target.unit == "s per 1M":
                ratio = med / (limit * size / 1_000_000)
            else:
                ratio = p95 / limit
            cells.append(f"{ratio:.2f}")
        t.add_row(*cells)
    return t


def main(sizes: list[int], backends: list[str], pg_url: str | None, repeat: int) -> None:
    # Piped to a file the table would be cut to 80 columns: it needs about 170.
    console = Console(width=None if sys.stdout.isatty() else 200)
    result = run(sizes, backends, pg_url, repeat, lambda line: console.print(line))
    console.print(table(result))
    console.print(
        f"machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
        "ratio = p95 / target (start-up: median / floor / 1.5; seed: time / its share of "
        "90 s per million cases); ≤ 1 meets the target"
    )
