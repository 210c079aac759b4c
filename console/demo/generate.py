"""Generated cases for the demo district: a living centre, built through the workflow itself.

Every case walks the loop by `workflow.decide` — the rules the console and the CLI obey — from
its report towards closure, each step taking a plausible share of its time limit (now and then
more). The walk stops at the first step that would lie after the anchor time, so recent cases
are still open in every status and some are overdue, while older ones are closed, followed up,
reworked, reopened, rejected or merged as duplicates. Same seed and anchor, same cases.

Cases are generated in chunks by worker processes; the parent numbers the audit events, chains
their hashes in order and bulk-loads both tables (executemany on SQLite, COPY on PostgreSQL).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sys
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import accumulate
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Connection, Index, delete, func, insert, select, text
from sqlalchemy.schema import CreateIndex
from sqlmodel import SQLModel

from console import search_index, wallclock
from console.db import Store
from console.demo.district import load_district
from console.demo.people import DEMO_PASSWORD
from console.demo.seedfiles import Handling, Seeds, load_seeds, resolve_unit
from console.domain.actions import Action
from console.domain.audit import GENESIS, content_digest, link_hash, payload_text, stamp
from console.domain.codes import format_code
from console.domain.enums import (
    CaseKind,
    Level,
    Rating,
    Role,
    Source,
    Status,
    UnitKind,
    Urgency,
)
from console.domain.errors import Invalid
from console.domain.oversight import DEFAULT_OVERSIGHT, SYSTEM, Due, Rule
from console.domain.policy import Actor, community_unit_code, grid_unit_code, separated
from console.domain.sla import SlaClock, WorkingHours
from console.domain.whistle import (
    CHECK_IN_HOURS,
    FEEDBACK_HOURS,
    Task,
    UnitRating,
    owing,
    task_of,
    to_json,
    to_rate,
)
from console.domain.workflow import (
    CaseState,
    Context,
    Event,
    LevelLimits,
    Params,
    StepLimits,
    decide,
    open_case,
    oversee,
    step_limit,
)
from console.models import (
    STEP_MIN_COLUMNS,
    AuditEvent,
    AuditHead,
    Case,
    CodeCounter,
    Meta,
    partial_condition,
)
from console.queries.reference import DEMO_PASSWORD_KEY
from console.services import cells
from console.services.auth import hash_password
from console.services.record import RECORD_FILLED, RECORD_KEY

CHUNK = 5_000
# Kept in the store's meta; changed whenever the generator writes different rows for the same
# seed, so that stores kept from before (the bench's) are built again rather than reused.
# 2: who handled a case, what its register event registered; 3: roads; 4: each case's record;
# 5: the figure cells; 6: each case's overall deadline; 7: a demo that reads true (issue
# #14): the category mix, results, comments, instructions and whistled units per
# subcategory, ratings from residents only; whistled departments check in and feed back;
# 8: a unit's return waits for the centre's approval; a suspension names its review day
# 9: the loop's mechanisms: 自办自结 with its spot checks, escalations routed to the district
# platform (and some handed back down), departments late, released and rated; 10: an escalated
# case timed by its level's limits (seeds/levels.toml) and given to the street's section its
# category names; a self-closed case's result from what a grid worker does on the spot
SEED_FORMAT = "10"
CASE_COLUMNS = (
    "id",
    "code",
    "kind",
    "title",
    "description",
    "category_id",
    "source",
    "reporter_name",
    "reporter_phone",
    "address",
    "grid_id",
    "community_id",
    "street_id",
    "lat",
    "lon",
    "urgency",
    "status",
    "level",
    "lead_unit_id",
    "co_units",
    "returned_units",
    "step_started_at",
    "deadline_at",
    "warn_at",
    "suspended_from",
    "paused_deadline_min",
    "paused_warn_min",
    "ext_until",
    "ext_reason",
    "rework_count",
    "urge_count",
    "duplicate_of_id",
    "attachments",
    "result",
    "rating",
    "rating_comment",
    "created_at",
    "updated_at",
    "closed_at",
    "version",
    "handled_by",
    "handled_unit",
    "late_steps",
    "ext_count",
    *STEP_MIN_COLUMNS,
    "timed_from",
    "due_at",  # due_given keeps its default: no demo case has its deadline given
    "paused_due_min",
    "tasks",
    "return_reason",
    "review_on",
    "reply_by",
    "reply_warn",
    "urged_red",
    "overseen_at",
    "level_limits",
)
# A chunk of generated rows: cases, their events, and (SQLite) their search index rows.
Chunk = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[int, str]]]
TITLE, ADDRESS = CASE_COLUMNS.index("title"), CASE_COLUMNS.index("address")
EVENT_COLUMNS = (
    "seq",
    "case_id",
    "at",
    "actor",
    "action",
    "from_status",
    "to_status",
    "reason",
    "payload",
    "prev_hash",
    "hash",
)
# Who reported a case shows in how its text begins, so the source follows the text: a grid
# worker's words come from a patrol (or, where the text says what a camera saw, a sensor), a
# call from the hotlines, a resident's from the hotlines, the app, a department or a leader.
PATROL_SOURCES = ((Source.PATROL, 80), (Source.SENSOR, 20))
CALL_SOURCES = ((Source.HOTLINE, 80), (Source.LINE_8890, 20))
RESIDENT_SOURCES = (
    (Source.HOTLINE, 45),
    (Source.APP, 30),
    (Source.LINE_8890, 12),
    (Source.REFERRAL, 8),
    (Source.LEADER, 5),
)
PATROL_VOICE = "网格员"
# Only a resident who reported a case is called back to rate it.
RATED_SOURCES = frozenset({Source.HOTLINE, Source.LINE_8890, Source.APP})
# Follow-up calls and resumptions happen in office hours, within about two working days.
FOLLOW_UP = (900, True)
# A suspended case waits on something outside the centre (a ruling, a policy, the weather):
# up to about twenty working days, so a live centre always has a few of them.
SUSPENSION = (9600, True)
DUPLICATE_SHARE = 0.03
REJECT_SHARE = 0.075
# How far back cases reach, and how they crowd towards the present.
AGE_BUCKETS = ((0.22, 0, 3), (0.28, 3, 30), (0.50, 30, 365))
RATINGS = ((Rating.SATISFIED, 78), (Rating.BASIC, 16), (Rating.DISSATISFIED, 6))

T = TypeVar("T")


class _Weighted(Generic[T]):
    """`rng.choices(population, weights=...)[0]`, drawing the very same item, with the running
    totals summed once instead of on every draw."""

    __slots__ = ("cum", "hi", "population", "total")

    def __init__(self, population: Sequence[T], weights: Sequence[float]) -> None:
        self.population = tuple(population)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] + 0.0
        self.hi = len(self.population) - 1

    def pick(self, rng: random.Random) -> T:
        return self.population[bisect(self.cum, rng.random() * self.total, 0, self.hi)]


_AGES = _Weighted(AGE_BUCKETS, [b[0] for b in AGE_BUCKETS])
_PATROL_SOURCES = _Weighted([s for s, _ in PATROL_SOURCES], [n for _, n in PATROL_SOURCES])
_CALL_SOURCES = _Weighted([s for s, _ in CALL_SOURCES], [n for _, n in CALL_SOURCES])
_RESIDENT_SOURCES = _Weighted([s for s, _ in RESIDENT_SOURCES], [n for _, n in RESIDENT_SOURCES])


def _source_for(description: str, camera: str | None, rng: random.Random) -> tuple[Source, str]:
    """The source a text's voice implies, and the text as that source tells it: a camera's
    report is the text's own account of what the camera saw."""
    if description.startswith(PATROL_VOICE):
        source = _PATROL_SOURCES.pick(rng)
        if source is Source.SENSOR:
            return (source, camera) if camera else (Source.PATROL, description)
        return source, description
    if "来电" in description[:8]:
        return _CALL_SOURCES.pick(rng), description
    return _RESIDENT_SOURCES.pick(rng), description


