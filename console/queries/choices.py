"""What a filter can name: categories, places and units, found by code or name.

Pure lookups over the cached reference data: the pickers search as the operator types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from console.domain.enums import AreaLevel
from console.queries.reference import Reference

GRID_LEVELS = frozenset({AreaLevel.GRID, AreaLevel.DEDICATED})


@dataclass(frozen=True)
class Choice:
    code: str
    name: str
    name_en: str | None
    note: str  # what tells two alike apart: the category's group, the place's street


def _matches(word: str, c: Choice) -> bool:
    """A code matches from its start (codes nest: 0102 is 010203's group), a name anywhere."""
    return c.code.casefold().startswith(word) or any(
        word in name.casefold() for name in (c.name, c.name_en) if name
    )


def _found(term: str, candidates: Iterable[Choice]) -> list[Choice]:
    """The candidates every word of the term matches, by code."""
    words = term.casefold().split()
    return sorted(
        (c for c in candidates if all(_matches(w, c) for w in words)), key=lambda c: c.code
    )


def categories(ref: Reference, term: str) -> list[Choice]:
    """Modules and categories as well as subcategories: a group's code matches its subtree."""
    out = []
    for c in ref.categories.values():
        parent = ref.categories.get(c.parent_id) if c.parent_id else None
        out.append(Choice(c.code, c.name, c.name_en, parent.name if parent else ""))
    return _found(term, out)


def areas(
    ref: Reference, levels: frozenset[AreaLevel], term: str, *, within: str | None = None
) -> list[Choice]:
    """Places of these levels, inside the area `within` (a street or community) if given."""
    inside = ref.area(within).id if within else None
    out = []
    for a in ref.areas.values():
        if a.level not in levels:
            continue
        if inside is not None and inside not in (a.street_id, a.community_id, a.id):
            continue
        street = ref.areas.get(a.street_id) if a.street_id else None
        note = street.name if street and street.id != a.id else ""
        out.append(Choice(a.code, a.name, a.name_en, note))
    return _found(term, out)


def units(ref: Reference, term: str, *, street: str | None = None) -> list[Choice]:
    """Handling units; with `street`, the district's departments and that street's own."""
    inside = ref.area(street).id if street else None
    out = []
    for u in ref.units.values():
        if inside is not None and u.street_id not in (None, inside):
            continue
        home = ref.areas.get(u.street_id) if u.street_id else None
        out.append(Choice(u.code, u.name, u.name_en, home.name if home else ""))
    return _found(term, out)
