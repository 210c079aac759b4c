"""Automatic 督办: one sweep of the store, issuing the urges the centre's rules call for.

The candidates are found by SQL alone — the open cases a unit holds whose step is red and not
yet urged or raised (the queue's index on status and deadline), and the whistled ones a unit
holds (the whistled cases' partial index) — and glanced at in the workflow's terms to keep
only those with an urge due. Each urge is then written in its own transaction, the case's row
locked and the decision asked again of the case as it stands (`workflow.oversee`): two
consoles sweeping at once urge once, and a second sweep at the same moment writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, or_, select, text
from sqlalchemy.orm import Session

from console import wallclock
from console.db import Store
from console.domain.enums import Level, Status, Urgency
from console.domain.oversight import SYSTEM, Due, Missed, OversightRules, Rule
from console.domain.sla import SlaClock
from console.domain.whistle import from_json
from console.domain.workflow import (
    WITH_UNIT,
    CaseState,
    Context,
    due_oversight,
    level_limits_of,
    oversee,
)
from console.models import HELD, WHISTLED, Case
from console.queries.cases import DISTRICT_WIDE, load_detail, status_in
from console.queries.reference import Reference, reference
from console.services.cases import context, state_values, write_outcome

C = Case.__table__.c


@dataclass(frozen=True)
class Issued:
    """An urge the sweep wrote (or, in a dry run, would write)."""

    code: str
    rule: Rule
    unit: str | None = None
    missed: Missed | None = None


def sweep(
    store: Store,
    clock: SlaClock,
    rules: OversightRules,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> list[Issued]:
    """Issue every automatic urge due at `now`, as the system; returns them in order.
    `dry_run`: the urges due, nothing written."""
    now = now or wallclock.now()
    ref = reference(store)
    ctx = context(store, clock, now)
    due = [(code, d) for code, dues in _due(store, ref, rules, ctx) for d in dues]
    if dry_run:
        return [_issued(code, d) for code, d in due]
    issued: list[Issued] = []
    for code in dict.fromkeys(code for code, _ in due):

        def work(s: Session, code: str = code) -> Issued | None:
            return _urge(s, ref, clock, rules, ctx, code)

        while (one := store.write(work)) is not None:
            issued.append(one)
    return issued


def _issued(code: str, due: Due) -> Issued:
    return Issued(code, due.rule, due.unit, due.missed)


def _urge(
    s: Session, ref: Reference, clock: SlaClock, rules: OversightRules, ctx: Context, code: str
) -> Issued | None:
    """The first urge due on one case, decided on its locked row and written; None when
    nothing is due on it (any more)."""
    s.execute(select(C.id).where(C.code == code).with_for_update())
    current = load_detail(s, ref, DISTRICT_WIDE, code, timeline=False)
    state = current.state()
    for due in due_oversight(state, rules, ctx):
        outcome = oversee(state, due, rules, ctx)
        if outcome is None:
            continue
        values = state_values(outcome.state, ref)
        write_outcome(s, clock, current, outcome, values, SYSTEM, ctx.now)
        return _issued(code, due)
    return None


_GLANCED = (
    C.code,
    C.status,
    C.category_id,
    C.urgency,
    C.lead_unit_id,
    C.deadline_at,
    C.urged_red,
    C.overseen_at,
    C.tasks,
    C.level_limits,
)


def _due(
    store: Store, ref: Reference, rules: OversightRules, ctx: Context
) -> Iterable[tuple[str, tuple[Due, ...]]]:
    """The cases with an urge due, each with its urges, by a glance at the candidates' rows."""
    held = status_in(WITH_UNIT)
    wanted: list[Any] = []
    if rules.urge_when_red:
        wanted.append(C.urged_red == false())
    if rules.supervisor_after > 0:
        wanted.append(C.overseen_at.is_(None))
    found: dict[str, Any] = {}
    with store.read() as s:
        if wanted:
            red = and_(held, C.deadline_at <= ctx.now, or_(*wanted))
            for row in s.execute(select(*_GLANCED).where(red)):
                found[row.code] = row
        if rules.urge_late_departments:
            whistled = text(f"{HELD} AND {WHISTLED}")  # its partial index's very terms
            # In id order: the partial index's own, which SQLite's planner then prefers to
            # reading every case a unit holds.
            for row in s.execute(select(*_GLANCED).where(whistled).order_by(C.id)):
                found[row.code] = row
    for code in sorted(found):
        dues = due_oversight(_glance(found[code], ref), rules, ctx)
        if dues:
            yield code, dues


def _glance(row: Any, ref: Reference) -> CaseState:
    """The fields of a case `due_oversight` reads, from its row; the rest (its place, its
    level, its record) are placeholders that no rule reads."""
    return CaseState(
        code=row.code,
        status=Status(row.status),
        street="",
        grid="",
        category=ref.categories[row.category_id].code,
        urgency=Urgency(row.urgency),
        level=Level.STREET,
        lead_unit=ref.units[row.lead_unit_id].code if row.lead_unit_id else None,
        deadline_at=row.deadline_at,
        urged_red=bool(row.urged_red),
        overseen_at=row.overseen_at,
        tasks=from_json(row.tasks),
        level_limits=level_limits_of(row.level_limits),
    )