_RATINGS = _Weighted([r for r, _ in RATINGS], [n for _, n in RATINGS])
# A frozen Params is built field by field; the seeder's come from short lists of texts and
# units, so each distinct one is built once per process and then shared.
_params: Callable[..., Params] = cache(Params)
# A summoned department's steps take a share of its hours (the seed keeps the default rules).
_CHECK_IN_MIN = CHECK_IN_HOURS * 60
_FEEDBACK_MIN = FEEDBACK_HOURS * 60
FEEDBACK = "已到场会商，本部门职责范围内事项已落实"
# 吹哨报到 as departments answer it: some check in late, fewer file late, and the supervisor
# releases a few (免报到) instead; the street rates each one that answered soon after.
LATE_CHECK_IN = 0.2
LATE_FEEDBACK = 0.1
WAIVE_SHARE = 0.08
UNIT_RATING_SPAN = (60, True)
_REPLY_SPAN = (90, True)  # a unit answers an urge within its reply hours, mostly
# Of the cases escalated, the share the street then sends up to the district platform (转报区级);
# of those, the share the platform hands back down to the street (a category for which no
# district unit answers always goes back down).
DISTRICT_SHARE = 0.4
BACK_DOWN_SHARE = 0.25
# 自办自结: a grid worker's patrol text that says the worker handled the case on the spot is
# reported so, in one step, with the result and the photo taken there.
SELF_HANDLED = "自办"
PHOTOS = "https://photos.lj.example/patrol/"
VERIFY_FAILED = "现场核查问题仍存在"


@dataclass(frozen=True)
class GridInfo:
    id: int
    code: str
    name: str
    street_id: int
    street: str
    community_id: int
    community: str
    community_name: str
    lat: float
    lon: float
    segments: tuple[tuple[str, int, int], ...]  # (road, first, last): the numbers lying here


@dataclass(frozen=True)
class CategoryPick:
    id: int
    code: str
    kind: CaseKind
    urgency: Urgency
    unit_kind: UnitKind
    unit: str | None
    limits: StepLimits


@dataclass(frozen=True)
class World:
    """What the generator needs of the loaded district, picklable for worker processes."""

    seed: int
    anchor: datetime
    cases: int
    grids: tuple[GridInfo, ...]
    categories: tuple[CategoryPick, ...]
    texts: dict[str, list[tuple[str, str, str | None]]]
    names: Any
    handling: Handling
    unit_ids: dict[str, int]
    unit_kinds: dict[str, UnitKind]
    unit_streets: dict[str, str | None]  # unit code → its street; None: it serves the district
    section_units: dict[str, tuple[str, ...]]  # street code → its sections
    departments: tuple[str, ...]
    operators: dict[str, tuple[Actor, ...]]  # street code → its operators
    supervisors: dict[str, tuple[Actor, ...]]
    acting_for: dict[str, Actor]  # unit code → the user who does its work
    district_people: tuple[Actor, ...]  # the district platform's operators and supervisors
    self_closable: frozenset[str]  # the categories a grid worker may handle on the spot
    spot_share: float  # of the cases handled on the spot, the share spot-checked
    level_limits: dict[Level, LevelLimits]  # the limits of the levels escalated cases go to
    hours: WorkingHours
    warn_ratio: float
    backend: str  # rows are formatted for this store's bulk loader


