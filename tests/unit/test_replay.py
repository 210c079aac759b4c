"""A case rebuilt from its trail: any walk the workflow allows replays to the very state it
left, and whatever the row holds otherwise, or an event the table would not have written, is
named."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.actions import Action
from console.domain.audit import Finding, payload_text
from console.domain.enums import Rating, Urgency
from console.domain.errors import GridcallError
from console.domain.policy import Actor
from console.domain.replay import CHECKED, Recorded, replay_case
from console.domain.workflow import CaseState, Params, allowed_actions, decide, open_case
from console.i18n import say
from tests.policy_spec import CAST, OPERATOR
from tests.unit.test_workflow import CTX, NOW, PARAMS

# The liaison of U-GA answers the whistles that summon it (吹哨报到), so walks replay its tasks.
PEOPLE = [
    CAST[who] for who in ("op", "sup", "section", "gw", "community", "liaison", "liaison_other")
]
CODE = "E2026-0000099"


def _params(action: Action, state: CaseState, fail: bool) -> Params:
    if action is Action.VERIFY and fail:
        return Params(passed=False, reason="问题仍在")
    if action is Action.RATE:
        return Params(rating=Rating.DISSATISFIED if fail else Rating.SATISFIED)
    if action is Action.EXTEND:
        base = state.deadline_at or NOW
        return Params(reason="需协调", until=base + timedelta(days=3))
    if action is Action.SET_URGENCY:
        flipped = Urgency.NORMAL if state.urgency is Urgency.URGENT else Urgency.URGENT
        return Params(urgency=flipped)
    return PARAMS.get(action, Params())


def walk(picks: list[tuple[int, int, bool]]) -> tuple[CaseState, list[Recorded]]:
    """A case registered at NOW, then one allowed action per pick, minutes apart."""
    at = NOW
    out = open_case(
        OPERATOR,
        code=CODE,
        street="LJ01",
        community="LJ0101",
        grid="LJ010101",
        category="020201",
        urgency=Urgency.NORMAL,
        ctx=CTX,
    )
    state = out.state
    trail = [Recorded(1, at, "op", "new", None, "reported", None, payload_text(out.event.payload))]
    for pick, minutes, fail in picks:
        offers: dict[Action, list[Actor]] = {}
        for actor in PEOPLE:
            for action in allowed_actions(state, actor):
                offers.setdefault(action, []).append(actor)
        # Ending the case early, or a note, now and then only: walks go round the loop.
        rare = {Action.NOTE, Action.REJECT, Action.DUPLICATE}
        choices = sorted(offers) if pick % 8 == 0 else sorted(set(offers) - rare)
        if not choices:
            break
        action = choices[pick % len(choices)]
        actor = offers[action][pick % len(offers[action])]
        at += timedelta(minutes=minutes)
        try:
            out = decide(state, actor, action, _params(action, state, fail), CTX.at(at))
        except GridcallError:  # e.g. a duplicate of itself: the walk goes on
            continue
        e = out.event
        trail.append(
            Recorded(
                len(trail) + 1,
                at,
                actor.login,
                e.action.value,
                e.from_status.value if e.from_status else None,
                e.to_status.value,
                e.reason,
                payload_text(e.payload),
            )
        )
        state = out.state
    return state, trail


def row(state: CaseState) -> dict[str, Any]:
    """The case row an honest writer leaves for this state."""
    return {name: getattr(state, name) for name in CHECKED} | {
        "code": state.code,
        "street": state.street,
        "community": state.community,
    }


def said(finding: Finding | None) -> str | None:
    return None if finding is None else say(finding, "en")


PICKS = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 600), st.booleans()), max_size=30)


@settings(max_examples=150, deadline=None)
@given(PICKS)
def test_any_walk_the_workflow_allows_replays_clean(picks: list[tuple[int, int, bool]]) -> None:
    state, trail = walk(picks)
    assert replay_case(row(state), len(trail), trail, CTX) is None


@settings(max_examples=60, deadline=None)
@given(PICKS, st.sampled_from(CHECKED))
def test_a_field_changed_without_its_event_is_named(
    picks: list[tuple[int, int, bool]], field: str
) -> None:
    state, trail = walk(picks)
    stored = row(state)
    stored[field] = "forged"
    finding = said(replay_case(stored, len(trail), trail, CTX))
    assert finding is not None
    assert finding.startswith(
        f"case {CODE} differs from its trail (stored ≠ replayed): {field} forged ≠ "
    )


def test_a_version_without_its_events_is_named() -> None:
    state, trail = walk([(0, 30, False)] * 3)
    finding = said(replay_case(row(state), len(trail) + 1, trail, CTX))
    assert finding == (
        f"case {CODE} differs from its trail (stored ≠ replayed): version {len(trail) + 1} ≠ "
        f"{len(trail)}"
    )


def test_a_register_event_from_before_it_carried_the_case_replays_from_the_first_change() -> None:
    """Older register events have an empty payload: the category (and urgency) the case was
    registered with is the first change's old value, else the row's."""
    state, trail = walk([])
    changed = decide(state, OPERATOR, Action.SET_CATEGORY, Params(category="020202"), CTX.at(NOW))
    old = [trail[0]._replace(payload="{}")]
    e = changed.event
    old.append(
        Recorded(
            2, NOW, "op", e.action.value, "reported", "reported", None, payload_text(e.payload)
        )
    )
    assert replay_case(row(changed.state), 2, old, CTX) is None
    assert replay_case(row(state), 1, old[:1], CTX) is None


def test_an_event_the_table_refuses_is_named_with_the_tables_words() -> None:
    state, trail = walk([])
    signed = Recorded(2, NOW, "sec", "sign", "reported", "in_progress", None, "{}")
    finding = said(replay_case(row(state), 2, [*trail, signed], CTX))
    assert finding == (
        f"case {CODE}: event 2 (sign) is one the transition table refuses: {CODE} is reported: "
        "cannot sign for"
    )


def test_an_event_that_names_other_statuses_than_its_trail() -> None:
    state, trail = walk([])
    accepted = Recorded(2, NOW, "op", "accept", "accepted", "dispatched", None, "{}")
    finding = said(replay_case(row(state), 2, [*trail, accepted], CTX))
    assert finding == (
        f"case {CODE}: event 2 (accept) says accepted → dispatched, but its trail gives reported"
    )


def test_a_phone_revealed_changes_nothing_but_names_the_status_it_saw() -> None:
    state, trail = walk([])
    seen = Recorded(2, NOW, "op", "reveal", "reported", "reported", None, "{}")
    assert replay_case(row(state), 1, [*trail, seen], CTX) is None
    wrong = seen._replace(from_status="closed", to_status="closed")
    finding = said(replay_case(row(state), 1, [*trail, wrong], CTX))
    assert finding is not None and "event 2 (reveal) says closed → closed" in finding


def test_registered_twice_unknown_unreadable_and_unregistered() -> None:
    state, trail = walk([])
    again = trail[0]._replace(seq=2)
    unknown = Recorded(2, NOW, "op", "teleport", "reported", "closed", None, "{}")
    garbled = Recorded(2, NOW, "op", "note", "reported", "reported", None, "{not json")
    refuses = "is one the transition table refuses"
    assert said(replay_case(row(state), 2, [*trail, again], CTX)) == (
        f"case {CODE}: event 2 (new) {refuses}: a case is registered only once"
    )
    assert said(replay_case(row(state), 2, [*trail, unknown], CTX)) == (
        f"case {CODE}: event 2 (teleport) {refuses}: there is no such action"
    )
    assert said(replay_case(row(state), 2, [*trail, garbled], CTX)) == (
        f"case {CODE}: event 2 (note) {refuses}: its content cannot be read"
    )
    assert said(replay_case(row(state), 1, [], CTX)) == (
        f"case {CODE} has no register event: it was made or changed without its trail"
    )


def test_the_register_event_carries_what_the_case_was_registered_as() -> None:
    _, trail = walk([])
    assert trail[0].payload == '{"category":"020201","grid":"LJ010101","urgency":"normal"}'


def test_a_case_from_before_rows_kept_their_handler_may_hold_none() -> None:
    """Schema 0007 added who handled a case to its row: a case registered before (its register
    event without the category) may hold none; a newer case holding none is named."""
    walks = (
        walk([(r.randrange(200), 30, False) for _ in range(20)])
        for r in map(random.Random, range(500))
    )
    handled = next((state, trail) for state, trail in walks if state.handled_by is not None)
    state, trail = handled
    blanked = row(state) | {"handled_by": None, "handled_unit": None}
    older = [trail[0]._replace(payload="{}"), *trail[1:]]
    assert replay_case(blanked, len(trail), older, CTX) is None
    finding = said(replay_case(blanked, len(trail), trail, CTX))
    assert finding is not None and f"handled_by - ≠ {state.handled_by}" in finding


def test_a_whistle_from_before_tasks_replays_to_none_and_a_new_one_to_its_tasks() -> None:
    """A whistle's event carries the hours its tasks were given; one written before tasks
    carries none, and made none: its trail replays to a case without them."""
    state, trail = walk([(0, 30, False)])  # accepted
    summon = Params(unit="U-CG", co_units=("U-GA", "U-SW"))
    out = decide(state, OPERATOR, Action.WHISTLE, summon, CTX.at(NOW + timedelta(hours=1)))
    assert out.event.payload["hours"] == [2, 24] and len(out.state.tasks) == 2
    e = out.event
    whistled = Recorded(
        len(trail) + 1,
        NOW + timedelta(hours=1),
        "op",
        "whistle",
        e.from_status.value if e.from_status else None,
        e.to_status.value,
        None,
        payload_text(e.payload),
    )
    assert replay_case(row(out.state), len(trail) + 1, [*trail, whistled], CTX) is None
    older = whistled._replace(
        payload=payload_text({k: v for k, v in e.payload.items() if k != "hours"})
    )
    assert (
        replay_case(row(replace(out.state, tasks=())), len(trail) + 1, [*trail, older], CTX) is None
    )
