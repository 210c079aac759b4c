"""The issue's policy written out on its own, for the tests to hold the code's POLICY against.

Who is who around one case (street LJ01, community LJ0101, grid LJ010101): for every role
someone placed to reach it and someone placed elsewhere; what each may do there.
"""

from __future__ import annotations

from console.domain.actions import Action
from console.domain.enums import Level, Role
from console.domain.policy import Actor

OPERATOR = Actor("op", Role.OPERATOR, street="LJ01")
SUPERVISOR = Actor("sup", Role.SUPERVISOR, street="LJ01")
DISTRICT_SUPERVISOR = Actor("supd", Role.SUPERVISOR)
SECTION = Actor("sec", Role.SECTION, unit="S-LJ01-CG")
WORKER = Actor("gw", Role.GRID_WORKER, street="LJ01", grid="LJ010101")

CAST: dict[str, Actor] = {
    "op": OPERATOR,
    "op_other": Actor("op2", Role.OPERATOR, street="LJ02"),
    "sup": SUPERVISOR,
    "sup_district": DISTRICT_SUPERVISOR,
    "sup_other": Actor("sup2", Role.SUPERVISOR, street="LJ02"),
    "community": Actor("co", Role.COMMUNITY, street="LJ01", community="LJ0101"),
    "community_other": Actor("co2", Role.COMMUNITY, street="LJ01", community="LJ0102"),
    "liaison": Actor("li", Role.LIAISON, unit="U-CG"),
    "liaison_other": Actor("li2", Role.LIAISON, unit="U-GA"),
    "section": SECTION,
    "section_other": Actor("sec2", Role.SECTION, unit="S-LJ02-CG"),
    "gw": WORKER,
    "gw_other": Actor("gw2", Role.GRID_WORKER, street="LJ01", grid="LJ010102"),
    "leader": Actor("ld", Role.LEADER, street="LJ01"),
    "leader_district": Actor("ldd", Role.LEADER),
    "trainer": Actor("tr", Role.TRAINER),
    "trainer_training": Actor("trt", Role.TRAINER, training=True),
    "admin": Actor("ad", Role.ADMIN),
}
# The unit each one acts for.
HOLDS = {"liaison": "U-CG", "section": "S-LJ01-CG", "community": "C-LJ0101", "gw": "W-LJ010101"}
LEADS = ("S-LJ01-CG", "U-CG", "C-LJ0101", "W-LJ010101")

# 回复督办: the lead unit answers an urge that asked for a reply.
UNIT_WORK = {Action.SIGN, Action.RETURN, Action.HANDLED, Action.EXTEND, Action.REPLY}
# 自办自结: only the grid's own worker closes a case on the spot.
ON_SPOT = {Action.SELF_CLOSE}
# 吹哨报到: what a department the whistle summoned does, for its own unit only.
SUMMONED_WORK = {Action.CHECK_IN, Action.FEEDBACK}
# 难事不出社区: what a community's workstation does with a case escalated to it.
COMMUNITY_DESK = {Action.DISPATCH, Action.ESCALATE, Action.DEESCALATE, Action.URGE}
# The units a community's workstation may give a case to: its own team and grid workers.
COMMUNITY_UNITS = ("C-LJ0101", "W-LJ010101")
OVERSIGHT = {
    Action.WAIVE,
    Action.APPROVE_EXTENSION,
    Action.REFUSE_EXTENSION,
    Action.SUSPEND,
    Action.RESUME,
    Action.REVIEW,
    Action.REOPEN,
}


def reads(who: str, lead: str | None, summoned: tuple[str, ...] = ()) -> bool:
    """The issue's read scopes, for the case of `state_in` led by `lead` with the units a
    whistle `summoned`."""
    if who in ("liaison", "section"):
        return lead == HOLDS[who] or HOLDS[who] in summoned
    return who not in (
        "op_other",
        "sup_other",
        "community_other",
        "liaison_other",
        "section_other",
        "gw_other",
    )


# Who works at the district platform: a case escalated there is theirs to triage and oversee.
DISTRICT_DESK = ("sup_district", "trainer_training")


def may(
    who: str,
    action: Action,
    lead: str | None,
    handled_unit: str | None,
    summoned: tuple[str, ...] = (),
    level: Level = Level.COMMUNITY,
) -> bool:
    """The issue's policy, written out on its own: role × action × scope; at the district
    level the street's centre reads only (notes and field verification go on); at the
    community level the community's workstation triages beside the street's centre."""
    if not reads(who, lead, summoned):
        return False
    if action in UNIT_WORK:  # the unit holding the lead does its own work
        return HOLDS.get(who) == lead
    if action in SUMMONED_WORK:  # a summoned department reports for itself
        return who in HOLDS and HOLDS[who] in summoned
    if action in ON_SPOT:
        return who == "gw"
    if action is Action.NOTE:
        return who not in ("leader", "leader_district", "admin", "trainer")
    if action is Action.VERIFY:  # 网格员核查, never by who handled it (巡办分离)
        verifiers = ("op", "sup", "sup_district", "community", "gw", "trainer_training")
        return who in verifiers and HOLDS.get(who) != handled_unit
    if level is Level.DISTRICT:
        return who in DISTRICT_DESK
    if action in OVERSIGHT:
        return who in ("sup", "sup_district", "trainer_training")
    if who == "community":
        return level is Level.COMMUNITY and action in COMMUNITY_DESK
    return who in ("op", "sup", "sup_district", "trainer_training")