class _Walker:
    """Generates one chunk of cases; lives in a worker process."""

    def __init__(self, world: World) -> None:
        self.w = world
        self.clock = SlaClock(world.hours, warn_ratio=world.warn_ratio)
        self.zone_suffix = "" if world.backend == "sqlite" else "+00"
        # The mix of a real centre's cases, as the seed data gives it.
        self.categories = _Weighted(
            world.categories, [world.handling.mix[c.code] for c in world.categories]
        )
        # One limits lookup per category, shared by every Context of its cases.
        self.limits_of: dict[str, Callable[[str], StepLimits]] = {
            c.code: _fixed_limits(c.limits) for c in world.categories
        }
        self.unit_street = world.unit_streets.get
        # A case's row repeats its events' instants (created, updated, closed, step started):
        # each is formatted once per case.
        self.stamps: dict[datetime, str] = {}

    def stamp(self, at: datetime) -> str:
        text = self.stamps.get(at)
        if text is None:
            text = self.stamps[at] = stamp(at)
        return text

    def ts(self, at: datetime | None) -> str | None:
        """A timestamp as the store's bulk loader takes it: UTC text, marked so for PostgreSQL."""
        if at is None:
            return None
        return self.stamp(at) + self.zone_suffix

    def unit_kind(self, code: str) -> UnitKind:
        kind = self.w.unit_kinds.get(code)
        if kind is None:
            raise Invalid("error.no_unit", code=code)
        return kind

    def default_unit(self, cat: CategoryPick, grid: GridInfo) -> str:
        if cat.unit_kind is UnitKind.GRID:
            return grid_unit_code(grid.code)
        if cat.unit_kind is UnitKind.COMMUNITY:
            return community_unit_code(grid.community)
        if cat.unit and "*" in cat.unit:
            return cat.unit.replace("*", grid.street)
        if cat.unit and cat.unit in self.w.unit_kinds:
            return cat.unit
        return community_unit_code(grid.community)

    def street_section(self, cat: CategoryPick, grid: GridInfo) -> str:
        """The section of the case's street that a case escalated to the street goes to: the
        one whose kind its category names (seeds/handling.toml [sections])."""
        return resolve_unit(self.w.handling.sections[cat.code], grid.street)

    def chunk(self, start: int, count: int) -> Chunk:
        cases: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for index in range(start, start + count):
            case, case_events = self.one(index)
            cases.append(case)
            events.extend(case_events)
            self.stamps.clear()
        # SQLite's search index rows are made here, in the worker processes, beside the cases.
        search = (
            search_index.fts_rows([(c[0], c[1], c[TITLE], c[ADDRESS]) for c in cases])
            if self.w.backend == "sqlite"
            else []
        )
        return cases, events, search

    def _when(self, rng: random.Random) -> datetime:
        _share, low, high = _AGES.pick(rng)
        day = rng.uniform(low, high)
        # Reports crowd into the day: most between 7:00 and 21:00 local time.
        base = self.w.anchor - timedelta(days=int(day))
        local = base.astimezone(self.w.hours.tz)
        minute = (
            int(rng.triangular(7 * 60, 21 * 60, 10 * 60))
            if rng.random() < 0.9
            else (rng.randrange(0, 24 * 60))
        )
        local = local.replace(
            hour=minute // 60, minute=minute % 60, second=rng.randrange(60), microsecond=0
        )
        created = local.astimezone(UTC)
        if created > self.w.anchor:
            created -= timedelta(days=1)
        return created

    def identity(self, index: int) -> _Identity:
        """The first draws of a case: where, what, when. Replayable for any index."""
        w = self.w
        rng = random.Random(w.seed * 1_000_003 + index)
        grid = w.grids[rng.randrange(len(w.grids))]
        cat = self.categories.pick(rng)
        created = self._when(rng)
        return _Identity(rng, grid, cat, created, rng.random())

    def code_of(self, index: int, ident: _Identity) -> str:
        return format_code(
            ident.cat.kind, ident.created.astimezone(self.w.hours.tz).year, index + 1
        )

    def one(self, index: int) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        w = self.w
        ident = self.identity(index)
        rng, grid, cat, created, roll = ident.rng, ident.grid, ident.cat, ident.created, ident.roll
        original: tuple[int, str] | None = None
        if roll < DUPLICATE_SHARE and index > 0:
            # A second report of the same problem: same grid and category, a little later.
            other = rng.randrange(max(0, index - 500), index)
            first = self.identity(other)
            later = first.created + timedelta(minutes=rng.randint(20, 2880))
            if first.roll >= DUPLICATE_SHARE and later <= w.anchor:
                grid, cat, created = first.grid, first.cat, later
                original = (other + 1, self.code_of(other, first))
        urgency = (
            Urgency.URGENT
            if (cat.urgency is Urgency.URGENT or rng.random() < 0.04)
            else Urgency.NORMAL
        )
        n = w.names
        title_t, desc_t, camera_t = rng.choice(w.texts[cat.code])
        source, desc_t = _source_for(desc_t, camera_t, rng)
        code = self.code_of(index, _Identity(rng, grid, cat, created, roll))
        op = rng.choice(w.operators[grid.street])
        sup = rng.choice(w.supervisors[grid.street])
        worker = w.acting_for[grid_unit_code(grid.code)]
        reporter = worker if source is Source.PATROL else op
        ctx = Context(
            created,
            self.clock,
            self.limits_of[cat.code],
            self.unit_kind,
            self.unit_street,
            self_closable=w.self_closable.__contains__,
            spot_share=w.spot_share,
            level_limits=w.level_limits.get,
        )
        outcome = open_case(
            reporter,
            code=code,
            street=grid.street,
            community=grid.community,
            grid=grid.code,
            category=cat.code,
            urgency=urgency,
            ctx=ctx,
        )
        walk = _Walk(rng, cat, ctx, w.anchor, outcome.state, reporter.login, outcome.event)
        if source is Source.PATROL and SELF_HANDLED in desc_t:
            self._self_close(walk, op=op, worker=worker)
        elif original is not None:
            walk.step(op, Action.DUPLICATE, Params(other_case=original[1]))
        elif roll < REJECT_SHARE:
            walk.step(op, Action.REJECT, _params(reason=rng.choice(w.names.reject_reasons)))
        else:
            self._walk(
                walk, grid=grid, op=op, sup=sup, worker=worker, rated=source in RATED_SOURCES
            )
        # A road and number that lie in the case's grid: its address finds the grid again.
        road, lowest, highest = rng.choice(grid.segments)
        slots = {
            "road": road,
            "n": str(rng.randint(lowest, highest)),
            "estate": rng.choice(n.estates),
            "building": f"{rng.randint(1, 30)}幢",
            "community": grid.community_name,
            "place": rng.choice(n.places),
        }
        address = (
            f"{grid.community_name}{slots['estate']}{slots['building']}"
            if rng.random() < 0.5
            else f"{slots['road']}{slots['n']}号"
        )
        reporter_name = reporter_phone = None
        if source in (Source.HOTLINE, Source.APP, Source.LINE_8890):
            reporter_name = rng.choice(n.surnames) + "".join(
                rng.choice(n.given) for _ in range(rng.choice((1, 2)))
            )
            reporter_phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        s = walk.state
        ts = self.ts
        case = (
            index + 1,
            code,
            cat.kind._value_,
            # Not fill(): its check of the slot names would repeat, for every case, what was
            # checked once when the seed files were read.
            title_t.format_map(slots),
            desc_t.format_map(slots),
            cat.id,
            source._value_,
            reporter_name,
            reporter_phone,
            address,
            grid.id,
            grid.community_id,
            grid.street_id,
            grid.lat + rng.uniform(-0.002, 0.002),
            grid.lon + rng.uniform(-0.002, 0.002),
            s.urgency._value_,
            s.status._value_,
            s.level._value_,
            w.unit_ids[s.lead_unit] if s.lead_unit else None,
            _json_list(s.co_units),
            _json_list(s.returned_units),
            ts(s.step_started_at),
            ts(s.deadline_at),
            ts(s.warn_at),
            s.suspended_from._value_ if s.suspended_from else None,
            s.paused_deadline_min,
            s.paused_warn_min,
            ts(s.ext_until),
            s.ext_reason,
            s.rework_count,
            s.urge_count,
            original[0] if original and s.status is Status.DUPLICATE else None,
            _json_list(walk.photos),
            walk.result,
            s.rating._value_ if s.rating else None,
            walk.comment,
            ts(created),
            ts(walk.now),
            ts(s.closed_at),
            len(walk.events),
            s.handled_by,
            s.handled_unit,
            s.late_steps,
            s.ext_count,
            *s.step_min,
            ts(s.timed_from),
            ts(s.due_at),
            s.paused_due_min,
            json.dumps(to_json(s.tasks), ensure_ascii=False) if s.tasks else "[]",
            s.return_reason,
            s.review_on.isoformat() if s.review_on else None,
            ts(s.reply_by),
            ts(s.reply_warn),
            s.urged_red,
            ts(s.overseen_at),
            json.dumps(s.level_limits.to_json()) if s.level_limits else None,
        )
        rows = []
        for at, actor, e in walk.events:
            at_text = self.stamp(at)
            from_status = e.from_status._value_ if e.from_status else None
            payload = payload_text(e.payload)
            action, to_status = e.action._value_, e.to_status._value_
            digest = content_digest(
                index + 1, at_text, actor, action, from_status, to_status, e.reason, payload
            )
            rows.append(
                (
                    index + 1,
                    at_text,
                    actor,
                    action,
                    from_status,
                    to_status,
                    e.reason,
                    payload,
                    digest,
                )
            )
        return case, rows

    def _walk(
        self, walk: _Walk, *, grid: GridInfo, op: Actor, sup: Actor, worker: Actor, rated: bool
    ) -> None:
        """The path of one case around the loop; `walk.step` stops it at the anchor time."""
        w, rng, n, step = self.w, walk.rng, self.w.names, walk.step
        sub = walk.cat.code
        instructions = w.handling.instructions[sub]
        if not step(op, Action.ACCEPT, _params()):
            return
        unit = self.default_unit(walk.cat, grid)
        escalated = rng.random() < 0.05
        if escalated:
            if not step(op, Action.ESCALATE, _params(reason="超出社区处置能力，申请上级协调")):
                return
            unit = self.street_section(walk.cat, grid)
        # 吹哨: the street summons the units the seed names for this kind of case.
        summoned = w.handling.whistle.get(sub)
        if summoned is not None and rng.random() < 0.03:
            street = grid.street
            whistle = _params(
                unit=resolve_unit(summoned.lead, street),
                co_units=tuple(resolve_unit(u, street) for u in summoned.co),
                instruction=rng.choice(instructions),
            )
            if not step(op, Action.WHISTLE, whistle):
                return
        elif not step(
            op, Action.DISPATCH, _params(unit=unit, instruction=rng.choice(instructions))
        ):
            return
        handler = self._unit_actor(walk.state.lead_unit)
        if rng.random() < 0.04:
            if not step(handler, Action.RETURN, _params(reason=rng.choice(n.return_reasons))):
                return
            # 退回待批: the centre grants most returns; refused, the unit keeps the case.
            if rng.random() < 0.2:
                refusal = _params(reason="经核实属本单位职责，请继续办理")
                if not step(op, Action.REFUSE_RETURN, refusal):
                    return
            else:
                if not step(op, Action.APPROVE_RETURN, _params()):
                    return
                other = rng.choice(w.section_units.get(grid.street) or w.departments)
                if not step(op, Action.DISPATCH, _params(unit=other)):
                    return
                handler = self._unit_actor(other)
        if (
            escalated
            and not walk.state.tasks  # a whistled case stays the street's
            and w.district_people
            and rng.random() < DISTRICT_SHARE
        ):
            routed = self._to_district(walk, grid=grid, op=op, sup=sup, handler=handler)
            if routed is None:
                return
            handler, op, sup = routed
        self._handle(walk, handler=handler, op=op, sup=sup, worker=worker, reopen=True, rated=rated)

    def _to_district(
        self, walk: _Walk, *, grid: GridInfo, op: Actor, sup: Actor, handler: Actor
    ) -> tuple[Actor, Actor, Actor] | None:
        """转报区级: the street's unit signs for the case and finds it beyond the street, which
        sends it up to the district platform. The platform's people hold it from then on: they
        give it to a district unit, or hand it back down to the street, which gives it to one
        of its sections. The unit to handle it and who holds it (operator, supervisor), or
        None where the walk stopped at the anchor."""
        w, rng, step, handling = self.w, walk.rng, walk.step, self.w.handling
        instructions = handling.instructions[walk.cat.code]
        if not step(handler, Action.SIGN, _params()):
            return None
        if not step(op, Action.ESCALATE, _params(reason=rng.choice(handling.district_reasons))):
            return None
        platform = rng.choice(w.district_people)
        unit = self._district_unit(walk.cat)
        if unit is None or rng.random() < BACK_DOWN_SHARE:
            back = _params(reason=rng.choice(handling.back_down_reasons))
            if not step(platform, Action.DEESCALATE, back):
                return None
            section = self.street_section(walk.cat, grid)
            dispatch = _params(unit=section, instruction=rng.choice(instructions))
            if not step(op, Action.DISPATCH, dispatch):
                return None
            return self._unit_actor(section), op, sup
        dispatch = _params(unit=unit, instruction=rng.choice(instructions))
        if not step(platform, Action.DISPATCH, dispatch):
            return None
        return self._unit_actor(unit), platform, platform

    def _district_unit(self, cat: CategoryPick) -> str | None:
        """The district unit the platform gives a case of this category: its default unit, else
        the first district unit its whistle names; None when no district unit answers for it."""
        summoned = self.w.handling.whistle.get(cat.code)
        named = (cat.unit, *((summoned.lead, *summoned.co) if summoned else ()))
        for unit in named:
            if unit is not None and unit in self.w.unit_kinds and self.unit_street(unit) is None:
                return unit
        return None

    def _self_close(self, walk: _Walk, *, op: Actor, worker: Actor) -> None:
        """自办自结: the grid's worker reports the case already handled on the spot, with its
        result and the photo taken there, as it is registered. The centre's spot-check share
        of them waits for the street's operator to check on site (抽查); one found not fixed
        goes back to the worker, who reports it handled again."""
        # Only what a grid worker does on the spot: a unit's work is not theirs to report.
        rng, results = walk.rng, self.w.handling.spot_results[walk.cat.code]
        result, photo = rng.choice(results), f"{PHOTOS}{walk.state.code}.jpg"
        walk.take(worker, Action.SELF_CLOSE, Params(result=result, photo=photo))
        walk.result, walk.photos = result, (photo,)
        while walk.state.status in (Status.HANDLED, Status.VERIFYING):
            passed = walk.state.rework_count > 0 or rng.random() > 0.06
            reason = None if passed else VERIFY_FAILED
            if not walk.step(op, Action.VERIFY, _params(passed=passed, reason=reason)):
                return
            if passed:
                return
            result = rng.choice(results)
            if not walk.step(worker, Action.HANDLED, _params(result=result)):
                return
            walk.result = result

    def _handle(
        self,
        walk: _Walk,
        *,
        handler: Actor,
        op: Actor,
        sup: Actor,
        worker: Actor,
        reopen: bool,
        rated: bool,
    ) -> None:
        """From signing for the case to its follow-up; a reopened case goes round once more.
        Only a case a resident reported (`rated`) has a follow-up call with a rating."""
        rng, step, handling = walk.rng, walk.step, self.w.handling
        sub = walk.cat.code
        whistled = walk.now  # where the case was whistled, its departments' time starts here
        if not step(handler, Action.SIGN, _params()):
            return
        # 吹哨报到 (once: a reopened case signed for again finds its departments answered).
        if owing(walk.state.tasks) and not self._answer_whistle(walk, whistled, op=op, sup=sup):
            return
        late = rng.random() < 0.12
        if late:
            # Automatic 督办: the step turns red, the system urges the lead unit, asking a reply
            # within the centre's hours, which the unit mostly gives in time.
            deadline = walk.state.deadline_at
            assert deadline is not None
            if not walk.urged_at(deadline + timedelta(minutes=1)):
                return
            if walk.state.reply_by is not None and rng.random() < 0.8:
                reply = _params(text=rng.choice(handling.replies))
                if not step(handler, Action.REPLY, reply, span=_REPLY_SPAN):
                    return
        if rng.random() < 0.04:
            assert walk.state.deadline_at is not None
            more = timedelta(days=rng.randint(2, 7))
            deadline = walk.state.deadline_at

            def extension(at: datetime) -> Params:
                # Asked late, past the deadline, the new one lies days from the asking.
                return Params(reason="需协调产权单位，申请延期", until=max(deadline, at) + more)

            if not step(handler, Action.EXTEND, extension):
                return
            if rng.random() < 0.8:
                decision, params = Action.APPROVE_EXTENSION, _params()
            else:
                decision, params = Action.REFUSE_EXTENSION, _params(reason="请按原期限办结")
            if not step(sup, decision, params):
                return
        if rng.random() < 0.01:
            tz = self.w.hours.tz

            def shelved(at: datetime) -> Params:  # 挂账: reviewed again a fortnight on
                review_on = at.astimezone(tz).date() + timedelta(days=14)
                return Params(reason="等待上级政策明确", review_on=review_on)

            if not step(sup, Action.SUSPEND, shelved):
                return
            if not step(sup, Action.RESUME, _params(), span=SUSPENSION):
                return
        for attempt in range(3):
            result = rng.choice(handling.results[sub])
            if not step(handler, Action.HANDLED, _params(result=result), late=late):
                return
            walk.result = result  # the case carries a result once it has been reported handled
            if rng.random() < 0.5 and not step(op, Action.SEND_VERIFY, _params(), span=(30, True)):
                return
            passed = attempt == 2 or rng.random() > 0.06  # rework ends, at the latest, now
            reason = None if passed else VERIFY_FAILED
            # 巡办分离: the grid's worker checks another unit's work on site; their own work is
            # checked by the street's operator.
            state = walk.state
            verifier = worker if separated(worker, state.handled_by, state.handled_unit) else op
            if not step(verifier, Action.VERIFY, _params(passed=passed, reason=reason)):
                return
            if passed:
                break
        if not rated or walk.state.status is not Status.CLOSED or rng.random() >= 0.7:
            return
        rating = _RATINGS.pick(rng)
        comment = rng.choice(handling.comments[sub][rating])
        if not step(op, Action.RATE, _params(rating=rating, comment=comment), span=FOLLOW_UP):
            return
        walk.comment = comment
        reopened = (
            reopen
            and rating is Rating.DISSATISFIED
            and rng.random() < 0.5
            and step(sup, Action.REOPEN, _params(reason="回访不满意，重新办理"), span=(120, True))
        )
        if reopened:
            walk.comment = None
            self._handle(
                walk, handler=handler, op=op, sup=sup, worker=worker, reopen=False, rated=rated
            )

    def _answer_whistle(self, walk: _Walk, whistled: datetime, *, op: Actor, sup: Actor) -> bool:
        """The summoned departments answer side by side, each in its own time from the
        whistle: it reports for duty within its hours (some late), then files its feedback
        (a few late); the supervisor releases a few instead, with a reason. The street then
        rates each department that answered, as late as it was. False where the walk
        stopped at the anchor."""
        rng, clock, handling = walk.rng, walk.ctx.clock, self.w.handling
        working = walk.state.urgency is not Urgency.URGENT
        check_in, feedback = _CHECK_IN_MIN, _FEEDBACK_MIN
        # Every feedback (from a fifth of its hours on) comes after every check-in (at most
        # 1.8 times its hours), so each department's two steps keep their order when sorted.
        plan: list[tuple[datetime, int, Actor, Action, Params]] = []
        for order, unit in enumerate(owing(walk.state.tasks)):
            if rng.random() < WAIVE_SHARE:
                at = clock.add(
                    whistled, int(check_in * (0.2 + 0.6 * rng.random())), working=working
                )
                waive = _params(unit=unit, reason=rng.choice(handling.waive_reasons))
                plan.append((at, order, sup, Action.WAIVE, waive))
                continue
            actor = self._unit_actor(unit)
            r = rng.random()
            share = 1.05 + 0.75 * r if rng.random() < LATE_CHECK_IN else 0.1 + 0.8 * r
            at = clock.add(whistled, int(check_in * share), working=working)
            plan.append((at, order, actor, Action.CHECK_IN, _params()))
            r = rng.random()
            share = 1.05 + 0.5 * r if rng.random() < LATE_FEEDBACK else 0.2 + 0.75 * r
            at = clock.add(whistled, int(feedback * share), working=working)
            plan.append((at, order, actor, Action.FEEDBACK, _params(text=FEEDBACK)))
        plan.sort(key=lambda p: (p[0], p[1]))
        for at, _order, actor, action, params in plan:
            if not walk.step_at(at + timedelta(seconds=rng.randrange(60)), actor, action, params):
                return False
        for unit in to_rate(walk.state.tasks):
            task = task_of(walk.state.tasks, unit)
            assert task is not None
            if task.waived_at is not None:  # released, it did not answer: nothing to rate
                continue
            rate = _params(unit=unit, unit_rating=_unit_rating(task))
            if not walk.step(op, Action.RATE_UNIT, rate, span=UNIT_RATING_SPAN):
                return False
        return True

    def _unit_actor(self, unit: str | None) -> Actor:
        """The user who does the work of the unit holding the lead."""
        assert unit is not None, "a dispatched case has a lead unit"
        return self.w.acting_for[unit]


