"""A training store (培训库): the demo district with a few days of its cases, marked as a
training store, its clock the trainer's and frozen at the moment it was made, a login for the
trainer and one for each trainee — only here: the production demo has neither. Trainees are
operators of the demo's first street, where the scenarios happen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from console.db import Store
from console.demo.generate import seed_demo
from console.demo.people import DEMO_PASSWORD
from console.demo.seedfiles import SEEDS_DIR
from console.domain.actions import Action
from console.domain.enums import Role
from console.domain.errors import Invalid
from console.domain.replay import Recorded, rebuild
from console.domain.scenario import (
    JUDGED,
    Done,
    Event,
    EventKind,
    Expectation,
    Judged,
    Scenario,
    Score,
    deciding,
    judge,
    next_step,
    overdue,
    parse,
    scoreboard,
)
from console.domain.sla import SlaClock
from console.domain.training import TrainingClock
from console.domain.workflow import CaseState, Params, allowed_actions
from console.models import Meta
from console.queries import cases as q
from console.queries.reference import TRAINING_KEY, reference
from console.queries.training import CLOCK_KEY, acted_on, training_clock
from console.services.cases import act, create_case
from console.services.training import set_clock
from console.services.users import Scope, add_user
from console.services.verify import replay_context

TRAINING_CASES = 300  # the street's ordinary business around the scenario's events
TRAINEES_MAX = 30  # a room of trainees
TRAINEE_STREET = "LJ01"
ADMIN = "admin"  # the demo's administrator adds the trainer and the trainees
# The trainer drives the clock and brings the scenario's cases in: the hotline, the patrol,
# the camera.
TRAINER = "trainer"
TRAINER_NAME = "沈彩霞"

M = Meta.__table__.c


def trainee_login(n: int) -> str:
    return f"trainee{n}"


def make_training_store(
    store: Store, clock: SlaClock, *, trainees: int, now: datetime
) -> list[str]:
    """Fill a migrated store (emptied first) as a training store, with the trainer's login;
    the trainees' logins."""
    if not 1 <= trainees <= TRAINEES_MAX:
        raise Invalid("error.trainees", n=trainees, most=TRAINEES_MAX)
    # One process: the pool's start-up would cost more than these few cases.
    seed_demo(store, clock, cases=TRAINING_CASES, seed=1, replace=True, anchor=now, processes=1)
    frozen = TrainingClock(since=now, at=now, rate=0.0)

    def mark(s: Session) -> None:
        s.execute(delete(Meta.__table__).where(M.key.in_((TRAINING_KEY, CLOCK_KEY))))
        s.execute(
            insert(Meta.__table__),
            [{"key": TRAINING_KEY, "value": "1"}, {"key": CLOCK_KEY, "value": frozen.to_json()}],
        )

    store.write(mark)
    reference(store, reload=True)
    add_user(store, ADMIN, TRAINER, TRAINER_NAME, Role.TRAINER, password=DEMO_PASSWORD, now=now)
    logins = [trainee_login(n) for n in range(1, trainees + 1)]
    for n, login in enumerate(logins, start=1):
        add_user(
            store,
            ADMIN,
            login,
            f"学员{n}",
            Role.OPERATOR,
            Scope(street=TRAINEE_STREET),
            password=DEMO_PASSWORD,
            now=now,
        )
    return logins


# --- scenarios --------------------------------------------------------------------------------

SCENARIOS_DIR = SEEDS_DIR / "scenarios"
SCENARIO_KEY = "training_scenario"


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.toml"))


def load_scenario(name: str, root: Path = SCENARIOS_DIR) -> Scenario:
    """A built-in scenario by name (or a file's path): ScenarioInvalid naming the line and
    field of a file that does not hold together."""
    path = Path(name) if name.endswith(".toml") else root / f"{name}.toml"
    if not path.is_file():
        raise Invalid("error.no_scenario", name=name, known=", ".join(scenario_names()))
    return _parsed(path.resolve())


