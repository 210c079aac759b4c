"""The use cases that change a case: register one, and take any action of the loop on it.

Each runs in one transaction: load the case with its version, ask the workflow, write the case
only if its version is still the one read, add its change to the figure cells, append the audit
event, publish the change notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, text, update
from sqlalchemy.orm import Session

from console import search_index, wallclock
from console.db import Store
from console.domain.actions import Action
from console.domain.codes import format_code
from console.domain.enums import CaseKind, Urgency
from console.domain.errors import Conflict, Invalid, NotFound
from console.domain.intake import NewCase, check_new_case
from console.domain.policy import Actor
from console.domain.sla import SlaClock
from console.domain.whistle import DEFAULT_RULES, WhistleRules, to_json
from console.domain.workflow import (
    CaseState,
    Context,
    Outcome,
    Params,
    check_params,
    decide,
    in_scope,
    level_limits_json,
    open_case,
)
from console.live import publish
from console.models import STEP_MIN_COLUMNS, AuditEvent, Case
from console.queries.cases import DISTRICT_WIDE, CaseDetail, load_detail
from console.queries.reference import Reference, reference
from console.queries.scope import visible_to
from console.services import cells
from console.services.audit import append_event, append_events
from console.services.photos import photo_reference

C = Case.__table__.c
E = AuditEvent.__table__.c


def context(
    store: Store, clock: SlaClock, now: datetime, whistle: WhistleRules = DEFAULT_RULES
) -> Context:
    ref = reference(store)
    return Context(
        now=now,
        clock=clock,
        limits=ref.limits,
        unit_kind=ref.unit_kind,
        unit_street=ref.unit_street,
        unit_community=ref.unit_community,
        self_closable=ref.self_closable,
        spot_share=ref.centre.spot_check_share,
        whistle=whistle,
        level_limits=ref.centre.level_limits.get,
    )


def _now(now: datetime | None) -> datetime:
    return now or wallclock.now()


def state_values(state: CaseState, ref: Reference) -> dict[str, Any]:
    """The columns a workflow state maps to."""
    return {
        "status": state.status.value,
        "urgency": state.urgency.value,
        "level": state.level.value,
        "category_id": ref.category(state.category).id,
        "lead_unit_id": ref.unit(state.lead_unit).id if state.lead_unit else None,
        "co_units": list(state.co_units),
        "returned_units": list(state.returned_units),
        "rework_count": state.rework_count,
        "urge_count": state.urge_count,
        "step_started_at": state.step_started_at,
        "deadline_at": state.deadline_at,
        "warn_at": state.warn_at,
        "suspended_from": state.suspended_from.value if state.suspended_from else None,
        "paused_deadline_min": state.paused_deadline_min,
        "paused_warn_min": state.paused_warn_min,
        "ext_until": state.ext_until,
        "ext_reason": state.ext_reason,
        "rating": state.rating.value if state.rating else None,
        "closed_at": state.closed_at,
        "handled_by": state.handled_by,
        "handled_unit": state.handled_unit,
        "late_steps": state.late_steps,
        "ext_count": state.ext_count,
        **dict(zip(STEP_MIN_COLUMNS, state.step_min, strict=True)),
        "timed_from": state.timed_from,
        "due_at": state.due_at,
        "due_given": state.due_given,
        "paused_due_min": state.paused_due_min,
        "tasks": to_json(state.tasks),
        "reply_by": state.reply_by,
        "reply_warn": state.reply_warn,
        "urged_red": state.urged_red,
        "overseen_at": state.overseen_at,
        "return_reason": state.return_reason,
        "review_on": state.review_on,
        "level_limits": level_limits_json(state.level_limits),
    }


def next_codes(s: Session, kind: CaseKind, year: int, n: int) -> list[str]:
    """The next `n` case codes of this kind and year, taken in one statement; the counter
    never goes back."""
    prefix = format_code(kind, year, 0)[0]
    last = s.execute(
        text(
            "INSERT INTO code_counters (prefix, year, last) VALUES (:p, :y, :n) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = code_counters.last + :n "
            "RETURNING last"
        ),
        {"p": prefix, "y": year, "n": n},
    ).scalar_one()
    return [format_code(kind, year, number) for number in range(last - n + 1, last + 1)]


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def create_case(
    store: Store, clock: SlaClock, login: str, new: NewCase, *, now: datetime | None = None
) -> CaseDetail:
    """Register a case: reported, at grid level, its acceptance clock running."""
    now = _now(now)
    ref = reference(store)
    actor = ref.actor(login)
    new = check_new_case(new)
    ctx = context(store, clock, now)

    def work(s: Session) -> CaseDetail:
        [code] = _insert_cases(s, clock, ref, actor, ctx, [new])
        return load_detail(s, ref, DISTRICT_WIDE, code)

    return store.write(work)


def _checked(params: Params) -> Params:
    """An action's parameters as the store keeps them: texts and codes within their limits,
    a photo as its kept reference."""
    check_params(params)
    if params.photo:
        params = replace(params, photo=photo_reference(params.photo))
    return params


def report_handled(
    store: Store,
    clock: SlaClock,
    login: str,
    new: NewCase,
    *,
    result: str,
    photo: str,
    now: datetime | None = None,
) -> CaseDetail:
    """自办自结: a grid worker registers a case they have handled on the spot, with its result
    and photo, in one transaction: closed, or — the centre's spot-check share of them —
    waiting for its spot check. Refused whole (nothing registered) where the category is not
    one to handle on the spot or the worker may not."""
    now = _now(now)
    ref = reference(store)
    actor = ref.actor(login)
    new = check_new_case(new)
    ctx = context(store, clock, now)
    params = _checked(Params(result=result, photo=photo))

    def work(s: Session) -> CaseDetail:
        [code] = _insert_cases(s, clock, ref, actor, ctx, [new])
        return _act_in(s, ref, clock, actor, ctx, code, Action.SELF_CLOSE, params, None)

    return store.write(work)


def create_cases(
    store: Store,
    clock: SlaClock,
    login: str,
    news: Sequence[NewCase],
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> tuple[list[str], list[str]]:
    """Register many cases in one transaction, each exactly as `create_case` does (its trail,
    its record, its figure cells); a case whose hotline order number is in the store already
    is not added again. Returns the codes added and the order numbers found already there.
    `dry_run`: the same checks and the same answer, the transaction rolled back."""
    now = _now(now)
    ref = reference(store)
    actor = ref.actor(login)
    checked = [check_new_case(new) for new in news]
    ctx = context(store, clock, now)

    def work(s: Session) -> tuple[list[str], list[str]]:
        numbers = [new.order_no for new in checked if new.order_no]
        there: set[str] = set()
        if numbers:
            there.update(s.execute(select(C.order_no).where(C.order_no.in_(numbers))).scalars())
        found = [new.order_no for new in checked if new.order_no and new.order_no in there]
        fresh = [new for new in checked if new.order_no not in there]
        codes = _insert_cases(s, clock, ref, actor, ctx, fresh)
        if dry_run:
            raise _RolledBack(codes, found)
        return codes, found

    try:
        return store.write(work)
    except _RolledBack as rolled_back:
        return rolled_back.codes, rolled_back.found


class _RolledBack(Exception):
    """A dry run's answer, raised out of its transaction so that nothing of it is kept."""

    def __init__(self, codes: list[str], found: list[str]) -> None:
        super().__init__()
        self.codes, self.found = codes, found


