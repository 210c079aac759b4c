"""Waiting in Pilot tests until the console has caught up with the keys pressed."""

from __future__ import annotations

from contextlib import suppress

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from console.views.widgets.case_pane import CasePane

# A few rounds: a worker's result often starts another (a page loaded → the case beside it).
ROUNDS = 3


async def until_quiet(pilot: Pilot[None], delay: float = 0.0) -> None:
    """Let timers fire (`delay`), workers finish and their results land. An exclusive worker
    cancelled by a newer one is part of normal work here, not a failure."""
    for _ in range(ROUNDS):
        await pilot.pause(delay)
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for pane in pilot.app.screen.query(CasePane):
            if pane.waiting:  # the pane beside the queue draws once the cursor rests
                await pilot.pause(pane.rest * 2)
