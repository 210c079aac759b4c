"""An honest store verifies: 10,000 actions taken through the services, as a centre's people
take them — every action of the loop, by whoever the rules let, cases registered meanwhile,
phones revealed, sign-outs — interleaved in the trail as on a working day, then a digest, and
`gridcall audit verify` says intact with exit 0, on both stores."""

from __future__ import annotations

import contextlib
import json
import random
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from console.db import Store
from console.domain.actions import Action
from console.domain.audit import TrailEvent
from console.domain.enums import FINAL_STATUSES, Rating, Role, Source, Status, UnitKind, Urgency
from console.domain.errors import Forbidden, NotFound
from console.domain.intake import NewCase
from console.domain.oversight import OversightRules
from console.domain.policy import Actor, community_unit_code, grid_unit_code
from console.domain.sla import SlaClock
from console.domain.whistle import UnitRating, owing, to_rate
from console.domain.workflow import TABLE, CaseState, Params, allowed_actions
from console.queries import cases as q
from console.queries.reference import reference
from console.services import auth
from console.services.cases import act, create_case
from console.services.oversight import sweep
from console.services.personal import reveal_phone
from tests.conftest import ANCHOR, StoreFactory
from tests.store.identity import gridcall_here

ACTIONS = 10_000
REASON = "按规定办理"


class Centre:
    """The people of the demo district at work on its cases, drawn at random but by the rules:
    each step picks an open case, an action the workflow allows one of its people, and that
    person takes it."""

    def __init__(self, store: Store, seed: int) -> None:
        self.store, self.rng, self.clock = store, random.Random(seed), SlaClock()
        self.now = ANCHOR + timedelta(hours=1)
        ref = reference(store)
        self.operators: dict[str, Actor] = {}
        self.supervisors: dict[str, Actor] = {}
        self.acting_for: dict[str, Actor] = {}
        for user in sorted(ref.users.values(), key=lambda u: u.login):
            actor = ref.actor(user.login)
            if actor.street and user.role is Role.OPERATOR:
                self.operators.setdefault(actor.street, actor)
            elif actor.street and user.role is Role.SUPERVISOR:
                self.supervisors.setdefault(actor.street, actor)
            elif actor.own_unit:
                self.acting_for.setdefault(actor.own_unit, actor)
        self.sections: dict[str, list[str]] = {}
        for unit in ref.units.values():
            if unit.kind is UnitKind.SECTION and unit.street_id:
                self.sections.setdefault(ref.areas[unit.street_id].code, []).append(unit.code)
        self.departments = sorted(
            u.code for u in ref.units.values() if u.kind is UnitKind.DEPARTMENT
        )
        self.categories = sorted(
            c.code for c in ref.categories.values() if c.is_leaf and c.limits is not None
        )
        self.grids = sorted(
            a.code
            for a in ref.areas.values()
            if a.level.value == "grid" and ref.areas[a.street_id or 0].code in self.operators
        )
        with store.read() as s:
            codes = s.execute(text("SELECT code FROM cases ORDER BY id")).scalars().all()
        self.cases = {code: q.detail(store, q.DISTRICT_WIDE, code) for code in codes}
        self.taken = 0

    def run(self, actions: int) -> None:
        while self.taken < actions:
            self.now += timedelta(minutes=self.rng.randint(1, 40), seconds=self.rng.randrange(60))
            if self.rng.random() < 0.04 or len(self.cases) < 50:
                self.register()
            else:
                self.step()
            if self.taken % 500 == 0:
                self.look()

    def register(self) -> None:
        grid = self.rng.choice(self.grids)
        street = grid[:4]
        d = create_case(
            self.store,
            self.clock,
            self.operators[street].login,
            NewCase(
                title="群众来电反映",
                category=self.rng.choice(self.categories),
                grid=grid,
                address="测试路1号",
                source=Source.HOTLINE,
                reporter_name="李先生",
                reporter_phone="13900001111",
            ),
            now=self.now,
        )
        self.cases[d.code] = d
        self.taken += 1

    def people(self, state: CaseState) -> list[Actor]:
        found = [self.operators[state.street], self.supervisors[state.street]]
        # The lead, the grid's own worker, and the departments a whistle summoned.
        for unit in (state.lead_unit, grid_unit_code(state.grid), *state.co_units):
            if unit in self.acting_for:
                found.append(self.acting_for[unit])
        return found

    def step(self) -> None:
        code = self.rng.choice(sorted(self.cases))
        state = self.cases[code].state()
        offers: dict[Action, list[Actor]] = {}
        closable = reference(self.store).self_closable
        for actor in self.people(state):
            for action in allowed_actions(state, actor, self_closable=closable):
                offers.setdefault(action, []).append(actor)
        others = [c for c, d in self.cases.items() if c != code and d.street_code == state.street]
        if not others:
            offers.pop(Action.DUPLICATE, None)  # a duplicate of what?
        if not offers:
            del self.cases[code]  # final: it stays in the trail, out of the working set
            return
        action = self.rng.choice(sorted(offers))
        actor = self.rng.choice(offers[action])
        d = act(
            self.store,
            self.clock,
            actor.login,
            code,
            action,
            self.params(action, state, others),
            version=self.cases[code].row.version,
            now=self.now,
        )
        self.taken += 1
        if d.row.status in FINAL_STATUSES - {Status.CLOSED} or (
            d.row.status is Status.CLOSED and d.rating is not None and self.rng.random() < 0.7
        ):
            del self.cases[code]
        else:
            self.cases[code] = d

    def params(self, action: Action, state: CaseState, others: list[str]) -> Params:
        rng = self.rng
        if action is Action.DUPLICATE:
            return Params(other_case=rng.choice(sorted(others)))
        if action is Action.DISPATCH:
            units = [
                *self.sections.get(state.street, ()),
                grid_unit_code(state.grid),
                *self.departments,
            ]
            if state.community:
                units.append(community_unit_code(state.community))
            return Params(unit=rng.choice(units), instruction=rng.choice((None, "请尽快处置")))
        if action is Action.WHISTLE:
            lead, *rest = rng.sample(self.departments, 3)
            return Params(unit=lead, co_units=tuple(rest))
        if action is Action.HANDLED:
            return Params(
                result="已处置完毕", photo=rng.choice((None, "https://img.example/photo.jpg"))
            )
        if action is Action.SELF_CLOSE:
            return Params(result="已现场处置", photo="https://img.example/on-spot.jpg")
        if action is Action.VERIFY:
            passed = rng.random() < 0.8
            return Params(passed=passed, reason=None if passed else "问题仍存在")
        if action is Action.EXTEND:
            base = max(state.deadline_at or self.now, self.now)  # an extension ends ahead
            return Params(reason=REASON, until=base + timedelta(days=rng.randint(1, 5)))
        if action is Action.RATE:
            return Params(rating=rng.choice(list(Rating)), comment=rng.choice((None, "满意")))
        if action is Action.URGE:  # asking for a reply, or not
            return Params(text="请跟进", reply_hours=rng.choice((None, 4)))
        if action in (Action.NOTE, Action.FEEDBACK, Action.REPLY):
            return Params(text="请跟进")
        if action is Action.WAIVE:
            return Params(unit=rng.choice(owing(state.tasks)), reason=REASON)
        if action is Action.RATE_UNIT:
            rating = rng.choice(list(UnitRating))
            return Params(unit=rng.choice(to_rate(state.tasks)), unit_rating=rating)
        if action is Action.SET_URGENCY:
            other = Urgency.NORMAL if state.urgency is Urgency.URGENT else Urgency.URGENT
            return Params(urgency=other)
        if action is Action.SET_CATEGORY:
            return Params(category=rng.choice([c for c in self.categories if c != state.category]))
        if action in (Action.SUSPEND, Action.REVIEW):  # 挂账 and its review: the next day to look
            review_on = (self.now + timedelta(days=rng.randint(2, 30))).date()
            return Params(reason=REASON, text=REASON, review_on=review_on)
        return Params(reason=REASON)

    def look(self) -> None:
        """Events of the trail that are no action: a phone revealed, a sign-out; and the
        system's urges, a sweep of automatic 督办 as a console runs it."""
        for issued in sweep(self.store, self.clock, OversightRules(), now=self.now):
            if issued.code in self.cases:
                self.cases[issued.code] = q.detail(self.store, q.DISTRICT_WIDE, issued.code)
        code = self.rng.choice(sorted(self.cases))
        state = self.cases[code].state()
        with contextlib.suppress(Forbidden, NotFound):  # a case without a phone, say
            reveal_phone(self.store, self.operators[state.street].login, code, now=self.now)
        auth.record(self.store, self.supervisors[state.street].login, TrailEvent.SIGN_OUT)