# Read once a process: a training console asks for its scenario at every change and minute, the
# director at every second; the file does not change under a drill.
@cache
def _parsed(path: Path) -> Scenario:
    return parse(path.read_text(encoding="utf-8"), path.name)


@dataclass
class Playing:
    """Where a store's scenario stands: when it started (training time), the events fired,
    and the code of each of its cases."""

    scenario: Scenario
    started: datetime
    fired: list[int]
    cases: dict[str, str]  # the scenario's name for a case → its code
    exam: bool = False  # no hints: the trainees are on their own

    def to_json(self, source: str) -> str:
        return json.dumps(
            {
                "source": source,
                "started": self.started.isoformat(),
                "fired": self.fired,
                "cases": self.cases,
                "exam": self.exam,
            },
            ensure_ascii=False,
        )

    def due(self, now: datetime) -> list[tuple[int, Event]]:
        return [
            (i, e)
            for i, e in enumerate(self.scenario.events)
            if i not in self.fired and self.started + e.at <= now
        ]

    @property
    def over(self) -> bool:
        return len(self.fired) == len(self.scenario.events)

    def to_next_event(self, now: datetime) -> timedelta | None:
        """How far the clock is from the next event still to fire (none: all have fired, or
        one is due already and fires as it is)."""
        waiting = [
            self.started + e.at - now
            for i, e in enumerate(self.scenario.events)
            if i not in self.fired
        ]
        return min(waiting) if waiting and min(waiting) > timedelta(0) else None


def start_scenario(
    store: Store, scenario: Scenario, source: str, wall: datetime, *, exam: bool = False
) -> Playing:
    """Set the training store to play `scenario` (`source`: its name or file): the trainer's
    clock frozen at the next time of day it starts at, nothing fired yet; `exam`: no hints."""
    clock = training_clock(store)
    if clock is None:
        raise Invalid("error.not_training_store", url=store.describe())
    tz = SlaClock().hours.tz
    now = clock.now(wall).astimezone(tz)
    starts = datetime.combine(now.date(), scenario.starts, tzinfo=tz)
    if starts <= now:
        starts += timedelta(days=1)
    started = starts.astimezone(UTC)
    playing = Playing(scenario, started, [], {}, exam)
    _keep(store, playing, source)
    set_clock(store, TrainingClock(since=wall, at=started, rate=0.0))
    return playing


def playing(store: Store) -> tuple[Playing, str] | None:
    """The scenario the store plays, and its source; None when it plays none."""
    with store.read() as s:
        value = s.execute(select(M.value).where(M.key == SCENARIO_KEY)).scalar_one_or_none()
    if value is None:
        return None
    raw = json.loads(value)
    scenario = load_scenario(raw["source"])
    started = datetime.fromisoformat(raw["started"])
    cases = dict(raw["cases"])
    play = Playing(scenario, started, list(raw["fired"]), cases, bool(raw.get("exam")))
    return play, raw["source"]


def fire_due(store: Store, clock: SlaClock, now: datetime) -> list[Event]:
    """The scenario's events whose time has come on the training clock, made to happen: a
    case reported (by the trainer, standing for the caller or the patrol), a return by the
    unit that leads the case, a resident's callback noted on the case. Each event once."""
    found = playing(store)
    if found is None:
        return []
    play, source = found
    fired = []
    for i, event in play.due(now):
        at = play.started + event.at
        if event.kind is EventKind.REPORT:
            assert event.report is not None
            play.cases[event.case] = create_case(store, clock, TRAINER, event.report, now=at).code
        elif event.kind is EventKind.RETURN:
            _returned(store, clock, play.cases[event.case], event.text or "", at)
        else:
            act(store, clock, TRAINER, play.cases[event.case], Action.NOTE,
                Params(text=event.text), now=at)  # fmt: skip
        play.fired.append(i)
        _keep(store, play, source)
        fired.append(event)
    return fired


