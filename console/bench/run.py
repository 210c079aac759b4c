"""The whole bench: the floor, then for each backend and size a store, the headless drive,
the counts and fresh starts; printed as one table."""

from __future__ import annotations

import asyncio
import compileall
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from console.bench import ssh
from console.bench.centre import query_centre
from console.bench.counts import query_counts
from console.bench.drive import drive
from console.bench.export import export_whole
from console.bench.figures import (
    AUDIT,
    EXPORT_CSV,
    EXPORT_MEMORY,
    EXPORT_XLSX,
    IDLE_BYTES,
    IMPORT,
    MOVE_BYTES,
    PAUSE,
    SEED,
    SSH_DISTRICT,
    SSH_MEMORY,
    SSH_STREET,
    Run,
    table,
)
from console.bench.hotline import ROWS as IMPORT_ROWS
from console.bench.hotline import import_seconds
from console.bench.search import time_searches
from console.bench.startup import MOVES, QUIET, TURN, floor, start, traffic
from console.bench.stores import DISTRICT, LOGIN, STORES, prepare, store_url
from console.bench.terms import search_terms
from console.db import Store
from console.domain.sla import SlaClock
from console.i18n import say as word
from console.services.verify import verify_trail


def run(
    sizes: list[int],
    backends: list[str],
    pg_url: str | None,
    repeat: int,
    say: Callable[[str], None],
    stores: Path = STORES,
    import_rows: int = IMPORT_ROWS,
) -> Run:
    out = Run()
    # The console starts from bytecode, as an installed one (and `./dev run`) does: under
    # PYTHONDONTWRITEBYTECODE an editable checkout would otherwise compile every module of the
    # console at each start, which the floor's Textual, installed by pip, never does.
    compileall.compile_dir(Path(__file__).resolve().parents[1], quiet=1)
    for _ in range(max(3, repeat // 4)):
        out.floor.append(floor())
    for backend in backends:
        # Into a store of its own, made afresh: once per backend, beside its first size.
        imported = import_seconds(store_url(backend, 0, pg_url, stores), say, import_rows)
        for size in sizes:
            store, seeded = prepare(backend, size, pg_url, say, stores)
            say(f"measuring {backend} at {size:,} cases …")
            terms = search_terms(store, LOGIN)
            samples = asyncio.run(drive(store, repeat, [term.text for term in terms]))
            query_counts(store, samples, repeat)
            query_centre(store, samples, repeat)
            say("searching in a terminal for " + ", ".join(f"{t.kind} {t.text}" for t in terms))
            logins = ((LOGIN, "street"), (DISTRICT, "district"))
            time_searches(store.url, logins, terms, max(3, repeat // 4), samples, say)
            for _ in range(max(3, repeat // 4)):
                fresh = start(store.url)
                samples.add("start → first frame with cases", fresh["first"])
                samples.add("resident memory", fresh["rss"])
            if not ssh.available():
                say("SSH figures left out: no OpenSSH client (ssh) on this machine")
            else:
                with ssh.server(store.url) as (port, home, log):
                    for _ in range(max(3, repeat // 4)):
                        for login, figure in (
                            (LOGIN, SSH_STREET),
                            (DISTRICT, SSH_DISTRICT),
                        ):
                            over = ssh.session(port, home, log, login)
                            samples.add(figure, over["first"])
                            samples.add(SSH_MEMORY, over["memory"])
            sent = traffic(store.url)
            for move in sent["move"]:
                samples.add(MOVE_BYTES, move)
            samples.add(IDLE_BYTES, sent["idle"][0])
            samples.add(SEED, seeded)
            samples.add(AUDIT, audit_verify(store, say))
            for fmt, figure in (("csv", EXPORT_CSV), ("xlsx", EXPORT_XLSX)):
                exported = export_whole(store.url, fmt)
                samples.add(figure, exported.seconds)
                samples.add(EXPORT_MEMORY, exported.peak_mb)
            if size == sizes[0]:
                samples.add(IMPORT, imported)
            store.dispose()
            out.results[(backend, size)] = samples
    return out


def audit_verify(store: Store, say: Callable[[str], None]) -> float:
    """Seconds `gridcall audit verify` takes over the whole store: the chain, then every case
    replayed from its events (after the drive's actions, which it must find honest)."""
    found: list[str] = []
    started = time.perf_counter()
    verify_trail(store, SlaClock(), lambda finding: found.append(word(finding, "en")))
    took = time.perf_counter() - started
    if found:
        say(f"audit verify found {len(found):,} problems, the first: {found[0]}")
    return took


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(sizes: list[int], backends: list[str], pg_url: str | None, repeat: int) -> None:
    # SIGTERM ends the bench as ^C does, through every `finally` (its consoles killed, the SSH
    # server stopped and its keys taken back) and then atexit (what was left, killed).
    signal.signal(signal.SIGTERM, _terminated)
    # Piped to a file the table would be cut to 80 columns: it needs about 170.
    console = Console(width=None if sys.stdout.isatty() else 200)
    result = run(sizes, backends, pg_url, repeat, lambda line: console.print(line))
    console.print(table(result))
    console.print(
        f"machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
        "ratio = p95 / target (start-up: median / floor / 1.5; seed and audit verify: time / "
        "its share of its limit per million cases); ≤ 1 meets the target"
    )
    console.print(
        "bytes: gridcall run on an 80×24 pseudo-terminal, TERM=xterm-256color, signed in with "
        f"a shift token; per cursor move: the bytes written after each of {MOVES} presses of ↓ "
        f"until {QUIET:g} s pass without output; per idle minute: one real minute's turn, with "
        f"the console's clock set on (by under a minute) to turn {TURN:g} s after the start, "
        "everything written from the last move's quiet until 3 s after the turn: the "
        "console's periodic redraws (lights, time left, clock, counts) all fall on the turn"
    )
    console.print(
        "search in a terminal: gridcall run on a 160×48 pseudo-terminal read by a terminal "
        "emulator (pyte), signed in with a shift token, for the street operator "
        f"{LOGIN} and the district supervisor {DISTRICT}; `/`, then a term in one burst, timed "
        "from that keystroke to the screen showing the term's rows (or, where its first rows "
        "are the queue's own, its count) and to the view bar showing its count; the "
        f"console's typing pause of {PAUSE} ms is in both. Terms from the store: its most "
        "common community, road and estate names, a road and house number from one open "
        "case's title (rare), the titles' most common character and pair of characters"
    )
