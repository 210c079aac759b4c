"""Eight processes race the same actions on the same cases: no lost update, no double dispatch,
no illegal state, one audit event per committed change, and the chain stays whole."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import timedelta

from sqlalchemy import text

from console.db import Store
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.errors import Conflict, Forbidden, IllegalTransition
from console.domain.sla import SlaClock
from console.domain.workflow import Params
from console.queries import cases as q
from console.services.cases import act
from tests.conftest import trail_findings
from tests.services.helpers import NOW, cast, new_case

PROCESSES = 8
CASES = 6


def _race(args: tuple[str, int, list[str], str, str, list[str], dict[str, str]]) -> Counter[str]:
    url, worker, codes, operator, supervisor, units, staff = args
    store = Store(url)
    clock = SlaClock()
    done: Counter[str] = Counter()
    for round_ in range(2):
        for code in codes:
            at = NOW + timedelta(minutes=10 + round_)
            unit = units[worker % len(units)]
            attempts = [
                (operator, Action.DISPATCH, Params(unit=unit)),
                (operator, Action.NOTE, Params(text=f"worker {worker} round {round_}")),
                (supervisor, Action.URGE, Params(text=f"urge {worker}")),
                (staff[unit], Action.SIGN, Params()),
            ]
            for login, action, params in attempts:
                if action is Action.SIGN:
                    # The staff of the unit the case was given sign for it, whichever process
                    # dispatched it; before it is given, this process's unit is refused.
                    lead = q.detail(store, q.DISTRICT_WIDE, code).lead_unit_code
                    login = staff[lead] if lead else login
                try:
                    act(store, clock, login, code, action, params, now=at)
                    done[action.value] += 1
                except (Conflict, IllegalTransition, Forbidden):
                    done["refused"] += 1
    store.dispose()
    return done


def test_racing_processes(stores) -> None:  # type: ignore[no-untyped-def]
    store = stores.seeded(cases=5)
    c = cast(store)
    codes = []
    for i in range(CASES):
        d = new_case(store, c, title=f"竞争测试{i}")
        act(store, SlaClock(), c.operator, d.code, Action.ACCEPT, now=NOW)
        codes.append(d.code)
    units = [c.section, c.grid_unit, *c.departments]
    jobs = [
        (store.url, w, codes, c.operator, c.supervisor, units, c.staff) for w in range(PROCESSES)
    ]
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        results = pool.map(_race, jobs)
    total: Counter[str] = sum(results, Counter())

    assert total["dispatch"] == CASES, "exactly one dispatch per case wins"
    assert total["sign"] == CASES
    with store.engine.connect() as conn:
        for code in codes:
            case_id, version, status = conn.execute(
                text("SELECT id, version, status FROM cases WHERE code = :c"), {"c": code}
            ).one()
            events = (
                conn.execute(
                    text("SELECT action FROM audit_events WHERE case_id = :i ORDER BY seq"),
                    {"i": case_id},
                )
                .scalars()
                .all()
            )
            assert events.count("dispatch") == 1
            assert events.count("sign") == 1
            assert status == Status.IN_PROGRESS.value
            assert version == len(events), "one audit event per committed change"
    committed = total["dispatch"] + total["note"] + total["urge"] + total["sign"]
    detail_versions = sum(q.detail(store, q.DISTRICT_WIDE, code).row.version for code in codes)
    assert detail_versions == CASES * 2 + committed  # new + accept, then every success
    assert trail_findings(store) == []
