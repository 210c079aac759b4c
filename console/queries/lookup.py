"""Finding a category, a place or a unit from what an operator types.

Every find-as-you-type field asks here — the intake form, the action forms, the filters — so
the same words find the same entries wherever they are typed. Pure functions over the cached
reference data: no I/O, no Textual, cheap enough for every key press.

One fold: text is compared NFKC-normalised and casefolded. A Chinese input method may type
full-width digits and letters (０１０２, ＬＪ０１), which fold to ASCII; CJK is unchanged.

One rule: every word typed must match the entry — a code from its start (codes nest: 0102 is
010203's group; a unit's code from the start of any of its parts, so lj0101 finds
W-LJ010101), or a name anywhere, Chinese or English whatever the UI's language (the English
UI shows the English name, yet 城市管理 typed there still finds 城市管理办公室): the entry's own
name or the name of what holds it (a subcategory's module and category, a place's street and
community, a unit's street). A place the words do not find that way is looked for in them as
an address: "望江社区清泰街12号" names the community, so it gives that community's places; a
road named ("凤凰山路57号") gives the grids it runs through, the one whose segment holds the
number first.

Nothing typed finds nothing, unless the caller lists entries to `browse` (an open list, a
filter): then it is every entry.

One ranking, best first: the whole code typed; the whole name typed; a code's start; a name's
start; a part of a name; only what holds it. Then by code; a case's units first by how near
they are to the case (`units`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from console.domain.enums import AreaLevel, UnitKind
from console.domain.policy import (
    Actor,
    community_unit_code,
    grid_unit_code,
    within_community,
    within_reach,
)
from console.queries.reference import (
    GRID_LEVELS,
    AreaInfo,
    CategoryInfo,
    Named,
    Reference,
    Segment,
    UnitInfo,
)

if TYPE_CHECKING:
    from console.queries.cases import CaseDetail

# Suffixes dropped to find a community inside an address: "望江社区" is often said "望江".
_PLACE_SUFFIXES = ("社区", "村", "街道", "镇")


class Rank(IntEnum):
    """How well an entry answers the words typed; lower is better."""

    CODE = 0  # a word is the entry's whole code
    NAME = 1  # the words are its whole name
    CODE_START = 2
    NAME_START = 3
    IN_NAME = 4
    ABOVE = 5  # found only in the names of what holds it
    # Read as an address: a road and a number lying in the grid, the entry named itself, a
    # road running through it, or only its community.
    ROAD_NUMBER = 6
    NAMED_IN_ADDRESS = 7
    ROAD = 8
    COMMUNITY_IN_ADDRESS = 9


class Tag(StrEnum):
    """Why a unit stands where it does in a case's list (`units`)."""

    DEFAULT = "default"  # the category's default unit for the case's grid
    GRID = "grid"  # the case's grid worker
    COMMUNITY = "community"
    STREET = "street"  # a section of the case's street
    RETURNED = "returned"  # it sent the case back as not its own: offered, not suggested


@dataclass(frozen=True)
class Hit:
    """One entry found: a category, a place or a unit."""

    code: str
    name: str
    name_en: str | None
    path: tuple[Named, ...] = ()  # what holds it, outermost first (shown, and searched)
    dedicated: bool = False  # a dedicated grid: a school, a market, a park…
    tag: Tag | None = None  # a unit listed for a case: why it stands where it does
    in_address: bool = False  # found named inside the text typed: that text is an address
    segment: Segment | None = None  # found by the road named in it: the stretch lying here

    @property
    def suggested(self) -> bool:
        """False for an entry offered but not to be proposed first."""
        return self.tag is not Tag.RETURNED


