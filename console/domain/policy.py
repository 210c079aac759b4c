"""Who may read and do what: every role and scope as one table, beside the transition table.

`POLICY` says, per role, how far the role reads (its reach from the user's own place), which
case actions it may take, whether it acts for a unit and whether it registers cases. The
workflow asks it before every decision, the queries turn its reach into a WHERE clause, the
console's pickers and menus ask it what to offer, and the tests check it against a spec of
their own. The rules a centre may switch (separation of duties) travel on the Actor, read
from the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from console.domain.actions import Action
from console.domain.enums import LEVEL_LADDER, Level, Role


class Reach(StrEnum):
    """How far a role reads, from the user's own place."""

    GRID = "grid"  # the cases of the user's grid
    COMMUNITY = "community"  # of the user's community
    STREET = "street"  # of the user's street; the whole district when the user has none
    UNIT = "unit"  # the cases the user's unit leads or co-handles
    DISTRICT = "district"  # every case


TRIAGE = frozenset(
    {
        Action.ACCEPT,
        Action.REJECT,
        Action.DUPLICATE,
        Action.DISPATCH,
        Action.WHISTLE,
        Action.ESCALATE,
        Action.DEESCALATE,
        Action.SEND_VERIFY,
        Action.VERIFY,
        Action.URGE,
        Action.RATE,
        Action.SET_URGENCY,
        Action.SET_CATEGORY,
        Action.NOTE,
        Action.RATE_UNIT,
        # A unit's return is the centre's to grant (退回审核), as its triage is.
        Action.APPROVE_RETURN,
        Action.REFUSE_RETURN,
    }
)
OVERSIGHT = frozenset(
    {
        Action.APPROVE_EXTENSION,
        Action.REFUSE_EXTENSION,
        Action.SUSPEND,
        Action.RESUME,
        Action.REVIEW,
        Action.REOPEN,
        Action.WAIVE,
    }
)
# What the centre holding a case does with it: a case escalated to the district platform is
# the district's to triage and oversee, and the street that sent it up reads it only. Notes
# and verification on site (a grid worker's field work) go on whoever holds the case.
HOLDER_WORK = (TRIAGE | OVERSIGHT) - {Action.NOTE, Action.VERIFY}
# What a community's workstation does with a case escalated to it (难事不出社区): give it to
# its own grid workers or community team, urge them, send it up to the street or back down.
COMMUNITY_DESK = frozenset({Action.DISPATCH, Action.ESCALATE, Action.DEESCALATE, Action.URGE})
# What a unit does with a case it was given; the user's unit must hold the lead.
UNIT_WORK = frozenset({Action.SIGN, Action.RETURN, Action.HANDLED, Action.EXTEND, Action.REPLY})
# What a department a whistle summoned does (吹哨报到); the user's unit must be a co-unit.
SUMMONED_WORK = frozenset({Action.CHECK_IN, Action.FEEDBACK})


@dataclass(frozen=True)
class RolePolicy:
    reads: Reach
    acts: frozenset[Action]
    reports: bool = False  # registers new cases within its reach
    training_only: bool = False  # acts only in a training store; reads elsewhere
    manages_users: bool = False


POLICY: Mapping[Role, RolePolicy] = {
    Role.OPERATOR: RolePolicy(Reach.STREET, TRIAGE, reports=True),
    Role.SUPERVISOR: RolePolicy(Reach.STREET, TRIAGE | OVERSIGHT, reports=True),
    Role.COMMUNITY: RolePolicy(
        Reach.COMMUNITY,
        UNIT_WORK | SUMMONED_WORK | COMMUNITY_DESK | {Action.VERIFY, Action.NOTE},
        reports=True,
    ),
    Role.LIAISON: RolePolicy(Reach.UNIT, UNIT_WORK | SUMMONED_WORK | {Action.NOTE}),
    Role.SECTION: RolePolicy(Reach.UNIT, UNIT_WORK | SUMMONED_WORK | {Action.NOTE}),
    Role.GRID_WORKER: RolePolicy(
        Reach.GRID,
        UNIT_WORK | SUMMONED_WORK | {Action.VERIFY, Action.NOTE, Action.SELF_CLOSE},
        reports=True,
    ),
    Role.LEADER: RolePolicy(Reach.STREET, frozenset()),
    Role.TRAINER: RolePolicy(Reach.DISTRICT, TRIAGE | OVERSIGHT, reports=True, training_only=True),
    Role.ADMIN: RolePolicy(Reach.DISTRICT, frozenset(), manages_users=True),
}

# Roles that stand for a unit: their unit actions need their own unit to hold the lead.
UNIT_ROLES = frozenset({Role.LIAISON, Role.SECTION, Role.GRID_WORKER, Role.COMMUNITY})
# Roles that call the reporter back: they see the reporter in full on their street's cases.
CALLERS = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.TRAINER})
# Roles that may give a case to another street's units: only from the district level.
CROSS_STREET = frozenset({Role.SUPERVISOR, Role.TRAINER})


def grid_unit_code(grid: str) -> str:
    """The handling unit that stands for a grid's own worker (self-handling 自办)."""
    return f"W-{grid}"


def community_unit_code(community: str) -> str:
    return f"C-{community}"