def _unit_rating(task: Task) -> UnitRating:
    """The street's rating of a department's response, as late as it was: timely when it
    checked in and filed on time, poor when it did neither, adequate between."""
    on_time = task.checked_in_on_time + task.fed_back_on_time
    return (UnitRating.POOR, UnitRating.ADEQUATE, UnitRating.TIMELY)[on_time]


@dataclass(frozen=True)
class _Identity:
    rng: random.Random
    grid: GridInfo
    cat: CategoryPick
    created: datetime
    roll: float


class _Walk:
    """One case on its way round the loop: its state, its events, the time it has reached."""

    def __init__(
        self,
        rng: random.Random,
        cat: CategoryPick,
        ctx: Context,
        anchor: datetime,
        state: CaseState,
        reporter: str,
        first: Event,
    ) -> None:
        self.rng = rng
        self.cat = cat
        self.ctx = ctx  # the case's context at its registration, moved to each step's time
        self.anchor = anchor
        self.state = state
        self.now = ctx.now
        self.events: list[tuple[datetime, str, Event]] = [(ctx.now, reporter, first)]
        self.result: str | None = None
        self.comment: str | None = None
        self.photos: tuple[str, ...] = ()

    def step(
        self,
        actor: Actor,
        action: Action,
        params: Params | Callable[[datetime], Params],
        *,
        late: bool = False,
        span: tuple[int, bool] | None = None,
    ) -> bool:
        """Take the action after a plausible share of the step's limit (more when late);
        `params` may be made for the moment it is taken.

        False, and nothing taken, when that moment would lie after the anchor.
        """
        step = self.state.step
        if span is None:
            span = step_limit(self.state, step, self.ctx) if step else (60, False)
        minutes, working = span
        # Most steps take a modest share of their limit (mean ≈ 0.35); late ones overrun it.
        r = self.rng.random()
        share = 0.9 + 0.9 * r if late else 0.03 + 0.8 * r * r
        at = self.ctx.clock.add(self.now, max(1, int(minutes * share)), working=working)
        at += timedelta(seconds=self.rng.randrange(60))
        if at > self.anchor:
            return False
        self.now = at
        self.take(actor, action, params(at) if callable(params) else params)
        return True

    def step_at(self, at: datetime, actor: Actor, action: Action, params: Params) -> bool:
        """Take the action at `at`, or at the walk's moment if that is later (a step planned
        for a time the walk has passed waits for it); False, and nothing taken, after the
        anchor."""
        at = max(at, self.now)
        if at > self.anchor:
            return False
        self.now = at
        self.take(actor, action, params)
        return True

    def urged_at(self, at: datetime) -> bool:
        """The system's automatic urge of a red step, at `at` (or the walk's moment if later),
        by the centre's default rules; False, and nothing taken, after the anchor."""
        at = max(at, self.now)
        if at > self.anchor:
            return False
        self.now = at
        ctx = self.ctx.at(at)
        red = Due(Rule.URGE_WHEN_RED, self.state.lead_unit)
        out = oversee(self.state, red, DEFAULT_OVERSIGHT, ctx)
        if out is not None:
            self.state = out.state
            self.events.append((at, SYSTEM, out.event))
        return True

    def take(self, actor: Actor, action: Action, params: Params) -> None:
        """Take the action now, at the moment the walk has reached."""
        out = decide(self.state, actor, action, params, self.ctx.at(self.now))
        self.state = out.state
        self.events.append((self.now, actor.login, out.event))


