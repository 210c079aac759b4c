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
from console.domain.sla import SlaClock
from console.domain.whistle import to_json
from console.domain.workflow import level_limits_json
from console.models import STEP_MIN_COLUMNS, Case, Meta
from console.queries.figures import CELLS_KEY
from console.queries.reference import reference
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
    names = (
        "late_steps",
        "ext_count",
        *STEP_MIN_COLUMNS,
        "timed_from",
        "due_at",
        "due_given",
        "paused_due_min",
        "tasks",
        "reply_by",
        "reply_warn",
        "urged_red",
        "overseen_at",
        "return_reason",
        "review_on",
        "level_limits",
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
            values = (
                state.late_steps,
                state.ext_count,
                *state.step_min,
                state.timed_from,
                state.due_at,
                state.due_given,
                state.paused_due_min,
                to_json(state.tasks),
                state.reply_by,
                state.reply_warn,
                state.urged_red,
                state.overseen_at,
                state.return_reason,
                state.review_on,
                level_limits_json(state.level_limits),
            )
            batch.append(
                {"case_id": row[0]} | {f"new_{n}": v for n, v in zip(names, values, strict=True)}
            )
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