def test_an_honest_store_after_10000_actions_verifies(stores: StoreFactory, tmp_path: Path) -> None:
    store = stores.seeded(cases=200)
    centre = Centre(store, seed=21)
    centre.run(ACTIONS)
    state = tmp_path / "state"
    assert gridcall_here("audit", "keygen", state=state).code == 0
    digests = str(tmp_path / "digests")
    signed = gridcall_here("audit", "digest", "--dir", digests, "--db", store.url, state=state)
    assert signed.code == 0, signed.err
    ran = gridcall_here("audit", "verify", "--digests", digests, "--db", store.url, state=state)
    assert ran.code == 0, ran.err
    with store.read() as s:
        cases = s.execute(text("SELECT count(*) FROM cases")).scalar_one()
        taken = set(s.execute(text("SELECT DISTINCT action FROM audit_events")).scalars())
    assert taken >= {*TABLE, Action.NEW, TrailEvent.REVEAL, TrailEvent.SIGN_OUT}, "every kind"
    with store.read() as s:
        rules = s.execute(
            text("SELECT DISTINCT payload FROM audit_events WHERE actor = 'system'")
        ).scalars()
        fired = {json.loads(p)["rule"] for p in rules}
    assert fired >= {"urge_when_red", "supervisor_after"}, fired  # the system's urges too
    assert ran.out.startswith("Audit trail intact: ")
    assert f"{cases:,} cases agree with their events" in ran.out
