"""The overall deadline 办结时限 through the real CLI on both stores: `case list --late-overall`
lists the open cases past it within the reader's scope; `case show` says it beside the step's
deadline, with its own light, and `--json` carries it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from console import wallclock
from console.db import Store
from console.domain.enums import Source, Status
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.queries.reference import reference
from console.services.cases import act, create_case
from tests.services.helpers import cast, new_case, path_to
from tests.store.test_cli_input import Desk

LONG_AGO = datetime(2026, 1, 6, 2, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Shanghai


@pytest.fixture(scope="module")
def desk(district: Store, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return Desk(district, tmp_path_factory.mktemp("overall"))


def test_late_overall_lists_the_open_cases_past_it_within_scope(desk: Desk) -> None:
    store = desk.store
    c = cast(store)
    late = new_case(store, c, now=LONG_AGO, title="早已超期").code
    fresh = new_case(store, c, now=wallclock.now(), title="刚登记").code
    done = new_case(store, c, now=LONG_AGO, title="超期但已结案").code
    for i, (login, action, params) in enumerate(path_to(Status.CLOSED, c)):
        act(store, SlaClock(), login, done, action, params, now=LONG_AGO.replace(minute=i + 1))
    ref = reference(store)
    street = ref.area(ref.actor(c.other_operator).street or "").id
    grid = min(
        a.code for a in ref.areas.values() if a.level.value == "grid" and a.street_id == street
    )
    elsewhere = create_case(
        store,
        SlaClock(),
        c.other_operator,
        NewCase("别街超期", c.category, grid, "某路1号", Source.PATROL),
        now=LONG_AGO,
    ).code

    listed = desk(c.operator, "case", "list", "--late-overall", "--json", "--limit", "1000")
    assert listed.code == 0, listed.err
    codes = {r["code"] for r in json.loads(listed.out)}
    assert late in codes
    assert not codes & {fresh, done, elsewhere}  # in time; closed; another street's
    by_the_other = desk(c.other_operator, "case", "list", "--late-overall", "--json")
    assert elsewhere in {r["code"] for r in json.loads(by_the_other.out)}
    everything = desk(c.operator, "case", "list", "--json", "--limit", "1000")
    assert fresh in {r["code"] for r in json.loads(everything.out)}

    shown = json.loads(desk(c.operator, "case", "show", late, "--json").out)
    assert shown["due_light"] == "red" and shown["due_given"] is False
    assert datetime.fromisoformat(shown["due_at"]) < wallclock.now()
    assert json.loads(desk(c.operator, "case", "show", fresh, "--json").out)["due_light"] == "green"
    assert json.loads(desk(c.operator, "case", "show", done, "--json").out)["due_light"] == "none"
    text = desk(c.operator, "--lang", "en", "case", "show", late)
    assert "step due" in text.out
    [due] = [line for line in text.out.splitlines() if "overall deadline" in line]
    assert "overdue -" in due
    zh = desk(c.operator, "--lang", "zh", "case", "show", late)
    assert "本环节时限" in zh.out and "办结时限" in zh.out
