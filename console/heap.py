"""The cyclic garbage collector, kept off the operator's keys.

A console holds some 200k objects for as long as it runs: the modules of Textual,
SQLAlchemy and pydantic, the styles and widgets of its screens, the reference data. Every
full collection walked all of them again, about 45 ms on the main thread each time, and
one came every few reloads: a key pressed then waited for it. `gc.freeze` moves the
objects alive at a moment out of the collector's reach for good; what is made afterwards
(pages of rows, rendered lines) is still collected as usual.

Even then a full collection of what was made since costs 8–12 ms, and it came when the
allocations of a reload tipped it over, inside the reload's frame. `Tidy` keeps the young
collections (well under 2 ms) where they are and moves the full ones into the operator's
pauses. It must not store them up: a long run of keys with none at all, while the console
reloads and redraws, leaves hundreds of thousands of dead objects behind, and one full
collection of those took 0.46 s. Past the collector's own cadence it takes a breath between
two keys instead, once the last one has been answered; past three times that cadence (a key
held down, say) it collects at once.
"""

from __future__ import annotations

import gc
import time

QUIET = 0.3  # seconds without a key or a click: the operator is reading, not typing
# Middle collections since the last full one past which a breath will do instead of a pause:
# the collector's own default cadence, so that none grows much beyond what it would anyway.
CADENCE = 10
# A breath: longer than a key, a filter or an action takes to be answered (p95 under 40 ms
# at a million cases), so that a collection then does not hold up the answer.
BREATH = 0.05
OVERDUE = 3 * CADENCE  # past this, a full collection runs without waiting for any gap
_NEVER = 1 << 30  # a gen-2 threshold no run reaches: full collections only from Tidy


def pause() -> None:
    """Before the imports: they make ~160k objects that all stay, and the collections run
    meanwhile (~45 ms of start-up) find next to nothing."""
    gc.disable()


def freeze() -> None:
    """What is alive now stays for the life of the process: leave it out of every later
    collection, and let the collector run again."""
    gc.freeze()
    gc.enable()


class Tidy:
    """Full collections when the operator pauses. `input()` on every key or click; `tick()`
    now and then from the event loop."""

    def __init__(self) -> None:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, _NEVER)
        self._last_input = time.monotonic()

    def input(self) -> None:
        self._last_input = time.monotonic()

    def tick(self) -> bool:
        """Collect fully if anything outlived the young collections since the last time and
        the operator has paused; or, once as much has waited as the collector would let wait,
        in a breath between keys; True if it did."""
        # The third count: how many middle collections have passed objects on since.
        waiting = gc.get_count()[2]
        if waiting == 0:
            return False
        idle = time.monotonic() - self._last_input
        paused = idle >= QUIET
        breath = waiting >= CADENCE and idle >= BREATH
        if not (paused or breath or waiting >= OVERDUE):
            return False
        gc.collect()
        return True