_walker: _Walker | None = None


def _init_worker(world: World, parent: int) -> None:
    global _walker
    # Ctrl-C reaches the whole process group: the parent answers it and ends the pool, so a
    # worker's own KeyboardInterrupt would only print its traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)
    _walker = _Walker(world)


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this worker when the seeding process dies, even by SIGKILL (no orphans left
    generating cases for nobody): Linux's parent-death signal, and a parent gone already."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)


def _run_chunk(bounds: tuple[int, int]) -> Chunk:
    assert _walker is not None
    return _walker.chunk(*bounds)


def _world(
    store: Store, seeds: Seeds, clock: SlaClock, cases: int, seed: int, anchor: datetime
) -> World:
    from console.queries.reference import reference

    ref = reference(store, reload=True)
    segments: dict[int, list[tuple[str, int, int]]] = {}
    for road in sorted(ref.roads):
        for seg in ref.roads[road]:
            segments.setdefault(seg.grid_id, []).append((seg.road, seg.first, seg.last))
    grids = []
    for a in ref.areas.values():
        if a.level.value != "grid":
            continue
        assert a.street_id and a.community_id
        street = ref.areas[a.street_id]
        community = ref.areas[a.community_id]
        grids.append(
            GridInfo(
                a.id,
                a.code,
                a.name,
                street.id,
                street.code,
                community.id,
                community.code,
                community.name,
                a.lat or 0.0,
                a.lon or 0.0,
                tuple(segments[a.id]),
            )
        )
    grids.sort(key=lambda g: g.code)
    categories = tuple(
        sorted(
            (
                CategoryPick(
                    c.id,
                    c.code,
                    c.kind or CaseKind.EVENT,
                    c.urgency or Urgency.NORMAL,
                    c.unit_kind or UnitKind.COMMUNITY,
                    c.unit,
                    c.limits,
                )
                for c in ref.categories.values()
                if c.is_leaf and c.limits is not None
            ),
            key=lambda c: c.code,
        )
    )
    sections: dict[str, list[str]] = {}
    departments = []
    for u in sorted(ref.units.values(), key=lambda u: u.code):
        if u.kind is UnitKind.SECTION and u.street_id:
            sections.setdefault(ref.areas[u.street_id].code, []).append(u.code)
        elif u.kind is UnitKind.DEPARTMENT:
            departments.append(u.code)
    # Every event is signed by a user of the store, acting as the workflow lets them: the
    # street's operators and supervisors, and for each unit the first of its users by login.
    operators: dict[str, list[Actor]] = {}
    supervisors: dict[str, list[Actor]] = {}
    acting_for: dict[str, Actor] = {}
    district: list[Actor] = []
    for usr in sorted(ref.users.values(), key=lambda u: u.login):
        actor = ref.actor(usr.login)
        if actor.street is None and usr.role in (Role.OPERATOR, Role.SUPERVISOR):
            district.append(actor)
        elif actor.street is not None and usr.role is Role.OPERATOR:
            operators.setdefault(actor.street, []).append(actor)
        elif actor.street is not None and usr.role is Role.SUPERVISOR:
            supervisors.setdefault(actor.street, []).append(actor)
        elif actor.own_unit is not None:
            acting_for.setdefault(actor.own_unit, actor)
    return World(
        seed=seed,
        anchor=anchor,
        cases=cases,
        grids=tuple(grids),
        categories=categories,
        texts=seeds.texts,
        names=seeds.names,
        handling=seeds.handling,
        unit_ids={u.code: u.id for u in ref.units.values()},
        unit_kinds={u.code: u.kind for u in ref.units.values()},
        unit_streets={u.code: ref.unit_street(u.code) for u in ref.units.values()},
        section_units={k: tuple(v) for k, v in sections.items()},
        departments=tuple(departments),
        operators={k: tuple(v) for k, v in operators.items()},
        supervisors={k: tuple(v) for k, v in supervisors.items()},
        acting_for=acting_for,
        district_people=tuple(district),
        self_closable=frozenset(c.code for c in categories if ref.self_closable(c.code)),
        spot_share=ref.centre.spot_check_share,
        level_limits=dict(ref.centre.level_limits),
        hours=clock.hours,
        warn_ratio=clock.warn_ratio,
        backend=store.backend,
    )


