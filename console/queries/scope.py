"""The reader's scope, from the policy's reach (`POLICY[role].reads`): as a WHERE clause over
cases, and as the part of the territory a tree of places shows.

Every read of cases or of their events goes through `visible_to`, so a case out of scope is
not found at all — it reads exactly like a case that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, String, cast, false, or_, true

from console.domain.enums import AreaLevel
from console.domain.policy import Actor, Reach
from console.models import Case
from console.queries.reference import GRID_LEVELS, AreaInfo, Reference

C = Case.__table__.c


def district_wide(actor: Actor) -> bool:
    """Whether this user reads every case of the district."""
    reach = actor.policy.reads
    return reach is Reach.DISTRICT or (reach is Reach.STREET and actor.street is None)


def visible_to(actor: Actor, ref: Reference) -> ColumnElement[bool]:
    """The cases this user may read: scope is enforced here, not only in the UI."""
    reach = actor.policy.reads
    if district_wide(actor):
        return true()
    if reach is Reach.STREET:
        assert actor.street is not None
        return C.street_id == ref.area(actor.street).id
    if reach is Reach.GRID:
        return C.grid_id == ref.area(actor.grid).id if actor.grid else false()
    if reach is Reach.COMMUNITY:
        if actor.community is None:
            return false()
        # The community's grids rather than cases.community_id (the same cases: a case takes
        # its grid's community): the grid has an index to walk, the community none.
        community = ref.area(actor.community).id
        grids = sorted(
            a.id
            for a in ref.areas.values()
            if a.level in GRID_LEVELS and a.community_id == community
        )
        return C.grid_id.in_(grids) if grids else false()
    if actor.unit is None:
        return false()
    unit = ref.unit(actor.unit)
    # co_units is a JSON list of codes: its text holds the code in quotes, on both backends.
    co_handling = cast(C.co_units, String).contains(f'"{unit.code}"')
    return or_(C.lead_unit_id == unit.id, co_handling)


def cell_scope(
    actor: Actor, ref: Reference, street: ColumnElement[int], community: ColumnElement[int]
) -> ColumnElement[bool] | None:
    """`visible_to` over rows that know only their cases' street and community (the figure
    cells); None for a reader whose scope they cannot draw (a grid, a unit's cases)."""
    reach = actor.policy.reads
    if reach is Reach.DISTRICT or (reach is Reach.STREET and actor.street is None):
        return true()
    if reach is Reach.STREET:
        assert actor.street is not None
        return street == ref.area(actor.street).id
    if reach is Reach.COMMUNITY:
        return false() if actor.community is None else community == ref.area(actor.community).id
    return None


def territory(actor: Actor, ref: Reference) -> Callable[[AreaInfo], bool]:
    """The places whose cases this user reads, with what holds them (a tree's path down to
    them): a grid worker their grid, a community's staff their community, a street's staff
    their street; units and the district everything, their cases lying anywhere."""
    reach = actor.policy.reads
    if reach is Reach.GRID or reach is Reach.COMMUNITY:
        own = actor.grid if reach is Reach.GRID else actor.community
        if own is None:
            return lambda a: False
        place = ref.area(own)
        above = {a.id for a in ref.path(place.id)}
        return lambda a: (
            a.level is AreaLevel.DISTRICT or a.id in above or place.id == a.community_id
        )
    if reach is Reach.STREET and actor.street is not None:
        street = ref.area(actor.street).id
        return lambda a: a.level is AreaLevel.DISTRICT or street in (a.id, a.street_id)
    return lambda a: True
