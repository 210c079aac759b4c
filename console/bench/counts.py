"""The header's counts and the per-unit overdue counts, timed as queries alone."""

from __future__ import annotations

import time

from console import wallclock
from console.bench.figures import Samples
from console.bench.stores import LOGIN
from console.db import Store
from console.queries.counts import header_counts
from console.queries.figures import red_units
from console.queries.reference import reference


def query_counts(store: Store, samples: Samples, repeat: int) -> None:
    actor = reference(store).actor(LOGIN)
    for _ in range(repeat):
        started = time.perf_counter()
        header_counts(store, actor, wallclock.now())
        red_units(store, actor, wallclock.now())
        samples.add("header and per-unit overdue counts", (time.perf_counter() - started) * 1000)