def _chunks(total: int) -> list[tuple[int, int]]:
    return [(start, min(CHUNK, total - start)) for start in range(0, total, CHUNK)]


def generate(world: World, processes: int | None = None) -> Iterator[Chunk]:
    """The cases, their events and their search index rows, chunk by chunk in order."""
    chunks = _chunks(world.cases)
    processes = processes if processes is not None else min(2, os.cpu_count() or 1)
    if processes <= 1 or len(chunks) <= 1:
        walker = _Walker(world)
        for bounds in chunks:
            yield walker.chunk(*bounds)
        return
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    with ctx.Pool(processes, initializer=_init_worker, initargs=(world, os.getpid())) as pool:
        yield from pool.imap(_run_chunk, chunks)


class _Chain:
    """Numbers events in order and links them, continuing from the head. The content digests
    were computed by the workers; linking is one short hash per event."""

    def __init__(self, zone_suffix: str) -> None:
        self.seq = 0
        self.hash = GENESIS
        self.zone_suffix = zone_suffix

    def link(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        append = out.append
        suffix = self.zone_suffix
        for case_id, at, actor, action, from_s, to_s, reason, payload, digest in rows:
            self.seq += 1
            linked = link_hash(self.hash, self.seq, digest)
            append(
                (
                    self.seq,
                    case_id,
                    at + suffix,
                    actor,
                    action,
                    from_s,
                    to_s,
                    reason,
                    payload,
                    self.hash,
                    linked,
                )
            )
            self.hash = linked
        return out


def clear_store(store: Store) -> None:
    """Drop every table and migrate afresh (the audit trail refuses DELETE, by design)."""
    with store.raw_write() as conn:
        SQLModel.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text(f"DROP TABLE IF EXISTS {search_index.FTS}"))
        if store.backend == "postgresql":
            conn.execute(text("DROP FUNCTION IF EXISTS audit_events_append_only() CASCADE"))
    store.cache.clear()
    store.migrate()