# One statement for every case, its values bound (built with each row's literals, SQLAlchemy
# would coerce and key some fifty of them per case); a batch's rows in one executemany. Their
# ids are read back by code after: asked to return them in the rows' order, SQLAlchemy sends
# SQLite one INSERT per row.
_INSERT_CASE = insert(Case.__table__)


def _insert_cases(
    s: Session,
    clock: SlaClock,
    ref: Reference,
    actor: Actor,
    ctx: Context,
    news: Sequence[NewCase],
) -> list[str]:
    """Write checked new cases in the caller's transaction, in order, a statement per step for
    them all: their codes, their rows, their search index, their figure cells, their trail;
    returns their codes."""
    if not news:
        return []
    now = ctx.now
    year = now.astimezone(clock.hours.tz).year
    categories = [ref.category(new.category) for new in news]
    kinds = [category.kind or CaseKind.EVENT for category in categories]
    # A kind's codes are taken in the order of its cases, as one case at a time takes them;
    # the kinds' counters in one order, so that two writers never wait on each other's.
    reserved = {
        kind: iter(next_codes(s, kind, year, kinds.count(kind))) for kind in sorted(set(kinds))
    }
    codes = [next(reserved[kind]) for kind in kinds]
    rows = []
    placed = []
    opened = []
    for new, category, kind, code in zip(news, categories, kinds, codes, strict=True):
        grid = ref.grid(new.grid)
        assert grid.street_id is not None and grid.community_id is not None
        outcome = open_case(
            actor,
            code=code,
            street=ref.areas[grid.street_id].code,
            community=ref.areas[grid.community_id].code,
            grid=grid.code,
            category=category.code,
            urgency=new.urgency or category.urgency or Urgency.NORMAL,
            ctx=ctx,
            due_at=new.due_at,
        )
        values = state_values(outcome.state, ref)
        rows.append(
            dict(
                code=code,
                kind=kind.value,
                title=new.title,
                description=new.description,
                source=new.source.value,
                reporter_name=new.reporter_name,
                reporter_phone=new.reporter_phone,
                address=new.address,
                grid_id=grid.id,
                community_id=grid.community_id,
                street_id=grid.street_id,
                lat=new.lat if new.lat is not None else grid.lat,
                lon=new.lon if new.lon is not None else grid.lon,
                attachments=list(new.attachments),
                confidential=new.confidential,
                order_no=new.order_no,
                to_triage=new.to_triage,
                created_at=now,
                updated_at=now,
                version=1,
                **values,
            )
        )
        placed.append(
            cells.Placed(
                outcome.state, values["lead_unit_id"], now, grid.street_id, grid.community_id
            )
        )
        opened.append(outcome.event)
    s.execute(_INSERT_CASE, rows)
    by_code = {row.code: row.id for row in s.execute(select(C.code, C.id).where(C.code.in_(codes)))}
    ids = [by_code[code] for code in codes]
    found = zip(ids, codes, news, strict=True)
    search_index.index_cases(s, [(i, code, new.title, new.address) for i, code, new in found])
    # The cells, then the trail: the cells are locked before the audit head, in the order
    # `act` locks them, so that two writers never wait on each other.
    changes = cells.Changes()
    for where in placed:
        changes.add(clock.hours.tz, None, where)
    changes.write(s)
    append_events(s, actor.login, now, list(zip(ids, opened, strict=True)))
    publish(s, *codes)
    return codes


