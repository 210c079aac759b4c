"""A case rebuilt from its trail, and where the case and its trail part.

`gridcall audit verify` hands each case here with its events in order: the register event makes
the case as it was registered, every action after it is taken again through the transition
table (`workflow.replay`), and the state the trail leads to is held against the case's row.
A row changed without its event, or an event the table would not have written, is a `Finding`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from console.domain.actions import Action
from console.domain.audit import Finding, TrailEvent
from console.domain.enums import Rating, Status, Urgency
from console.domain.errors import GridcallError
from console.domain.whistle import Task, UnitRating
from console.domain.workflow import CaseState, Context, Params, level_limits_of, opened, replay

# What a case's row holds that its trail decides (CHECKED); the rest (title, address,
# reporter, the result's text) is what the case is about. First, where the case stands:
POSITION = (
    "status",
    "urgency",
    "category",
    "grid",
    "level",
    "lead_unit",
    "co_units",
    "returned_units",
    "rework_count",
    "urge_count",
    "step_started_at",
    "deadline_at",
    "warn_at",
    "suspended_from",
    "paused_deadline_min",
    "paused_warn_min",
    "ext_until",
    "rating",
    "closed_at",
    "handled_by",
    "handled_unit",
)
# The case's record: what its trail adds up to beyond where it stands (late steps,
# extensions, the time each step took, the overall deadline, the tasks, the 督办, …), which
# `gridcall init` fills by replaying each case (services.record).
RECORD = (
    "late_steps",
    "ext_count",
    "step_min",
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
CHECKED = (*POSITION, *RECORD)
HANDLER = frozenset({"handled_by", "handled_unit"})
_ACTIONS = {a.value: a for a in Action}
_CASE_TRAIL = frozenset(e.value for e in TrailEvent)  # events on a case that change nothing


def of_a_case(finding: Finding) -> bool:
    """Whether a finding is about one case (rather than the chain or a digest)."""
    return finding.key.startswith(("audit.case_", "audit.event_"))


class Recorded(NamedTuple):
    """One event of a case, as the trail holds it."""

    seq: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    payload: str


def replay_case(
    stored: Mapping[str, Any],
    version: int,
    events: Sequence[Recorded],
    context: Context,
) -> Finding | None:
    """What is wrong with this case against its trail, if anything: the first event the table
    refuses (the case cannot be rebuilt past it), else every field the row holds otherwise
    than its trail leads to.

    `stored` is the row in the workflow's terms (`CaseState`'s field names, codes for
    references, the code, street and community besides `CHECKED`), its values as the row
    holds them; `context` is the workflow's, moved to each event's time in turn."""
    rebuilt = rebuild(stored, events, context)
    if isinstance(rebuilt, Finding):
        return rebuilt
    state, taken = rebuilt
    # Who handled a case is kept on its row since schema 0007, and its register event carries
    # the category since the same release of the verifier: a case registered before then may
    # hold no handler although its trail names one.
    older = "category" not in _payload(events[0].payload)
    differs = [
        f"{name} {_shown(stored[name])} ≠ {_shown(getattr(state, name))}"
        for name in CHECKED
        if stored[name] != getattr(state, name)
        and not (older and name in HANDLER and stored[name] is None)
    ]
    if version != taken:
        differs.append(f"version {version} ≠ {taken}")
    if differs:
        return Finding("audit.case_differs", {"code": stored["code"], "fields": "; ".join(differs)})
    return None


def rebuild(
    stored: Mapping[str, Any], events: Sequence[Recorded], context: Context
) -> tuple[CaseState, int] | Finding:
    """The case its trail leads to, with the number of actions taken; or the first event the
    table refuses."""
    code = str(stored["code"])
    if not events or events[0].action != Action.NEW.value:
        return Finding("audit.case_unregistered", {"code": code}, events[0].seq if events else None)
    first = events[0]
    if first.from_status is not None or first.to_status != Status.REPORTED.value:
        return _misplaced(code, first, Status.REPORTED, None)
    try:
        state = _registered(stored, events, context.at(first.at))
    except GridcallError as refusal:  # a category the store does not know
        return _refused(code, first, refusal)
    except (ValueError, TypeError, AttributeError):
        return _refused(code, first, GridcallError("audit.unreadable"))
    taken = 1
    for e in events[1:]:
        try:
            action, params = _taken(e.action, e.reason, e.payload)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return _refused(code, e, GridcallError("audit.unreadable"))
        if action is None:  # no action of the table: the trail's own, or none at all
            if e.action not in _CASE_TRAIL:
                return _refused(code, e, GridcallError("audit.unknown_action"))
            if e.from_status is not None and e.from_status != state.status:
                return _misplaced(code, e, state.status, state.status)
            continue
        if action is Action.NEW:
            return _refused(code, e, GridcallError("audit.registered_again"))
        if e.from_status != state.status:
            return _misplaced(code, e, state.status, None)
        try:
            outcome = replay(state, action, params, context.at(e.at), e.actor)
        except GridcallError as refusal:
            return _refused(code, e, refusal)
        if e.to_status != outcome.state.status:
            return _misplaced(code, e, state.status, outcome.state.status)
        state = outcome.state
        taken += 1
    return state, taken


def _registered(stored: Mapping[str, Any], events: Sequence[Recorded], ctx: Context) -> CaseState:
    """The case as its register event made it. An event written before the register event
    carried the category, grid and urgency has them from the first change of each in the
    trail, else from the row: nothing changed them since."""
    first = _payload(events[0].payload)

    def registered(field: str, changed_by: Action) -> Any:
        if field in first:
            return first[field]
        for e in events:
            if e.action == changed_by.value:
                pair = _payload(e.payload).get(field)
                if isinstance(pair, list) and len(pair) == 2:
                    return pair[0]
        return stored[field]

    return opened(
        code=str(stored["code"]),
        street=str(stored["street"]),
        community=stored["community"],
        grid=str(first.get("grid", stored["grid"])),
        category=str(registered("category", Action.SET_CATEGORY)),
        urgency=Urgency(registered("urgency", Action.SET_URGENCY)),
        ctx=ctx,
        due_at=_given_due(first.get("due")),
    )


def _given_due(value: object) -> datetime | None:
    """The overall deadline a register event says was given from outside, if any."""
    if value is None:
        return None
    return datetime.fromisoformat(str(value)).astimezone(UTC)


def _payload(text: str) -> dict[str, Any]:
    data = json.loads(text) if text != "{}" else {}
    if not isinstance(data, dict):
        raise ValueError(text)
    return data


# Trails repeat themselves (an acceptance, a signature for the same unit, a passed check):
# each distinct event is read once, and the table's frozen Params shared.
@lru_cache(maxsize=16_384)
def _taken(action: str, reason: str | None, payload: str) -> tuple[Action | None, Params]:
    """The action an event took and the parameters it took it with; no action for an event
    of the trail that changes nothing (a revealed phone) or names no action at all (the
    caller tells which)."""
    taken = _ACTIONS.get(action)
    data = _payload(payload)
    if taken is None:
        return None, _NO_PARAMS
    if taken is Action.NEW:  # registered again: the caller says so
        return taken, _NO_PARAMS
    return taken, _params(taken, reason, data)


_NO_PARAMS = Params()


def _params(action: Action, reason: str | None, payload: dict[str, Any]) -> Params:
    """The parameters an action was taken with, as its event keeps them."""
    get = payload.get
    rating = get("rating")
    until = get("until") if action is Action.EXTEND else None
    urgency = get("urgency") if action is Action.SET_URGENCY else None
    category = get("category") if action is Action.SET_CATEGORY else None
    unit_rating = get("unit_rating")
    hours = get("hours") if action is Action.WHISTLE else None
    urge = action is Action.URGE  # an urge's rule and reply hours (automatic 督办)
    reply_hours = get("reply_hours") if urge else None
    review_on = get("review_on") if action in (Action.SUSPEND, Action.REVIEW) else None
    # An escalation's level limits; none on one from before levels had their own.
    levelled = action in (Action.ESCALATE, Action.DEESCALATE)
    return Params(
        reason=reason,
        text=get("text"),
        unit=get("unit"),
        co_units=tuple(get("co_units") or ()),
        instruction=get("instruction"),
        result=get("result"),
        photo=get("photo"),
        passed=get("passed"),
        rating=Rating(rating) if rating is not None else None,
        comment=get("comment"),
        other_case=get("other_case"),
        until=datetime.fromisoformat(until).astimezone(UTC) if until is not None else None,
        urgency=Urgency(urgency[1]) if urgency is not None else None,
        category=str(category[1]) if category is not None else None,
        spot_check=get("spot_check"),
        unit_rating=UnitRating(unit_rating) if unit_rating is not None else None,
        task_hours=(int(hours[0]), int(hours[1])) if hours is not None else None,
        reply_hours=int(reply_hours) if reply_hours is not None else None,
        rule=get("rule") if urge else None,
        missed=get("missed") if urge else None,
        # A return event without the mark was written when a return took effect at once.
        requested=bool(get("requested")) if action is Action.RETURN else None,
        review_on=date.fromisoformat(review_on) if review_on is not None else None,
        level_limits=level_limits_of(get("limits")) if levelled else None,
    )


def _refused(code: str, e: Recorded, why: GridcallError) -> Finding:
    return Finding(
        "audit.event_refused",
        {"code": code, "seq": e.seq, "action": e.action, "why": why},
        e.seq,
    )


def _misplaced(code: str, e: Recorded, before: Status, after: Status | None) -> Finding:
    """An event that names other statuses than the trail before it leads to."""
    return Finding(
        "audit.event_misplaced",
        {
            "code": code,
            "seq": e.seq,
            "action": e.action,
            "said": f"{e.from_status} → {e.to_status}",
            "replayed": f"{before.value} → {after.value}" if after else before.value,
        },
        e.seq,
    )


def _shown(value: object) -> str:
    """A field's value as a report line shows it: coded values by their codes, instants in
    UTC to the microsecond, nothing as '-'."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]
    if isinstance(value, tuple):  # codes; or a whistle's tasks, each as unit:state
        return (
            ",".join(f"{v.unit}:{v.state}" if isinstance(v, Task) else str(v) for v in value) or "-"
        )
    return str(value)