class Progress(Protocol):
    """Told as cases are loaded."""

    def advance(self, n: int) -> None: ...

    def stop(self) -> None: ...


def seed_demo(
    store: Store,
    clock: SlaClock,
    *,
    cases: int,
    seed: int,
    replace: bool = False,
    progress: Callable[[int], Progress] | None = None,
    anchor: datetime | None = None,
    processes: int | None = None,
) -> None:
    """Load the demo district and `cases` generated cases into a migrated store; `progress`
    makes what is told of the load (given the number of cases), e.g. a bar on a terminal."""
    anchor = (anchor or wallclock.now()).astimezone(UTC).replace(second=0, microsecond=0)
    seeds = load_seeds()
    existing, areas = held(store)
    if (existing or areas) and not replace:
        raise Invalid("error.seed_nonempty", n=f"{existing:,}")
    if existing or areas:
        clear_store(store)
    with store.raw_write() as conn:
        load_district(conn, seeds, hash_password(DEMO_PASSWORD))
    store.cache.clear()
    world = _world(store, seeds, clock, cases, seed, anchor)
    _bulk_load(store, world, progress=progress, processes=processes)
    store.cache.clear()


def held(store: Store) -> tuple[int, int]:
    """How many cases and areas the store holds: what a seed would replace."""
    with store.read() as s:
        cases = s.execute(select(func.count()).select_from(Case)).scalar_one()
        areas = s.execute(text("SELECT count(*) FROM areas")).scalar_one()
    return cases, areas