def _conflict(s: Session, case_id: int, code: str) -> Conflict:
    last = s.execute(
        select(E.actor, E.at).where(E.case_id == case_id).order_by(E.seq.desc()).limit(1)
    ).first()
    if last is None:
        return Conflict("error.conflict_unknown", code=code)
    return Conflict(
        "error.conflict",
        code=code,
        who=last.actor,
        when=last.at,  # shown in the reader's time zone (i18n.say)
    )


def _validate(
    s: Session, ref: Reference, actor: Actor, action: Action, params: Params
) -> dict[str, Any]:
    """Check references the workflow cannot see; return extra columns to write. The original
    of a duplicate is looked up within the user's scope: one they may not read is no case."""
    extra: dict[str, Any] = {}
    if params.unit:
        ref.unit(params.unit)
    for code in params.co_units:
        ref.unit(code)
    if params.category:
        ref.category(params.category)
    if action is Action.DUPLICATE and params.other_case:
        other = s.execute(
            select(C.id).where(C.code == params.other_case.strip(), visible_to(actor, ref))
        ).first()
        if other is None:
            raise NotFound("error.no_case", code=params.other_case)
        extra["duplicate_of_id"] = other.id
    if params.until is not None and params.until.tzinfo is None:
        raise Invalid("error.naive_time")
    return extra


