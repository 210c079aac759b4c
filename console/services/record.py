"""Each case's record for the centre's figures — steps run late, extensions granted, working
minutes per step — filled in from the trail for a store made before the record was kept
(schema 0010) — and each case's overall deadline, for one made before it was kept (schema
0014), with its whistle's tasks, a unit's pending return and a shelved case's review day
(0017) and the limits of the level an escalation gave it (0018) as its trail has them. A
store whose every case has its record carries the meta key `case_record`; new stores and the
demo district are made with it."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update

from console.db import Store
from console.domain.replay import RECORD
from console.domain.sla import SlaClock
from console.models import STEP_MIN_COLUMNS, Case, Meta
from console.queries.figures import CELLS_KEY
from console.queries.reference import reference
from console.services.cases import state_values
from console.services.verify import (
    TOLD_EVERY,
    Tally,
    cases_with_events,
    count_cases,
    rebuilt_case,
    replay_context,
)

RECORD_KEY = "case_record"
RECORD_FILLED = "filled"
BATCH = 5_000

C = Case.__table__.c
M = Meta.__table__.c


def is_filled(store: Store) -> bool:
    with store.read() as s:
        found = s.execute(select(M.value).where(M.key == RECORD_KEY)).scalar()
    return found == RECORD_FILLED


def fill(store: Store, clock: SlaClock, tally: Tally | None = None) -> int:
    """Replay every case and write its record; returns how many cases were filled. One
    transaction: stopped halfway, the store keeps no record at all and `init` starts again.
    A case its trail cannot rebuild (`gridcall audit verify` names it) keeps an empty one."""
    ref = reference(store)
    context = replay_context(ref, clock)
    # The record's columns (CaseState.step_min is a column per step), as state_values maps them.
    names = tuple(
        column
        for field in RECORD
        for column in (STEP_MIN_COLUMNS if field == "step_min" else (field,))
    )
    statement = (
        update(Case.__table__)
        .where(C.id == bindparam("case_id"))
        .values({name: bindparam(f"new_{name}") for name in names})
    )
    filled = 0
    with store.raw_write() as conn:
        if tally is not None:
            tally.stage("cases", count_cases(conn))
        batch: list[dict[str, object]] = []
        seen = 0
        for row, events in cases_with_events(store, conn, lambda finding: None):
            seen += 1
            if tally is not None and seen % TOLD_EVERY == 0:
                tally.advance(TOLD_EVERY)
            state = rebuilt_case(row, events, ref, context)
            if state is None:
                continue
            values = state_values(state, ref)
            batch.append({"case_id": row[0]} | {f"new_{n}": values[n] for n in names})
            if len(batch) == BATCH:
                conn.execute(statement, batch)
                filled += len(batch)
                batch = []
        if batch:
            conn.execute(statement, batch)
            filled += len(batch)
        if tally is not None:
            tally.advance(seen % TOLD_EVERY)
        # The figure cells count the record (late steps, extensions): summed again after it.
        conn.execute(Meta.__table__.delete().where(M.key.in_((RECORD_KEY, CELLS_KEY))))
        conn.execute(Meta.__table__.insert().values(key=RECORD_KEY, value=RECORD_FILLED))
    return filled