def _bulk_load(
    store: Store,
    world: World,
    *,
    progress: Callable[[int], Progress] | None,
    processes: int | None,
) -> None:
    chain = _Chain("" if store.backend == "sqlite" else "+00")
    counters: dict[tuple[str, int], int] = {}
    bar = progress(world.cases) if progress is not None else None
    try:
        with store.bulk_write() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            indexes = _secondary_indexes()
            for index in indexes:
                index.drop(conn)
            sqlite = store.backend == "sqlite"
            if not sqlite:
                conn.execute(text(f"DROP INDEX {search_index.PG_INDEX_NAME}"))
            for cases, events, search in generate(world, processes):
                for case in cases:
                    key = (case[1][0], int(case[1][1:5]))  # prefix and year of the code
                    counters[key] = max(counters.get(key, 0), int(case[1][6:]))
                linked = chain.link(events)
                _copy(store, raw, "cases", CASE_COLUMNS, cases)
                if search:  # SQLite's; PostgreSQL indexes the text itself, after the load
                    raw.executemany(
                        f"INSERT INTO {search_index.FTS} (rowid, grams) VALUES (?, ?)", search
                    )
                _copy(store, raw, "audit_events", EVENT_COLUMNS, linked)
                if bar is not None:
                    bar.advance(len(cases))
            for index in indexes:
                _build(conn, index)
            cells.build_on(conn, world.hours.tz)
            if not sqlite:
                conn.execute(text(search_index.PG_INDEX))
            conn.execute(
                AuditHead.__table__.update()
                .where(AuditHead.__table__.c.id == 1)
                .values(seq=chain.seq, hash=chain.hash)
            )
            conn.execute(delete(CodeCounter.__table__))
            if counters:
                conn.execute(
                    insert(CodeCounter.__table__),
                    [{"prefix": p, "year": y, "last": n} for (p, y), n in counters.items()],
                )
            marks = [
                {"key": "seed", "value": str(world.seed)},
                {"key": "seed_cases", "value": str(world.cases)},
                {"key": "seed_anchor", "value": world.anchor.isoformat()},
                {"key": "seed_format", "value": SEED_FORMAT},
                {"key": RECORD_KEY, "value": RECORD_FILLED},
                {"key": DEMO_PASSWORD_KEY, "value": DEMO_PASSWORD},
            ]
            # `gridcall init` may have marked an empty store's record as kept already.
            keys = [mark["key"] for mark in marks]
            conn.execute(delete(Meta.__table__).where(Meta.__table__.c.key.in_(keys)))
            conn.execute(insert(Meta.__table__), marks)
            if store.backend == "postgresql":
                for table in ("cases", "audit_events"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT COALESCE(max(id), 0) + 1 FROM {table}), false)"
                        )
                    )
    finally:
        if bar is not None:
            bar.stop()
    if store.backend == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        # Vacuumed as well as analysed, as after any bulk load: until the visibility map is
        # set, the queue's index-only scans still visit the table for every row.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) cases")
            conn.exec_driver_sql("VACUUM (ANALYZE) audit_events")


def _copy(store: Store, raw: Any, table: str, columns: tuple[str, ...], rows: list[Any]) -> None:
    """Rows already formatted by the generator (text timestamps, JSON text) go straight in."""
    if not rows:
        return
    names = ", ".join(columns)
    if store.backend == "sqlite":
        marks = ", ".join("?" for _ in columns)
        raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        return
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _fixed_limits(limits: StepLimits) -> Callable[[str], StepLimits]:
    """A Context's limits lookup for cases that keep one category all their life."""
    return lambda _code: limits


def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False) if values else "[]"


def _build(conn: Connection, index: Index) -> None:
    """Build an index the bulk load dropped, partial as the migrations made it: the models
    keep a partial index's condition as data (models.partial_condition), which `Index.create`
    does not read, and a whole index in its place would hold the closed cases too."""
    ddl = str(CreateIndex(index).compile(dialect=conn.dialect))
    condition = partial_condition(index, conn.dialect.name)
    conn.exec_driver_sql(f"{ddl} WHERE {condition}" if condition else ddl)


def _secondary_indexes() -> list[Index]:
    """The indexes a bulk load is faster without: built once, after the rows are in."""
    return [ix for t in (Case.__table__, AuditEvent.__table__) for ix in t.indexes if not ix.unique]