@dataclass(frozen=True)
class Actor:
    """The acting user as the rules see them: their role, their place, the centre's rules."""

    login: str
    role: Role
    street: str | None = None  # None: the whole district
    unit: str | None = None  # a liaison's or a section's unit
    grid: str | None = None  # a grid worker's grid
    community: str | None = None  # a community operator's community
    training: bool = False  # the store is a training store
    separation: bool = True  # 巡办分离: who handled a case may not verify it

    # Cached: the seeder asks these of the same few actors millions of times.
    @cached_property
    def policy(self) -> RolePolicy:
        return POLICY[self.role]

    @cached_property
    def own_unit(self) -> str | None:
        """The unit this user acts for, if any."""
        if self.role is Role.GRID_WORKER:
            return grid_unit_code(self.grid) if self.grid else None
        if self.role is Role.COMMUNITY:
            return community_unit_code(self.community) if self.community else None
        if self.role in (Role.LIAISON, Role.SECTION):
            return self.unit
        return None

    @cached_property
    def may_act(self) -> bool:
        return bool(self.policy.acts) and (self.training or not self.policy.training_only)

    @property
    def district_wide(self) -> bool:
        reach = self.policy.reads
        return reach is Reach.DISTRICT or (reach is Reach.STREET and self.street is None)


@dataclass(frozen=True)
class Place:
    """Where a case lies and who holds it: what reading it depends on."""

    street: str
    community: str | None
    grid: str
    units: tuple[str, ...]  # lead first, then co-handling units


def may_read(actor: Actor, place: Place) -> bool:
    reach = actor.policy.reads
    if reach is Reach.DISTRICT:
        return True
    if reach is Reach.STREET:
        return actor.street is None or actor.street == place.street
    if reach is Reach.COMMUNITY:
        return actor.community is not None and actor.community == place.community
    if reach is Reach.GRID:
        return actor.grid is not None and actor.grid == place.grid
    return actor.unit is not None and actor.unit in place.units


def may_take(actor: Actor, action: Action, place: Place) -> bool:
    """Whether the role takes this action at all, and on this case: the reach for every
    action, and the lead for a unit's work."""
    if action not in actor.policy.acts or not actor.may_act or not may_read(actor, place):
        return False
    if action in UNIT_WORK:
        return bool(place.units) and actor.own_unit == place.units[0]
    if action in SUMMONED_WORK:
        return actor.own_unit is not None and actor.own_unit in place.units[1:]
    return True


def desk(actor: Actor) -> Level:
    """The level of the centre this user works at: the district platform, a street's centre
    or a community's workstation."""
    if actor.district_wide:
        return Level.DISTRICT
    return Level.COMMUNITY if actor.role is Role.COMMUNITY else Level.STREET


def held_elsewhere(actor: Actor, action: Action, level: Level) -> bool:
    """Whether this is the work of the centre holding the case and another centre holds it."""
    return action in HOLDER_WORK and not holds(actor, level)


def reads_only(actor: Actor, level: Level) -> bool:
    """Whether a centre's user, who would triage a case at this level, only reads it here: it
    was escalated to a centre above theirs."""
    return bool(actor.policy.acts & HOLDER_WORK) and _rank(level) > _rank(desk(actor))


def holds(actor: Actor, level: Level) -> bool:
    """Whether this user's centre holds a case at `level`. A centre holds the levels up to its
    own — it may step in below (the district platform anywhere) — but a community's
    workstation holds only what was escalated to it: the rest is the street centre's."""
    own = desk(actor)
    if own is Level.COMMUNITY:
        return level is Level.COMMUNITY
    return _rank(level) <= _rank(own)


def _rank(level: Level) -> int:
    return LEVEL_LADDER.index(level)


def within_community(actor: Actor, unit_community: str | None) -> bool:
    """Whether this user may give a case to a unit of `unit_community` (None: a unit above any
    community): a community's workstation only to its own grid workers and team."""
    return actor.role is not Role.COMMUNITY or unit_community == actor.community


def may_report(
    actor: Actor, *, street: str | None, community: str | None, grid: str | None
) -> bool:
    """Whether this user registers a case here (None: anywhere at all)."""
    if not actor.policy.reports or not actor.may_act:
        return False
    reach = actor.policy.reads
    if reach is Reach.GRID:
        return grid is None or grid == actor.grid
    if reach is Reach.COMMUNITY:
        return community is None or community == actor.community
    return street is None or actor.street is None or actor.street == street


def separated(actor: Actor, handled_by: str | None, handled_unit: str | None) -> bool:
    """巡办分离: False when this user, or the unit they act for, handled the case."""
    if not actor.separation:
        return True
    if handled_by is not None and handled_by == actor.login:
        return False
    return handled_unit is None or handled_unit != actor.own_unit


def within_reach(actor: Actor, case_street: str, unit_street: str | None) -> bool:
    """Whether this user may give a case of `case_street` to a unit of `unit_street` (None:
    a district department or a utility, which serves every street)."""
    if unit_street is None or unit_street == case_street:
        return True
    return actor.street is None and actor.role in CROSS_STREET


class ReporterView(StrEnum):
    FULL = "full"  # may reveal the phone (an audited step); the name in full
    MASKED = "masked"
    HIDDEN = "hidden"  # a confidential reporter, to a unit


def reporter_view(
    actor: Actor, *, street: str, lead_unit: str | None, confidential: bool
) -> ReporterView:
    """What this user sees of a case's reporter: the street's callers and the lead unit call
    back; units never see a confidential reporter (保密); everyone else sees them masked."""
    if actor.role in CALLERS and actor.may_act and (actor.street == street or actor.training):
        return ReporterView.FULL
    if confidential and actor.role in UNIT_ROLES:
        return ReporterView.HIDDEN
    if lead_unit is not None and actor.own_unit == lead_unit and not confidential:
        return ReporterView.FULL
    return ReporterView.MASKED