def _returned(store: Store, clock: SlaClock, code: str, reason: str, at: datetime) -> None:
    """The lead unit sends the case back — if a unit holds it by then: a trainee who has not
    dispatched it has nothing to be returned."""
    detail = q.detail(store, q.DISTRICT_WIDE, code, timeline=False)
    lead = detail.lead_unit_code
    ref = reference(store)
    staff = next(
        (u.login for u in sorted(ref.users.values(), key=lambda u: u.login)
         if lead is not None and ref.actor(u.login).own_unit == lead),
        None,
    )  # fmt: skip
    if staff is not None and Action.RETURN in allowed_actions(detail.state(), ref.actor(staff)):
        act(store, clock, staff, code, Action.RETURN, Params(reason=reason), now=at)


def _keep(store: Store, play: Playing, source: str) -> None:
    def work(s: Session) -> None:
        s.execute(delete(Meta.__table__).where(M.key == SCENARIO_KEY))
        s.execute(insert(Meta.__table__).values(key=SCENARIO_KEY, value=play.to_json(source)))

    store.write(work)


def judged(store: Store) -> tuple[Playing, list[Judged], list[Score]] | None:
    """The scenario as the trail says it went: each expectation's verdict, each trainee's
    score. Only the trail is read: what the trainees did, when, to which unit."""
    found = playing(store)
    if found is None:
        return None
    play, _ = found
    _, verdicts, scores = _judged(store, play)
    return play, verdicts, scores


def _judged(store: Store, play: Playing) -> tuple[dict[str, datetime], list[Judged], list[Score]]:
    reported, done = _trail(store, play)
    verdicts = judge(play.scenario, reported, done)
    return reported, verdicts, scoreboard(verdicts, _trainees(store))


def _trainees(store: Store) -> list[str]:
    return [u.login for u in reference(store).users.values() if u.login.startswith("trainee")]


@dataclass(frozen=True)
class TrainerBoard:
    """What the trainer's console shows of a drill at a moment of training time."""

    play: Playing
    clock: TrainingClock
    now: datetime  # the training time it was read at
    verdicts: list[Judged]  # each expected step, as the trail has it so far
    scores: list[Score]  # one line a trainee, the best first
    overdue: list[bool]  # by verdict: a step nobody took whose time is up (the room missed it)

    @property
    def missed(self) -> int:
        """The room's missed steps: past their deadline, and nobody took them."""
        return sum(self.overdue)


def trainer_board(store: Store, now: datetime) -> TrainerBoard | None:
    """The drill as the trainer follows it at `now`, the training time; None when the store
    plays no scenario."""
    found = playing(store)
    clock = training_clock(store)
    if found is None or clock is None:
        return None
    play = found[0]
    reported, verdicts, scores = _judged(store, play)
    late = [overdue(v, reported, now) for v in verdicts]
    return TrainerBoard(play, clock, now, verdicts, scores, late)


def restart(store: Store, wall: datetime) -> Playing:
    """The drill again from its beginning: the same scenario started anew at its next start on
    the training clock (which only moves forward), nothing fired, every step still to take.
    The store is not made afresh, so the consoles on it stay open and the trail stays whole
    (it is append-only): the last run's cases stay as history, judged no more. `gridcall train
    --reset --scenario` makes a store afresh, with its consoles closed."""
    found = playing(store)
    if found is None:
        raise Invalid("error.no_scenario_playing", url=store.describe())
    play, source = found
    return start_scenario(store, play.scenario, source, wall, exam=play.exam)


def hint(store: Store) -> Expectation | None:
    """The guided mode's next step for the room (none in an exam, or with nothing waiting)."""
    found = playing(store)
    if found is None or found[0].exam:
        return None
    play = found[0]
    return next_step(play.scenario, *_trail(store, play))