def act(
    store: Store,
    clock: SlaClock,
    login: str,
    code: str,
    action: Action,
    params: Params | None = None,
    *,
    version: int | None = None,
    now: datetime | None = None,
    whistle: WhistleRules = DEFAULT_RULES,
) -> CaseDetail:
    """Take one action on one case. `version`: the version the operator saw, if any;
    `whistle`: the centre's hours for a summoned department's task."""
    now = _now(now)
    params = _checked(params or Params())
    ref = reference(store)
    actor = ref.actor(login)
    ctx = context(store, clock, now, whistle)

    return store.write(lambda s: _act_in(s, ref, clock, actor, ctx, code, action, params, version))


def _act_in(
    s: Session,
    ref: Reference,
    clock: SlaClock,
    actor: Actor,
    ctx: Context,
    code: str,
    action: Action,
    params: Params,
    version: int | None,
) -> CaseDetail:
    """`act`'s work in the caller's transaction."""
    now = ctx.now
    # The case's row is held from here to COMMIT, so the decision is made on its newest
    # state: without it, two PostgreSQL writers read one version, and the later one's
    # UPDATE found it changed — a Conflict for an action given no version, which SQLite
    # (its writers one at a time) never reports. The `version` check is then the only
    # conflict: the caller's own, stale, view.
    s.execute(select(C.id).where(C.code == code).with_for_update())
    current = load_detail(s, ref, DISTRICT_WIDE, code, timeline=False)
    if not in_scope(current.state(), actor):  # out of reach reads as no such case
        raise NotFound("error.no_case", code=code)
    if version is not None and current.row.version != version:
        raise _conflict(s, current.row.id, code)
    extra = _validate(s, ref, actor, action, params)
    outcome = decide(current.state(), actor, action, params, ctx)
    values = state_values(outcome.state, ref) | extra
    if action in (Action.HANDLED, Action.SELF_CLOSE):  # the unit's result, and its photo
        values["result"] = params.result
        if params.photo:
            values["attachments"] = [*current.attachments, params.photo]
    if action is Action.RATE:
        values["rating_comment"] = _clean(params.comment)
    if action is Action.REOPEN:
        values["rating_comment"] = None
    if action is Action.SET_CATEGORY:  # an operator has triaged it
        values["to_triage"] = False
    write_outcome(s, clock, current, outcome, values, actor.login, now)
    return load_detail(s, ref, DISTRICT_WIDE, code)


def write_outcome(
    s: Session,
    clock: SlaClock,
    current: CaseDetail,
    outcome: Outcome,
    values: dict[str, Any],
    login: str,
    now: datetime,
) -> None:
    """Write a decided change of a case read (and locked) in this transaction: its row at the
    next version, its figure cells, its audit event by `login`, its change notice."""
    row = current.row
    written = cast(  # an UPDATE's result is a CursorResult; Session.execute says Result
        CursorResult[Any],
        s.execute(
            update(Case.__table__)
            .where(C.id == row.id, C.version == row.version)
            .values(**values, updated_at=now, version=row.version + 1)
        ),
    )
    if written.rowcount != 1:
        raise _conflict(s, row.id, row.code)
    was = cells.Placed(
        current.state(), row.lead_unit_id, row.created_at, row.street_id, current.community_id
    )
    cells.keep(
        s,
        clock.hours.tz,
        was,
        replace(was, state=outcome.state, unit_id=values["lead_unit_id"]),
    )
    append_event(s, row.id, login, now, outcome.event)
    publish(s, row.code)