@lru_cache(maxsize=1 << 16)  # the district's names are folded again for every text looked up
def fold(text: str) -> str:
    """Text as compared: NFKC-normalised and casefolded."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _folded_names(*infos: Named) -> list[str]:
    return [fold(n) for i in infos for n in (i.name, i.name_en) if n]


@dataclass(frozen=True)
class _Query:
    words: tuple[str, ...]
    # The words as one name: spaced for English, run together as Chinese is typed.
    phrases: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Query:
        words = tuple(fold(text).split())
        return cls(words, (" ".join(words), "".join(words)))

    @property
    def text(self) -> str:
        return self.phrases[1]


def _rank(q: _Query, code: str, own: Iterable[Named], above: Iterable[Named]) -> Rank | None:
    """How well an entry answers every word typed; None if a word does not match it."""
    code = fold(code)
    starts = (code, *code.split("-")[1:])
    names = _folded_names(*own)
    around = _folded_names(*above)
    if not q.words:
        return Rank.ABOVE  # nothing typed, and browsing: every entry, by code
    best = Rank.ABOVE
    for word in q.words:
        if any(part.startswith(word) for part in starts):
            rank = Rank.CODE if word == code else Rank.CODE_START
        elif any(word in name for name in names):
            rank = Rank.IN_NAME
        elif any(word in name for name in around):
            rank = Rank.ABOVE
        else:
            return None
        best = min(best, rank)
    if any(name in q.phrases for name in names):
        return min(best, Rank.NAME)
    if any(name.startswith(q.phrases) for name in names):
        return min(best, Rank.NAME_START)
    return best


def _short(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _named_in(text: str, area: AreaInfo, path: list[AreaInfo]) -> Rank | None:
    """For an address typed or pasted whole ("望江社区清泰街12号"): the text names the place
    itself, or its community (also without 社区/村)."""
    name = fold(area.name)
    if name in text or (area.level not in GRID_LEVELS and _short(name) in text):
        return Rank.NAMED_IN_ADDRESS
    for place in path:
        if place.level is AreaLevel.COMMUNITY and place is not area:
            community = fold(place.name)
            if community in text or _short(community) in text:
                return Rank.COMMUNITY_IN_ADDRESS
    return None


def _on_roads(ref: Reference, text: str) -> dict[int, list[tuple[tuple[int, ...], Segment]]]:
    """For an address: the grids the roads it names run through, by grid id, each with its
    segment and rank — the segment holding the number after the road's name first, the
    others in order along the road."""
    named = [road for road in ref.roads if fold(road) in text]
    # "…东路" named: not also the shorter road its name holds.
    named = [r for r in named if not any(r != o and fold(r) in fold(o) for o in named)]
    out: dict[int, list[tuple[tuple[int, ...], Segment]]] = {}
    for road in named:
        found = re.search(re.escape(fold(road)) + r"(\d+)", text)
        number = int(found.group(1)) if found else None
        for seg in ref.roads[road]:
            held = number is not None and seg.holds(number)
            rank = (Rank.ROAD_NUMBER,) if held else (Rank.ROAD, seg.first)
            out.setdefault(seg.grid_id, []).append((rank, seg))
    return out


Ranked = list[tuple[tuple[int, ...], str, Hit]]  # (rank, code, hit): sorted, then the hits


def _best_first(ranked: Ranked) -> list[Hit]:
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [hit for _, _, hit in ranked]


# --- categories ---------------------------------------------------------------------------------


def categories(
    ref: Reference, text: str, *, groups: bool = False, browse: bool = False
) -> list[Hit]:
    """The subcategories (the only level a case is filed under) the text finds; with `groups`,
    the modules and categories too (a filter may name a whole group)."""
    return _best_first(_ranked_categories(ref, text, groups=groups, browse=browse))


def _ranked_categories(ref: Reference, text: str, *, groups: bool, browse: bool) -> Ranked:
    q = _Query.of(text)
    if not (q.words or browse):
        return []
    ranked: Ranked = []
    for info in ref.categories.values():
        if not (info.is_leaf or groups):
            continue
        path = category_path(ref, info)
        rank = _rank(q, info.code, (info,), path)
        if rank is not None:
            ranked.append(((rank,), info.code, Hit(info.code, info.name, info.name_en, path)))
    return ranked


def category_path(ref: Reference, info: CategoryInfo) -> tuple[CategoryInfo, ...]:
    """The module and category above a subcategory (the module above a category), top first."""
    out: list[CategoryInfo] = []
    parent = info.parent_id
    while parent is not None:
        above = ref.categories[parent]
        out.append(above)
        parent = above.parent_id
    return tuple(reversed(out))


# --- places -------------------------------------------------------------------------------------


def areas(
    ref: Reference,
    text: str,
    levels: Collection[AreaLevel],
    *,
    within: str | None = None,
    allowed: Callable[[AreaInfo], bool] = lambda _: True,
    browse: bool = False,
) -> list[Hit]:
    """Places of these levels the text finds: by their code or name, their community's or
    street's name (which narrows to their places), else read as an address naming them or a
    road through them.
    `within` (a street's or community's code) keeps to the places inside it; `allowed` drops
    those this user may not use."""
    return _best_first(
        _ranked_areas(ref, text, levels, within=within, allowed=allowed, browse=browse)
    )


def _ranked_areas(
    ref: Reference,
    text: str,
    levels: Collection[AreaLevel],
    *,
    within: str | None,
    allowed: Callable[[AreaInfo], bool],
    browse: bool,
    by_name: bool = True,
    among: list[tuple[AreaInfo, list[AreaInfo]]] | None = None,
) -> Ranked:
    """`among`: the only places (with their paths) to look at, when the caller knows."""
    q = _Query.of(text)
    if not (q.words or browse):
        return []
    inside = ref.area(within).id if within else None
    places = (
        among
        if among is not None
        else [
            (area, ref.path(area.id))
            for area in ref.areas.values()
            if area.level in levels
            and (inside is None or inside in (area.street_id, area.community_id, area.id))
            and allowed(area)
        ]
    )

    def hit(
        area: AreaInfo, path: list[AreaInfo], in_address: bool, segment: Segment | None = None
    ) -> Hit:
        return Hit(
            area.code,
            area.name,
            area.name_en,
            path=tuple(p for p in path if p is not area),
            dedicated=area.level is AreaLevel.DEDICATED,
            in_address=in_address,
            segment=segment,
        )

    ranked: Ranked = []
    for area, path in places if by_name else ():
        rank = _rank(q, area.code, (area,), (p for p in path if p is not area))
        if rank is not None:
            ranked.append(((rank,), area.code, hit(area, path, False)))
    if not ranked and q.words:
        roads = _on_roads(ref, q.text)
        for area, path in places:
            found: list[tuple[tuple[int, ...], Segment | None]] = list(roads.get(area.id, ()))
            named = _named_in(q.text, area, path)
            if named is not None:
                found.append(((named,), None))
            if found:
                best, segment = min(found, key=lambda f: f[0])
                ranked.append((best, area.code, hit(area, path, True, segment)))
    return ranked


# --- a best match, for text no operator is there to choose from (an imported work order) ---


# A match an import may take without asking an operator: the whole code or name, a name's
# start, the name said inside the text, or a road and a number lying in the grid. Found only
# in part, by what holds it, along a road or by its community, it waits for triage.
SURE = frozenset({Rank.CODE, Rank.NAME, Rank.NAME_START, Rank.ROAD_NUMBER, Rank.NAMED_IN_ADDRESS})


@dataclass(frozen=True)
class Match:
    """The entry found best, its rank the confidence; `sure` when it may be taken as is: a
    sure rank, and no other entry as good."""

    code: str
    rank: Rank
    sure: bool


def _match(ranked: Ranked) -> Match | None:
    if not ranked:
        return None
    ranked.sort(key=lambda r: (r[0], r[1]))
    best = ranked[0][0]
    alone = len(ranked) == 1 or ranked[1][0] != best
    rank = Rank(best[0])
    return Match(ranked[0][1], rank, rank in SURE and alone)


class CategoryFinder:
    """The subcategory for each of many work orders (`find`): from the category its hotline
    named, else one whose name its content says (the longest such name), else the best the
    hotline's category finds, unsure. A hotline names few categories, and its contents repeat:
    each is looked up once."""

    def __init__(self, ref: Reference) -> None:
        self.ref = ref
        self.leaves = [(fold(i.name), i) for i in ref.categories.values() if i.is_leaf]
        self.named: dict[str, Match | None] = {}
        self.said: dict[str, Match | None] = {}

    def find(self, named: str, content: str) -> Match | None:
        if named not in self.named:
            ranked = _ranked_categories(self.ref, named, groups=False, browse=False)
            self.named[named] = _match(ranked)
        found = self.named[named]
        if found is not None and found.sure:
            return found
        if content not in self.said:
            self.said[content] = _said(self.leaves, fold(content))
        return self.said[content] or found


def _said(leaves: list[tuple[str, CategoryInfo]], text: str) -> Match | None:
    said = [
        ((Rank.NAMED_IN_ADDRESS, -len(name)), info.code, Hit(info.code, info.name, None))
        for name, info in leaves
        if name in text
    ]
    if said:
        said.sort(key=lambda r: (r[0], r[1]))
        longest = said[0][0]
        alone = len(said) == 1 or said[1][0] != longest
        return Match(said[0][1], Rank.NAMED_IN_ADDRESS, alone)
    return None


class GridFinder:
    """The grid each of many addresses lies in (`find`), with the rank it was found by, as
    `areas` finds it; the district's codes and names are folded once for them all, and an
    address said again (work orders repeat them) is looked up once."""

    def __init__(self, ref: Reference) -> None:
        self.ref = ref
        # Every code and name of a place, run together: a word found nowhere in them cannot
        # match a place by its code or name, so such an address is only read as an address.
        self.names = "\x00".join(
            fold(n) for a in ref.areas.values() for n in (a.code, a.name, a.name_en) if n
        )
        self.places = [
            (area, ref.path(area.id)) for area in ref.areas.values() if area.level in GRID_LEVELS
        ]
        self.place_at = {area.id: i for i, (area, _) in enumerate(self.places)}
        self.found: dict[str, Match | None] = {}
        # What `_named_in` looks for of each grid: its name, its community's (and without
        # 社区/村). A grid none of whose needles the address holds, on no road it names, is
        # not looked at.
        self.needles: dict[str, set[int]] = {}
        for area, path in self.places:
            for p in path:
                if p is area or p.level is AreaLevel.COMMUNITY:
                    for needle in {fold(p.name), _short(fold(p.name))} - {""}:
                        self.needles.setdefault(needle, set()).add(area.id)

    def find(self, address: str) -> Match | None:
        """None if the address names no place the district has."""
        if address not in self.found:
            self.found[address] = self._find(address)
        return self.found[address]

    def _find(self, address: str) -> Match | None:
        q = _Query.of(address)
        by_name = all(word in self.names for word in q.words)
        among = None
        if not by_name:
            text = q.text
            near = set(_on_roads(self.ref, text))
            for needle, ids in self.needles.items():
                if needle in text:
                    near |= ids
            among = [self.places[self.place_at[i]] for i in near if i in self.place_at]
        return _match(
            _ranked_areas(
                self.ref,
                address,
                GRID_LEVELS,
                within=None,
                allowed=lambda _: True,
                browse=False,
                by_name=by_name,
                among=among,
            )
        )


# --- units --------------------------------------------------------------------------------------


def units(
    ref: Reference,
    text: str,
    *,
    case: CaseDetail | None = None,
    actor: Actor | None = None,
    street: str | None = None,
    browse: bool = False,
) -> list[Hit]:
    """Handling units the text finds. For a `case`, those an operator wants for it first: the
    category's default unit, this grid's worker, this community, this street's sections, the
    district's departments and companies, the rest of the street, everything else; units that
    returned the case come last, marked — they said it is not theirs. With the `actor` who
    gives it the case, only the units within their reach (`within_reach`: another street's
    only for a district supervisor; `within_community`: a community's workstation its own).
    With `street`, only the district's units and that street's own."""
    q = _Query.of(text)
    if not (q.words or browse):
        return []
    inside = ref.area(street).id if street else None
    nearness = _nearness(ref, case) if case is not None else lambda _: (0, None)
    ranked: Ranked = []
    for unit in ref.units.values():
        if inside is not None and unit.street_id not in (None, inside):
            continue
        if case is not None and actor is not None:
            home_street = ref.areas[unit.street_id].code if unit.street_id else None
            if not within_reach(actor, case.street_code, home_street):
                continue
            if not within_community(actor, ref.unit_community(unit.code)):
                continue
        home = (ref.areas[unit.street_id],) if unit.street_id else ()
        rank = _rank(q, unit.code, (unit,), home)
        if rank is None:
            continue
        tier, tag = nearness(unit)
        hit = Hit(unit.code, unit.name, unit.name_en, path=home, tag=tag)
        ranked.append(((tier, rank), unit.code, hit))
    return _best_first(ranked)


def _nearness(ref: Reference, d: CaseDetail) -> Callable[[UnitInfo], tuple[int, Tag | None]]:
    grid = ref.area(d.grid_code)
    street = ref.area(d.street_code)
    community = ref.areas[grid.community_id].code if grid.community_id else None
    default = ref.default_unit(ref.category_by_code[d.category_code], grid)
    own_grid = grid_unit_code(grid.code)
    own_community = community_unit_code(community) if community else None
    returned = set(d.returned_units)

    def place(u: UnitInfo) -> tuple[int, Tag | None]:
        if u.code in returned:
            return 9, Tag.RETURNED
        if default is not None and u.code == default.code:
            return 0, Tag.DEFAULT
        if u.code == own_grid:
            return 1, Tag.GRID
        if u.code == own_community:
            return 2, Tag.COMMUNITY
        if u.kind is UnitKind.SECTION and u.street_id == street.id:
            return 3, Tag.STREET
        if u.kind in (UnitKind.DEPARTMENT, UnitKind.COMPANY):
            return 4, None
        if u.street_id == street.id:
            return 5, None
        return 6, None

    return place