def _trail(store: Store, play: Playing) -> tuple[dict[str, datetime], list[Done]]:
    """When each case of the scenario came in, and what the trainees did to them."""
    by_code = {code: name for name, code in play.cases.items()}
    reported: dict[str, datetime] = {}
    done: list[Done] = []
    for code, name in by_code.items():
        detail = q.detail(store, q.DISTRICT_WIDE, code)
        for e in reversed(detail.timeline):  # oldest first: the first of a moment decides
            action = Action(e.action)
            if action is Action.NEW:
                reported[name] = e.at
            elif action in JUDGED and e.actor != TRAINER:
                done.append(_done(name, action, e, by_code))
    return reported, done


def _done(name: str, action: Action, e: q.TimelineEntry, by_code: dict[str, str]) -> Done:
    target = e.payload.get("unit")
    if action is Action.DUPLICATE:
        target = by_code.get(str(e.payload.get("other_case")))
    return Done(name, action, e.actor, e.at, target)


# --- the debrief's replay ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One action of a trainee's, for the debrief: the case as it stood right after it (its
    state replayed from the trail, its timeline up to it) and the verdict of each expectation
    it decided."""

    event: q.TimelineEntry
    code: str
    title: str
    case: str | None  # the scenario's name for the case; None for the street's other cases
    state: CaseState
    timeline: tuple[q.TimelineEntry, ...]  # oldest first, this action last
    verdicts: tuple[Judged, ...]

    @property
    def action(self) -> Action:
        return Action(self.event.action)


def trainee_steps(store: Store, clock: SlaClock, login: str) -> list[Step]:
    """Every action `login` took on the training store, in order. Invalid for a login the
    store does not know, or one who has done nothing yet."""
    ref = reference(store)
    if login not in ref.user_by_login:
        raise Invalid("error.replay_no_trainee", login=login)
    found = judged(store)
    names: dict[str, str] = {}
    decided: dict[tuple[str, Action], list[Judged]] = {}
    first: dict[tuple[str, Action], Done] = {}
    if found is not None:
        play, verdicts, _ = found
        names = {code: name for name, code in play.cases.items()}
        for j in verdicts:
            decided.setdefault((j.expectation.case, j.expectation.action), []).append(j)
        first = deciding(_trail(store, play)[1])
    context = replay_context(ref, clock)
    steps: list[Step] = []
    for code in acted_on(store, login):
        detail = q.detail(store, q.DISTRICT_WIDE, code)
        timeline = tuple(reversed(detail.timeline))
        stored = {
            "code": code,
            "street": detail.street_code,
            "community": detail.community_code,
            "grid": detail.grid_code,
            "category": detail.category_code,
            "urgency": detail.row.urgency.value,
        }
        recorded = [_recorded(e) for e in timeline]
        for n, e in enumerate(timeline):
            if e.actor != login or e.action not in _ACTIONS:
                continue  # someone else's, or the trail's own (a phone revealed)
            rebuilt = rebuild(stored, recorded[: n + 1], context)
            if not isinstance(rebuilt, tuple):  # a trail the table refuses: audit verify says
                raise Invalid("error.replay_broken", code=code)
            name = names.get(code)
            action = Action(e.action)
            key = (name or "", action)
            mine = first.get(key)
            met = decided.get(key, []) if mine and (mine.login, mine.at) == (login, e.at) else []
            steps.append(
                Step(e, code, detail.row.title, name, rebuilt[0], timeline[: n + 1], tuple(met))
            )
    if not steps:
        raise Invalid("error.replay_nothing_done", login=login)
    return sorted(steps, key=lambda step: (step.event.at, step.event.seq))


_ACTIONS = frozenset(a.value for a in Action)


def _recorded(e: q.TimelineEntry) -> Recorded:
    return Recorded(
        e.seq,
        e.at,
        e.actor,
        e.action,
        e.from_status.value if e.from_status else None,
        e.to_status.value,
        e.reason,
        json.dumps(e.payload, ensure_ascii=False),
    )
